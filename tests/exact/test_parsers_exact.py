"""The safe parsers on their own: the DOCTYPE pre-scan and the post-parse check each alone, the
parser's options, limits at their exact edges, duplicate JSON keys however they are spaced."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lxml import etree

from hegui.validator.limits import Limits
from hegui.validator.safe_json import (
    DuplicateKey,
    JsonParseError,
    escape_pointer,
    is_index,
    parse_json,
    pointer_tokens,
)
from hegui.validator.safe_xml import XmlParseError, parse_xml

#: A comment longer than the pre-scan's window, so a DOCTYPE after it reaches the parser.
LONG_COMMENT = b"<!--" + b"x" * 5000 + b"-->\n"


def refused(data: bytes, limits: Limits | None = None) -> XmlParseError:
    with pytest.raises(XmlParseError) as info:
        parse_xml(data) if limits is None else parse_xml(data, limits)
    return info.value


# -- DOCTYPE: the pre-scan ---------------------------------------------------------------------

def test_prescan_refuses_a_doctype_before_the_parser_sees_it() -> None:
    # The document is also broken (no end tag): only a check before parsing can say "dtd".
    e = refused(b'<?xml version="1.0"?>\n<!DOCTYPE r>\n<r>')
    assert e.facet == "dtd"
    assert e.line == 2


@pytest.mark.parametrize("decl", [b"<!DOCTYPE r>", b'<!DOCTYPE r [<!ENTITY e "v">]>',
                                  b'<!ENTITY e "v">'])
def test_prescan_refuses_declarations_in_a_broken_document(decl: bytes) -> None:
    assert refused(decl + b"\n<r><unclosed></r>").facet == "dtd"


def test_billion_laughs_is_refused_fast_at_any_offset() -> None:
    laughs = (b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(b'<!ENTITY %s "%s">' % (b"a" * (i + 1), (b"&" + b"a" * i + b";") * 10)
                         for i in range(1, 9))
              + b"]>\n<l>&aaaaaaaaa;</l>")
    for data in (laughs, LONG_COMMENT + laughs):
        start = time.perf_counter()
        assert refused(data).facet == "dtd"
        assert time.perf_counter() - start < 2


# -- DOCTYPE: the post-parse check, alone (the DOCTYPE is past the pre-scan's window) ----------

@pytest.mark.parametrize("decl", [
    b"<!DOCTYPE r>",
    b'<!DOCTYPE r [<!ENTITY e "SECRET">]>',
    b'<!DOCTYPE r PUBLIC "-//x//y" "missing.dtd">',
])
def test_doctype_after_a_long_comment_is_refused(decl: bytes) -> None:
    body = b"<r>&e;</r>" if b"ENTITY" in decl else b"<r/>"
    e = refused(LONG_COMMENT + decl + b"\n" + body)
    assert e.facet == "dtd"
    assert "SECRET" not in str(e)


def test_utf16_doctype_is_refused() -> None:
    # The pre-scan looks for ASCII bytes: a UTF-16 DOCTYPE is left to the post-parse check.
    data = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE r [<!ENTITY e "v">]>\n<r>&e;</r>'
    assert refused(data.encode("utf-16")).facet == "dtd"


# -- the parser's options: nothing resolved, loaded or validated -------------------------------

def test_external_entity_is_never_resolved(tmp_path: Path) -> None:
    # Resolving the entity would read this file and fail on its content ("parse"); unresolved,
    # the document parses and its DOCTYPE is refused ("dtd").
    ent = tmp_path / "broken.ent"
    ent.write_bytes(b"<unclosed")
    e = refused(LONG_COMMENT + f'<!DOCTYPE r [<!ENTITY e SYSTEM "{ent}">]>\n<r>&e;</r>'.encode())
    assert e.facet == "dtd"


def test_internal_subset_is_never_validated() -> None:
    # With DTD validation on, <r/> breaks its declared content model: a "parse" error.
    e = refused(LONG_COMMENT + b"<!DOCTYPE r [<!ELEMENT r (a)><!ELEMENT a EMPTY>]>\n<r/>")
    assert e.facet == "dtd"


def test_huge_text_node_is_read_within_the_input_limit() -> None:
    """A text node over libxml2's own 10,000,000-byte limit is read (huge_tree), so a long value
    is its element's @maxLength in XML as in JSON; the input size limit still bounds it."""
    data = b"<a>" + b"x" * 10_000_001 + b"</a>"
    assert len(parse_xml(data).root.text or "") == 10_000_001
    e = refused(data, Limits(max_bytes=10_000_000))
    assert e.facet == "limit"


