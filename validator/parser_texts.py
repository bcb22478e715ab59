"""Chinese for what the third-party parsers say: libxml2 (via lxml), Python's ``json``, orjson.

The tables hold the messages these parsers actually produce for broken payloads (collected by
feeding them truncated, mis-quoted, badly encoded, deep, duplicate, DTD, entity, unclosed-tag,
mismatched-tag, bad-attribute and junk-after-root payloads; tests/validator/test_parse_texts.py
feeds them again and fails on any message the tables do not know). libxml2 errors are keyed by
their error *type name* (``ERR_TAG_NAME_MISMATCH``), which is stable across libxml2 releases;
the message text only supplies arguments (tag names, line numbers) where a pattern matches it.
A message no table knows becomes a generic Chinese sentence with the parser's own words kept
in parentheses, marked as its original text (原文), so nothing is lost.

Every function returns the *detail* of a parse finding (:func:`finding_texts.parse_text` adds
"载荷无法解析：" / "payload cannot be parsed: "), the English being the parser's own words.
"""

from __future__ import annotations

import re

from hegui.validator.spec import Text

__all__ = ["at", "json_syntax", "libxml2", "original", "orjson_refusal", "position"]


def position(line: int | None, column: int | None) -> Text | None:
    """``第 N 行第 M 列`` / ``line N, column M`` (None when the line is unknown)."""
    if line is None:
        return None
    if column is None:
        return Text(f"第 {line} 行", f"line {line}")
    return Text(f"第 {line} 行第 {column} 列", f"line {line}, column {column}")


def at(detail: Text, line: int | None, column: int | None) -> Text:
    """``detail`` followed by its position in the source, when known."""
    where = position(line, column)
    if where is None:
        return detail
    return Text(f"{detail.zh}（{where.zh}）", f"{detail.en} ({where.en})")


def original(detail: str) -> Text:
    """A parser message no table knows: a generic sentence, the original words kept (原文)."""
    return Text(f"解析器报告了无法识别的错误（原文：{detail}）", detail)


# -- Python's json (its messages name the syntax error; positions come separately) ------------

_JSON_SYNTAX = {
    "Expecting value": "此处应为一个 JSON 值（对象、数组、字符串、数值、true、false 或 null）",
    "Expecting property name enclosed in double quotes":
        "此处应为用双引号括起的键名（JSON 不允许单引号、不带引号的键或末尾多余的逗号）",
    "Expecting ':' delimiter": "缺少冒号“:”",
    "Expecting ',' delimiter": "缺少逗号“,”",
    "Extra data": "JSON 值结束后还有多余的内容",
    "Unterminated string starting at": "字符串没有结束（缺少结束的双引号）",
    "Invalid control character at": "字符串中含有未转义的控制字符",
    "Invalid \\escape": "字符串中含有无效的转义序列",
    "Invalid \\uXXXX escape": "字符串中含有无效的 \\uXXXX 转义",
    # Python 3.13 and later name a trailing comma.
    "Illegal trailing comma before end of object": "对象末尾不允许多余的逗号",
    "Illegal trailing comma before end of array": "数组末尾不允许多余的逗号",
}

#: The pure-Python decoder spells some messages with the offending character (``{0!r}``).
_JSON_WITH_CHAR = re.compile(r"(Invalid control character|Invalid \\escape)(?::)? .*?(?: at)?$")


def json_syntax(msg: str) -> Text:
    """Chinese for a :class:`json.JSONDecodeError` ``msg`` (its bare message, no position)."""
    zh = _JSON_SYNTAX.get(msg)
    if zh is None:
        m = _JSON_WITH_CHAR.fullmatch(msg)
        key = None if m is None else ("Invalid control character at"
                                      if m.group(1).startswith("Invalid control")
                                      else "Invalid \\escape")
        zh = _JSON_SYNTAX.get(key) if key else None
    return Text(zh, msg) if zh is not None else original(msg)


# -- orjson (asked only when Python's json accepts what orjson refused) -----------------------

_ORJSON = {
    "number is infinity when parsed as double": "数值超出双精度浮点数的范围",
    "no low surrogate in string": "字符串中的 \\u 转义是不成对的 UTF-16 高代理项（缺少低代理项）",
    "invalid low surrogate in string": "字符串中的 \\u 转义是无效的 UTF-16 低代理项",
    "invalid high surrogate in string": "字符串中的 \\u 转义是不成对的 UTF-16 低代理项",
    "depth limit exceeded": "嵌套层数超出解析器的上限",
    "recursion limit reached": "嵌套层数超出解析器的上限",
}


