"""Park rules: a sound 一区多园 hierarchy, the lists a park page shows, linkages, owner writes."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core import dates
from parklink.core.errors import Duplicate, Invalid
from parklink.parks.models import (
    IndicatorKind,
    IndustryRole,
    LinkageMember,
    LinkageRole,
    Park,
    ParkIndicator,
    ParkIndustry,
    ParkLinkage,
    ParkResource,
    ResourceKind,
)

EDITABLE_FIELDS = (
    "name",
    "short_name",
    "kind",
    "region",
    "parent",
    "description",
    "established",
    "planned_area_mu",
    "carrier_built_m2",
    "carrier_occupied_m2",
    "available_land_mu",
)
LINKAGE_FIELDS = ("name", "description")
NUMBER_FIELDS = ("planned_area_mu", "carrier_built_m2", "carrier_occupied_m2", "available_land_mu")


def ancestors(park: Park) -> list[Park]:
    chain: list[Park] = []
    current = park.parent
    while current is not None and current not in chain:
        chain.append(current)
        current = current.parent
    return chain


def column_problems(model: type[models.Model], values: Mapping[str, Any]) -> dict[str, str]:
    """What in `values` would not fit `model`'s columns: text too long, numbers too wide.

    Checked before saving: PostgreSQL refuses such values with an error, and SQLite stores a
    number it cannot read back, so every later page showing the record would fail.
    """
    problems: dict[str, str] = {}
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        problem = ""
        if isinstance(field, models.CharField) and isinstance(value, str) and field.max_length:
            problem = _too_long(value, field.max_length)
        elif isinstance(field, models.DecimalField) and value is not None:
            problem = _width_problem(value, field.max_digits, field.decimal_places)
        if problem:
            problems[name] = problem
    return problems


def _width_problem(value: Any, max_digits: int | None, places: int | None) -> str:
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


def established_problem(day: date) -> str | None:
    """Why `day` cannot be a park's 设立日期, or None (bounds: core.dates, ESTABLISHED)."""
    refused = dates.refusal(dates.DateKind.ESTABLISHED, day, timezone.localdate())
    if refused is None:
        return None
    if refused.reason is dates.Reason.TOO_EARLY:
        return _("设立日期不能早于%(date)s") % {"date": f"{refused.bound:%Y-%m-%d}"}
    return _("设立日期不能晚于今天")


def _validate(park: Park) -> None:
    park.name = (park.name or "").strip()
    park.short_name = (park.short_name or "").strip()
    columns = ("name", "short_name", *NUMBER_FIELDS)
    problems = column_problems(Park, {name: getattr(park, name) for name in columns})
    if not park.name:
        problems["name"] = _("园区名称不能为空")
    if (
        park.parent_id is not None
        and park.pk is not None
        and (park.parent_id == park.pk or park.pk in {p.pk for p in ancestors(park)})
    ):
        problems["parent"] = _("上级园区不能是本园区或其下属园区")
    if park.established is not None:
        problem = established_problem(park.established)
        if problem:
            problems["established"] = problem
    for name in NUMBER_FIELDS:
        value = getattr(park, name)
        if name not in problems and value is not None and value < 0:
            problems[name] = _("不能为负数")
    if (
        park.carrier_built_m2 is not None
        and park.carrier_occupied_m2 is not None
        and not problems.keys() & {"carrier_built_m2", "carrier_occupied_m2"}
        and park.carrier_occupied_m2 > park.carrier_built_m2
    ):
        problems["carrier_occupied_m2"] = _("已入驻载体不能大于已建载体")
    if problems:
        raise Invalid(_("园区信息有误"), detail=problems)
    clash = Park.objects.filter(name=park.name, region_id=park.region_id).exclude(pk=park.pk)
    if clash.exists():
        raise Duplicate(
            _("该行政区已有同名园区“%(name)s”") % {"name": park.name},
            detail={"existing_id": clash[0].pk},
        )


@transaction.atomic
def create_park(user: User, *, owner_id: int | None = None, **fields: Any) -> Park:
    owner_id = owner_id or user.organization_id
    ensure_can_write(user, owner_id)
    if owner_id is None:  # an installation admin without an organisation must name one
        raise Invalid(_("请指定所属机构"), detail={"owner": _("请指定所属机构")})
    park = Park(owner_id=owner_id, **fields)
    _validate(park)
    park.save()
    return park


