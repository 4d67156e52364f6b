"""Amounts: stored in 元 as Decimal, entered and shown in 万元/亿元 (no Django imports)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

WAN = Decimal(10_000)  # 万: 1万元 = 10 000 元
YI = Decimal(100_000_000)  # 亿: 1亿元 = 10 000 万元
UNITS: dict[str, Decimal] = {
    "元": Decimal(1),
    "万元": WAN,
    "亿元": YI,
    "万": WAN,
    "亿": YI,
}
_AMOUNT_RE = re.compile(r"^\s*([-+]?\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元|亿|万)?\s*$")
FEN = Decimal("0.01")


class AmountError(ValueError):
    """Raised when a text cannot be read as an amount of money."""


class AmountTooLarge(AmountError):
    """Raised when a number is too wide to be held in 元 to the fen."""


def to_yuan(value: Decimal | int | str, unit: str = "元") -> Decimal:
    """Convert a number in `unit` (元, 万元 or 亿元) to 元, rounded to the fen."""
    if unit not in UNITS:
        raise AmountError(f"unknown unit {unit!r}")
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation as exc:
        raise AmountError(f"not a number: {value!r}") from exc
    if not number.is_finite():
        raise AmountError(f"not a number: {value!r}")
    try:
        return (number * UNITS[unit]).quantize(FEN, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:  # more digits than Decimal's context can round to the fen
        raise AmountTooLarge(f"too large: {value!r}") from exc


def parse_amount(text: str | int | float | Decimal, default_unit: str = "万元") -> Decimal:
    """Read '5.6亿元', '350万元', '1,200' (in `default_unit`) and return 元."""
    if isinstance(text, int | float | Decimal):
        return to_yuan(Decimal(str(text)), default_unit)
    match = _AMOUNT_RE.match(text)
    if not match:
        raise AmountError(f"not an amount: {text!r}")
    number, unit = match.groups()
    return to_yuan(number, unit or default_unit)


def in_unit(yuan: Decimal | None, unit: str) -> Decimal | None:
    """Express an amount held in 元 in 万元 or 亿元 (None stays None)."""
    if yuan is None:
        return None
    return Decimal(yuan) / UNITS[unit]


def _trim(number: Decimal, places: int) -> str:
    text = f"{number:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_amount(yuan: Decimal | int | None, places: int = 2, language: str = "zh") -> str:
    """Show 元 the way Chinese officials write it: 亿元 from 1亿, else 万元, else 元.

    In English the same amount reads "¥560 m" / "¥1.2 bn", the units English readers use.
    """
    if yuan is None:
        return "—"
    value = Decimal(yuan)
    magnitude = abs(value)
    if language.startswith("en"):
        for size, suffix in ((Decimal(10) ** 9, " bn"), (Decimal(10) ** 6, " m")):
            if magnitude >= size:
                return f"¥{_trim(value / size, places)}{suffix}"
        return f"¥{_trim(value, places)}"
    if magnitude >= UNITS["亿元"]:
        return f"{_trim(value / UNITS['亿元'], places)}亿元"
    if magnitude >= UNITS["万元"]:
        return f"{_trim(value / UNITS['万元'], places)}万元"
    return f"{_trim(value, places)}元"
