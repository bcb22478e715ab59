"""Bilingual texts of the findings the pipeline itself writes (parse, schema, datatype)."""

from __future__ import annotations

from hegui.validator.offsets import Mismatch
from hegui.validator.parser_texts import original
from hegui.validator.spec import Element, Text

_PARSE_TEXT = {
    "parse": ("无法解析", "cannot be parsed"),
    "encoding": ("字符编码错误", "bad character encoding"),
    "nan": ("含有非 JSON 数值", "contains a non-JSON number"),
    "limit": ("超出安全限制", "exceeds a safety limit"),
    "dtd": ("含有不允许的 DTD/实体声明", "contains a forbidden DTD/entity declaration"),
}

#: Basis of each datatype facet's check.
DATATYPE_BASIS = {
    "check-digit": "GB 32100-2015 (USCC) / GB 11643-1999 (citizen ID number)",
    "birth-date": "GB 11643-1999",
    "region": "GB/T 2260",
    "date": "GB/T 7408",
    "uppercase": "hegui: RMB uppercase must equal the figure (inferred)",
}

_FACET_TEXT = {
    "required": ("缺少必填数据元", "required element is missing"),
    "blank": ("必填数据元为空", "required element is empty or blank"),
    "unexpected": ("不允许出现的数据元", "element is not allowed here"),
    "character": ("含有 XML 1.0 不允许的字符（如 U+0000），此记录无法写成 XML",
                  "holds a character XML 1.0 forbids (such as U+0000): the record has no XML "
                  "encoding"),
    "attribute": ("带有不允许的属性（数据只写在元素中）",
                  "carries an attribute, which is not allowed (data is carried in elements only)"),
    "type": ("数据类型错误", "wrong type"),
    "pattern": ("格式不符合规定", "does not match the required format"),
    "maxLength": ("长度超过上限", "is too long"),
    "minLength": ("长度不足", "is too short"),
    "length": ("长度不符合规定", "has the wrong length"),
    "enum": ("不在代码表中", "is not in the code list"),
    "minimum": ("小于下限", "is below the minimum"),
    "maximum": ("大于上限", "is above the maximum"),
    "minItems": ("条目过少", "has too few items"),
    "maxItems": ("条目过多", "has too many items"),
    "root": ("根元素不是本规范的报文", "root element is not a message of this spec"),
}


def parse_text(facet: str, detail: Text | str) -> Text:
    """Why a payload could not be parsed (``facet`` as the parsers name it).

    ``detail`` is the parser error's ``text`` (:class:`~hegui.validator.safe_json.JsonParseError`,
    :class:`~hegui.validator.safe_xml.XmlParseError`); a bare string is a parser's own English,
    kept as its original text (原文) in the Chinese message.
    """
    zh, en = _PARSE_TEXT.get(facet, _PARSE_TEXT["parse"])
    said = detail if isinstance(detail, Text) else original(detail)
    return Text(f"载荷{zh}：{said.zh}", f"payload {en}: {said.en}")


def structural_text(path: str, facet: str, value: str | None, element: Element | None,
                    expected: Text | None = None, mismatch: Mismatch | None = None) -> Text:
    """The message of a schema finding on ``path`` (the element's names where known), with
    where the value stops matching (see :mod:`hegui.validator.offsets`) and what the element
    expects (see :mod:`hegui.validator.expectations`)."""
    zh_f, en_f = _FACET_TEXT.get(facet, (facet, facet))
    shown = f"：“{value}”" if value is not None else ""
    shown_en = f": '{value}'" if value is not None else ""
    where = mismatch_text(mismatch) if mismatch is not None else None
    if where is not None:
        shown, shown_en = f"{shown}，{where.zh}", f"{shown_en}, {where.en}"
    want_zh = f"；{expected.zh}" if expected is not None else ""
    want_en = f"; {expected.en}" if expected is not None else ""
    if element is None:
        return Text(f"{path} {zh_f}{shown}{want_zh}", f"{path} {en_f}{shown_en}{want_en}")
    return Text(f"{element.label.zh}（{path}）{zh_f}{shown}{want_zh}",
                f"{element.label.en} ({path}) {en_f}{shown_en}{want_en}")


def mismatch_text(m: Mismatch) -> Text:
    """Where a value stops matching its form, by 1-based character number: ``第 N 个字符“x”``
    (unprintable characters escaped), or where it ends too early."""
    if m.char is None:
        return Text(f"在第 {m.position} 个字符后提前结束", f"ends too early after character "
                    f"{m.position}")
    c = shown_char(m.char)
    return Text(f"自第 {m.position} 个字符“{c}”起不符合", f"stops matching at character "
                f"{m.position} ('{c}')")


def shown_char(c: str) -> str:
    """``c`` as a reader can see it: printable characters as they are, others escaped
    (``\\t``, ``\\x00``, ``\\u200b``), a space as ``U+0020``."""
    if c == " ":
        return "U+0020"
    if c.isprintable():
        return c
    return c.encode("unicode_escape").decode("ascii")
