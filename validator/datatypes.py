"""Typed values and the datatype checks that schemas cannot express.

Each check names its basis (cf. h11's habit of quoting the clause beside the regex):
- unified social credit code: GB 32100-2015 check character (own mod-31 sum, tested against
  ``stdnum.cn.uscc``);
- resident ID number: GB 11643-1999 check digit and birth date, via ``stdnum.cn.ric``;
- administrative division codes: GB/T 2260, from python-stdnum's maintained location table
  (``stdnum/cn/loc.dat``), accepting codes still in use;
- calendar dates: GB/T 7408 (ISO 8601) — a date must exist (no 2025-02-30);
- RMB uppercase amounts: compared with the figure written in uppercase (our own rule,
  inferred), the way ``cn2an`` writes it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from stdnum import numdb
from stdnum.cn import ric

from hegui.validator.spec import Element, Text

UTC = dt.UTC


class DatatypeError(Exception):
    """A value is lexically fine but fails its datatype's meaning; ``facet`` names the check."""

    def __init__(self, facet: str, message: Text):
        super().__init__(message.en)
        self.facet = facet
        self.message = message


#: A plain decimal (what the schemas' money and rate patterns admit), read without Decimal.
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _decimal(text: str, scale: int) -> int:
    """Minor units of a decimal string at ``scale`` (exact; no float on the way)."""
    if scale >= 0 and _PLAIN_DECIMAL.fullmatch(text):
        whole, _, fraction = text.partition(".")
        if len(fraction) > scale:
            if fraction[scale:].strip("0"):
                raise InvalidOperation  # finer than the scale
            fraction = fraction[:scale]
        return int(whole + fraction.ljust(scale, "0"))
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation
    scaled = value.scaleb(scale)
    if scaled != scaled.to_integral_value():
        raise InvalidOperation
    return int(scaled)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\Z")


def to_cel(value: Any, element: Element) -> Any:
    """The CEL value of ``value``: ValueError when lexically wrong (schemas report that),
    DatatypeError when well-formed but meaningless (a date that does not exist).

    Money and rates become integers scaled by the element's ``scale``; dates and datetimes
    become UTC timestamps (payload times are local Beijing time; only their order matters).
    """
    kind = element.datatype
    if kind in ("money", "rate"):
        if not isinstance(value, str):
            raise ValueError("not a decimal string")
        try:
            return _decimal(value, int(element.facets.get("scale", 2)))
        except InvalidOperation:
            raise ValueError("not a decimal") from None
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("not an integer")
        if not -(2**63) <= value < 2**63:
            raise DatatypeError("maximum" if value > 0 else "minimum", Text(
                f"{value} 超出 64 位整数范围", f"{value} is outside the 64-bit integer range"))
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError("not a boolean")
        return value
    if not isinstance(value, str):
        raise ValueError("not a string")
    if kind in ("date", "datetime"):
        lexical, fmt = (_DATE, "%Y-%m-%d") if kind == "date" else (_DATETIME, "%Y-%m-%d %H:%M:%S")
        if not lexical.match(value):
            raise ValueError(f"not {fmt}")
        try:  # fromisoformat is a fast C parser; the regex above pinned the exact layout
            return dt.datetime.fromisoformat(value).replace(tzinfo=UTC)
        except ValueError:
            raise DatatypeError("date", Text(
                f"{value} 不是有效的日期时间", f"{value} is not a real calendar date/time")
            ) from None
    return value


#: The datatypes :func:`check` has a check for (the others need none beyond ``to_cel``).
CHECKED = frozenset({"uscc", "idcard", "region"})


def check(value: Any, element: Element) -> None:
    """Run the datatype's semantic check on a lexically valid value; raise DatatypeError."""
    kind = element.datatype
    if kind == "uscc":
        _check_uscc(str(value))
    elif kind == "idcard":
        _check_idcard(str(value))
    elif kind == "region" and not is_current_region(str(value)):
        raise DatatypeError("region", Text(
                f"{value} 不是现行的行政区划代码（GB/T 2260）",
                f"{value} is not an administrative division code in use (GB/T 2260)"))


#: GB 32100-2015's 31 code characters (digits and capitals without I, O, S, V, Z),
#: each worth its position; the same alphabet as ``stdnum.cn.uscc``.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_CHARS)}
#: The weight of position i is 3^i mod 31 (1, 3, 9, 27, 19, 26, ...).
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def uscc_check_character(first17: str) -> str:
    """The GB 32100-2015 check character of a code's first 17 characters (ValueError for a
    character outside the code's alphabet); equal to ``stdnum.cn.uscc.calc_check_digit``
    on the codes the schema admits, without its clean-up pass (tests compare the two)."""
    try:
        total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    except (KeyError, ValueError):
        raise ValueError("not a unified social credit code") from None
    return _USCC_CHARS[(31 - total) % 31]


def _check_uscc(value: str) -> None:
    # Only the mod-31 check character: stdnum's validate() also demands eight leading digits,
    # which GB 32100-2015 does not (e.g. codes of farmers' cooperatives start "N").
    want = uscc_check_character(value[:17])
    if want != value[17:]:
        raise DatatypeError("check-digit", Text(
            f"统一社会信用代码 {value} 校验码错误（GB 32100-2015）：按前 17 位应为 {want}",
            f"unified social credit code {value} has a wrong check character (GB 32100-2015): "
            f"for its first 17 characters it is {want}"))


