"""What the CEL runtime says when an expression cannot be evaluated, in both languages.

The runtime reports only English text; the messages that occur on real payloads are read by
a table, and any other is kept as the runtime's original words (原文), so nothing is lost.
"""

from __future__ import annotations

import re

from hegui.validator.spec import Text

#: (pattern of the runtime's English, Chinese with the pattern's groups, English as shown)
_KNOWN: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"Iteration budget exceeded"),
     "超出 CEL 运行时每次求值的迭代上限（列表过长或嵌套遍历）",
     "the CEL runtime's iteration budget per evaluation was exceeded (a long list or a nested "
     "loop over one)"),
    (re.compile(r"^(\S+) has (\d+) items, over the CEL runtime's iteration budget of (\d+)"),
     "{0} 有 {1} 项，超过 CEL 运行时每次求值 {2} 次迭代的上限",
     "{0} has {1} items, over the CEL runtime's iteration budget of {2}"),
    (re.compile(r'Key not found in map\s*:\s*"?([^"]*)"?'),
     "映射中没有键“{0}”", "no key '{0}' in the map"),
    (re.compile(r"[Nn]o (?:matching )?overloads? (?:found )?(?:for|matching)?\s*'?([^']*)'?"),
     "没有与参数类型匹配的函数“{0}”", "no overload of '{0}' matches the argument types"),
    (re.compile(r"division by zero|divide by zero", re.IGNORECASE), "除以零", "division by zero"),
    (re.compile(r"overflow", re.IGNORECASE), "整数溢出（超出 64 位）",
     "integer overflow (beyond 64 bits)"),
    (re.compile(r"expression gave (\w+), not bool"), "表达式结果为 {0}，不是布尔值",
     "the expression gave {0}, not bool"),
    (re.compile(r"expression gave (\w+), not list"), "表达式结果为 {0}，不是列表",
     "the expression gave {0}, not list"),
)


def cel_error_text(message: str) -> Text:
    """The runtime's ``message`` as a text a person can read in either language."""
    for pattern, zh, en in _KNOWN:
        m = pattern.search(message)
        if m is not None:
            groups = [g or "" for g in m.groups()]
            return Text(zh.format(*groups), en.format(*groups))
    return Text(f"CEL 运行时报告了无法识别的错误（原文：{message}）", message)
