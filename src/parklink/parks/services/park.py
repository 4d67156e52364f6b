"""A park's own record: a sound 一区多园 hierarchy, checked fields, writes by the owner only."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core import dates
from parklink.core.columns import column_problems
from parklink.core.errors import Duplicate, Invalid
from parklink.parks.coordinates import coordinate_problems
from parklink.parks.models import Park

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
    "longitude",
    "latitude",
)
NUMBER_FIELDS = ("planned_area_mu", "carrier_built_m2", "carrier_occupied_m2", "available_land_mu")


def ancestors(park: Park) -> list[Park]:
    chain: list[Park] = []
    current = park.parent
    while current is not None and current not in chain:
        chain.append(current)
        current = current.parent
    return chain


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
    for name, problem in coordinate_problems(park.longitude, park.latitude).items():
        problems.setdefault(name, problem)
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
