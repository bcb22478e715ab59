"""What a data element expects, in words a vendor can act on (zh and en).

Structural findings append this to their message: the lexical form of a date or an amount,
the allowed codes, the length, the bounds, the JSON type. Forms are written in the notation
of the spec format (docs/spec-format.md): ``yyyy-MM-dd HH:mm:ss``, ``N..18,2``.
"""

from __future__ import annotations

from collections.abc import Mapping

from hegui.validator.spec import CodeList, Element, Text

#: Fixed lexical forms of datatypes, as a person writes them.
FORMS = {
    "date": "yyyy-MM-dd",
    "datetime": "yyyy-MM-dd HH:mm:ss",
    "uscc": ("18 位统一社会信用代码（GB 32100）", "an 18-character unified social credit code "
             "(GB 32100)"),
    "idcard": ("18 位公民身份号码（GB 11643，末位数字或 X）",
               "an 18-character citizen ID number (GB 11643, last character a digit or X)"),
    "region": ("6 位行政区划代码（GB/T 2260）",
               "a 6-digit administrative division code (GB/T 2260)"),
    "sha256": ("64 位十六进制 SHA-256 值", "a 64-digit hexadecimal SHA-256"),
    "md5": ("32 位十六进制 MD5 值", "a 32-digit hexadecimal MD5"),
    "url": ("http:// 或 https:// 开头的网址", "a URL starting with http:// or https://"),
    "base64": ("Base64 编码文本", "Base64 text"),
    "boolean": ("true 或 false", "true or false"),
    "integer": ("整数", "an integer"),
}

#: At most this many codes are listed in a message; longer lists are named by their id.
MAX_CODES_SHOWN = 12


def expected(element: Element | None, facet: str, codelists: Mapping[str, CodeList]
             ) -> Text | None:
    """What ``element`` expects for the ``facet`` that failed, or None when nothing helps."""
    if element is None:
        return None
    e = element
    if facet == "enum" and e.datatype == "code":
        codes = codelists.get(str(e.facet("codelist")))
        if codes is None:
            return None
        shown = [c.code for c in codes.codes]
        if len(shown) > MAX_CODES_SHOWN:
            return Text(f"应为代码表 {codes.id}（{codes.name.zh}）中的代码，共 {len(shown)} 个",
                        f"expected a code of code list {codes.id} ({codes.name.en}), "
                        f"{len(shown)} codes")
        listed = ", ".join(shown)
        return Text(f"应为 {listed} 之一（代码表 {codes.id}）",
                    f"expected one of {listed} (code list {codes.id})")
    if facet in ("maxLength", "minLength", "length"):
        return _length(e)
    if facet in ("minimum", "maximum"):
        low, high = e.facet("minimum"), e.facet("maximum")
        if low is not None and high is not None:
            return Text(f"应在 {low} 到 {high} 之间", f"expected {low} to {high}")
        if low is not None:
            return Text(f"应不小于 {low}", f"expected at least {low}")
        if high is not None:
            return Text(f"应不大于 {high}", f"expected at most {high}")
        return None
    if facet in ("minItems", "maxItems"):
        low, high = e.facet("minItems", 0), e.facet("maxItems")
        if high is None:
            return Text(f"应至少 {low} 项", f"expected at least {low} items")
        return Text(f"应有 {low} 到 {high} 项", f"expected {low} to {high} items")
    if facet in ("pattern", "type"):
        return _form(e)
    return None


def _length(e: Element) -> Text | None:
    exact, low, high = e.facet("length"), e.facet("minLength"), e.facet("maxLength")
    if exact is not None:
        return Text(f"长度应为 {exact} 个字符", f"expected exactly {exact} characters")
    if low is not None and high is not None:
        return Text(f"长度应为 {low} 到 {high} 个字符", f"expected {low} to {high} characters")
    if high is not None:
        return Text(f"长度应不超过 {high} 个字符", f"expected at most {high} characters")
    if low is not None:
        return Text(f"长度应至少 {low} 个字符", f"expected at least {low} characters")
    return None


def _form(e: Element) -> Text | None:
    if e.datatype in ("money", "rate"):
        digits, scale = int(e.facet("digits", 18)), int(e.facet("scale", 2))
        return Text(f"应为不带符号的十进制数，最多 {digits - scale} 位整数、{scale} 位小数"
                    f"（N..{digits},{scale}）",
                    f"expected an unsigned decimal number with at most {digits - scale} integer "
                    f"and {scale} decimal digits (N..{digits},{scale})")
    if "pattern" in e.facets:
        pattern = str(e.facet("pattern"))
        return Text(f"应符合格式 {pattern}", f"expected to match {pattern}")
    form = FORMS.get(e.datatype)
    if form is None:
        return None
    zh, en = (form, form) if isinstance(form, str) else form
    return Text(f"应为 {zh}", f"expected {en}")


def lexical_form(e: Element, codelists: Mapping[str, CodeList]) -> Text:
    """How a value of ``e`` is written: its form, code list and length, as one short text."""
    parts: list[Text] = []
    if e.datatype == "code":
        found = expected(e, "enum", codelists)
        if found is not None:
            parts.append(found)
    else:
        form = _form(e)
        if form is not None:
            parts.append(form)
    length = _length(e)
    if length is not None:
        parts.append(length)
    bounds = expected(e, "minimum", codelists) if e.datatype == "integer" else None
    if bounds is not None:
        parts.append(bounds)
    if not parts:
        return Text("文本", "text")
    return Text("；".join(p.zh for p in parts), "; ".join(p.en for p in parts))