def orjson_refusal(msg: str) -> Text:
    """Chinese for an :class:`orjson.JSONDecodeError` ``msg`` (its bare message)."""
    zh = _ORJSON.get(msg)
    return Text(zh, msg) if zh is not None else original(msg)


# -- libxml2 -----------------------------------------------------------------------------------

_Entry = tuple[str, tuple[tuple[str, str], ...]]

#: Type name -> (sentence without arguments, ((message pattern, sentence with its groups) ...)).
_LIBXML2: dict[str, _Entry] = {
    "ERR_TAG_NOT_FINISHED": ("数据提前结束，有标签没有结束", (
        (r"Premature end of data in tag (?P<t>\S+) line (?P<l>\d+)",
         "数据提前结束：第 {l} 行开始的标签“{t}”没有结束"),)),
    "ERR_GT_REQUIRED": ("标签没有以“>”结束", (
        (r"Couldn't find end of Start Tag (?P<t>\S+) line (?P<l>\d+)",
         "第 {l} 行的开始标签“{t}”没有以“>”结束"),
        (r"expected '>'", "此处应为“>”"))),
    "ERR_TAG_NAME_MISMATCH": ("开始标签与结束标签不匹配", (
        (r"Opening and ending tag mismatch: (?P<o>\S+) line (?P<l>\d+) and (?P<c>\S+)",
         "开始标签“{o}”（第 {l} 行）与结束标签“{c}”不匹配"),)),
    "ERR_LTSLASH_REQUIRED": ("此处应为结束标签“</”", ()),
    "ERR_LT_IN_ATTRIBUTE": ("属性值中不允许出现未转义的“<”（应写作 &lt;）", ()),
    "ERR_ATTRIBUTE_NOT_STARTED": ("属性值应以引号（\" 或 '）开始", ()),
    "ERR_ATTRIBUTE_NOT_FINISHED": ("属性值缺少结束的引号", ()),
    "ERR_ATTRIBUTE_WITHOUT_VALUE": ("属性缺少值", (
        (r"Specification mandates value for attribute (?P<a>\S+)", "属性“{a}”缺少值"),)),
    "ERR_ATTRIBUTE_REDEFINED": ("同一属性出现了两次", (
        (r"Attribute (?P<a>\S+) redefined", "属性“{a}”出现了两次"),)),
    "ERR_EQUAL_REQUIRED": ("属性名后应为“=”", ()),
    "ERR_SPACE_REQUIRED": ("此处需要空白", (
        (r"attributes construct error", "属性写法错误（属性之间应以空白分隔，值应加引号）"),)),
    "ERR_DOCUMENT_END": ("根元素结束后还有多余的内容（一个文档只能有一个根元素）", ()),
    "ERR_DOCUMENT_EMPTY": ("文档为空", (
        (r"Document is empty", "文档为空"),
        (r"Start tag expected, '<' not found", "应以开始标签开头，未找到“<”"))),
    "ERR_INVALID_ENCODING": ("含有不符合字符编码的字节（与 XML 声明或默认的 UTF-8 不符）", ()),
    "ERR_UNSUPPORTED_ENCODING": ("不支持所声明的字符编码", (
        (r"Unsupported encoding:? (?P<e>.+)", "不支持所声明的字符编码“{e}”"),)),
    "ERR_UNKNOWN_ENCODING": ("未知的字符编码", ()),
    "ERR_UNDECLARED_ENTITY": ("引用了未声明的实体", (
        (r"Entity '(?P<n>[^']*)' not defined", "引用了未声明的实体“&{n};”"),)),
    "WAR_UNDECLARED_ENTITY": ("引用了未声明的实体", (
        (r"Entity '(?P<n>[^']*)' not defined", "引用了未声明的实体“&{n};”"),)),
    "ERR_ENTITYREF_SEMICOL_MISSING": ("实体引用缺少结尾的“;”（文本中的 & 应写作 &amp;）", ()),
    "ERR_NAME_REQUIRED": ("此处应为一个名称", (
        (r"xmlParseEntityRef: no name", "“&”后缺少实体名（文本中的 & 应写作 &amp;）"),
        (r"StartTag: invalid element name", "开始标签中的元素名无效（文本中的 < 应写作 &lt;）"))),
    "ERR_INVALID_CHAR": ("含有 XML 不允许的字符", (
        (r"xmlParseCharRef: invalid xmlChar value (?P<n>\d+)",
         "字符引用的值 {n} 不是 XML 允许的字符"),
        (r"PCDATA invalid Char value (?P<n>\d+)", "文本中含有 XML 不允许的字符（码值 {n}）"),
        (r"Invalid character: Char 0x(?P<h>[0-9A-Fa-f]+) out of allowed range",
         "含有 XML 不允许的字符（码值 0x{h}）"),
        (r"Input is not proper UTF-8.*", "含有不是 UTF-8 的字节（请在 XML 声明中写明编码）"))),
    "ERR_INVALID_CHARREF": ("无效的字符引用", ()),
    "ERR_INVALID_HEX_CHARREF": ("无效的十六进制字符引用", ()),
    "ERR_INVALID_DEC_CHARREF": ("无效的十进制字符引用", ()),
    "ERR_RESERVED_XML_NAME": ("XML 声明只能出现在文档的最开头", ()),
    "ERR_STRING_NOT_STARTED": ("此处应为以引号开始的字符串", ()),
    "ERR_STRING_NOT_CLOSED": ("字符串缺少结束的引号（\" 或 '）", ()),
    "ERR_VERSION_MISSING": ("XML 声明缺少“version”", ()),
    "ERR_XMLDECL_NOT_STARTED": ("XML 声明没有正确开始", ()),
    "ERR_XMLDECL_NOT_FINISHED": ("XML 声明没有以“?>”结束", ()),
    "ERR_STANDALONE_VALUE": ("XML 声明中“standalone”的值只能是“yes”或“no”", ()),
    "ERR_PI_NOT_STARTED": ("处理指令没有正确开始", ()),
    "ERR_PI_NOT_FINISHED": ("处理指令没有结束", ()),
    "ERR_HYPHEN_IN_COMMENT": ("注释中不允许出现“--”", ()),
    "ERR_COMMENT_NOT_FINISHED": ("注释没有结束", ()),
    "ERR_CDATA_NOT_FINISHED": ("CDATA 段没有结束", ()),
    "ERR_MISPLACED_CDATA_END": ("文本中不允许出现“]]>”", ()),
    "ERR_RESOURCE_LIMIT": ("超出解析器的资源上限", (
        (r"Excessive depth in document: (?P<n>\d+).*", "元素嵌套超过解析器上限 {n} 层"),
        (r"Resource limit exceeded: Text node too long.*", "文本节点过长，超出解析器的上限"))),
    "ERR_DOCTYPE_NOT_FINISHED": ("DOCTYPE 声明没有结束", ()),
    "ERR_EXT_SUBSET_NOT_FINISHED": ("外部 DTD 子集没有结束", ()),
    "ERR_ENTITY_LOOP": ("实体引用形成循环", ()),
    "ERR_ENTITY_PE_INTERNAL": ("内部子集中不允许参数实体引用", ()),
    "IO_NETWORK_ATTEMPT": ("拒绝从网络读取外部资源", ()),
    "IO_LOAD_ERROR": ("无法读取外部资源", ()),
    "NS_ERR_UNDEFINED_NAMESPACE": ("命名空间前缀未声明", (
        (r"Namespace prefix (?P<p>\S+) for (?P<a>\S+) on (?P<e>\S+) is not defined",
         "元素“{e}”的属性“{a}”使用的命名空间前缀“{p}”未声明"),
        (r"Namespace prefix (?P<p>\S+) on (?P<e>\S+) is not defined",
         "元素“{e}”使用的命名空间前缀“{p}”未声明"))),
    "NS_ERR_XML_NAMESPACE": ("命名空间声明错误", (
        (r"xml namespace prefix mapped to wrong URI", "前缀 xml 绑定到了错误的命名空间 URI"),
        (r"xmlns:(?P<p>\S+): Empty XML namespace is not allowed",
         "前缀“{p}”不能绑定到空的命名空间"))),
    "NS_ERR_QNAME": ("无法解析带前缀的名称", (
        (r"Failed to parse QName '(?P<q>[^']*)'", "无法解析带前缀的名称“{q}”"),)),
    "NS_ERR_ATTRIBUTE_REDEFINED": ("同一属性（按命名空间）出现了两次", ()),
}

_COMPILED = {key: (plain, tuple((re.compile(p), zh) for p, zh in forms))
             for key, (plain, forms) in _LIBXML2.items()}

#: The position lxml appends to its message (``..., line 3, column 7``).
_LXML_POSITION = re.compile(r",? line \d+, column \d+$")


def bare_message(msg: str) -> str:
    """lxml's message without the position it appends, and without trailing white space."""
    return _LXML_POSITION.sub("", msg.strip()).strip()


def libxml2(type_name: str, msg: str) -> Text:
    """Chinese for a libxml2 error of type ``type_name`` (``ERR_…``) and message ``msg``."""
    bare = bare_message(msg)
    known = _COMPILED.get(type_name)
    if known is None:
        return original(bare)
    plain, forms = known
    for pattern, zh in forms:
        m = pattern.fullmatch(bare)
        if m is not None:
            return Text(zh.format(**m.groupdict()), bare)
    return Text(plain, bare)
