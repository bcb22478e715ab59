"""Generator help for the window-checklist spec: repairs for its list and application rules.

A *checklist* is repaired item by item — the implementation code is rebuilt from the
implementing body's USCC, the level and the basic code (WC-002/003), a handling-item code
extends it (WC-004), codes and ids are made unique, situations only name materials the item
has (WC-008/009) — then its bundles are made to name existing member items and cover their
required materials (WC-014..021). An *application* is repaired against the context checklist
the validator reads (the spec's bundled sample by default): it applies for an item or bundle
of that list, in one of its situations, and provides exactly the materials that situation
asks for, in the form the list asks (WC-101..114). Steps run only while their rule is active.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from hegui.generators._records import Draft, Help, group_strategy, oracle

_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
Breaker = Callable[[Draft], bool]


def item_key(item: Any) -> Any:
    """How an item is named in the list: handling-item code, else implementation code."""
    return item.get("handlingItemCode") or item.get("implementationCode")


def _unique(d: Draft, path: str, key: str, rule: str) -> None:
    """Rename repeated ``key`` values in the list at ``path`` (``S01`` -> ``S01-2``)."""
    if not d.active(rule):
        return
    seen: set[str] = set()
    for i, entry in enumerate(d.get(path) or []):
        value = entry.get(key) if isinstance(entry, dict) else None
        if not isinstance(value, str):
            continue
        n, new = 1, value
        while new in seen:
            n += 1
            new = f"{value[:60]}-{n}"
        if new != value:
            d.set(f"{path}.{i}.{key}", new)
        seen.add(d.get(f"{path}.{i}.{key}"))


def _codes(d: Draft, p: str, item: dict[str, Any]) -> None:
    uscc = (item.get("implementingBody") or {}).get("uscc")
    level, basic = item.get("level"), item.get("basicCode")
    if d.active("WC-002") and uscc and level and basic:
        d.set(f"{p}.implementationCode", uscc + level + basic)
    handling, implementation = item.get("handlingItemCode"), item.get("implementationCode")
    if d.active("WC-004") and handling is not None and implementation and not (
            handling.startswith(implementation) and len(handling) > len(implementation)):
        d.set(f"{p}.handlingItemCode", implementation + "01")


def _item(d: Draft, p: str, item: dict[str, Any]) -> None:
    statutory, promised = item.get("statutoryLimit"), item.get("promisedLimit")
    if d.active("WC-001") and isinstance(statutory, int) and isinstance(promised, int) \
            and promised > statutory:
        d.set(f"{p}.promisedLimit", statutory)
    _codes(d, p, item)
    _unique(d, f"{p}.situations", "code", "WC-006")
    _unique(d, f"{p}.materials", "id", "WC-007")
    ids = [m.get("id") for m in item.get("materials") or []]
    situations = item.get("situations") or []
    for s, situation in enumerate(situations):
        wanted = situation.get("materialIds") or []
        kept = [x for x in wanted if x in ids]
        if d.active("WC-008") and kept != wanted:
            d.set(f"{p}.situations.{s}.materialIds", kept)
    used = {x for situation in situations for x in situation.get("materialIds") or []}
    unused = [x for x in ids if x not in used]
    if d.active("WC-009") and unused and situations:
        d.set(f"{p}.situations.0.materialIds",
              [*(situations[0].get("materialIds") or []), *dict.fromkeys(unused)])
    if item.get("generalWindow") is True:
        if d.active("WC-010"):
            d.ensure(f"{p}.backOfficeDept")
        channels = item.get("channels") or []
        if d.active("WC-011") and "window" not in channels:
            d.set(f"{p}.channels", [*channels, "window"])
    if d.active("WC-012") and item.get("feeFlag") is True:
        d.ensure(f"{p}.feeBasis")
    for m, material in enumerate(item.get("materials") or []):
        if d.active("WC-013") and material.get("eCertificateCode") is not None \
                and material.get("source") != "government":
            d.set(f"{p}.materials.{m}.source", "government")


def _distinct_keys(d: Draft) -> None:
    """WC-005: a repeated item key gets the next basic code (and codes rebuilt from it)."""
    if not d.active("WC-005"):
        return
    seen: set[str] = set()
    for i, item in enumerate(d.get("items") or []):
        for _ in range(len(_ALNUM)):
            if item_key(item) not in seen:
                break
            basic = item.get("basicCode") or "000000000000"
            d.set(f"items.{i}.basicCode",
                  basic[:-1] + _ALNUM[(_ALNUM.index(basic[-1]) + 1) % len(_ALNUM)])
            _codes(d, f"items.{i}", item)
        seen.add(item_key(item))


def _bundle(d: Draft, p: str, bundle: dict[str, Any], items: list[dict[str, Any]]) -> None:
    keys = [item_key(i) for i in items]
    if d.active("WC-021") and bundle.get("code") in keys:
        d.set(f"{p}.code", str(bundle["code"])[:62] + "-B")
    members = bundle.get("memberItems") or []
    fixed = [m if m in keys else keys[n % len(keys)] for n, m in enumerate(members)]
    if d.active("WC-015") and keys and fixed != members:
        d.set(f"{p}.memberItems", fixed)
    members = bundle.get("memberItems") or []
    _unique(d, f"{p}.situations", "code", "WC-019")
    _unique(d, f"{p}.materials", "id", "WC-018")
    member_items = [i for i in items if item_key(i) in members]
    pairs = [(item_key(i), m.get("id")) for i in member_items for m in i.get("materials") or []]
    if d.active("WC-017"):
        for b, merged in enumerate(bundle.get("materials") or []):
            covers = merged.get("covers") or []
            good = [r for r in covers if (r.get("itemCode"), r.get("materialId")) in pairs]
            if good != covers and pairs:
                d.set(f"{p}.materials.{b}.covers", good or [
                    {"itemCode": pairs[0][0], "materialId": pairs[0][1]}])
            elif not pairs:
                d.set(f"{p}.materials", [])
    covered = {(r.get("itemCode"), r.get("materialId")) for merged in bundle.get("materials")
               or [] for r in merged.get("covers") or []}
    missing = [{"itemCode": item_key(i), "materialId": m.get("id")} for i in member_items
               for m in i.get("materials") or [] if m.get("necessity") == "required"
               and m.get("eCertificateCode") is None
               and (item_key(i), m.get("id")) not in covered]
    if d.active("WC-016") and missing:
        merged_list = bundle.get("materials") or []
        if merged_list:
            d.set(f"{p}.materials.0.covers", [*(merged_list[0].get("covers") or []), *missing])
        else:
            new = d.draw(group_strategy(d.spec, "bundleMaterial"))
            d.set(f"{p}.materials", [{**new, "covers": missing}])
    ids = {m.get("id") for m in bundle.get("materials") or []}
    for s, situation in enumerate(bundle.get("situations") or []):
        wanted = situation.get("materialIds") or []
        if d.active("WC-020") and any(x not in ids for x in wanted):
            d.set(f"{p}.situations.{s}.materialIds", [x for x in wanted if x in ids])


def _checklist(d: Draft) -> None:
    items = d.get("items") or []
    for i, item in enumerate(items):
        _item(d, f"items.{i}", item)
    _distinct_keys(d)
    _unique(d, "bundles", "code", "WC-014")
    for b, bundle in enumerate(d.get("bundles") or []):
        if items:
            _bundle(d, f"bundles.{b}", bundle, items)


def _targets(d: Draft) -> dict[str, Any]:
    checklist = oracle(d.spec).contexts.get("checklist") or {}
    out = {item_key(i): i for i in checklist.get("items") or []}
    out.update({b.get("code"): b for b in checklist.get("bundles") or []})
    return out


def _provided(d: Draft, asked: list[str], by_id: dict[str, Any]) -> None:
    """Keep what the situation asks for, once; add what it requires; fix forms (WC-103..113)."""
    seen: set[str] = set()
    i = 0
    while i < len(d.get("materials") or []):
        mid = d.get(f"materials.{i}.materialId")
        drop = (d.active("WC-104") and mid not in asked) or (d.active("WC-113") and mid in seen)
        if drop and d.delete(f"materials.{i}"):
            continue
        seen.add(mid)
        i += 1
    for mid in asked:
        m = by_id.get(mid) or {}
        rule = {"required": "WC-103", "rongque": "WC-105"}.get(str(m.get("necessity")))
        if rule and d.active(rule) and mid not in seen:
            d.append("materials", {"materialId": mid, "form": m.get("form")})
            seen.add(mid)
    for i, provided in enumerate(d.get("materials") or []):
        m, p = by_id.get(provided.get("materialId")) or {}, f"materials.{i}"
        if d.active("WC-107") and "eCertificateRef" in provided and not m.get("eCertificateCode"):
            d.delete(f"{p}.eCertificateRef")
        form = provided.get("form")
        compatible = form == m.get("form") or (m.get("form") == "copy" and form == "original")
        if d.active("WC-106") and form and "eCertificateRef" not in provided and not compatible \
                and m.get("form"):
            d.set(f"{p}.form", m.get("form"))
        if d.active("WC-108") and not provided.get("form") \
                and "eCertificateRef" not in provided and m.get("form"):
            d.set(f"{p}.form", m.get("form"))
        if d.active("WC-109") and provided.get("form") == "electronic":
            d.ensure(f"{p}.fileSha256")


def _application(d: Draft) -> None:
    targets = _targets(d)
    if d.active("WC-101") and targets and d.get("target.code") not in targets:
        d.set("target.code", d.draw(st.sampled_from(sorted(targets))))
    target = targets.get(d.get("target.code"))
    if target is not None:
        situations = {s.get("code"): s for s in target.get("situations") or []}
        if d.active("WC-102") and situations and d.get("target.situationCode") not in situations:
            d.set("target.situationCode", d.draw(st.sampled_from(sorted(situations))))
        situation = situations.get(d.get("target.situationCode"))
        if situation is not None:
            by_id = {m.get("id"): m for m in target.get("materials") or []}
            _provided(d, list(situation.get("materialIds") or []), by_id)
    submitted, day = d.time("header.submittedAt"), d.time("appointment.date")
    if d.active("WC-112") and submitted and day and day.date() < submitted.date():
        d.set_time("appointment.date", submitted)
    version = ((oracle(d.spec).contexts.get("checklist") or {}).get("catalog") or {}).get(
        "version")
    if d.active("WC-114") and version and d.get("header.checklistVersion") is not None:
        d.set("header.checklistVersion", version)


def repair(d: Draft) -> None:
    """Make a checklist or an application satisfy the spec's active rules."""
    if d.mt.id == "checklist":
        _checklist(d)
    elif d.mt.id == "application":
        _application(d)


