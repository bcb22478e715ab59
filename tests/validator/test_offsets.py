"""Offsets of the first bad character of a value that fails its pattern (validator/offsets.py):
exact against a brute-force oracle, bounded in time on 20 MB, and in the finding's message in
both languages (the result's keys unchanged)."""

from __future__ import annotations

import itertools
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hegui.generators.schema_parts import TYPE_PATTERNS
from hegui.validator.codec import json_to_xml
from hegui.validator.engine import Validator
from hegui.validator.finding_texts import mismatch_text, shown_char
from hegui.validator.offsets import Mismatch, first_mismatch, lexical_patterns, value_mismatch
from hegui.validator.spec import Spec, Text

B64 = TYPE_PATTERNS["base64"]
TIME_SLOT = "([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]"


@pytest.mark.parametrize(("value", "pattern", "offset", "char"), [
    ("AAAA*AAA", B64, 4, "*"),
    ("AAAA=AAA", B64, 4, "="),  # "=" only pads the end
    ("AAA", B64, 3, None),  # a match cut short
    ("2024-1-05", TYPE_PATTERNS["date"], 6, "-"),
    ("12:00-24:00", TIME_SLOT, 7, "4"),  # 2 may start an hour, 24 is none
    ("23:59-2x:00", TIME_SLOT, 7, "x"),
    ("1234567890123456789", TYPE_PATTERNS["idcard"], 18, "9"),  # one character too many
    ("12.345", "[0-9]{1,16}(\\.[0-9]{1,2})?", 5, "5"),
    ("ftp://x", TYPE_PATTERNS["url"], 0, "f"),
    ("1381234567a", "1[3-9][0-9]{9}", 10, "a"),
    ("acx", "ab|acd", 2, "x"),  # the first branch fails at once, the second goes further
    ("aaa", "(a|aa)b|aaac", 3, None),
])
def test_first_bad_character(value: str, pattern: str, offset: int, char: str | None) -> None:
    assert first_mismatch(value, [pattern]) == Mismatch(offset, char)


def test_values_that_match_have_no_offset() -> None:
    assert first_mismatch("AA==", [B64]) is None
    assert first_mismatch("13812345678", ["1[3-9][0-9]{9}"]) is None
    assert first_mismatch("23:59-00:00", [TIME_SLOT]) is None


def test_the_earliest_of_several_patterns() -> None:
    # A money value: the decimal form and the element's own pattern must both hold.
    patterns = ["[0-9]{1,16}(\\.[0-9]{1,2})?", "[0-9]{1,2}(\\.[0-9]*)?"]
    assert first_mismatch("123.456", patterns) == Mismatch(2, "3")
    assert first_mismatch("12.345", patterns) == Mismatch(5, "5")


@pytest.mark.parametrize("pattern", ["(a+)+b", "(a|ab)*c", "(?:a)b", "[a-z-[aeiou]]", "(a)\\1",
                                     "^a", "a*?"])
def test_patterns_that_could_backtrack_badly_or_are_not_portable_give_no_offset(
        pattern: str) -> None:
    value = "a" * 40 + "!"
    assert first_mismatch(value, ["a+"]) == Mismatch(40, "!")  # what an analysed one gives
    assert first_mismatch(value, [pattern]) is None


# -- exact: against the longest prefix that some completion turns into a match ----------------

#: Patterns (and an alphabet that spans them) whose every extendable prefix has a completion
#: of at most 3 characters, so that trying every completion up to 3 decides it.
ORACLE_PATTERNS = ["(ab|acd)e", "[0-9]{1,3}(\\.[0-9]{1,2})?", "(a|b)c|bd", "(ab)*(c(==|a=))?",
                   "1[3-9][0-9]", "a[^b]c*d", "(1[0-2]|0[1-9])(a|bc)"]
ALPHABET = "abcde=.0139-"


def extendable(prefix: str, pattern: re.Pattern[str]) -> bool:
    return any(pattern.fullmatch(prefix + "".join(tail))
               for n in range(4) for tail in itertools.product(ALPHABET, repeat=n))


