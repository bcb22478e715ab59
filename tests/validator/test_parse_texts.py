"""Parse findings in Chinese: every message the parsers produce for broken payloads is known to
the tables (no original English left), with its position as 第 N 行第 M 列; what no table
knows keeps the parser's words, marked as its original text (原文)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from hegui.validator import parser_texts
from hegui.validator.finding_texts import parse_text
from hegui.validator.safe_json import JsonParseError, parse_json
from hegui.validator.safe_xml import XmlParseError, parse_xml
from hegui.validator.spec import Text

sys.path.insert(0, str(Path(__file__).parent.parent))
from zh_check import BROKEN_JSON, BROKEN_XML, english_words


def refusal(data: bytes, xml: bool) -> JsonParseError | XmlParseError:
    error = XmlParseError if xml else JsonParseError
    with pytest.raises(error) as info:
        parse_xml(data) if xml else parse_json(data)
    return info.value


@pytest.mark.parametrize(("name", "xml"), [(n, False) for n in BROKEN_JSON]
                         + [(n, True) for n in BROKEN_XML])
def test_every_parse_message_is_chinese(name: str, xml: bool) -> None:
    exc = refusal((BROKEN_XML if xml else BROKEN_JSON)[name], xml)
    zh, en = exc.text.zh, exc.text.en
    assert "原文" not in zh, f"{name}: a message no table knows: {en!r}"
    assert english_words(zh) == [], zh
    assert str(exc) == en  # the English stays the exception's message
    if exc.line is not None and exc.column is not None:
        assert zh.endswith(f"（第 {exc.line} 行第 {exc.column} 列）")
        assert en.endswith(f"(line {exc.line}, column {exc.column})")


@pytest.mark.parametrize(("data", "zh", "en"), [
    (b'{"a": 1 "b": 2}', "缺少逗号“,”（第 1 行第 9 列）",
     "Expecting ',' delimiter (line 1, column 9)"),
    (b'{"a"\n  1}', "缺少冒号“:”（第 2 行第 3 列）", "Expecting ':' delimiter (line 2, column 3)"),
    (b'{\n  "a": NaN}', "“NaN”不是 JSON 数值", "NaN is not a JSON number (line 2, column 8)"),
    (b'{"a": 1e999}', "数值过大，无法读取（数值超出双精度浮点数的范围）",
     "a number is too large to be read (number is infinity when parsed as double)"),
    (b'{"a": "\xff"}', "不是 UTF-8 编码：偏移 7 处的字节 0xff 无效",
     "not UTF-8: byte 0xff at offset 7"),
])
def test_json_messages(data: bytes, zh: str, en: str) -> None:
    exc = refusal(data, xml=False)
    assert zh in exc.text.zh and en in exc.text.en


def test_lone_surrogate_escape_is_an_encoding_problem_not_a_number() -> None:
    """orjson refuses ``"\\ud800"`` (no Unicode character) and Python's json accepts it: it was
    reported as "a number is too large to be read", rule payload@limit."""
    exc = refusal(b'{"a": "\\ud800"}', xml=False)
    assert exc.facet == "encoding"
    assert "代理项" in exc.text.zh and "number" not in exc.text.en
    assert (exc.line, exc.column) == (1, 8)


@pytest.mark.parametrize(("data", "zh"), [
    (b"<a>\n  <b></a>", "开始标签“b”（第 2 行）与结束标签“a”不匹配（第 2 行第 10 列）"),
    (b"<a><b>", "数据提前结束：第 1 行开始的标签“b”没有结束"),
    (b'<a x="1" x="2"/>', "属性“x”出现了两次（第 1 行第 15 列）"),
    (b"<a/>junk", "根元素结束后还有多余的内容"),
    (b"<a>&foo;</a>", "引用了未声明的实体“&foo;”"),
    (b"<x:a/>", "元素“a”使用的命名空间前缀“x”未声明"),
])
def test_xml_messages_carry_their_arguments(data: bytes, zh: str) -> None:
    assert zh in refusal(data, xml=True).text.zh


def test_a_bare_ampersand_is_a_syntax_error_not_a_dtd() -> None:
    """libxml2 names a bare ``&`` an entity reference without a name: it was payload@dtd
    ("contains a forbidden DTD/entity declaration") for a payload that declares nothing."""
    for data in (b"<a>a & b</a>", b"<a>&b c</a>"):
        exc = refusal(data, xml=True)
        assert exc.facet == "parse"
        assert "&amp;" in exc.text.zh


def test_libxml2_errors_are_keyed_by_type_name() -> None:
    # A known type whose message has another wording (another libxml2 release): its sentence.
    text = parser_texts.libxml2("ERR_TAG_NAME_MISMATCH", "tags differ: b and a, line 1, column 9")
    assert text == Text("开始标签与结束标签不匹配", "tags differ: b and a")
    # The same wording under an unknown type: the original words, marked.
    text = parser_texts.libxml2("ERR_SOMETHING_NEW", "Something new happened, line 1, column 2")
    assert text == Text("解析器报告了无法识别的错误（原文：Something new happened）",
                        "Something new happened")


def test_json_messages_of_other_python_versions() -> None:
    # The pure-Python decoder and Python 3.13 word some messages differently.
    assert parser_texts.json_syntax("Invalid control character '\\x01' at").zh == (
        "字符串中含有未转义的控制字符")
    assert parser_texts.json_syntax("Invalid \\escape: 'q'").zh == "字符串中含有无效的转义序列"
    assert parser_texts.json_syntax("Illegal trailing comma before end of object").zh == (
        "对象末尾不允许多余的逗号")
    unknown = parser_texts.json_syntax("Something else")
    assert unknown.zh == "解析器报告了无法识别的错误（原文：Something else）"


def test_orjson_refusals() -> None:
    assert parser_texts.orjson_refusal("invalid low surrogate in string").zh.startswith("字符串中")
    assert "原文：odd" in parser_texts.orjson_refusal("odd").zh


def test_parse_text_puts_the_chinese_detail_in_the_chinese_message() -> None:
    exc = refusal(b'{"a": 1,}', xml=False)
    text = parse_text(exc.facet, exc.text)
    assert text.zh.startswith("载荷无法解析：此处应为用双引号括起的键名")
    assert text.en.startswith("payload cannot be parsed: Expecting property name")
    # A bare string is a parser's own English: kept, marked as the original.
    assert parse_text("limit", "too big") == Text(
        "载荷超出安全限制：解析器报告了无法识别的错误（原文：too big）",
        "payload exceeds a safety limit: too big")


def test_position_forms() -> None:
    assert parser_texts.position(3, 7) == Text("第 3 行第 7 列", "line 3, column 7")
    assert parser_texts.position(3, None) == Text("第 3 行", "line 3")
    assert parser_texts.position(None, None) is None
    assert parser_texts.at(Text("甲", "a"), None, None) == Text("甲", "a")
