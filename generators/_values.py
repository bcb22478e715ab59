"""Hypothesis strategies for the value of one scalar data element (its JSON encoding).

Every value is schema-valid (pattern AND length facets, code lists, decimal digits and scale,
integer bounds) and datatype-valid: unified social credit codes and resident ID numbers carry
real check characters (GB 32100-2015, GB 11643-1999, computed with python-stdnum), region codes
are GB/T 2260 codes in use (python-stdnum's ``stdnum/cn/loc.dat`` through
:func:`hegui.validator.datatypes.is_current_region`), dates exist, and text contains only
characters XML 1.0 can carry, so the same value survives both encodings.

Shrinking: every strategy here shrinks towards a small, readable value — the first code of a
code list, ``0.00``, the lowest integer allowed, ``2010-01-01 00:00:00``, the first region code
of the table (110101), short strings of ASCII letters and digits.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from importlib import resources
from typing import Any

from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from hegui.generators.schema_parts import TYPE_PATTERNS, decimal_pattern, portable_pattern
from hegui.validator.catalogue import runtime_for
from hegui.validator.datatypes import is_current_region
from hegui.validator.spec import Element, Spec

#: Characters XML 1.0 can carry as element text (no controls, surrogates, private use or
#: unassigned code points); JSON carries them all.
XML_TEXT = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn"))

#: Generated dates and times stay in this century: room for "plus N days" in cross-field rules.
#: The earliest generated time: 13-digit epoch milliseconds (platform envelopes) from here on.
FIRST_DAY = dt.datetime(2010, 1, 1)
LAST_DAY = dt.datetime(2099, 12, 31, 23, 59, 59)
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DATE_FORMAT = "%Y-%m-%d"

#: Integers without a bound in the dictionary are drawn inside this span (CEL ints are 64-bit).
INTEGER_SPAN = 10**6

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


# Module-level caches here hold constants that no spec changes: python-stdnum's region table
# and compiled regular expressions (pure functions of their text).

@functools.cache
def _regions_since() -> dict[str, int]:
    """Codes in use (GB/T 2260, python-stdnum's table) -> the year they were created (0 when
    the table gives none)."""
    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    since: dict[str, int] = {}
    prefix = ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            prefix = line.split()[0]
            continue
        code = prefix + line.split()[0]
        if len(code) == 6 and is_current_region(code):
            m = re.search(r'county="\[(\d*)-', line)
            since[code] = int(m.group(1)) if m and m.group(1) else 0
    return dict(sorted(since.items()))


def region_codes() -> tuple[str, ...]:
    """GB/T 2260 county-level codes still in use, in code order (python-stdnum's table)."""
    return tuple(_regions_since())


def format_decimal(minor: int, scale: int) -> str:
    """``minor`` units at ``scale`` as a plain decimal string with ``scale`` decimals."""
    if scale == 0:
        return str(minor)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**scale)
    return f"{sign}{whole}.{frac:0{scale}d}"


def parse_decimal(text: str, scale: int) -> int:
    """Minor units of a decimal string at ``scale`` (the inverse of :func:`format_decimal`)."""
    return int(Decimal(text).scaleb(scale))


def format_datetime(value: dt.datetime, datatype: str) -> str:
    """A date or datetime in the lexical form of ``datatype``."""
    return value.strftime(DATE_FORMAT if datatype == "date" else DATETIME_FORMAT)


def parse_datetime(text: str, datatype: str) -> dt.datetime:
    """The inverse of :func:`format_datetime`."""
    return dt.datetime.strptime(text, DATE_FORMAT if datatype == "date" else DATETIME_FORMAT)


