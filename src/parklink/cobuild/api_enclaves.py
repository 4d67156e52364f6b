"""Innovation enclave API (/api/v1/cobuild/enclaves/): figures computed on read, and the
writes the enclave pages make (create, edit, the stays and introductions as rows).

An enclave the caller may not see (not the owner, nor an organisation whose region contains
the home county) is a 404, like a missing one; one the caller sees but may not change (a region
above the home county, a viewer) is a 403, as on the pages. Every write goes through
`services.enclaves`, so the API refuses what the pages refuse, with the same reasons.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from parklink.accounts.apitools import current_user, owner_id_for
from parklink.accounts.models import User
from parklink.cobuild.forms_details import find_enterprise
from parklink.cobuild.models import Enclave
from parklink.cobuild.schemas import (
    EnclaveDetailOut,
    EnclaveIn,
    EnclaveIntroductionIn,
    EnclaveOut,
    EnclavePatch,
    EnclaveRowsIn,
    EnclaveTenancyIn,
)
from parklink.cobuild.services import enclaves
from parklink.core.errors import Forbidden, Invalid
from parklink.enterprises.models import Enterprise
from parklink.regions.models import Region

router = Router(tags=["cobuild"])


def _figures(found: enclaves.Figures) -> dict[str, Any]:
    return {
        "tenants_now": found.tenants_now,
        "tenants_ever": found.tenants_ever,
        "landed": found.landed,
        "introduced": found.introduced,
        "investment": found.investment,
        "investment_projects": found.investment_projects,
        "projects_without_amount": found.projects_without_amount,
        "illustrative": found.illustrative,
    }


def _summary(enclave: Enclave, found: enclaves.Figures) -> dict[str, Any]:
    return {
        "id": enclave.pk,
        "name": enclave.name,
        "owner": enclave.owner,
        "home_region": enclave.home_region_id,
        "host_region": enclave.host_region_id,
        "park": enclave.park,
        "opened_on": enclave.opened_on,
        "figures": _figures(found),
    }


@router.get("/", response=list[EnclaveOut], summary="The enclaves the user may see, with figures")
def list_enclaves(request: HttpRequest) -> list[dict[str, Any]]:
    user: User = current_user(request)
    visible = (
        enclaves.visible_enclaves(user)
        .select_related("owner", "home_region", "host_region", "park")
        .order_by("name", "pk")
    )
    chosen = list(visible)
    computed = enclaves.figures_of(user, chosen)
    return [_summary(enclave, computed[enclave.pk]) for enclave in chosen]


def _detail(user: User, enclave: Enclave) -> dict[str, Any]:
    found = enclaves.figures(user, enclave)
    return {
        **_summary(enclave, found),
        "description": enclave.description,
        "tenants": [
            {
                "id": row.tenancy.pk,
                "enterprise": row.tenancy.enterprise,
                "moved_in": row.tenancy.moved_in,
                "moved_out": row.tenancy.moved_out,
                "current": row.current,
                "landed": row.landed,
                "landed_on": row.landed_on,
                "illustrative": row.tenancy.illustrative,
                "note": row.tenancy.note,
                "landings": [
                    {
                        "kind": item.kind,
                        "id": item.pk,
                        "label": item.label,
                        "place": item.place,
                        "on": item.on,
                        "total_investment": item.investment,
                    }
                    for item in row.landings
                ],
            }
            for row in found.rows
        ],
        "introductions": found.introductions,
    }


@router.get("/{enclave_id}", response=EnclaveDetailOut, summary="One enclave: figures, tenants")
def read_enclave(request: HttpRequest, enclave_id: int) -> dict[str, Any]:
    user = current_user(request)
    return _detail(user, enclaves.get_visible(user, enclave_id))


# ---------------------------------------------------------------- writes


def _region(adcode: str, field: str) -> Region:
    found = Region.objects.filter(adcode=adcode).first()
    if found is None:
        raise Invalid.on(field, _("未知的行政区划代码: %(adcode)s") % {"adcode": adcode})
    return found


def _enterprise(choice: int | str, where: str) -> Enterprise:
    """An enterprise by id, or by USCC or full name as the pages take it; else a 400 at `where`."""
    if isinstance(choice, int):
        found = Enterprise.objects.filter(pk=choice).first()
        if found is None:
            raise Invalid.on(where, _("企业不存在。"))
        return found
    result = find_enterprise(choice)
    if isinstance(result, str):
        raise Invalid.on(where, result)
    return result


def _reread(user: User, enclave_id: int) -> dict[str, Any]:
    return _detail(user, enclaves.get_visible(user, enclave_id))


@router.post("/", response={201: EnclaveDetailOut}, summary="Create an enclave")
def create_enclave(request: HttpRequest, payload: EnclaveIn) -> Status:
    user = current_user(request)
    if not user.can_write:
        raise Forbidden(_("当前角色只能查看,不能修改数据。"))
    owner_id = owner_id_for(user, payload.owner if user.is_superuser else None)
    if payload.owner is not None and payload.owner != owner_id:
        raise Forbidden(_("只能为本机构创建科创飞地。"))
    made = enclaves.create_enclave(
        user,
        owner_id=owner_id,
        name=payload.name,
        home_region=_region(payload.home_region, "home_region"),
        host_region=_region(payload.host_region, "host_region"),
        park_id=payload.park,
        opened_on=payload.opened_on,
        description=payload.description or "",
    )
    return Status(201, _reread(user, made.pk))


@router.patch("/{enclave_id}", response=EnclaveDetailOut, summary="Change an enclave's text")
def update_enclave(request: HttpRequest, enclave_id: int, payload: EnclavePatch) -> dict[str, Any]:
    user = current_user(request)
    enclave = enclaves.get_visible(user, enclave_id)
    changes = payload.model_dump(exclude_unset=True)  # null name or region: 422 by the schema
    enclaves.update_enclave(
        user,
        enclave,
        name=changes.get("name", enclave.name),
        home_region=(
            _region(changes["home_region"], "home_region")
            if "home_region" in changes
            else enclave.home_region
        ),
        host_region=(
            _region(changes["host_region"], "host_region")
            if "host_region" in changes
            else enclave.host_region
        ),
        park_id=changes.get("park", enclave.park_id),
        opened_on=changes.get("opened_on", enclave.opened_on),
        description=changes.get("description", enclave.description) or "",
    )
    return _reread(user, enclave_id)


@router.put(
    "/{enclave_id}/rows",
    response=EnclaveDetailOut,
    summary="Replace the stays and introductions (as the edit page saves them)",
)
def replace_rows(request: HttpRequest, enclave_id: int, payload: EnclaveRowsIn) -> dict[str, Any]:
    user = current_user(request)
    enclave = enclaves.get_visible(user, enclave_id)
    stays = [
        enclaves.TenancyItem(
            item.id,
            _enterprise(item.enterprise, f"tenancies.{index}.enterprise"),
            item.moved_in,
            item.moved_out,
            item.note,
            item.illustrative,
        )
        for index, item in enumerate(payload.tenancies)
    ]
    intros = [
        enclaves.IntroductionItem(
            item.id,
            _enterprise(item.enterprise, f"introductions.{index}.enterprise"),
            item.introduced_on,
            item.note,
            item.illustrative,
        )
        for index, item in enumerate(payload.introductions)
    ]
    enclaves.replace_rows(user, enclave, stays, intros)
    return _reread(user, enclave_id)


@router.post(
    "/{enclave_id}/tenancies", response={201: EnclaveDetailOut}, summary="Record a tenant's stay"
)
def add_tenancy(request: HttpRequest, enclave_id: int, payload: EnclaveTenancyIn) -> Status:
    user = current_user(request)
    enclave = enclaves.get_visible(user, enclave_id)
    if payload.id is not None:
        raise Invalid.on("id", _("新增的入驻记录不带编号;修改请用 PUT …/rows。"))
    enclaves.add_tenancy(
        user,
        enclave,
        _enterprise(payload.enterprise, "enterprise"),
        moved_in=payload.moved_in,
        moved_out=payload.moved_out,
        note=payload.note,
        illustrative=payload.illustrative,
    )
    return Status(201, _reread(user, enclave_id))


@router.delete(
    "/{enclave_id}/tenancies/{tenancy_id}", response={204: None}, summary="Remove a stay"
)
def remove_tenancy(request: HttpRequest, enclave_id: int, tenancy_id: int) -> Status:
    user = current_user(request)
    enclaves.remove_tenancy(user, enclaves.get_visible(user, enclave_id), tenancy_id)
    return Status(204, None)


@router.post(
    "/{enclave_id}/introductions",
    response={201: EnclaveDetailOut},
    summary="Record an enterprise introduced through the enclave",
)
def add_introduction(
    request: HttpRequest, enclave_id: int, payload: EnclaveIntroductionIn
) -> Status:
    user = current_user(request)
    enclave = enclaves.get_visible(user, enclave_id)
    if payload.id is not None:
        raise Invalid.on("id", _("新增的引入记录不带编号;修改请用 PUT …/rows。"))
    enclaves.add_introduction(
        user,
        enclave,
        _enterprise(payload.enterprise, "enterprise"),
        introduced_on=payload.introduced_on,
        note=payload.note,
        illustrative=payload.illustrative,
    )
    return Status(201, _reread(user, enclave_id))


@router.delete(
    "/{enclave_id}/introductions/{introduction_id}",
    response={204: None},
    summary="Remove an introduction",
)
def remove_introduction(request: HttpRequest, enclave_id: int, introduction_id: int) -> Status:
    user = current_user(request)
    enclaves.remove_introduction(user, enclaves.get_visible(user, enclave_id), introduction_id)
    return Status(204, None)
