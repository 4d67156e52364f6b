"""A park's lists: industries ("2+6"), resource endowment and yearly indicators.

Each list is replaced whole. Problems are keyed "<index>.<field>" while a list is checked and
reach callers as "<list>.<index>.<field>" (e.g. "items.2.name"), so a page can put each
message next to its row and an API client can find the item at fault.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.columns import too_long
from parklink.core.errors import Invalid
from parklink.parks.models import (
    IndicatorKind,
    IndustryRole,
    Park,
    ParkIndicator,
    ParkIndustry,
    ParkResource,
    ResourceKind,
)
from parklink.parks.services.park import update_park
from parklink.parks.services.rows import (
    Item,
    Problems,
    checked,
    item_text,
    position,
    two_places,
    under,
)

FIRST_YEAR = 1949  # statistics of the People's Republic start here
SHARE_INDICATORS = frozenset(
    {
        IndicatorKind.GDP_SHARE_OF_CITY,
        IndicatorKind.TAX_SHARE_OF_CITY,
        IndicatorKind.RESUMPTION_RATE,
    }
)
RANK_INDICATORS = frozenset({IndicatorKind.NATIONAL_RANK, IndicatorKind.NATIONAL_RANK_TOTAL})
COUNT_INDICATORS = frozenset({IndicatorKind.ENTERPRISES_SETTLED})
INDICATOR_UNITS: dict[str, str] = {
    **dict.fromkeys(IndicatorKind.money(), "元"),
    **dict.fromkeys(SHARE_INDICATORS, "%"),
    IndicatorKind.NATIONAL_RANK: "位",
    IndicatorKind.NATIONAL_RANK_TOTAL: "家",
    IndicatorKind.ENTERPRISES_SETTLED: "家",
}
_INDUSTRY_CODE = re.compile(r"[A-Za-z0-9]{1,8}")


def last_indicator_year() -> int:
    """The latest year a figure may be given for: plans for next year are allowed."""
    return timezone.localdate().year + 1


def industry_rows(park: Park, items: Sequence[Item]) -> tuple[list[ParkIndustry], Problems]:
    """The park's industries ("2+6") as rows to store, and what is wrong with the items."""
    rows: list[ParkIndustry] = []
    problems: Problems = {}
    first_row: dict[str, int] = {}
    for index, item in enumerate(items):
        name = item_text(item, "name")
        role = item_text(item, "role") or IndustryRole.LEADING
        code = item_text(item, "industry_code")
        if not name:
            problems[f"{index}.name"] = _("产业名称不能为空")
        elif length := too_long(name, 64):
            problems[f"{index}.name"] = length
        elif name in first_row:
            problems[f"{index}.name"] = _("产业“%(name)s”与第 %(row)d 行重复") % {
                "name": name,
                "row": first_row[name] + 1,
            }
        else:
            first_row[name] = index
        if role not in IndustryRole.values:
            problems[f"{index}.role"] = _("未知的产业定位: %(role)s") % {"role": role}
        if code and not _INDUSTRY_CODE.fullmatch(code):
            problems[f"{index}.industry_code"] = _("行业代码最多8位字母或数字")
        try:
            order = position(item.get("order"), index)
        except ValueError as error:
            problems[f"{index}.order"], order = str(error), index
        rows.append(ParkIndustry(park=park, name=name, role=role, industry_code=code, order=order))
    return rows, problems


