"""元 to US$ at a month's exchange rate, exactly (Decimal, cents rounded half up). No Django.

A rate is 元 per one US$ for a month ("2025-03"). Amounts are converted month by month at
that month's rate; a month without a rate is not guessed: its 元 are returned apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
MIN_RATE = Decimal("0.0001")
MAX_RATE = Decimal(1000)


def usd(yuan: Decimal, rate: Decimal) -> Decimal:
    """`yuan` in US$ at `rate` (元 per US$), to the cent."""
    if rate <= 0:
        raise ValueError("a rate must be positive")
    return (yuan / rate).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Converted:
    usd: Decimal = Decimal(0)
    unconverted: Decimal = Decimal(0)  # 元 of months without a rate
    missing: list[str] = field(default_factory=list)  # those months


def convert(by_month: Mapping[str, Decimal], rates: Mapping[str, Decimal]) -> Converted:
    """Amounts in 元 by month ("2025-03") in US$, each month at its own rate."""
    out = Converted()
    for month in sorted(by_month):
        amount = by_month[month]
        rate = rates.get(month)
        if rate is None:
            out.unconverted += amount
            out.missing.append(month)
        else:
            out.usd += usd(amount, rate)
    return out


def check_rate(value: Decimal) -> str:
    """'' when the rate is plausible, else why not: "range" or "places"."""
    if not value.is_finite() or value < MIN_RATE or value > MAX_RATE:
        return "range"
    if value.as_tuple().exponent < -6:  # type: ignore[operator]
        return "places"
    return ""
