"""The model of a platform profile (docs/platform-profiles.md): immutable, compiled once.

A :class:`Platform` says how one platform's native messages map onto a spec version's
canonical messages: per native message, one :class:`FieldMap` per native field path, code
translation tables, the envelope and the placeholders that mark an unfilled example.
:mod:`hegui.validator.platform_loader` builds it from the profile's folder and checks it
against the spec; :mod:`hegui.validator.mapping` and :mod:`hegui.validator.unmapping` use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hegui.validator.envelope_security import Security
from hegui.validator.spec import Text

#: The forms a native value may be written in (docs/platform-profiles.md, Forms).
FORMS = ("text", "decimal", "integer", "epoch-ms", "epoch-s", "datetime", "list", "boolean")

Scalar = str | int | bool


@dataclass(frozen=True)
class FieldMap:
    """How one native field (``attachInfo[].attachType``) reaches the canonical message."""

    native: str
    targets: tuple[str, ...] = ()
    drop: Text | None = None
    codes: str | None = None
    form: str = "text"
    formats: tuple[str, ...] = ()
    time: str | None = None
    separator: str | None = None
    with_: Mapping[str, Scalar] = field(default_factory=dict)
    #: The fields with one ``item`` name fill one new list item together.
    item: str | None = None
    #: One code table per target, when the targets need different ones (else empty and
    #: ``codes`` serves every target).
    tables: tuple[str, ...] = ()
    #: A delimited native string whose every part makes one list item (``form: list`` into
    #: ``attachments[].url``).
    spread: bool = False
    note: Text | None = None
    #: Decimal places of the target (money, rates): the canonical scale of ``decimal``.
    scale: int | None = None
    #: ``date`` when the target is a date element (``datetime`` form writes yyyy-MM-dd).
    target_type: str = ""
    #: Whether the mapping names a container (object or list) rather than a value.
    container: bool = False

    def table_for(self, i: int) -> str | None:
        """The code table of target ``i``."""
        return self.tables[i] if self.tables else self.codes

    @property
    def makes_items(self) -> bool:
        """Whether the field makes list items of its own (``with``, ``item``, or spread)."""
        return bool(self.with_ or self.item or self.spread)

    @property
    def dropped(self) -> bool:
        """Whether the native field is deliberately not carried."""
        return self.drop is not None


@dataclass(frozen=True)
class CodeTable:
    """A native code -> the spec's code word; ``Text`` entries have no counterpart."""

    id: str
    label: Text
    basis: str
    codelist: str
    values: Mapping[str, str | Text]

    def listing(self) -> str:
        """``1 → APPROVED, 2 → REJECTED`` (for messages)."""
        return ", ".join(f"{k} → {v if isinstance(v, str) else '—'}"
                         for k, v in self.values.items())


@dataclass(frozen=True)
class Placeholder:
    """A value that marks an unfilled example (``xxx``, "（已SM4加密后的值）")."""

    text: Text
    pattern: re.Pattern[str] | None = None
    contains: str | None = None

    def matches(self, value: str) -> bool:
        """Whether ``value`` is this placeholder."""
        if self.pattern is not None:
            return self.pattern.fullmatch(value) is not None
        return self.contains is not None and self.contains in value


@dataclass(frozen=True)
class NativeMessage:
    """One native message (``/lg/apply``) and the canonical message type it maps onto."""

    name: str
    message_type: str
    label: Text
    fields: Mapping[str, FieldMap]
    interface: str | None = None
    direction: str | None = None
    corpus: str | None = None
    keys: tuple[str, ...] = ()  # recognise: all present
    absent: tuple[str, ...] = ()  # recognise: none of these present
    values: Mapping[str, Scalar] = field(default_factory=dict)  # recognise: these equal
    constants: Mapping[str, Scalar] = field(default_factory=dict)
    note: Text | None = None
    #: The name of the envelope this message travels in (None: none).
    envelope: str | None = None
    #: Canonical elements (or objects) the platform's spec gives this message no field for,
    #: though the message type's layer requires them (e.g. a synchronous answer without the
    #: push's header), and why: findings on them become one "not carried" warning.
    not_carried: tuple[str, ...] = ()
    not_carried_reason: Text | None = None
    #: A batch: the native list (``guaranteeList[]``) each item of which is one canonical
    #: message (with the fields outside the list); None: one message.
    each: str | None = None
    #: Native paths a mapping names, and every path above them.
    known: frozenset[str] = frozenset()
    #: Canonical path (``[]`` for lists) -> the native path that carries it.
    reverse: Mapping[str, str] = field(default_factory=dict)

    @property
    def recognisable(self) -> bool:
        """Whether a body can be recognised as this message without being told."""
        return bool(self.keys or self.values or self.absent)