# ---- breakers: one targeted change each, frozen so that the repairs leave it alone ---------

def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _freeze(d: Draft, *paths: str) -> bool:
    d.frozen.update(paths)
    return True


def _duplicate(path: str) -> Breaker:
    """Append a copy of the first entry of the list at ``path`` (a repeated code or id)."""
    def go(d: Draft) -> bool:
        entries = d.get(path)
        return isinstance(entries, list) and bool(entries) and d.append(
            path, _copy(entries[0])) and _freeze(d, path)
    return go


def _add_to(path: str, value: Any) -> Breaker:
    def go(d: Draft) -> bool:
        return d.append(path, value) and _freeze(d, path)
    return go


def _set_all(*changes: tuple[str, Any]) -> Breaker:
    """Set (or, with None, delete) several paths of the first item and freeze them."""
    def go(d: Draft) -> bool:
        for path, value in changes:
            if value is None:
                d.delete(path)
            elif not (d.ensure(path) or d.has(path)) or not (d.set(path, value) or
                                                               d.get(path) == value):
                return False
        return _freeze(d, *(p for p, _ in changes))
    return go


def _promised_over_statutory(d: Draft) -> bool:
    d.ensure("items.0.statutoryLimit")
    statutory = d.get("items.0.statutoryLimit")
    return isinstance(statutory, int) and d.set("items.0.promisedLimit", statutory + 1) \
        and _freeze(d, "items.0.promisedLimit", "items.0.statutoryLimit")