@transaction.atomic
def update_park(user: User, park: Park, **fields: Any) -> Park:
    ensure_can_write(user, park.owner_id)
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"region_id", "parent_id"}
    if unknown:
        raise Invalid(_("未知字段: %(names)s") % {"names": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(park, name, value)
    _validate(park)
    park.save()
    return park


# ---------------------------------------------------------------- industries, resources, indicators
#
# Each list is replaced whole. Problems are keyed "<index>.<field>" while a list is checked and
# reach callers as "<list>.<index>.<field>" (e.g. "items.2.name"), so a page can put each
# message next to its row and an API client can find the item at fault.

Problems = dict[str, str]
Item = Mapping[str, Any]

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
MAX_POSITION = 32767  # PositiveSmallIntegerField
_INDUSTRY_CODE = re.compile(r"[A-Za-z0-9]{1,8}")


def last_indicator_year() -> int:
    """The latest year a figure may be given for: plans for next year are allowed."""
    return timezone.localdate().year + 1


def _number(value: Any, digits: int) -> Decimal | None:
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
    # Checked before rounding: quantize() cannot round a number wider than the context.
    if abs(number) >= Decimal(10) ** (digits - 2):
        raise ValueError(_("数值过大"))
    number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if abs(number) >= Decimal(10) ** (digits - 2):  # 99.999 rounds up to 100.00
        raise ValueError(_("数值过大"))
    return number


def _position(value: Any, index: int) -> int:
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


def _text(item: Item, name: str) -> str:
    return str(item.get(name) or "").strip()


def _too_long(text: str, limit: int) -> str:
    return _("最多 %(limit)d 个字") % {"limit": limit} if len(text) > limit else ""


def _under(prefix: str, problems: Problems) -> Problems:
    return {f"{prefix}.{key}": message for key, message in problems.items()}


def industry_rows(park: Park, items: Sequence[Item]) -> tuple[list[ParkIndustry], Problems]:
    """The park's industries ("2+6") as rows to store, and what is wrong with the items."""
    rows: list[ParkIndustry] = []
    problems: Problems = {}
    first_row: dict[str, int] = {}
    for index, item in enumerate(items):
        name = _text(item, "name")
        role = _text(item, "role") or IndustryRole.LEADING
        code = _text(item, "industry_code")
        if not name:
            problems[f"{index}.name"] = _("产业名称不能为空")
        elif too_long := _too_long(name, 64):
            problems[f"{index}.name"] = too_long
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
            order = _position(item.get("order"), index)
        except ValueError as error:
            problems[f"{index}.order"], order = str(error), index
        rows.append(ParkIndustry(park=park, name=name, role=role, industry_code=code, order=order))
    return rows, problems


def resource_rows(park: Park, items: Sequence[Item]) -> tuple[list[ParkResource], Problems]:
    """The park's resource endowment as rows to store, and what is wrong with the items."""
    rows: list[ParkResource] = []
    problems: Problems = {}
    for index, item in enumerate(items):
        kind = _text(item, "kind")
        unit, note = _text(item, "unit"), _text(item, "note")
        if kind not in ResourceKind.values:
            problems[f"{index}.kind"] = (
                _("请选择资源类别") if not kind else _("未知的资源类别: %(kind)s") % {"kind": kind}
            )
        numbers: dict[str, Decimal | None] = {}
        for name in ("value", "value_max"):
            try:
                numbers[name] = _number(item.get(name), digits=16)
            except ValueError as error:
                problems[f"{index}.{name}"], numbers[name] = str(error), None
        value, value_max = numbers["value"], numbers["value_max"]
        if value is not None and value_max is not None and value > value_max:
            problems[f"{index}.value_max"] = _("上限不能小于数值")
        if value is None and value_max is None and not note and f"{index}.value" not in problems:
            problems[f"{index}.value"] = _("请填写数值或说明")
        for name, text, limit in (("unit", unit, 16), ("note", note, 255)):
            if too_long := _too_long(text, limit):
                problems[f"{index}.{name}"] = too_long
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
    return given or INDICATOR_UNITS.get(kind, ""), _too_long(given, 16)


def indicator_rows(park: Park, items: Sequence[Item]) -> tuple[list[ParkIndicator], Problems]:
    """Yearly indicators as rows to store (money given in 元), and what is wrong with them."""
    rows: list[ParkIndicator] = []
    problems: Problems = {}
    first_row: dict[tuple[int, str], int] = {}
    for index, item in enumerate(items):
        kind = _text(item, "indicator")
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
            value = _number(item.get("value"), digits=20)
        except ValueError as error:
            problems[f"{index}.value"] = str(error)
        else:
            if value is None:
                problems[f"{index}.value"] = _("请填写数值")
            elif problem := _indicator_value_problem(kind, value):
                problems[f"{index}.value"] = problem
        unit, problem = _indicator_unit(kind, _text(item, "unit"))
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


def _checked(message: str, built: tuple[list[Any], Problems], prefix: str = "items") -> list[Any]:
    rows, problems = built
    if problems:
        raise Invalid(message, detail=_under(prefix, problems))
    return rows


@transaction.atomic
def set_industries(user: User, park: Park, items: Sequence[Item]) -> list[ParkIndustry]:
    """Replace the park's industries with `items` ({name, role, industry_code, order})."""
    ensure_can_write(user, park.owner_id)
    rows = _checked(_("产业定位有误"), industry_rows(park, items))
    park.industries.all().delete()
    return ParkIndustry.objects.bulk_create(rows)


@transaction.atomic
def set_resources(user: User, park: Park, items: Sequence[Item]) -> list[ParkResource]:
    """Replace the park's resource endowment with `items` ({kind, value, value_max, unit, note})."""
    ensure_can_write(user, park.owner_id)
    rows = _checked(_("资源禀赋有误"), resource_rows(park, items))
    park.resources.all().delete()
    return ParkResource.objects.bulk_create(rows)


@transaction.atomic
def set_indicators(user: User, park: Park, items: Sequence[Item]) -> list[ParkIndicator]:
    """Replace the park's yearly indicators with `items` ({year, indicator, value, unit}).

    Money indicators (GDP, tax, output, revenue) are given and stored in 元.
    """
    ensure_can_write(user, park.owner_id)
    rows = _checked(_("年度指标有误"), indicator_rows(park, items))
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
        problems.update(_under(prefix, found))
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


# ---------------------------------------------------------------- linkages (三园联动)


def _linkage_problems(linkage: ParkLinkage) -> Problems:
    problems: Problems = {}
    if not linkage.name:
        problems["name"] = _("联动名称不能为空")
    elif too_long := _too_long(linkage.name, 128):
        problems["name"] = too_long
    elif ParkLinkage.objects.filter(name=linkage.name).exclude(pk=linkage.pk).exists():
        problems["name"] = _("已有同名的园区联动“%(name)s”") % {"name": linkage.name}
    return problems


def _park_id(value: Any) -> int | None:
    if isinstance(value, Park):
        return value.pk
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return int(str(value))
    except ValueError:
        return -1  # never a park: reported as unknown


def member_rows(
    linkage: ParkLinkage, members: Sequence[Item]
) -> tuple[list[LinkageMember], Problems]:
    """Members of a linkage ({park, role, order}) as rows to store, and what is wrong."""
    ids = [_park_id(item.get("park", item.get("park_id"))) for item in members]
    parks = Park.objects.in_bulk([pk for pk in ids if pk is not None and pk > 0])
    rows: list[LinkageMember] = []
    problems: Problems = {}
    first_row: dict[int, int] = {}
    for index, (item, pk) in enumerate(zip(members, ids, strict=True)):
        if pk is None:
            problems[f"{index}.park"] = _("请选择园区")
        elif pk not in parks:
            problems[f"{index}.park"] = _("园区不存在: %(id)s") % {
                "id": item.get("park", item.get("park_id"))
            }
        elif pk in first_row:
            problems[f"{index}.park"] = _(
                "“%(name)s”已在第 %(row)d 行,一个园区在联动中只出现一次"
            ) % {
                "name": parks[pk].name,
                "row": first_row[pk] + 1,
            }
        else:
            first_row[pk] = index
        role = _text(item, "role")
        if role not in LinkageRole.values:
            problems[f"{index}.role"] = (
                _("请选择分工") if not role else _("未知的分工: %(role)s") % {"role": role}
            )
        try:
            order = _position(item.get("order"), index)
        except ValueError as error:
            problems[f"{index}.order"], order = str(error), index
        rows.append(LinkageMember(linkage=linkage, park_id=pk or 0, role=role, order=order))
    return rows, problems


def _save_linkage(linkage: ParkLinkage, members: Sequence[Item] | None) -> ParkLinkage:
    problems = _linkage_problems(linkage)
    rows: list[LinkageMember] = []
    if members is not None:
        rows, found = member_rows(linkage, members)
        problems.update(_under("members", found))
    if problems:
        raise Invalid(_("园区联动信息有误"), detail=problems)
    linkage.save()
    if members is not None:
        linkage.members.all().delete()
        for row in rows:
            row.linkage = linkage
        LinkageMember.objects.bulk_create(rows)
    return linkage


@transaction.atomic
def create_linkage(
    user: User,
    *,
    name: str,
    description: str = "",
    members: Sequence[Item] | None = None,
    owner_id: int | None = None,
) -> ParkLinkage:
    """A new 三园联动 owned by the user's organisation; members may be anyone's parks."""
    owner_id = owner_id or user.organization_id
    ensure_can_write(user, owner_id)
    if owner_id is None:  # an installation admin without an organisation must name one
        raise Invalid.on("owner", _("请指定所属机构"))
    linkage = ParkLinkage(
        owner_id=owner_id, name=(name or "").strip(), description=(description or "").strip()
    )
    return _save_linkage(linkage, members or [])


@transaction.atomic
def update_linkage(
    user: User, linkage: ParkLinkage, *, members: Sequence[Item] | None = None, **fields: Any
) -> ParkLinkage:
    """Change the linkage's name or description; `members`, when given, replaces them all."""
    ensure_can_write(user, linkage.owner_id)
    unknown = set(fields) - set(LINKAGE_FIELDS)
    if unknown:
        raise Invalid(_("未知字段: %(names)s") % {"names": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(linkage, name, (value or "").strip())
    return _save_linkage(linkage, members)


@transaction.atomic
def set_linkage_members(
    user: User, linkage: ParkLinkage, members: Sequence[Item]
) -> list[LinkageMember]:
    """Replace the linkage's members ({park, role, order}); a park appears once."""
    ensure_can_write(user, linkage.owner_id)
    rows = _checked(_("联动成员有误"), member_rows(linkage, members), prefix="members")
    linkage.members.all().delete()
    return LinkageMember.objects.bulk_create(rows)
