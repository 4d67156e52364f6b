"""Read-only API of the region registry: list, look up by adcode, resolve free text."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from parklink.core.apitools import MAX_OFFSET, ApiError
from parklink.core.errors import NotFound
from parklink.regions.models import Region, RegionLevel
from parklink.regions.schemas import RegionDetailOut, RegionOut, RegionPage
from parklink.regions.services import resolve_region

router = Router(tags=["regions"])


@router.get("/", response=RegionPage, summary="List regions")
def list_regions(
    request: HttpRequest,
    level: RegionLevel | None = None,
    parent: str | None = Query(None, description="adcode of the parent region"),
    q: str | None = Query(None, description="part of the name, or the leading digits of an adcode"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, object]:
    qs: QuerySet[Region] = Region.objects.all()
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent_id=parent)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(full_name__icontains=q) | Q(adcode__startswith=q))
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": list(qs.order_by("adcode")[offset : offset + limit]),
    }


# Declared before "/{adcode}" so that "resolve" is not read as an adcode.
@router.get(
    "/resolve",
    response={200: RegionOut, 404: ApiError},
    summary="Resolve a place name to a region",
)
def resolve(request: HttpRequest, text: str) -> Region:
    region = resolve_region(text)
    if region is None:
        raise NotFound(_("无法识别的行政区划: %(text)s") % {"text": text}, detail={"text": text})
    return region


@router.get("/{adcode}", response=RegionDetailOut, summary="One region with its children")
def read_region(request: HttpRequest, adcode: str) -> Region:
    region = Region.objects.prefetch_related("children").filter(adcode=adcode).first()
    if region is None:
        raise NotFound(
            _("行政区划代码不存在: %(adcode)s") % {"adcode": adcode}, detail={"adcode": adcode}
        )
    return region