def _code_with(d: Draft, level_shift: int, basic_shift: int) -> bool:
    item = d.get("items.0") or {}
    uscc, level, basic = (item.get("implementingBody") or {}).get("uscc"), item.get("level"), \
        item.get("basicCode")
    if not (uscc and level and basic):
        return False
    levels = d.spec.codelists["useLevel"].values()
    level = levels[(levels.index(level) + level_shift) % len(levels)]
    basic = basic[:-1] + _ALNUM[(_ALNUM.index(basic[-1]) + basic_shift) % len(_ALNUM)]
    return d.set("items.0.implementationCode", uscc + level + basic) and _freeze(
        d, "items.0.implementationCode")


def _handling_not_extending(d: Draft) -> bool:
    d.ensure("items.0.handlingItemCode")
    return d.set("items.0.handlingItemCode", d.get("items.0.implementationCode")) and _freeze(
        d, "items.0.handlingItemCode")


def _second_copy(path: str) -> Breaker:
    """Make entry 1 of the list at ``path`` a copy of entry 0 (a repeated key)."""
    def go(d: Draft) -> bool:
        entries = d.get(path)
        if not isinstance(entries, list) or not entries:
            return False
        if len(entries) == 1:
            d.append(path, _copy(entries[0]))
        else:
            entries[1] = _copy(entries[0])
        return _freeze(d, f"{path}.1")
    return go


