"""The quick pre-test of :mod:`hegui.validator.characters` never hides a character XML 1.0
forbids: whenever a string of the document holds one, ``_may_hold`` says look (Hypothesis over
documents of arbitrary text, keys and nesting); and a document that holds none with no escape
in its serialisation is cleared without the walk."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hegui.validator.characters import NOT_XML, _may_hold

# Text orjson can hold (no lone surrogates: the parser refuses them before this stage).
_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
_DOCS = st.recursive(_TEXT | st.integers() | st.booleans() | st.none(),
                     lambda kids: st.lists(kids, max_size=4)
                     | st.dictionaries(_TEXT, kids, max_size=4), max_leaves=20)


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


@given(_DOCS)
def test_never_clears_a_forbidden_character(doc: Any) -> None:
    if any(NOT_XML.search(s) for s in _strings(doc)):
        assert _may_hold(doc)


@given(st.sampled_from([chr(c) for c in range(0x20) if c not in (9, 10, 13)]
                       + ["\ufffe", "\uffff"]), _TEXT, _TEXT)
def test_each_forbidden_character_is_seen(bad: str, before: str, after: str) -> None:
    assert _may_hold({"a": [{"b": before + bad + after}]})


def test_clean_text_is_cleared() -> None:
    assert not _may_hold({"bidder": {"name": "广州某某建设有限公司", "note": "tab\tand\nline"}})


_SPACE = st.text(st.sampled_from(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028"
                                 "\u2029\u202f\u205f\u3000"), max_size=4)


@given(_DOCS, _SPACE)
def test_a_blank_string_is_never_cleared(doc: Any, space: str) -> None:
    """presence.may_hold_blank: any document holding an empty or white-space-only string
    says look (Hypothesis: such a string planted in arbitrary documents)."""
    from hegui.validator.presence import may_hold_blank

    assert may_hold_blank({"planted": [doc, {"k": space}]})
    if not may_hold_blank(doc):  # cleared: then truly no blank string in it
        assert all(s.strip() for s in _strings(doc))


def test_clean_documents_are_cleared() -> None:
    from hegui.validator.presence import may_hold_blank

    assert not may_hold_blank({"a": {"b": "广州", "c": ["x", "y z"], "n": 1, "t": True}})
    assert may_hold_blank({"a": {"b": "广州", "c": ["", "y"]}})
