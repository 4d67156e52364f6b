"""Enterprise API: the shared registry; bad USCCs are 400, duplicates 409 naming the record."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from parklink.accounts.apitools import current_user, owner_id_for
from parklink.core.apitools import MAX_ID, MAX_OFFSET
from parklink.core.errors import Invalid, NotFound
from parklink.enterprises import services
from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.enterprises.schemas import (
    EnterpriseDetailOut,
    EnterpriseIn,
    EnterprisePage,
    EnterprisePatch,
)
from parklink.parks.models import Park
from parklink.regions.apitools import region_by_adcode
from parklink.regions.services import require_region, within

router = Router(tags=["enterprises"])

_TEXT = ("name", "short_name", "industry_code", "description", "business_scope")
_FLAGS = ("is_chain_leader", "is_listed", "is_high_tech", "is_above_scale", "is_specialised_sme")


def _changes(data: dict[str, Any]) -> dict[str, Any]:
    """Payload → service keyword arguments (region text → region_id)."""
    data.pop("registered_capital_wan", None)  # already folded into registered_capital
    if "region" in data:
        if data["region"] is None:
            raise Invalid.on("region", _("注册地不能为空"))
        data["region_id"] = require_region(data.pop("region")).pk
    for name in _TEXT:
        if name in data and data[name] is None:
            data[name] = ""
    for name in _FLAGS:
        if name in data and data[name] is None:
            raise Invalid.on(name, _("%(field)s 不能为空") % {"field": name})
    return data


def _site(data: dict[str, Any]) -> dict[str, Any]:
    site: dict[str, Any] = {"role": data["role"], "address": data.get("address", "")}
    if data.get("park") is not None:
        park = Park.objects.filter(pk=data["park"]).first()
        if park is None:
            raise Invalid.on("sites", _("园区不存在: %(id)s") % {"id": data["park"]})
        site["park_id"] = park.pk
        site["region_id"] = park.region_id
    if data.get("region"):
        site["region_id"] = require_region(data["region"]).pk
    return site


def _detailed(pk: int) -> Enterprise:
    sites = EnterpriseSite.objects.select_related("park", "region")
    enterprise = (
        Enterprise.objects.select_related("region", "owner")
        .prefetch_related(Prefetch("sites", queryset=sites))
        .filter(pk=pk)
        .first()
    )
    if enterprise is None:
        raise NotFound(_("企业不存在。"), detail={"id": pk})
    return enterprise


@router.get("/", response=EnterprisePage, summary="List enterprises")
def list_enterprises(
    request: HttpRequest,
    region: str | None = Query(None, description="adcode; includes its sub-regions"),
    industry_code: str | None = Query(None, description="GB/T 4754 code or its leading part"),
    park: int | None = Query(
        None, ge=1, le=MAX_ID, description="id of a park where the enterprise has a site"
    ),
    q: str | None = Query(None, description="name, pinyin, initials or USCC"),
    is_chain_leader: bool | None = None,
    is_listed: bool | None = None,
    is_high_tech: bool | None = None,
    is_above_scale: bool | None = None,
    is_specialised_sme: bool | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    qs: QuerySet[Enterprise] = Enterprise.objects.select_related("region", "owner")
    if region:
        qs = qs.filter(**within(region_by_adcode(region)))
    if industry_code:
        qs = qs.filter(industry_code__startswith=industry_code)
    if park:
        qs = qs.filter(Q(sites__park_id=park) | Q(sites__park__parent_id=park)).distinct()
    flags = {
        "is_chain_leader": is_chain_leader,
        "is_listed": is_listed,
        "is_high_tech": is_high_tech,
        "is_above_scale": is_above_scale,
        "is_specialised_sme": is_specialised_sme,
    }
    qs = qs.filter(**{name: value for name, value in flags.items() if value is not None})
    if q:
        key = q.strip().lower()
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(short_name__icontains=q)
            | Q(name_pinyin__contains=key)
            | Q(name_initials__startswith=key)
            | Q(uscc__startswith=q.strip().upper())
        )
    qs = qs.order_by("name", "id")
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": list(qs[offset : offset + limit]),
    }


@router.get(
    "/{enterprise_id}", response=EnterpriseDetailOut, summary="One enterprise with its sites"
)
def read_enterprise(request: HttpRequest, enterprise_id: int) -> Enterprise:
    return _detailed(enterprise_id)


@router.post("/", response={201: EnterpriseDetailOut}, summary="Create an enterprise")
def create_enterprise(request: HttpRequest, payload: EnterpriseIn) -> Status:
    user = current_user(request)
    data = payload.model_dump(exclude_none=True)
    owner_id = owner_id_for(user, data.pop("owner", None))
    sites = [_site(site) for site in data.pop("sites", None) or []]
    enterprise = services.create_enterprise(user, owner_id=owner_id, sites=sites, **_changes(data))
    return Status(201, _detailed(enterprise.pk))


@router.patch("/{enterprise_id}", response=EnterpriseDetailOut, summary="Change an enterprise")
def update_enterprise(
    request: HttpRequest, enterprise_id: int, payload: EnterprisePatch
) -> Enterprise:
    enterprise = _detailed(enterprise_id)
    data = payload.model_dump(exclude_unset=True)
    if data.get("sites") is not None:
        data["sites"] = [_site(site) for site in data["sites"]]
    else:
        data.pop("sites", None)
    services.update_enterprise(current_user(request), enterprise, **_changes(data))
    return _detailed(enterprise_id)