def resource_rows(park: Park, items: Sequence[Item]) -> tuple[list[ParkResource], Problems]:
    """The park's resource endowment as rows to store, and what is wrong with the items."""
    rows: list[ParkResource] = []
    problems: Problems = {}
    for index, item in enumerate(items):
        kind = item_text(item, "kind")
        unit, note = item_text(item, "unit"), item_text(item, "note")
        if kind not in ResourceKind.values:
            problems[f"{index}.kind"] = (
                _("请选择资源类别") if not kind else _("未知的资源类别: %(kind)s") % {"kind": kind}
            )
        numbers: dict[str, Decimal | None] = {}
        for name in ("value", "value_max"):
            try:
                # Below 10**13: SQLite holds ~15 significant digits, and a figure close to
                # the column's 16 could round up on reading and break every page showing it.
                numbers[name] = two_places(item.get(name), digits=15)
            except ValueError as error:
                problems[f"{index}.{name}"], numbers[name] = str(error), None
        value, value_max = numbers["value"], numbers["value_max"]
        if value is not None and value_max is not None and value > value_max:
            problems[f"{index}.value_max"] = _("上限不能小于数值")
        if value is None and value_max is None and not note and f"{index}.value" not in problems:
            problems[f"{index}.value"] = _("请填写数值或说明")
        for name, text, limit in (("unit", unit, 16), ("note", note, 255)):
            if length := too_long(text, limit):
                problems[f"{index}.{name}"] = length
        rows.append(
            ParkResource(
                park=park, kind=kind, value=value, value_max=value_max, unit=unit, note=note
            )
        )
    return rows, problems


def _year(value: Any) -> int:
    last = last_indicator_year()
    message = _("年份应在 %(first)d–%(last)d 之间") % {"first": FIRST_YEAR, "last": last}
    if isinstance(value, bool):
        raise ValueError(message)
    try:
        year = int(str(value).strip())
    except ValueError:
        raise ValueError(message) from None
    if not FIRST_YEAR <= year <= last:
        raise ValueError(message)
    return year


def _indicator_value_problem(kind: str, value: Decimal) -> str:
    """What is wrong with `value` as a figure of `kind` ("" when nothing)."""
    if kind in IndicatorKind.money() and value < 0:
        return _("金额不能为负数")
    if kind in SHARE_INDICATORS and not 0 <= value <= 100:
        return _("比重应在 0–100 之间")
    if kind in RANK_INDICATORS and (value < 1 or value != value.to_integral_value()):
        return _("应为正整数")
    if kind in COUNT_INDICATORS and (value < 0 or value != value.to_integral_value()):
        return _("应为不小于0的整数")
    return ""


def _indicator_unit(kind: str, given: str) -> tuple[str, str]:
    """The unit to store and a problem ("" when none); money is always held in 元."""
    if kind in IndicatorKind.money():
        if given not in ("", "元"):
            return "元", _("金额以元为单位填写")
        return "元", ""
    return given or INDICATOR_UNITS.get(kind, ""), too_long(given, 16)


def indicator_rows(park: Park, items: Sequence[Item]) -> tuple[list[ParkIndicator], Problems]:
    """Yearly indicators as rows to store (money given in 元), and what is wrong with them."""
    rows: list[ParkIndicator] = []
    problems: Problems = {}
    first_row: dict[tuple[int, str], int] = {}
    for index, item in enumerate(items):
        kind = item_text(item, "indicator")
        year: int | None = None
        try:
            year = _year(item.get("year"))
        except ValueError as error:
            problems[f"{index}.year"] = str(error)
        if kind not in IndicatorKind.values:
            problems[f"{index}.indicator"] = (
                _("请选择指标")
                if not kind
                else _("未知的指标: %(indicator)s") % {"indicator": kind}
            )
        elif year is not None and (year, kind) in first_row:
            problems[f"{index}.indicator"] = _(
                "%(year)d 年的“%(indicator)s”与第 %(row)d 行重复"
            ) % {
                "year": year,
                "indicator": IndicatorKind(kind).label,
                "row": first_row[(year, kind)] + 1,
            }
        elif year is not None:
            first_row[(year, kind)] = index
        value: Decimal | None = None
        try:
            value = two_places(item.get("value"), digits=17)  # below 10**15, as amounts
        except ValueError as error:
            problems[f"{index}.value"] = str(error)
        else:
            if value is None:
                problems[f"{index}.value"] = _("请填写数值")
            elif problem := _indicator_value_problem(kind, value):
                problems[f"{index}.value"] = problem
        unit, problem = _indicator_unit(kind, item_text(item, "unit"))
        if problem:
            problems[f"{index}.unit"] = problem
        rows.append(
            ParkIndicator(
                park=park,
                year=year or 0,
                indicator=kind,
                value=value if value is not None else Decimal(0),
                unit=unit,
            )
        )
    problems.update(_ranks_within_totals(rows, first_row, problems))
    return rows, problems


