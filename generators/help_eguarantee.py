"""Generator help for the e-guarantee spec: repairs for its cross-field rules.

Each step names the rule it keeps (see specs/eguarantee/rules.yaml) and runs only while that
rule is active in the draft (a mutation that breaks rule R skips R's step). Steps move a
*dependent* field towards its anchor — the guarantee amount follows the bid security, the
premium follows amount × rate, deadlines are pulled back before the bid opening — and never
write a frozen path, so a mutated field stays as the mutation left it.
"""

from __future__ import annotations

import datetime as dt

from hegui.generators._records import Draft, Help
from hegui.generators._values import make_uscc

DAY = dt.timedelta(days=1)
SECOND = dt.timedelta(seconds=1)

#: Bounds that keep every CEL product in 64 bits: amount × rate (EG-012) and bid security × 50
#: (EG-002) overflow for amounts the dictionary allows (N..18,2) — see the issue note.
MAX_AMOUNT_FEN = 10**13  # 100 billion yuan
MAX_RATE = 100_000  # 0.100000 = 10 %
MAX_BID_VALIDITY_DAYS = 365

_SURVEY_DESIGN = ("SURVEY", "DESIGN", "SURVEY_DESIGN")


def _cap(d: Draft, path: str, high: int) -> None:
    value = d.minor(path)
    if value is not None and value > high:
        d.set_minor(path, high)