@dataclass(frozen=True)
class Envelope:
    """A transport envelope: its members and where the business body sits."""

    name: str
    body: str
    recognise: tuple[str, ...]
    fields: Mapping[str, FieldMap]
    corpus: str | None = None
    known: frozenset[str] = frozenset()
    reverse: Mapping[str, str] = field(default_factory=dict)
    #: How the envelope is sealed (signature, cipher, timestamp), if it is.
    security: Security | None = None

    def matches(self, doc: Mapping[str, Any]) -> bool:
        """Whether ``doc`` is this envelope: it holds the body member and either every
        recognising member or nothing but envelope members."""
        if not _has(doc, self.body):
            return False
        return all(_has(doc, k) for k in self.recognise) or all(k in self.known for k in doc)

    def wrap(self, body: Any) -> dict[str, Any]:
        """``body`` in an envelope of this kind, its other top-level members empty (for
        sealing to fill in; nested members are left to the caller)."""
        out: dict[str, Any] = {k: "" for k in self.fields if "." not in k and k != self.body}
        out[self.body] = body
        return out


@dataclass(frozen=True)
class Platform:
    """A compiled platform profile."""

    id: str
    title: Text
    family: str
    spec: str  # ``<id>@<version>``
    layer: str | None
    status: str
    timezone: str
    source: Mapping[str, str]
    messages: Mapping[str, NativeMessage]
    codes: Mapping[str, CodeTable]
    sha256: str
    folder: str
    notes: tuple[Text, ...] = ()
    #: The envelopes by name (``default`` is platform.yaml's ``envelope``).
    envelopes: Mapping[str, Envelope] = field(default_factory=dict)
    placeholders: tuple[Placeholder, ...] = ()
    #: The profile files' lines of each message and native field (for ``profiles show``).
    positions: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def spec_version(self) -> str:
        """The version of the spec the profile maps onto."""
        return self.spec.partition("@")[2]

    @property
    def envelope(self) -> Envelope | None:
        """The default envelope (platform.yaml ``envelope``), if any."""
        return self.envelopes.get("default")

    def recognise(self, body: Mapping[str, Any], envelope: str | bool | None = False
                  ) -> list[NativeMessage]:
        """The messages whose recognisers ``body`` satisfies, most specific first (only
        those travelling in ``envelope`` unless it is False)."""
        found = [m for m in self.messages.values() if m.recognisable
                 and (envelope is False or m.envelope == envelope)
                 and all(_has(body, k) for k in m.keys)
                 and not any(_has(body, k) for k in m.absent)
                 and all(_scalar_text(body.get(k)) == _scalar_text(v)
                         for k, v in m.values.items())]
        found.sort(key=lambda m: -(len(m.keys) + 2 * len(m.values)))
        if len(found) > 1:  # the most specific wins only when it is strictly more specific
            top = len(found[0].keys) + 2 * len(found[0].values)
            found = [m for m in found if len(m.keys) + 2 * len(m.values) == top]
        return found

    def envelopes_of(self, doc: Mapping[str, Any]) -> list[Envelope]:
        """The envelopes ``doc`` is (see :meth:`Envelope.matches`): those that define every
        member of ``doc`` first."""
        found = [e for e in self.envelopes.values() if e.matches(doc)]
        return sorted(found, key=lambda e: not all(k in e.known for k in doc))


def _has(doc: Mapping[str, Any], path: str) -> bool:
    node: Any = doc
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def code_key(value: Any) -> str | None:
    """The text of a native code (``1`` and ``"1"`` are the same code; ``true`` is
    ``"true"``); None for values that are no code (objects, lists, null)."""
    return _scalar_text(value)


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return None
