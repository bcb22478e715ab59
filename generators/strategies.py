"""Hypothesis strategies from a spec: conformant payloads, and payloads that break one rule.

The public facade of hegui's generators (private modules do the work)::

    from hegui.generators.strategies import payloads, invalid_payloads
    from hegui.validator.loader import load_spec

    spec = load_spec("eguarantee")

    @given(payloads(spec, "apply", encoding="xml"))
    def test_my_parser_accepts(data): ...

    @given(invalid_payloads(spec, "EG-001"))
    def test_my_parser_rejects(data): ...

How a conformant record is made: structure and values from the data dictionary (patterns with
their length facets, code lists, money within digits and scale, real check characters, region
codes in use, real dates), then the ``generate:`` recipes of the spec's rules repair
cross-field rules (amount equals bid security, the premium formula, date orders ...; see
docs/spec-format.md), generic repairs fill what ``require`` rules demand and write RMB
uppercase amounts, and finally the record is kept only when the real
:class:`~hegui.validator.engine.Validator` finds nothing at all (``STATS`` counts how often
that filter rejects). All of it is read from the spec's data: a spec needs no Python code.
An invalid record breaks its rule by the rule's ``break`` steps, else by generic mutations.

Shrinking: optional elements and sections disappear first, lists shrink to their minimum,
values shrink to the first code of a list, ``0.00``, the lowest integer, 2010-01-01, short
ASCII strings; a failing example therefore ends small and readable. Every shrink step runs the
validator on a whole record (a few milliseconds): leave ``Phase.explain`` out of ``phases``
when shrinking time matters, it replays each step once more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from hegui.generators._facets import facets_used
from hegui.generators._recipes import has_break, run_break, settle
from hegui.generators._records import Doc, Draft, document, encode_json, oracle
from hegui.generators._structural import (
    apply_structural,
    kinds_of,
    prepare_structural,
    structural_ids,
)
from hegui.generators.mutations import apply_changes, copy_doc, prepare_rule, rule_candidates
from hegui.validator.catalogue import runtime_for
from hegui.validator.codec import json_to_xml
from hegui.validator.engine import Options
from hegui.validator.result import Result
from hegui.validator.spec import MessageType, Spec
from hegui.validator.structure import schema_files

__all__ = [
    "STATS",
    "Draft",
    "encode",
    "facet_targets",
    "invalid_payloads",
    "invalid_records",
    "payloads",
    "records",
    "rule_targets",
    "structural_rule_ids",
    "target_rule_ids",
]

Encoding = Literal["json", "xml"]


@dataclass
class Stats:
    """How many generated records the final validator check kept and rejected, by kind."""

    drawn: dict[str, int]
    rejected: dict[str, int]

    def count(self, kind: str, ok: bool) -> bool:
        """Record one outcome; returns ``ok`` so it can sit in a filter."""
        self.drawn[kind] = self.drawn.get(kind, 0) + 1
        if not ok:
            self.rejected[kind] = self.rejected.get(kind, 0) + 1
        return ok

    def rate(self, kind: str) -> float:
        """Share of ``kind`` draws rejected (0.0 when none drawn)."""
        n = self.drawn.get(kind, 0)
        return self.rejected.get(kind, 0) / n if n else 0.0

    def reset(self) -> None:
        """Forget all counts."""
        self.drawn.clear()
        self.rejected.clear()


#: Rejection counts of the final validator check ("conformant", "invalid").
STATS = Stats({}, {})

# ---- argument checks ----------------------------------------------------------------------

def _check_spec(spec: Any) -> Spec:
    if not isinstance(spec, Spec):
        raise InvalidArgument(
            f"spec={spec!r} must be a Spec (hegui.validator.loader.load_spec('<id or folder>'))")
    runtime_for(spec).memo("hegui.generators.schemas-found", lambda: _schemas_found(spec))
    return spec


def _schemas_found(spec: Spec) -> bool:
    xsd, json_schema = schema_files(spec)
    if not xsd.is_file() or not json_schema.is_file():
        raise InvalidArgument(f"spec={spec.id!r} has no generated schemas in {xsd.parent} "
                              "(run `hegui specs schemas --write`)")
    return True


def _message_types(spec: Spec, message_type: Any) -> list[MessageType]:
    if message_type is None:
        return list(spec.message_types.values())
    if not isinstance(message_type, str) or message_type not in spec.message_types:
        raise InvalidArgument(f"message_type={message_type!r} is not a message type of spec "
                              f"{spec.id} (have: {', '.join(spec.message_types)})")
    return [spec.message_types[message_type]]


def _check_encoding(encoding: Any) -> Encoding:
    if encoding not in ("json", "xml"):
        raise InvalidArgument(f"encoding={encoding!r} must be 'json' or 'xml'")
    return encoding  # type: ignore[no-any-return]


# ---- encoding and validation ------------------------------------------------------------

def encode(spec: Spec, doc: Doc, encoding: Encoding = "json") -> bytes:
    """The bytes of a record in ``encoding`` (JSON: indented UTF-8; XML: via the codec)."""
    return encode_json(doc) if encoding == "json" else json_to_xml(doc, spec)


def _validate(spec: Spec, doc: Doc) -> Result:
    return oracle(spec).validate(encode_json(doc), "generated.json", Options(encoding="json"))


# ---- conformant -------------------------------------------------------------------------

@st.composite
def _settled(draw: Any, spec: Spec, mt: MessageType) -> Doc:
    d = Draft(spec, mt, draw(document(spec, mt)), draw)
    settle(d)
    return d.doc


def _conformant(spec: Spec, doc: Doc) -> bool:
    result = _validate(spec, doc)
    return STATS.count("conformant", result.verdict == "conformant" and not result.findings)


def records(spec: Spec, message_type: str | None = None) -> st.SearchStrategy[Doc]:
    """Conformant records (JSON-encoding dicts) of ``message_type`` (None: any message type).

    Each has no finding at all under the real validator (not even a warning). Shrinks towards
    the record with only required elements and the smallest values (see the module doc).
    """
    spec = _check_spec(spec)
    chosen = _message_types(spec, message_type)
    return st.sampled_from(chosen).flatmap(
        lambda mt: _settled(spec, mt).filter(lambda doc: _conformant(spec, doc)))


def payloads(spec: Spec, message_type: str | None = None, encoding: Encoding = "json"
             ) -> st.SearchStrategy[bytes]:
    """Conformant payload bytes: :func:`records` serialised in ``encoding`` (json or xml)."""
    enc = _check_encoding(encoding)
    return records(spec, message_type).map(lambda doc: encode(spec, doc, enc))


# ---- invalid ----------------------------------------------------------------------------

def _structural(spec: Spec, mt_id: str) -> tuple[str, ...]:
    return structural_ids(spec, spec.message_types[mt_id])


def structural_rule_ids(spec: Spec, message_type: str | None = None) -> tuple[str, ...]:
    """Structural rule ids (``<path>@<facet>``) :func:`invalid_payloads` can target in
    ``message_type`` (None: in any message type)."""
    spec = _check_spec(spec)
    out: dict[str, None] = {}
    for mt in _message_types(spec, message_type):
        out.update(dict.fromkeys(_structural(spec, mt.id)))
    return tuple(out)


def target_rule_ids(spec: Spec, message_type: str | None = None) -> tuple[str, ...]:
    """Every rule id :func:`invalid_payloads` can target: business rules, then structural."""
    chosen = {mt.id for mt in _message_types(_check_spec(spec), message_type)}
    rules = [r.id for r in spec.rules if chosen & set(r.applies_to)]
    return (*rules, *structural_rule_ids(spec, message_type))


def facet_targets(spec: Spec, message_type: str | None = None
                  ) -> dict[str, tuple[str, ...]]:
    """Every kind of mistake the spec's data allows (``money:digits``, ``string:blank`` ...;
    see :mod:`hegui.generators._facets`) -> the structural rule ids that
    ``invalid_records(spec, rule_id, kind=kind)`` can break by it (in ``message_type``, None:
    in any). A kind the spec uses but no mutation can make alone maps to ``()``."""
    spec = _check_spec(spec)
    out: dict[str, dict[str, None]] = {k: {} for k in facets_used(spec)}
    for mt in _message_types(spec, message_type):
        for rule_id in _structural(spec, mt.id):
            for kind in kinds_of(spec, mt, rule_id):
                out[kind][rule_id] = None
    return {k: tuple(v) for k, v in out.items()}


def rule_targets(spec: Spec, message_type: str | None = None
                 ) -> st.SearchStrategy[tuple[str, str | None]]:
    """``(rule_id, kind)`` pairs for :func:`invalid_records`: a business rule (kind None), or
    a kind of mistake from :func:`facet_targets` and one of its rule ids — every kind as
    likely as any other, however many elements have it (a spec has hundreds of
    ``@maxLength`` ids and one ``@length``). Shrinks towards the first business rule."""
    spec = _check_spec(spec)
    rules = [r for r in target_rule_ids(spec, message_type) if spec.rule(r) is not None]
    kinds = {k: ids for k, ids in facet_targets(spec, message_type).items() if ids}
    strata: list[tuple[str | None, tuple[str, ...]]] = [(None, tuple(rules))] if rules else []
    strata += list(kinds.items())

    def pair(stratum: tuple[str | None, tuple[str, ...]]
             ) -> st.SearchStrategy[tuple[str, str | None]]:
        kind, ids = stratum
        return st.tuples(st.sampled_from(ids), st.just(kind))
    return st.sampled_from(strata).flatmap(pair)


def _targets(spec: Spec, rule_id: Any, message_type: str | None, kind: str | None = None
             ) -> list[MessageType]:
    if not isinstance(rule_id, str):
        raise InvalidArgument(f"rule_id={rule_id!r} must be a string")
    chosen = _message_types(spec, message_type)
    rule = spec.rule(rule_id)
    if rule is not None and kind is not None:
        raise InvalidArgument(f"kind={kind!r}: {rule_id} is a business rule (kinds are for "
                              "structural rule ids)")
    if rule is not None:
        found = [mt for mt in chosen if mt.id in rule.applies_to]
    else:
        found = [mt for mt in chosen if (kind in kinds_of(spec, mt, rule_id) if kind
                                         else rule_id in _structural(spec, mt.id))]
    if not found:
        where = f" in message type {message_type}" if message_type else ""
        how = f" by a mistake of kind {kind!r}" if kind else ""
        raise InvalidArgument(f"rule_id={rule_id!r} is not a rule of spec {spec.id}{where} "
                              f"that can be targeted{how} (see target_rule_ids, "
                              "facet_targets)")
    return found


def _attempts(d: Draft, rule_id: str) -> Iterator[Callable[[Draft], bool]]:
    rule = d.spec.rule(rule_id)
    assert rule is not None
    if has_break(d.spec, rule_id):
        yield lambda trial: run_break(trial, rule)
    for changes in rule_candidates(d, rule):
        yield lambda trial, changes=changes: apply_changes(trial, changes)  # type: ignore[misc]


@st.composite
def _broken(draw: Any, spec: Spec, mt: MessageType, rule_id: str, kind: str | None = None
            ) -> Doc | None:
    """One attempt: a record that breaks ``rule_id`` alone, or None when this one cannot."""
    d = Draft(spec, mt, draw(document(spec, mt)), draw)
    rule = spec.rule(rule_id)
    if rule is None:
        prepare_structural(d, rule_id)
    else:
        prepare_rule(d, rule)
    settle(d)
    if _validate(spec, d.doc).findings:
        STATS.count("invalid-base", False)
        return None
    if rule is None:
        trial = Draft(spec, mt, copy_doc(d.doc), draw)
        return trial.doc if apply_structural(trial, rule_id, kind) else None
    for attempt in _attempts(d, rule_id):
        trial = Draft(spec, mt, copy_doc(d.doc), draw, frozenset({rule_id}), set(d.frozen))
        if not attempt(trial):
            continue
        settle(trial)
        if _validate(spec, trial.doc).rule_ids == {rule_id}:
            return trial.doc
    return None


def _some(doc: Doc | None) -> Doc:
    assert doc is not None  # filtered out before
    return doc


def invalid_attempts(spec: Spec, rule_id: str, message_types: list[str]
                     ) -> st.SearchStrategy[Doc | None]:
    """Attempts at :func:`invalid_records` that give None instead of rejecting (for callers
    that budget their attempts, such as test packs)."""
    spec = _check_spec(spec)
    chosen = [mt for m in message_types for mt in _targets(spec, rule_id, m)]

    def exactly(doc: Doc | None) -> Doc | None:
        ok = doc is not None and _validate(spec, doc).rule_ids == {rule_id}
        return doc if STATS.count("invalid", ok) else None
    return st.sampled_from(chosen).flatmap(lambda mt: _broken(spec, mt, rule_id)).map(
        exactly)


def invalid_records(spec: Spec, rule_id: str, message_type: str | None = None, *,
                    kind: str | None = None) -> st.SearchStrategy[Doc]:
    """Records that break ``rule_id`` and nothing else: the validator (JSON encoding) reports
    exactly that rule id. ``rule_id`` is a business rule of the spec or a structural id from
    :func:`structural_rule_ids`; ``message_type`` None means any message type it applies to.
    ``kind`` (structural ids only) picks the mistake (:func:`facet_targets`): a 10-digit
    mobile number and a letter in it are both ``...@length`` or ``...@pattern`` mistakes of
    different kinds; None draws one of the kinds that break the rule id.

    Shrinks like :func:`records` (the mutation is a function of the record it starts from).
    """
    spec = _check_spec(spec)
    chosen = _targets(spec, rule_id, message_type, kind)

    def exactly(doc: Doc | None) -> bool:
        ok = doc is not None and _validate(spec, doc).rule_ids == {rule_id}
        return STATS.count("invalid", ok)
    return st.sampled_from(chosen).flatmap(
        lambda mt: _broken(spec, mt, rule_id, kind).filter(exactly).map(_some))


def invalid_payloads(spec: Spec, rule_id: str, encoding: Encoding = "json",
                     message_type: str | None = None) -> st.SearchStrategy[bytes]:
    """Payload bytes that break ``rule_id`` alone: :func:`invalid_records` in ``encoding``."""
    enc = _check_encoding(encoding)
    return invalid_records(spec, rule_id, message_type).map(
        lambda doc: encode(spec, doc, enc))
