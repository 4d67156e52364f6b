"""Park API: the registry every user reads; only the owner organisation changes a park."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from parklink.accounts.apitools import current_user, owner_id_for
from parklink.core.apitools import MAX_ID, MAX_OFFSET
from parklink.core.errors import Invalid, NotFound
from parklink.parks import services
from parklink.parks.models import LinkageMember, Park, ParkKind, ParkLinkage
from parklink.parks.schemas import (
    IndicatorsIn,
    IndicatorsOut,
    IndustriesIn,
    IndustriesOut,
    LinkageDetailOut,
    LinkageIn,
    LinkagePage,
    LinkagePatch,
    ParkDetailOut,
    ParkIn,
    ParkPage,
    ParkPatch,
    ResourcesIn,
    ResourcesOut,
)
from parklink.regions.apitools import region_by_adcode
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
    parent: int | None = Query(
        None, ge=1, le=MAX_ID, description="id of the parent park (一区多园)"
    ),
    q: str | None = Query(None, description="name, pinyin or pinyin initials"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
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


# ---------------------------------------------------------------- a park's lists, replaced whole


def _park(park_id: int) -> Park:
    park = Park.objects.filter(pk=park_id).first()
    if park is None:
        raise NotFound(_("园区不存在。"), detail={"id": park_id})
    return park


@router.put("/{park_id}/industries", response=IndustriesOut, summary="Replace a park's industries")
def put_industries(request: HttpRequest, park_id: int, payload: IndustriesIn) -> dict[str, Any]:
    park = _park(park_id)
    items = [item.model_dump() for item in payload.items]
    services.set_industries(current_user(request), park, items)
    return {"items": list(park.industries.order_by("order", "pk"))}


@router.put("/{park_id}/resources", response=ResourcesOut, summary="Replace a park's resources")
def put_resources(request: HttpRequest, park_id: int, payload: ResourcesIn) -> dict[str, Any]:
    park = _park(park_id)
    items = [item.model_dump() for item in payload.items]
    services.set_resources(current_user(request), park, items)
    return {"items": list(park.resources.order_by("pk"))}


@router.put(
    "/{park_id}/indicators", response=IndicatorsOut, summary="Replace a park's yearly indicators"
)
def put_indicators(request: HttpRequest, park_id: int, payload: IndicatorsIn) -> dict[str, Any]:
    park = _park(park_id)
    items = [item.model_dump() for item in payload.items]
    services.set_indicators(current_user(request), park, items)
    return {"items": list(park.indicators.order_by("year", "indicator"))}


# ---------------------------------------------------------------- linkages (三园联动)


def _linkages() -> QuerySet[ParkLinkage]:
    members = LinkageMember.objects.select_related("park").order_by("order", "pk")
    return ParkLinkage.objects.select_related("owner").prefetch_related(
        Prefetch("members", queryset=members)
    )


def _linkage(linkage_id: int) -> ParkLinkage:
    linkage = _linkages().filter(pk=linkage_id).first()
    if linkage is None:
        raise NotFound(_("园区联动不存在。"), detail={"id": linkage_id})
    return linkage


@router.get("/linkages/", response=LinkagePage, summary="List park linkages (三园联动)")
def list_linkages(
    request: HttpRequest,
    park: int | None = Query(None, ge=1, le=MAX_ID, description="id of a member park"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    qs = _linkages()
    if park:
        qs = qs.filter(pk__in=LinkageMember.objects.filter(park_id=park).values("linkage_id"))
    qs = qs.order_by("name", "pk")
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": list(qs[offset : offset + limit]),
    }


@router.get("/linkages/{linkage_id}", response=LinkageDetailOut, summary="One park linkage")
def read_linkage(request: HttpRequest, linkage_id: int) -> ParkLinkage:
    return _linkage(linkage_id)


@router.post("/linkages/", response={201: LinkageDetailOut}, summary="Create a park linkage")
def create_linkage(request: HttpRequest, payload: LinkageIn) -> Status:
    user = current_user(request)
    data = payload.model_dump(exclude_unset=True)
    owner_id = owner_id_for(user, data.pop("owner", None))
    linkage = services.create_linkage(user, owner_id=owner_id, **data)
    return Status(201, _linkage(linkage.pk))


@router.patch("/linkages/{linkage_id}", response=LinkageDetailOut, summary="Change a park linkage")
def update_linkage(request: HttpRequest, linkage_id: int, payload: LinkagePatch) -> ParkLinkage:
    linkage = _linkage(linkage_id)
    data = payload.model_dump(exclude_unset=True)
    if "members" in data and data["members"] is None:
        raise Invalid.on("members", _("%(field)s 不能为空") % {"field": "members"})
    services.update_linkage(current_user(request), linkage, **data)
    return _linkage(linkage_id)
