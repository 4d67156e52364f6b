"""Park API: the registry every user reads; only the owner organisation changes a park."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from parklink.core.apitools import current_user, owner_id_for, region_by_adcode
from parklink.core.errors import Invalid, NotFound
from parklink.parks import services
from parklink.parks.models import LinkageMember, Park, ParkKind
from parklink.parks.schemas import ParkDetailOut, ParkIn, ParkPage, ParkPatch
from parklink.regions.services import require_region, within

router = Router(tags=["parks"])

# Fields a PATCH may not set to null (text fields become "" instead).
_REQUIRED = ("kind", "region")
_TEXT = ("name", "short_name", "description")


def _changes(data: dict[str, Any]) -> dict[str, Any]:
    """Payload → service keyword arguments (region text → Region, parent id → Park)."""
    for name in _REQUIRED:
        if name in data and data[name] is None:
            raise Invalid.on(name, _("%(field)s 不能为空") % {"field": name})
    for name in _TEXT:
        if name in data and data[name] is None:
            data[name] = ""
    if data.get("region") is not None:
        data["region"] = require_region(data["region"])
    if data.get("parent") is not None:
        parent = Park.objects.filter(pk=data["parent"]).first()
        if parent is None:
            raise Invalid.on("parent", _("上级园区不存在: %(id)s") % {"id": data["parent"]})
        data["parent"] = parent
    return data


def _detailed(pk: int) -> Park:
    memberships = LinkageMember.objects.select_related("linkage").prefetch_related(
        Prefetch("linkage__members", queryset=LinkageMember.objects.select_related("park"))
    )
    park = (
        Park.objects.select_related("region", "parent", "owner")
        .prefetch_related(
            "industries",
            "resources",
            "indicators",
            "children",
            Prefetch("linkage_memberships", queryset=memberships),
        )
        .filter(pk=pk)
        .first()
    )
    if park is None:
        raise NotFound(_("园区不存在。"), detail={"id": pk})
    return park


@router.get("/", response=ParkPage, summary="List parks")
def list_parks(
    request: HttpRequest,
    kind: ParkKind | None = None,
    region: str | None = Query(None, description="adcode; includes parks in its sub-regions"),
    parent: int | None = Query(None, description="id of the parent park (一区多园)"),
    q: str | None = Query(None, description="name, pinyin or pinyin initials"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    qs: QuerySet[Park] = Park.objects.select_related("region", "parent", "owner")
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.filter(**within(region_by_adcode(region)))
    if parent:
        qs = qs.filter(parent_id=parent)
    if q:
        key = q.strip().lower()
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(short_name__icontains=q)
            | Q(name_pinyin__contains=key)
            | Q(name_initials__startswith=key)
        )
    qs = qs.order_by("name", "id")
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": list(qs[offset : offset + limit]),
    }


@router.get("/{park_id}", response=ParkDetailOut, summary="One park with its details")
def read_park(request: HttpRequest, park_id: int) -> Park:
    return _detailed(park_id)


@router.post("/", response={201: ParkDetailOut}, summary="Create a park")
def create_park(request: HttpRequest, payload: ParkIn) -> Status:
    user = current_user(request)
    data = payload.model_dump(exclude_none=True)
    owner_id = owner_id_for(user, data.pop("owner", None))
    park = services.create_park(user, owner_id=owner_id, **_changes(data))
    return Status(201, _detailed(park.pk))


@router.patch("/{park_id}", response=ParkDetailOut, summary="Change a park")
def update_park(request: HttpRequest, park_id: int, payload: ParkPatch) -> Park:
    park = _detailed(park_id)
    services.update_park(
        current_user(request), park, **_changes(payload.model_dump(exclude_unset=True))
    )
    return _detailed(park_id)