def org_code(body: str) -> str:
    """GB 11714-1997 organisation code: 8 characters plus their check character."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, weights, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def make_uscc(authority: str, kind: str, region: str, org_body: str) -> str:
    """A unified social credit code with real check characters (GB 32100-2015)."""
    body = authority + kind + region + org_code(org_body)
    return body + uscc.calc_check_digit(body)


def make_idcard(region: str, birth: dt.date, sequence: int) -> str:
    """A resident ID number with a real check digit (GB 11643-1999)."""
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum drops the last character


def usccs() -> st.SearchStrategy[str]:
    """USCCs: registration authority 9/5/1, a type digit, a region code in use, an organisation
    code with its GB 11714 check character, and the GB 32100 check character."""
    return st.builds(
        make_uscc, st.sampled_from("915"), st.sampled_from("1230"),
        st.sampled_from(region_codes()),
        st.text(alphabet=_ORG_ALPHABET, min_size=8, max_size=8))


def idcards() -> st.SearchStrategy[str]:
    """Resident ID numbers: a region in use, a real birth date (1940-2007) when that region
    already existed (as python-stdnum checks), a sequence number, the check digit."""
    since = _regions_since()
    codes = [c for c, year in since.items() if year <= 2007]

    def born_there(region: str) -> st.SearchStrategy[str]:
        first = dt.date(max(1940, since[region]), 1, 1)
        return st.builds(make_idcard, st.just(region), st.dates(first, dt.date(2007, 12, 31)),
                         st.integers(0, 999))
    return st.sampled_from(codes).flatmap(born_there)


def _decimal_text(scale: int, low: int, high: int) -> st.SearchStrategy[str]:
    """Decimal strings ``N..digits,scale``: drawn as minor units, written with all ``scale``
    decimals, or trimmed (``1.5``, ``2``) when ``trim`` is drawn — both lexical forms are valid."""
    def write(minor: int, trim: bool) -> str:
        text = format_decimal(minor, scale)
        if trim and "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    return st.builds(write, st.integers(low, high), st.booleans())


def _bound(element: Element, key: str, scale: int) -> int | None:
    value = element.facet(key)
    return None if value is None else parse_decimal(str(value), scale)


def _money(element: Element) -> st.SearchStrategy[str]:
    digits, scale = int(element.facet("digits", 18)), int(element.facet("scale", 2))
    high = 10**digits - 1 if digits > scale else 10**scale - 1
    # Plausible by default: a positive amount (zero stays for the fuzz and mutation strategies).
    low = max(1, _bound(element, "minimum", scale) or 0)
    upper = _bound(element, "maximum", scale)
    return _decimal_text(scale, low, high if upper is None else min(high, upper))


def _integer(element: Element) -> st.SearchStrategy[int]:
    low, high = element.facet("minimum"), element.facet("maximum")
    low = None if low is None else int(low)
    high = None if high is None else int(high)
    if low is None and high is None:
        low, high = -INTEGER_SPAN, INTEGER_SPAN
    elif low is None:
        low = int(high) - INTEGER_SPAN  # type: ignore[arg-type]
    elif high is None:
        high = low + INTEGER_SPAN
    return st.integers(low, high)


def _datetimes(datatype: str) -> st.SearchStrategy[str]:
    if datatype == "date":
        return st.dates(FIRST_DAY.date(), LAST_DAY.date()).map(lambda d: d.strftime(DATE_FORMAT))
    return st.datetimes(FIRST_DAY, LAST_DAY).map(
        lambda t: t.replace(microsecond=0).strftime(DATETIME_FORMAT))


def length_range(element: Element) -> tuple[int, int | None]:
    """(minimum, maximum) length allowed by ``length``/``minLength``/``maxLength``."""
    if element.facet("length") is not None:
        n = int(element.facet("length"))
        return n, n
    high = element.facet("maxLength")
    return int(element.facet("minLength", 0)), None if high is None else int(high)


def patterns(element: Element) -> tuple[str, ...]:
    """The XSD-syntax patterns a value of ``element`` must fully match (own, then builtin)."""
    out = []
    if element.facet("pattern") is not None:
        out.append(portable_pattern(str(element.facet("pattern")), element.id))
    if element.datatype in ("money", "rate"):
        out.append(decimal_pattern(int(element.facet("digits", 18)),
                                   int(element.facet("scale", 2))))
    if element.datatype in TYPE_PATTERNS:
        out.append(TYPE_PATTERNS[element.datatype])
    return tuple(out)


@functools.cache
def compiled(pattern: str) -> re.Pattern[str]:
    """A portable (XSD-syntax) pattern compiled for a full match in Python."""
    return re.compile(pattern)


def matches_all(value: str, element: Element) -> bool:
    """Whether ``value`` fully matches every pattern and fits the length facets."""
    low, high = length_range(element)
    if len(value) < low or (high is not None and len(value) > high):
        return False
    return all(compiled(p).fullmatch(value) for p in patterns(element))


#: Plain text without a pattern draws mostly from this readable alphabet (shrinks to "0").
_READABLE = st.sampled_from("0123456789ABCDEFGHJKabcdefxyz-_ 示例公司项目投标保函银行东莞市路号")


def _text(element: Element, non_empty: bool) -> st.SearchStrategy[str]:
    low, high = length_range(element)
    low = max(low, 1) if non_empty else low
    pats = patterns(element)
    cap = 1000 if high is None else min(high, 1000)
    if not pats:
        alphabet = st.one_of(_READABLE, XML_TEXT)
        text = st.text(alphabet=alphabet, min_size=low, max_size=max(cap, low))
        return text.filter(lambda s: bool(s.strip())) if non_empty else text
    base = st.from_regex(compiled(_with_lengths(pats[0], low, high)), fullmatch=True,
                         alphabet=XML_TEXT)
    if non_empty:
        return base.filter(lambda s: bool(s.strip()) and matches_all(s, element))
    return base.filter(lambda s: matches_all(s, element))


_ONE_REPEATED = re.compile(r"(\[(?:\\.|[^\]\\])+\]|\\.|[^\\()|?*+{}\[\]])([*+])")


def _with_lengths(pattern: str, low: int, high: int | None) -> str:
    """``[A-Z]+`` with maxLength 64 becomes ``[A-Z]{1,64}``: the length facets go into the
    regex instead of a filter that long minimums would rarely pass."""
    m = _ONE_REPEATED.fullmatch(pattern)
    if m is None:
        return pattern
    least = max(low, 1 if m.group(2) == "+" else 0)
    most = least + 64 if high is None else high
    return f"{m.group(1)}{{{least},{most}}}" if least <= most else pattern


_SPECIAL: dict[str, Callable[[], st.SearchStrategy[str]]] = {
    "uscc": usccs,
    "idcard": idcards,
    "region": lambda: st.sampled_from(region_codes()),
}


def value_strategy(spec: Spec, element: Element, non_empty: bool = False
                   ) -> st.SearchStrategy[Any]:
    """Conformant JSON values of scalar ``element`` (not a group or list); ``non_empty``
    keeps strings at least one character long (what ``require`` rules count as present)."""
    kind = element.datatype
    if kind == "code":
        codes = spec.codelists[element.facet("codelist")].values()
        return st.sampled_from([c for c in codes if matches_all(c, element)])
    if kind in ("money", "rate"):
        return _money(element)
    if kind == "integer":
        return _integer(element)
    if kind == "boolean":
        return st.booleans()
    if kind in ("date", "datetime"):
        return _datetimes(kind)
    if kind in _SPECIAL:
        return _SPECIAL[kind]().filter(lambda s: matches_all(s, element))
    if kind in ("group", "list"):
        raise TypeError(f"{element.id}: {kind} is not a scalar element")
    return _text(element, non_empty)


def cached_value_strategy(spec: Spec, element: Element, non_empty: bool = False
                          ) -> st.SearchStrategy[Any]:
    """:func:`value_strategy`, built once per spec runtime and element (inline list items
    share their list's id: the facets tell them apart)."""
    key = ("hegui.generators.value", element.id, repr(sorted(element.facets.items())),
           non_empty)
    return runtime_for(spec).memo(key, lambda: value_strategy(spec, element, non_empty))
