"""Hostile and malformed payloads: prompt, structured failures, nothing leaked."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hegui.validator.limits import Limits
from hegui.validator.safe_json import JsonParseError, parse_json
from hegui.validator.safe_xml import XmlParseError, parse_xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<apply xmlns="urn:hegui:spec:eguarantee:1.0">&lol9;</apply>"""


def xxe(path: str) -> bytes:
    """An external entity pointing at a local file."""
    return (f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file://{path}">]>\n'
            f'<apply xmlns="urn:hegui:spec:eguarantee:1.0"><guarantee>&x;</guarantee></apply>'
            ).encode()


def test_billion_laughs_is_refused_quickly() -> None:
    start = time.perf_counter()
    with pytest.raises(XmlParseError) as info:
        parse_xml(BILLION_LAUGHS)
    assert info.value.facet == "dtd"
    assert time.perf_counter() - start < 5  # generous: the point is "no hang"


def test_external_entity_does_not_leak_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    with pytest.raises(XmlParseError) as info:
        parse_xml(xxe(str(secret)))
    assert "TOP-SECRET" not in str(info.value)
    assert info.value.facet == "dtd"


def test_deep_nesting_is_a_limit_error() -> None:
    deep = b"<a>" * 100 + b"</a>" * 100
    with pytest.raises(XmlParseError) as info:
        parse_xml(deep, Limits(max_depth=64))
    assert info.value.facet == "limit"


def test_oversized_payload_is_refused_before_parsing() -> None:
    big = b"<a>" + b"x" * (50 * 1024 * 1024) + b"</a>"
    start = time.perf_counter()
    with pytest.raises(XmlParseError) as info:
        parse_xml(big)
    assert info.value.facet == "limit"
    assert time.perf_counter() - start < 5


def test_xml_syntax_error_has_line_and_column() -> None:
    with pytest.raises(XmlParseError) as info:
        parse_xml(b"<a>\n  <b></a>")
    assert info.value.facet == "parse"
    assert info.value.line == 2


def test_gb18030_declared_encoding_is_honoured() -> None:
    data = '<?xml version="1.0" encoding="GB18030"?><a>东莞市</a>'.encode("gb18030")
    assert parse_xml(data).root.text == "东莞市"


def test_utf8_bom_is_accepted() -> None:
    assert parse_xml(b"\xef\xbb\xbf<a>x</a>").root.text == "x"
    assert parse_json(b'\xef\xbb\xbf{"a": 1}').value == {"a": 1}


def test_json_duplicate_keys_are_reported_with_their_object() -> None:
    parsed = parse_json(b'{"a": 1, "b": {"c": 1, "c": 2}, "a": 3}')
    found = {(d.pointer, d.key) for d in parsed.duplicates}
    assert found == {("", "a"), ("/b", "c")}
    assert parsed.value["a"] == 3  # last wins, as documented


def test_json_duplicate_keys_with_space_before_colon() -> None:
    parsed = parse_json(b'{"a" : 1, "a" : 2}')
    assert [(d.pointer, d.key) for d in parsed.duplicates] == [("", "a")]


def test_json_string_containing_key_syntax_is_not_a_duplicate() -> None:
    assert parse_json(b'{"a": "x\\":", "b": 1}').duplicates == ()


@pytest.mark.parametrize(("data", "facet"), [
    (b'{"a": NaN}', "nan"),
    (b'{"a": Infinity}', "nan"),
    (b'{"a": "\xff"}', "encoding"),
    (b"[" * 5000 + b"]" * 5000, "limit"),
    (b'{"a": 1,}', "parse"),
])
def test_json_problems_are_structured(data: bytes, facet: str) -> None:
    with pytest.raises(JsonParseError) as info:
        parse_json(data)
    assert info.value.facet == facet


def test_json_nan_has_position() -> None:
    with pytest.raises(JsonParseError) as info:
        parse_json(b'{\n  "a": NaN}')
    assert (info.value.line, info.value.column) == (2, 8)


def test_external_dtd_is_not_read_even_where_the_prolog_scan_cannot_look(tmp_path: Path) -> None:
    """UTF-16 hides the DOCTYPE from the byte scan: the resolver still reads nothing (a read
    of this broken DTD would be a syntax error, facet ``parse``), and the check after parsing
    refuses the DOCTYPE."""
    dtd = tmp_path / "broken.dtd"
    dtd.write_bytes(b"<!garbage")
    text = f'<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE r SYSTEM "{dtd}">\n<r/>'
    with pytest.raises(XmlParseError) as info:
        parse_xml(text.encode("utf-16"))
    assert info.value.facet == "dtd"