def test_external_dtd_is_never_read(tmp_path: Path) -> None:
    dtd = tmp_path / "broken.dtd"
    dtd.write_bytes(b"<!garbage")
    e = refused(LONG_COMMENT + f'<!DOCTYPE r SYSTEM "{dtd}">\n<r/>'.encode())
    assert e.facet == "dtd"


def test_prescan_reports_the_doctype_line() -> None:
    assert refused(b'<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE r>\n<r/>').line == 3


# -- the parser's options on their own ---------------------------------------------------------
# parse_xml refuses every DOCTYPE before (pre-scan) and after (post-parse check) parsing, and a
# deny-all resolver answers every external request: those layers hide what the parser's own
# options do, so the options are tried here with a bare parser.

def bare_parse(data: bytes) -> etree._Element:
    from hegui.validator import safe_xml

    options = safe_xml._PARSER_OPTIONS
    return etree.fromstring(data, etree.XMLParser(**options))


def test_parser_options_resolve_no_entity(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-FILE")
    internal = bare_parse(b'<!DOCTYPE r [<!ENTITY e "SECRET-TEXT">]>\n<r>&e;</r>')
    external = bare_parse(f'<!DOCTYPE r [<!ENTITY e SYSTEM "{secret}">]>\n<r>&e;</r>'.encode())
    for root in (internal, external):
        assert "SECRET" not in etree.tostring(root).decode()
        assert root.text is None and len(root) == 1  # the reference stays an entity node


def test_parser_options_refuse_the_network() -> None:
    with pytest.raises(etree.XMLSyntaxError) as info:
        bare_parse(b'<!DOCTYPE r SYSTEM "http://127.0.0.1:9/r.dtd">\n<r/>')
    assert "network" in str(info.value).lower()


def test_parser_options_validate_nothing() -> None:
    root = bare_parse(b"<!DOCTYPE r [<!ELEMENT r (a)><!ELEMENT a EMPTY>]>\n<r/>")
    assert root.tag == "r"


# -- XML limits at their edges -----------------------------------------------------------------

def nested(depth: int) -> bytes:
    return b"<a>" * depth + b"</a>" * depth


def test_xml_depth_limit_is_exact() -> None:
    parse_xml(nested(10), Limits(max_depth=10))
    e = refused(nested(11), Limits(max_depth=10))
    assert (e.facet, e.line) == ("limit", 1)
    parse_xml(nested(64))
    assert refused(nested(65)).facet == "limit"


def test_xml_far_too_deep_is_a_limit_too() -> None:
    assert refused(nested(300)).facet == "limit"


def test_xml_size_limit_is_exact() -> None:
    data = b"<a>" + b"x" * 93 + b"</a>"  # 100 bytes
    assert len(data) == 100
    parse_xml(data, Limits(max_bytes=100))
    assert refused(data, Limits(max_bytes=99)).facet == "limit"


def test_xml_syntax_error_position() -> None:
    e = refused(b"<a>\n  <b>\n  </c>\n</a>")
    assert (e.facet, e.line) == ("parse", 3)
    assert e.column is not None and e.column > 1


def test_xml_bad_encoding_facet() -> None:
    assert refused(b'<?xml version="1.0" encoding="UTF-8"?><a>\xff\xfe</a>').facet == "encoding"


# -- JSON: duplicate keys, however the colon is spaced -----------------------------------------

@pytest.mark.parametrize("space", [b"", b" ", b"\n", b"\t", b"\r", b"\r\n", b"  ", b"  \n "])
def test_duplicate_key_with_any_space_before_the_colon(space: bytes) -> None:
    parsed = parse_json(b'{"a"' + space + b': 1, "a": 2}')
    assert parsed.duplicates == (DuplicateKey("", "a"),)
    assert parsed.value == {"a": 2}


def test_duplicate_key_only_in_first_occurrence_spaced() -> None:
    parsed = parse_json(b'{"b": {"a"\n: 1, "a": 2, "c": 3}}')
    assert parsed.duplicates == (DuplicateKey("/b", "a"),)


def test_duplicate_keys_in_list_items_name_the_item() -> None:
    parsed = parse_json(b'{"l": [{"k": 1}, {"k": 1, "k": 2}], "x~/y": {"q": 1, "q": 1}}')
    assert parsed.duplicates == (DuplicateKey("/l/1", "k"), DuplicateKey("/x~0~1y", "q"))


def test_no_duplicate_when_a_string_looks_like_a_key() -> None:
    assert parse_json(b'{"a": "\\" :", "b": "x\\":"}').duplicates == ()


def test_duplicate_key_is_a_finding_with_its_place(minispec: object, judge: object) -> None:
    data = (b'{"messageType": "order", "specVersion": "0.1", "messageType"\n: "order", '
            b'"order": {}, "lines": []}')
    r = judge(minispec.folder, "p.json", data)  # type: ignore[operator, attr-defined]
    dup = [f for f in r.findings if f.rule_id == "payload@duplicate-key"]
    assert [(f.severity, f.location.pointer) for f in dup] == [("error", "/messageType")]
    assert r.verdict == "nonconformant"


# -- JSON limits and positions -----------------------------------------------------------------

def deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_json_depth_limit_is_exact() -> None:
    assert parse_json(deep_json(10), Limits(max_depth=10)).value is not None
    with pytest.raises(JsonParseError) as info:
        parse_json(deep_json(11), Limits(max_depth=10))
    assert info.value.facet == "limit"
    parse_json(b'{"a":' * 9 + b"1" + b"}" * 9, Limits(max_depth=9))
    with pytest.raises(JsonParseError):
        parse_json(b'{"a":' * 10 + b"1" + b"}" * 10, Limits(max_depth=9))


def test_json_size_limit_is_exact() -> None:
    data = b'{"a": "' + b"x" * 91 + b'"}'
    assert len(data) == 100
    parse_json(data, Limits(max_bytes=100))
    with pytest.raises(JsonParseError) as info:
        parse_json(data, Limits(max_bytes=99))
    assert info.value.facet == "limit"


@pytest.mark.parametrize(("data", "facet", "line", "column"), [
    (b'{\n  "a": NaN}', "nan", 2, 8),
    (b'{"a": 1,\n "b": -Infinity}', "nan", 2, 7),
    (b'{\n"a": 1,\n}', "parse", 3, 1),
    (b'{"a": 1}\n{"b": 2}', "parse", 2, 1),
    (b'{\n"a": "\xff"}', "encoding", 2, None),
])
def test_json_error_positions(data: bytes, facet: str, line: int, column: int | None) -> None:
    with pytest.raises(JsonParseError) as info:
        parse_json(data)
    assert (info.value.facet, info.value.line, info.value.column) == (facet, line, column)


def test_pointer_helpers() -> None:
    assert escape_pointer("a/b~c") == "a~1b~0c"
    assert escape_pointer("plain") == "plain"
    assert pointer_tokens("/a~1b/0/c~0d/12") == ["a/b", 0, "c~d", 12]
    assert pointer_tokens("") == []
    assert (is_index("12"), is_index("1a"), is_index("¹"), is_index("")) == (
        True, False, False, False)
