"""How kpi pages and exports show a figure: rates in %, money to the fen, and a summed amount
with its qualifier (超X亿元 when a lower bound is among its parts, 约X亿元 when an estimate is),
read the same way as the projects' dashboard (`projects.amounts`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import get_language

from parklink.kpi.engine.names import BY_NAME
from parklink.projects.amounts import Qualifier, format_qualified, qualifier_of


def amount(
    value: Decimal | int | None, qualifier: str | None = None, language: str | None = None
) -> str:
    """元 to the fen, or 超X亿元 / 约X亿元 when the amount is not exact (`language`: the
    active one unless given; documents written in Chinese pass "zh")."""
    if value is None:
        return "—"
    word = qualifier_of(qualifier)
    if word != Qualifier.EXACT:
        return format_qualified(value, word, 2, language or get_language() or "zh")
    return f"{Decimal(value):,.2f}"


def figure(
    name: str, value: Any, qualifiers: dict[str, str] | None = None, language: str | None = None
) -> str:
    """One figure by its unit (a blank or missing value: —)."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value))
    unit = BY_NAME[name].unit if name in BY_NAME else "count"
    if unit == "rate":
        return f"{number * 100:.1f}%"
    if unit == "yuan":
        return amount(number, (qualifiers or {}).get(name), language)
    if unit == "usd":
        return f"US${number:,.2f}"
    return f"{number:,.0f}"