def _amounts(d: Draft) -> None:
    for path in ("project.bidSecurityAmount", "guarantee.amount"):
        _cap(d, path, MAX_AMOUNT_FEN)
    _cap(d, "payment.rate", MAX_RATE)
    if d.applies("EG-003") and d.get("project.tenderCategory") == "3":
        _cap(d, "project.bidSecurityAmount", 80_000_000)
    if d.applies("EG-004") and d.get("project.tenderScope") in _SURVEY_DESIGN:
        _cap(d, "project.bidSecurityAmount", 10_000_000)
    security = d.minor("project.bidSecurityAmount")
    estimate = d.minor("project.estimatedPrice")
    if d.applies("EG-002") and security is not None and estimate is not None \
            and security * 50 > estimate:
        d.set_minor("project.estimatedPrice", security * 50)
    if d.applies("EG-001") and security is not None and d.has("guarantee.amount"):
        d.set_minor("guarantee.amount", security)
    amount = d.minor("guarantee.amount")
    claim = d.minor("claim.amount")
    if d.applies("EG-019") and amount is not None and claim is not None and claim > amount:
        d.set_minor("claim.amount", amount)
    claim, paid = d.minor("claim.amount"), d.minor("claim.paidAmount")
    if d.applies("EG-025") and claim is not None and paid is not None and paid > claim:
        d.set_minor("claim.paidAmount", claim)
    rate, least = d.minor("payment.rate"), d.minor("payment.minPremium")
    if d.applies("EG-012") and amount is not None and rate is not None and least is not None \
            and d.has("payment.premium"):
        d.set_minor("payment.premium", max((amount * rate + 500_000) // 1_000_000, least))
    premium = d.minor("payment.premium")
    if d.applies("EG-021") and premium is not None and d.has("payment.payAmount"):
        d.set_minor("payment.payAmount", premium)


def _earlier(d: Draft, rule: str, path: str, limit: dt.datetime | None) -> None:
    value = d.time(path)
    if d.applies(rule) and value is not None and limit is not None and value > limit:
        d.set_time(path, limit)


def _later(d: Draft, rule: str, path: str, limit: dt.datetime | None) -> None:
    value = d.time(path)
    if d.applies(rule) and value is not None and limit is not None and value < limit:
        d.set_time(path, limit)


def _dates(d: Draft) -> None:
    days = d.get("project.bidValidityDays")
    if isinstance(days, int) and days > MAX_BID_VALIDITY_DAYS:
        d.set("project.bidValidityDays", 1 + days % MAX_BID_VALIDITY_DAYS)
    deadline = d.time("project.bidDeadline")
    if d.applies("EG-028") and deadline is not None and d.has("project.bidOpenTime"):
        d.set_time("project.bidOpenTime", deadline)
    opening = d.time("project.bidOpenTime")
    _earlier(d, "EG-008", "project.depositEnd", opening)
    _earlier(d, "EG-007", "guarantee.issuedAt", d.time("project.depositEnd"))
    _earlier(d, "EG-031", "payment.paidAt", d.time("guarantee.issuedAt"))
    _earlier(d, "EG-027", "project.depositStart", d.time("project.depositEnd"))
    _earlier(d, "EG-029", "guarantee.validFrom", deadline)
    _earlier(d, "EG-009", "refund.requestedAt", opening - SECOND if opening else None)
    days = d.get("project.bidValidityDays")
    if deadline is not None and isinstance(days, int):
        _later(d, "EG-005", "guarantee.validTo", deadline + days * DAY)
        if d.get("project.tenderCategory") == "3":
            _later(d, "EG-006", "guarantee.validTo", deadline + (days + 30) * DAY)
    start = d.time("guarantee.validFrom")
    # validFrom == validTo passes EG-011 but makes EG-010 demand 0 days, below validityDays'
    # minimum of 1: keep the period at least a second long.
    _later(d, "EG-011", "guarantee.validTo", start + SECOND if start else None)
    end = d.time("guarantee.validTo")
    _later(d, "EG-020", "claim.claimedAt", start)
    _earlier(d, "EG-020", "claim.claimedAt", end)
    issued = d.time("guarantee.issuedAt")
    _later(d, "EG-030", "document.urlExpiresAt", issued + 30 * DAY if issued else None)
    if d.applies("EG-010") and start is not None and end is not None and start <= end \
            and d.has("guarantee.validityDays"):
        seconds = int((end - start).total_seconds())
        d.set("guarantee.validityDays", max(1, (seconds + 86399) // 86400))


def _other_uscc(code: str, avoid: set[str]) -> str:
    """A different valid USCC: the next organisation code, real check characters."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = code[8:16]
    while True:
        body = body[:-1] + alphabet[(alphabet.index(body[-1]) + 1) % len(alphabet)]
        new = make_uscc(code[0], code[1], code[2:8], body)
        if new not in avoid:
            return new


def _parties(d: Draft) -> None:
    bidder = d.get("bidder.uscc")
    if d.applies("EG-032") and bidder and d.get("tenderee.uscc") == bidder:
        d.set("tenderee.uscc", _other_uscc(bidder, {bidder, d.get("issuer.uscc")}))
    if d.applies("EG-033") and bidder and d.get("issuer.uscc") == bidder:
        d.set("issuer.uscc", _other_uscc(bidder, {bidder, d.get("tenderee.uscc")}))
    if d.applies("EG-013") and d.get("payment.basicAccountRequired") is True:
        if d.get("bidder.name") == "" and d.has("payment.payerName"):
            d.set("bidder.name", d.get("payment.payerName"))  # EG-014 wants a payer name
        if d.get("bidder.name") is not None and d.get("payment.payerName") is not None:
            d.set("payment.payerName", d.get("bidder.name"))
        if d.get("bidder.basicAccount.accountNo") is not None \
                and d.get("payment.payerAccount") is not None:
            d.set("payment.payerAccount", d.get("bidder.basicAccount.accountNo"))
    if d.applies("EG-034") and d.get("result.code") == "3" \
            and d.get("guarantee.status") == "ISSUED":
        d.set("guarantee.status", "REJECTED") or d.set("result.code", "2")


def _attachments(d: Draft) -> None:
    items = d.get("attachments")
    if not isinstance(items, list) or not items:
        return
    for rule, code in (("EG-022", "716"), ("EG-024", "717")):
        if d.applies(rule) and not any(isinstance(a, dict) and a.get("type") == code
                                       for a in items):
            d.set("attachments.0.type", code)
    if d.applies("EG-023"):
        for key in ("sha256", "md5"):
            seen: set[str] = set()
            for i, item in enumerate(items):
                value = item.get(key) if isinstance(item, dict) else None
                if value is not None and value.lower() in seen:
                    d.delete(f"attachments.{i}.{key}")
                elif value is not None:
                    seen.add(value.lower())


def repair(d: Draft) -> None:
    """Make a record of any e-guarantee message type satisfy the spec's active rules."""
    _amounts(d)
    _dates(d)
    _parties(d)
    _attachments(d)


HELP = Help(repair=repair)
