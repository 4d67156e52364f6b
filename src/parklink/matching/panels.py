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
