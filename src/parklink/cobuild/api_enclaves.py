"""Innovation enclave API (/api/v1/cobuild/enclaves/): read only, figures computed on read.

An enclave the caller may not see (not the owner, nor an organisation whose region contains
the home county) is a 404, like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from parklink.accounts.apitools import current_user
from parklink.accounts.models import User
from parklink.cobuild.models import Enclave
from parklink.cobuild.schemas import EnclaveDetailOut, EnclaveOut
from parklink.cobuild.services import enclaves

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


@router.get("/{enclave_id}", response=EnclaveDetailOut, summary="One enclave: figures, tenants")
def read_enclave(request: HttpRequest, enclave_id: int) -> dict[str, Any]:
    user = current_user(request)
    enclave = enclaves.get_visible(user, enclave_id)
    found = enclaves.figures(user, enclave)
    return {
        **_summary(enclave, found),
        "description": enclave.description,
        "tenants": [
            {
                "enterprise": row.tenancy.enterprise,
                "moved_in": row.tenancy.moved_in,
                "moved_out": row.tenancy.moved_out,
                "current": row.current,
                "landed": row.landed,
                "landed_on": row.landed_on,
                "illustrative": row.tenancy.illustrative,
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
