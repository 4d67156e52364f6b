"""What the KPI app counts: the aftercare visits (安商稳商走访) of some organisations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet

from parklink.engagements.models import Engagement, EngagementKind


def visits(
    org_ids: Iterable[int],
    period_start: date,
    period_end: date,
    kind: str | Iterable[str] = EngagementKind.AFTERCARE,
) -> QuerySet[Engagement]:
    """Engagements of `kind` (one kind or several) owned by `org_ids`, held within the period
    (both ends included). The caller decides which organisations the user may assess; the
    queryset carries no user scope of its own and is ordered by date."""
    kinds = [kind] if isinstance(kind, str) else list(kind)
    return Engagement.objects.filter(
        owner_id__in=list(org_ids),
        held_on__gte=period_start,
        held_on__lte=period_end,
        kind__in=kinds,
    ).order_by("held_on", "id")
