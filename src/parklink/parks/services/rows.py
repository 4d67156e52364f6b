"""What checking a list of items shares: numbers, positions and text of an item, keyed problems.

A list's problems are keyed "<index>.<field>" while it is checked and "<list>.<index>.<field>"
once `under` its name.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from parklink.core.columns import width_problem
from parklink.core.errors import Invalid

Problems = dict[str, str]
Item = Mapping[str, Any]
MAX_POSITION = 32767  # PositiveSmallIntegerField


def two_places(value: Any, digits: int) -> Decimal | None:
    """`value` as a Decimal with two places (None when blank); ValueError says what is wrong."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(_("请填写数字"))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(_("请填写数字")) from None
    if not number.is_finite():
        raise ValueError(_("请填写数字"))
    if problem := width_problem(number, digits, 2):
        raise ValueError(problem)
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def position(value: Any, index: int) -> int:
    """A row's place in its list: the given order, else its index; ValueError when unusable."""
    if value is None or value == "":
        return index
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise ValueError(_("排序应为不小于0的整数"))
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(_("排序应为不小于0的整数")) from None
    if not 0 <= number <= MAX_POSITION:
        raise ValueError(_("排序应为不小于0的整数"))
    return number


def item_text(item: Item, name: str) -> str:
    return str(item.get(name) or "").strip()


def under(prefix: str, problems: Problems) -> Problems:
    """The problems of a list as its caller sees them: "2.name" under "items" is "items.2.name"."""
    return {f"{prefix}.{key}": message for key, message in problems.items()}


def checked(message: str, built: tuple[list[Any], Problems], prefix: str = "items") -> list[Any]:
    rows, problems = built
    if problems:
        raise Invalid(message, detail=under(prefix, problems))
    return rows
