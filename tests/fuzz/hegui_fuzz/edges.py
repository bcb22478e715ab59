"""Edge values shared by the JSON and XML mutators: unicode edge cases, huge numbers."""

from __future__ import annotations

import random

#: Characters that trip decoders, normalisers, length counts and blank checks.
EDGE_CHARS = (
    "\x00", "\x01", "\x1b", "\x7f", "\x85", "\t", "\r", "\n", "\xa0", "\u3000", "\u2028",
    "\u2029", "\ufeff", "\u200b", "\u200d", "\u200e", "\u200f", "\u202e", "\u2066", "\u0301",
    "\u0336", "\ufffe", "\uffff", "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff", "\U0001f600",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U000e0041", "\U00020000", "\uff11",
    "\u0663", "\u00b9", "\u2460", "\u0130", "\u00df", "\ufb03", "\u212a", "\u00e9",
    "e\u0301", "\u1100\u1161", "\ufffd", "\u0000\u0000", "\ud7ff", "\ue000",
)

#: Whole string values worth trying anywhere.
EDGE_STRINGS = (
    "", " ", "  x  ", "\u3000", "\u200b", "\ufeff", "\u00a0", "\t\n", "null", "true", "0", "-0",
    "00", "1e5", "0x10", "+1", "1,000.00", "\u0661\u0662\u0663", "\uff11\uff12\uff13",
    "2025-02-30", "2024-02-29", "9999-12-31 23:59:59", "0000-00-00 00:00:00",
    "2025-03-10T10:15:00Z", "2025-03-10 24:00:00", "<x/>", "]]>", "&amp;", "&#0;", "'\"",
    "\\", "${x}", "%s%n", "{{7*7}}", "\u202eCBA", "e" + "\u0301" * 500, "\U0001f600" * 64,
    "\u00e9", "e\u0301", "\ufffe", "\U0010ffff", "\u2028", "CNY\u200b", "ＣＮＹ", "cny",
    "９１４４０１０１ＭＡ５９Ｕ９Ｋ１０Ｘ", "91440101MA59U9K10X\u0000",
)

#: JSON number texts beyond what a double or a 64-bit integer holds, and other oddities.
HUGE_NUMBER_TEXTS = (
    "9" * 5000, "-1" + "0" * 5000, "1" + "0" * 4301, "1e999", "-1e999", "1E+400", "1e-999",
    "0." + "0" * 5000 + "1", "-0", "-0.0", "0e0", "123456789012345678901234567890",
    str(2**63), str(2**64), str(-(2**63) - 1), "1.7976931348623157e309", "5e-325",
    "4.9406564584124654e-324", "1" * 400 + ".5",
)

#: JSON literals that are not JSON.
NAN_TEXTS = ("NaN", "-NaN", "Infinity", "-Infinity", "+Infinity", "nan", "inf", "undefined")

#: JSON strings with escaped lone (or paired) surrogates and NULs.
ESCAPED_STRINGS = ('"\\ud800"', '"\\udfff"', '"ab\\ud83dcd"', '"\\ude00x"', '"\\ud83d\\ude00"',
                   '"\\u0000"', '"x\\u0000"', '"\\ufeff"', '"\\u2028"', '"\\ud800\\ud800"')

#: Python numbers json.dumps writes out in full (huge ints) or as edge doubles.
PY_NUMBERS = (2**63, 2**64, -(2**63) - 1, 10**30, 10**300, 1e308, 5e-324, -0.0, 0.1 + 0.2,
              1.0, 1e16, 123456.005)


def xml_legal(ch: str) -> bool:
    """Whether ``ch`` may appear in XML 1.0 text."""
    c = ord(ch)
    return (c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0xD7FF or 0xE000 <= c <= 0xFFFD
            or 0x10000 <= c <= 0x10FFFF)


def edge_string(rng: random.Random, current: object = None) -> str:
    """An edge string: a listed one, or the current string with an edge character inside."""
    if isinstance(current, str) and current and rng.random() < 0.5:
        i = rng.randrange(len(current) + 1)
        return current[:i] + rng.choice(EDGE_CHARS) + current[i:]
    if rng.random() < 0.2:
        return "".join(rng.choice(EDGE_CHARS) for _ in range(rng.randint(1, 6)))
    return rng.choice(EDGE_STRINGS)


def long_string(rng: random.Random) -> str:
    """A long string of one character (ASCII, CJK or astral)."""
    return rng.choice("x长\U0001f600 ") * rng.choice([65, 257, 1001, 2001, 10**4, 10**5, 10**6])
