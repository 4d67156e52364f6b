"""The home page's 招商情报 card: how many extracted projects wait for the user's review."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Count, Q
from django.http import HttpRequest

from parklink.accounts.models import User
from parklink.intel import queries
from parklink.intel.models import ItemStatus


def card_context(request: HttpRequest) -> dict[str, Any]:
    """The counts of the user's queue (the card hides itself when nothing was ingested)."""
    user = cast(User, request.user)
    counts = queries.visible_items(user).aggregate(
        pending=Count("pk", filter=Q(status=ItemStatus.PENDING)),
        updates=Count("pk", filter=Q(status=ItemStatus.PENDING, match__isnull=False)),
        documents=Count("document", distinct=True),
    )
    return {"intel": counts}
