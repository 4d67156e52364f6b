"""Matching's section on an enterprise's page: its open listings and a link to its policies."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from parklink.core.views import authenticated
from parklink.enterprises.models import Enterprise
from parklink.matching.models import ListingStatus
from parklink.matching.queries import visible_listings


def enterprise_panel(request: HttpRequest, enterprise: Enterprise) -> dict[str, Any] | None:
    user = authenticated(request)
    rows = list(
        visible_listings(user)
        .filter(enterprise=enterprise, status=ListingStatus.OPEN)
        .order_by("side", "-id")[:20]
    )
    return {"enterprise": enterprise, "listings": rows}


def project_siting(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    """A button to the project's siting page (项目选址) among the project page's actions."""
    authenticated(request)
    return {"project": project}


def park_capacity(request: HttpRequest, park: Any) -> dict[str, Any] | None:
    """The park's organisation may write its spare power and water for siting."""
    from parklink.accounts.services import ensure_can_write
    from parklink.core.views import permitted

    user = authenticated(request)
    if not permitted(ensure_can_write, user, park.owner_id):
        return None
    return {"park": park}


def park_promotion(request: HttpRequest, park: Any) -> dict[str, Any] | None:
    """A link to the park's public page (招商推介) once its organisation published something."""
    from parklink.matching.services.promotion import live

    authenticated(request)
    shown = live().filter(owner_id=park.owner_id, park=park).exists()
    return {"park": park} if shown else None


def enterprise_finance(request: HttpRequest, enterprise: Enterprise) -> dict[str, Any] | None:
    """The enterprise's financing needs and their matched products, as far as the user may see
    them (its region's officers; the staff of banks it was matched with, their own bank's
    matches only); nothing for anyone else."""
    from parklink.matching.services import finance

    user = authenticated(request)
    needs = list(
        finance.visible_needs(user)
        .filter(enterprise=enterprise)
        .select_related("product__bank")
        .order_by("-registered_on", "-pk")[:20]
    )
    if not needs:
        return None
    matches: dict[int, list[Any]] = {}
    for match in (
        finance.visible_matches(user)
        .filter(need__in=needs)
        .select_related("product__bank")
        .order_by("need_id", "rank")
    ):
        matches.setdefault(match.need_id, []).append(match)
    return {"enterprise": enterprise, "rows": [(need, matches.get(need.pk, [])) for need in needs]}