def oracle(value: str, pattern: str) -> Mismatch | None:
    compiled = re.compile(pattern)
    if compiled.fullmatch(value):
        return None
    k = max(i for i in range(len(value) + 1) if extendable(value[:i], compiled))
    return Mismatch(k, value[k] if k < len(value) else None)


@given(st.sampled_from(ORACLE_PATTERNS), st.text(ALPHABET, max_size=6))
def test_offsets_agree_with_brute_force(pattern: str, value: str) -> None:
    assert first_mismatch(value, [pattern]) == oracle(value, pattern)


@pytest.mark.parametrize("value", ["", "a", "ab", "abx", "acd", "acde", "ace", "abe", "b"])
def test_offsets_agree_with_brute_force_on_fixed_values(value: str) -> None:
    for pattern in ORACLE_PATTERNS:
        assert first_mismatch(value, [pattern]) == oracle(value, pattern), pattern


# -- cost ----------------------------------------------------------------------------------------

def base64_with(length: int, at: int, bad: str) -> str:
    return "A" * at + bad + "A" * (length - at - 1)


def test_the_issue_example_is_found_fast() -> None:
    """Issue 19: a 2 MB Base64 field with one bad character, and no hint where it is."""
    value = base64_with(2_000_000, 1_048_576, "*")
    start = time.perf_counter()
    assert first_mismatch(value, [B64]) == Mismatch(1_048_576, "*")
    assert time.perf_counter() - start < 1  # about 0.02 s


@pytest.mark.slow
@pytest.mark.parametrize(("at", "bad"), [(19_999_995, "*"), (10_000_000, "="),
                                         (19_999_999, "A")])
def test_a_20_mb_value_takes_well_under_seconds(at: int, bad: str) -> None:
    """The worst places in a 20 MB value (the payload limit): a bad character at the end, one
    that belongs to the alphabet, a value one character short of a quad. About 0.3-0.6 s on
    the development machine; the bound leaves room for a loaded CI machine."""
    value = base64_with(20_000_000, at, bad)[:-1] if bad == "A" else base64_with(
        20_000_000, at, bad)
    start = time.perf_counter()
    found = first_mismatch(value, [B64])
    assert time.perf_counter() - start < 2.5
    assert found == (Mismatch(at, bad) if bad != "A" else Mismatch(len(value), None))


# -- elements and texts --------------------------------------------------------------------------

def test_value_mismatch_reads_the_elements_forms(egspec: Spec) -> None:
    content = egspec.groups["document"].element("content")
    assert content is not None and lexical_patterns(content) == (B64,)
    assert value_mismatch(content, "pattern", "AA*A") == Mismatch(2, "*")
    assert value_mismatch(content, "maxLength", "AA*A") is None  # only pattern findings
    assert value_mismatch(None, "pattern", "AA*A") is None
    assert value_mismatch(content, "pattern", None) is None


def test_mismatch_texts() -> None:
    assert mismatch_text(Mismatch(1_048_576, "*")) == Text(
        "自第 1048577 个字符“*”起不符合", "stops matching at character 1048577 ('*')")
    assert mismatch_text(Mismatch(3, None)) == Text(
        "在第 3 个字符后提前结束", "ends too early after character 3")
    assert [shown_char(c) for c in ("x", " ", "\t", "\x00", "\u200b", "\ud800")] == [
        "x", "U+0020", "\\t", "\\x00", "\\u200b", "\\ud800"]


def test_the_finding_names_the_bad_character_in_both_encodings(egspec: Spec) -> None:
    doc = json.loads((Path(egspec.folder) / "examples" / "valid" / "guaranteeRecord.json")
                     .read_bytes())
    doc["document"]["content"] = base64_with(2_000_000, 1_048_576, "*")
    validator = Validator(egspec)
    for payload in (json.dumps(doc).encode(), json_to_xml(doc, egspec)):
        r = validator.validate(payload)
        [f] = [f for f in r.findings if f.rule_id == "document.content@pattern"]
        assert "自第 1048577 个字符“*”起不符合" in f.message.zh
        assert "stops matching at character 1048577 ('*')" in f.message.en
        assert f.value is not None and len(f.value) < 300  # still shortened
        assert set(f.to_dict("zh")["location"]) <= {"pointer", "xpath", "line", "column"}
