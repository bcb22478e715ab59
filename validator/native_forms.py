"""The forms native values are written in, both ways (docs/platform-profiles.md, Forms).

:func:`to_canonical` reads a native value in the form its :class:`FieldMap` declares and
returns the canonical value, or raises :class:`FormError` saying what the form expects;
:func:`to_native` writes a canonical value back in the native form. ``None`` (JSON null)
passes through both ways: the canonical checks judge it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from hegui.validator.platform_model import FieldMap
from hegui.validator.spec import Text

CANONICAL_DATETIME = "%Y-%m-%d %H:%M:%S"
CANONICAL_DATE = "%Y-%m-%d"
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class FormError(ValueError):
    """A native value the declared form cannot read; ``text`` says what it expects."""

    def __init__(self, text: Text):
        super().__init__(text.en)
        self.text = text


def timezone(offset: str) -> dt.timezone:
    """The fixed offset of ``+08:00``."""
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset[1:].split(":")
    return dt.timezone(sign * dt.timedelta(hours=int(hours), minutes=int(minutes)))


def formats_of(fm: FieldMap) -> tuple[str, ...]:
    """The native patterns of a ``datetime`` form (the canonical one by default)."""
    if fm.formats:
        return fm.formats
    return (CANONICAL_DATE,) if fm.target_type == "date" else (CANONICAL_DATETIME,)


def to_canonical(fm: FieldMap, value: Any, tz: str) -> Any:
    """The canonical value of native ``value`` under ``fm``'s form."""
    if value is None:
        return None
    form = fm.form
    if form == "decimal":
        return _decimal(value, fm.scale)
    if form == "integer":
        return _integer(value)
    if form in ("epoch-ms", "epoch-s"):
        return _epoch(value, form, tz, fm.target_type)
    if form == "datetime":
        return _datetime(value, fm)
    if form == "list":
        return _split(value, fm.separator or ",")
    if form == "boolean":
        return _boolean(value)
    if isinstance(value, bool):
        raise FormError(Text("应为文本，不是布尔值", "expected text, not a boolean"))
    if isinstance(value, int | float):
        return str(value)
    return value  # a string, or an object or list the canonical schema judges


def to_native(fm: FieldMap, value: Any, tz: str) -> Any:
    """Canonical ``value`` written in ``fm``'s native form (a value that is not in the
    canonical form, as in a deliberately invalid payload, is written unchanged)."""
    if value is None:
        return None
    try:
        return _to_native(fm, value, tz)
    except (ValueError, OverflowError):
        return value


def _to_native(fm: FieldMap, value: Any, tz: str) -> Any:
    form = fm.form
    if form in ("epoch-ms", "epoch-s") and isinstance(value, str):
        fmt = CANONICAL_DATE if fm.target_type == "date" else CANONICAL_DATETIME
        moment = dt.datetime.strptime(value, fmt).replace(tzinfo=timezone(tz))
        seconds = int(moment.timestamp())
        return str(seconds * 1000 if form == "epoch-ms" else seconds)
    if form == "datetime" and isinstance(value, str):
        fmt = CANONICAL_DATE if fm.target_type == "date" else CANONICAL_DATETIME
        return dt.datetime.strptime(value, fmt).strftime(formats_of(fm)[0])
    if form == "list" and isinstance(value, list):
        return (fm.separator or ",").join(str(v) for v in value)
    return value


def _decimal(value: Any, scale: int | None) -> str:
    if isinstance(value, bool):
        raise FormError(Text("应为数值，不是布尔值", "expected a number, not a boolean"))
    if isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        d = Decimal(repr(value))
    elif isinstance(value, str) and _DECIMAL.fullmatch(value):
        d = Decimal(value)
    else:
        raise FormError(Text("应为十进制数（JSON 数值或数字字符串，如 456789.00）",
                             "expected a decimal number (a JSON number or a numeric string "
                             "such as 456789.00)"))
    places = -int(d.as_tuple().exponent)
    if scale is None or places <= scale:
        return format(d, "f")  # as written (3.3 stays 3.3: the canonical pattern judges it)
    try:
        q = d.quantize(Decimal(1).scaleb(-scale))
    except InvalidOperation:
        raise FormError(Text("数值过大", "number too large")) from None
    if q != d:
        raise FormError(Text(f"小数位超过 {scale} 位且不为零，不能无损转换",
                             f"more than {scale} decimal places that are not zeros: it "
                             "cannot be carried without loss"))
    return format(q, "f")  # 456789.000000 -> 456789.00


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise FormError(Text("应为整数，不是布尔值", "expected an integer, not a boolean"))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    raise FormError(Text("应为整数（JSON 整数或数字字符串，如 \"90\"）",
                         "expected an integer (a JSON integer or a string of digits such as "
                         "\"90\")"))


def _epoch(value: Any, form: str, tz: str, target_type: str) -> str:
    digits = 13 if form == "epoch-ms" else 10
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not (isinstance(text, str) and text.isascii() and text.isdigit()
            and len(text) == digits):
        unit = ("毫秒", "milliseconds") if digits == 13 else ("秒", "seconds")
        raise FormError(Text(f"应为 {digits} 位 Unix 时间戳（{unit[0]}）",
                             f"expected a {digits}-digit Unix time in {unit[1]}"))
    seconds = int(text) / (1000 if digits == 13 else 1)
    moment = dt.datetime.fromtimestamp(seconds, timezone(tz))
    return moment.strftime(CANONICAL_DATE if target_type == "date" else CANONICAL_DATETIME)


def _datetime(value: Any, fm: FieldMap) -> str:
    formats = formats_of(fm)
    if isinstance(value, str):
        for fmt in formats:
            try:
                moment = dt.datetime.strptime(value, fmt)
            except ValueError:
                continue
            if fm.target_type == "date":
                return moment.strftime(CANONICAL_DATE)
            if "%H" not in fmt and fm.time is not None:
                h, m, s = (int(x) for x in fm.time.split(":"))
                moment = moment.replace(hour=h, minute=m, second=s)
            return moment.strftime(CANONICAL_DATETIME)
    shown = " / ".join(_human(f) for f in formats)
    raise FormError(Text(f"应为日期时间，格式 {shown}",
                         f"expected a date-time in the form {shown}"))


def _human(fmt: str) -> str:
    for a, b in (("%Y", "yyyy"), ("%m", "MM"), ("%d", "dd"), ("%H", "HH"), ("%M", "mm"),
                 ("%S", "ss")):
        fmt = fmt.replace(a, b)
    return fmt


def _split(value: Any, separator: str) -> list[Any]:
    if isinstance(value, list):
        return value
    if not isinstance(value, str):
        raise FormError(Text(f"应为以“{separator}”分隔的字符串",
                             f"expected a string separated by '{separator}'"))
    return [] if value == "" else [part.strip() for part in value.split(separator)]


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "1", 1):
        return True
    if value in ("false", "0", 0):
        return False
    raise FormError(Text("应为布尔值（true/false、1/0）", "expected a boolean (true/false, 1/0)"))