def _check_idcard(value: str) -> None:
    birth = value[6:14]
    try:
        dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        raise DatatypeError("birth-date", Text(
            f"身份证号码 {value} 中的出生日期 {birth} 无效（GB 11643-1999）",
            f"ID number {value}: birth date {birth} is not a real date (GB 11643-1999)")) from None
    # stdnum's calc_check_digit takes the whole number, check digit included.
    want = ric.calc_check_digit(value)
    if want != value[17:].upper():
        raise DatatypeError("check-digit", Text(
            f"身份证号码 {value} 校验码错误（GB 11643-1999）：按前 17 位应为 {want}",
            f"ID number {value} has a wrong check digit (GB 11643-1999): for its first 17 "
            f"digits it is {want}"))
    if not region_ever_existed(value[:6]):
        raise DatatypeError("region", Text(
            f"身份证号码 {value} 的地址码 {value[:6]} 不存在（GB/T 2260）",
            f"ID number {value}: area code {value[:6]} does not exist (GB/T 2260)"))


@functools.lru_cache(maxsize=8192)  # a table lookup; bounded, payloads choose the keys
def region_ever_existed(code: str) -> bool:
    """True for a GB/T 2260 code in python-stdnum's table, abolished ones included.

    An ID number keeps the area code of where it was first issued, so old codes stay valid.
    """
    info = numdb.get("cn/loc").info(code)
    return len(info) > 1 and bool(info[-1][1].get("county"))


@functools.lru_cache(maxsize=8192)
def is_current_region(code: str) -> bool:
    """True for a GB/T 2260 code in python-stdnum's table that has no abolition year."""
    if not re.fullmatch(r"\d{6}", code):
        return False
    info = numdb.get("cn/loc").info(code)
    county = info[-1][1].get("county") if len(info) > 1 else None
    if not county:
        return False
    # Entries look like "[1988-]东莞市" or "[1983-1990]某县" (abolished) or plain "广州市".
    m = re.match(r"\[(\d*)-(\d*)\]", county)
    return not (m and m.group(2))


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_IN_GROUP = ("仟", "佰", "拾", "")


def _group(digits: str) -> str:
    """Four digits (a 万 group) in uppercase: zeros between digits as one 零, none trailing."""
    out: list[str] = []
    zero = False
    for d, unit in zip(digits, _IN_GROUP, strict=True):
        if d == "0":
            zero = True
            continue
        if zero and out:
            out.append("零")
        zero = False
        out.append(_DIGITS[int(d)] + unit)
    return "".join(out)


def _wan(text: str) -> str:
    """At most 8 digits, not all zero, with 万: a lower group with leading zeros after a
    higher digit gets one 零 (玖拾万贰仟…, 壹万零壹)."""
    text = text.zfill(8)
    high, low = text[:4], text[4:]
    out = _group(high) + "万" if high != "0000" else ""
    if low != "0000":
        if out and low[0] == "0":
            out += "零"
        out += _group(low)
    return out


def _integer(text: str) -> str:
    """A non-negative integer of at most 16 digits in uppercase, with 万 and 亿 (壹仟零壹,
    壹拾万亿, 壹万零壹亿零壹万零壹)."""
    text = text.lstrip("0")
    if not text:
        return "零"
    if len(text) <= 8:
        return _wan(text)
    high, low = text[:-8], text[-8:]
    out = _wan(high) + "亿"
    if low.strip("0"):
        # as cn2an writes it: 零 after 亿 when the first group below that is not all zeros
        # has leading zeros (壹亿零壹万, 肆亿零叁佰, but 叁亿捌仟零玖拾捌); the comparison
        # ignores 零 either way
        first = low[:4] if low[:4] != "0000" else low[4:]
        out += ("零" if first[0] == "0" else "") + _wan(low)
    return out


@functools.lru_cache(maxsize=4096)
def rmb_uppercase(amount_text: str) -> str:
    """The RMB uppercase (大写) of a decimal amount (伍拾万元整, 壹拾元零壹分), written the way
    cn2an writes it (the tests compare the two); cn2an itself only for what this does not
    cover (negative amounts, more than 16 integer digits or 2 decimals)."""
    whole, _, frac = amount_text.strip().partition(".")
    if not whole.isdigit() or len(whole.lstrip("0")) > 16 or len(frac) > 2 or (
            frac and not frac.isdigit()):
        import cn2an  # slow to import (it loads its tables): only for the rare cases

        return str(cn2an.an2cn(amount_text, "rmb"))
    jiao, fen = (int(c) for c in frac.ljust(2, "0"))
    integer = int(whole)
    out = "" if integer == 0 and (jiao or fen) else _integer(whole) + "元"
    if jiao:
        out += _DIGITS[jiao] + "角"
    if fen:
        out += ("零" if integer and not jiao else "") + _DIGITS[fen] + "分"
    return out if jiao or fen else out + "整"


def normalise_uppercase(words: str) -> str:
    """Normalise spelling variants of an RMB uppercase amount before comparing."""
    words = words.strip().replace("圆", "元").replace("人民币", "").replace("零", "")
    return words.removesuffix("整").removesuffix("正")


def display(value: Any, element: Element) -> str:
    """A value as shown in messages: money with thousands separators, others as given."""
    if element.datatype == "money" and isinstance(value, str):
        try:
            return f"{Decimal(value):,.{int(element.facets.get('scale', 2))}f}"
        except InvalidOperation:
            return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