def _unused_material(d: Draft) -> bool:
    new = d.draw(group_strategy(d.spec, "material"))
    return d.append("items.0.materials", {**new, "id": "UNUSED-0"})


def _uncovered(d: Draft) -> bool:
    """Drop from bundle 0 every cover of one required member-item material."""
    items, bundle = d.get("items") or [], d.get("bundles.0") or {}
    needed = [(item_key(i), m.get("id")) for i in items if item_key(i) in
              (bundle.get("memberItems") or []) for m in i.get("materials") or []
              if m.get("necessity") == "required" and m.get("eCertificateCode") is None]
    if not needed:
        return False
    merged = [{**m, "covers": [r for r in m.get("covers") or []
                               if (r.get("itemCode"), r.get("materialId")) != needed[0]]}
              for m in bundle.get("materials") or []]
    d.set("bundles.0.materials", [m for m in merged if m["covers"]])
    return _freeze(d, "bundles.0.materials")


def _bad_cover(d: Draft) -> bool:
    members = d.get("bundles.0.memberItems") or []
    return bool(members) and _add_to("bundles.0.materials.0.covers", {
        "itemCode": members[0], "materialId": "NO-SUCH-MATERIAL"})(d)


def _bundle_code_is_item_key(d: Draft) -> bool:
    key = item_key(d.get("items.0") or {})
    return bool(key) and d.set("bundles.0.code", key) and _freeze(d, "bundles.0.code")


def _not_in_list(d: Draft) -> bool:
    return _add_to("materials", {"materialId": "NOT-ASKED-0", "form": "original"})(d)


def _certificate_not_available(d: Draft) -> bool:
    target = _targets(d).get(d.get("target.code")) or {}
    plain = {m.get("id") for m in target.get("materials") or [] if not m.get("eCertificateCode")}
    for i, provided in enumerate(d.get("materials") or []):
        if provided.get("materialId") in plain:
            return d.set(f"materials.{i}.eCertificateRef", "EC-0") and _freeze(
                d, f"materials.{i}")
    return False


BREAKERS: dict[str, Breaker] = {
    "WC-001": _promised_over_statutory,
    "WC-002": lambda d: _code_with(d, 0, 1),
    "WC-003": lambda d: _code_with(d, 1, 0),
    "WC-004": _handling_not_extending,
    "WC-005": _second_copy("items"),
    "WC-006": _duplicate("items.0.situations"),
    "WC-007": _duplicate("items.0.materials"),
    "WC-008": _add_to("items.0.situations.0.materialIds", "NO-SUCH-MATERIAL"),
    "WC-009": _unused_material,
    "WC-010": _set_all(("items.0.generalWindow", True), ("items.0.backOfficeDept", None)),
    "WC-011": _set_all(("items.0.generalWindow", True), ("items.0.channels", ["online"])),
    "WC-012": _set_all(("items.0.feeFlag", True), ("items.0.feeBasis", None)),
    "WC-013": _set_all(("items.0.materials.0.eCertificateCode", "EC-0"),
                       ("items.0.materials.0.source", "applicant")),
    "WC-014": _second_copy("bundles"),
    "WC-015": _add_to("bundles.0.memberItems", "NOSUCHITEM0"),
    "WC-016": _uncovered,
    "WC-017": _bad_cover,
    "WC-018": _duplicate("bundles.0.materials"),
    "WC-019": _duplicate("bundles.0.situations"),
    "WC-020": _add_to("bundles.0.situations.0.materialIds", "NO-SUCH-MATERIAL"),
    "WC-021": _bundle_code_is_item_key,
    "WC-104": _not_in_list,
    "WC-107": _certificate_not_available,
}

HELP = Help(repair=repair, breakers=BREAKERS)
