"""Does a value fit its column? The one check that services, forms and imports share.

Checked before saving: PostgreSQL refuses a text too long or a number too wide with an error,
and SQLite stores a number it cannot read back, so every later page showing the record would
fail. Messages are the ones the pages and the API show next to the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _


def too_long(text: str, limit: int) -> str:
    """ "最多 N 个字" when `text` is longer than `limit` characters, else ""."""
    return _("最多 %(limit)d 个字") % {"limit": limit} if len(text) > limit else ""


def width_problem(value: Any, max_digits: int | None, places: int | None) -> str:
    """What keeps `value` out of a DECIMAL(max_digits, places) column ("" when it fits).

    The value is rounded to `places` first, as the column would store it.
    """
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return _("请填写数字")
    if not number.is_finite():
        return _("请填写数字")
    if max_digits is None or places is None:
        return ""
    limit = Decimal(10) ** (max_digits - places)
    # Checked before rounding too: quantize() cannot round a number wider than the context.
    if abs(number) >= limit:
        return _("数值过大")
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return _("数值过大") if abs(rounded) >= limit else ""


def value_problem(column: models.Field[Any, Any], value: Any) -> str:
    """What keeps `value` out of `column`: text too long, a number too wide ("" when it fits)."""
    if isinstance(column, models.CharField) and isinstance(value, str) and column.max_length:
        return too_long(value, column.max_length)
    if isinstance(column, models.DecimalField) and value is not None:
        return width_problem(value, column.max_digits, column.decimal_places)
    return ""


def column_problems(model: type[models.Model], values: Mapping[str, Any]) -> dict[str, str]:
    """What in `values` ({field name: value}) would not fit `model`'s columns, by field name."""
    problems: dict[str, str] = {}
    for name, value in values.items():
        try:
            column = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(column, models.Field) and (problem := value_problem(column, value)):
            problems[name] = problem
    return problems
