"""Aftercare visits (安商稳商走访) as the kpi pages and reports show them.

The visits themselves are the engagements app's records (`engagements.services.visits`);
kpi only counts them per organisation and period, and lists, in a report, those the acting
user may see.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet

from parklink.accounts.models import User
from parklink.core.registry import registry
from parklink.engagements.models import Engagement
from parklink.engagements.services import visits
from parklink.kpi.engine.periods import Period


def counts(org_ids: list[int], period: Period) -> dict[int, int]:
    """Aftercare visits held in the period, per organisation (0 when none)."""
    found = {pk: 0 for pk in org_ids}
    if not org_ids:
        return found
    rows = (
        visits(org_ids, period.start, period.end)
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        found[row["owner_id"]] = row["n"]
    return found


def listed(user: User, org_id: int, period: Period) -> QuerySet[Engagement]:
    """The organisation's aftercare visits of the period that the user may see, by date."""
    seen = registry.visible(Engagement, user).values("pk")
    return (
        visits([org_id], period.start, period.end)
        .filter(pk__in=seen)
        .prefetch_related("enterprises")
    )