def _ranks_within_totals(
    rows: Sequence[ParkIndicator], first_row: Mapping[tuple[int, str], int], problems: Problems
) -> Problems:
    """A national rank cannot exceed the number of parks ranked that year."""
    found: Problems = {}
    for (year, kind), index in first_row.items():
        if kind != IndicatorKind.NATIONAL_RANK or f"{index}.value" in problems:
            continue
        total_at = first_row.get((year, IndicatorKind.NATIONAL_RANK_TOTAL))
        if total_at is None or f"{total_at}.value" in problems:
            continue
        if rows[index].value > rows[total_at].value:
            found[f"{index}.value"] = _("排名不能大于参评园区数")
    return found


@transaction.atomic
def set_industries(user: User, park: Park, items: Sequence[Item]) -> list[ParkIndustry]:
    """Replace the park's industries with `items` ({name, role, industry_code, order})."""
    ensure_can_write(user, park.owner_id)
    rows = checked(_("产业定位有误"), industry_rows(park, items))
    park.industries.all().delete()
    return ParkIndustry.objects.bulk_create(rows)


@transaction.atomic
def set_resources(user: User, park: Park, items: Sequence[Item]) -> list[ParkResource]:
    """Replace the park's resource endowment with `items` ({kind, value, value_max, unit, note})."""
    ensure_can_write(user, park.owner_id)
    rows = checked(_("资源禀赋有误"), resource_rows(park, items))
    park.resources.all().delete()
    return ParkResource.objects.bulk_create(rows)


@transaction.atomic
def set_indicators(user: User, park: Park, items: Sequence[Item]) -> list[ParkIndicator]:
    """Replace the park's yearly indicators with `items` ({year, indicator, value, unit}).

    Money indicators (GDP, tax, output, revenue) are given and stored in 元.
    """
    ensure_can_write(user, park.owner_id)
    rows = checked(_("年度指标有误"), indicator_rows(park, items))
    park.indicators.all().delete()
    return ParkIndicator.objects.bulk_create(rows)


@transaction.atomic
def update_park_details(
    user: User,
    park: Park,
    fields: Mapping[str, Any],
    *,
    industries: Sequence[Item] | None = None,
    resources: Sequence[Item] | None = None,
    indicators: Sequence[Item] | None = None,
) -> Park:
    """Change the park and replace the lists given, all or nothing.

    Every problem is reported at once: the park's own fields by name, rows of the lists as
    "industries.<index>.<field>", "resources.…" and "indicators.…".
    """
    ensure_can_write(user, park.owner_id)
    lists: list[tuple[str, Sequence[Item] | None, Any, Any]] = [
        ("industries", industries, industry_rows, park.industries),
        ("resources", resources, resource_rows, park.resources),
        ("indicators", indicators, indicator_rows, park.indicators),
    ]
    problems: Problems = {}
    replacements: list[tuple[Any, list[Any]]] = []
    for prefix, items, build, related in lists:
        if items is None:
            continue
        rows, found = build(park, items)
        problems.update(under(prefix, found))
        replacements.append((related, rows))
    try:
        update_park(user, park, **fields)
    except Invalid as error:
        detail = error.detail if isinstance(error.detail, dict) else {}
        raise Invalid(error.message, detail={**detail, **problems}) from None
    if problems:
        raise Invalid(_("园区信息有误"), detail=problems)
    for related, rows in replacements:
        related.all().delete()
        related.model.objects.bulk_create(rows)
    return park
