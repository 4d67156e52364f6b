"""Before an engagement: who in the installation last met an enterprise, and which other
agencies visited it recently (the complaint: several agencies visiting one firm unaware of
each other). Only the installation-wide facts are read: organisation, date, kind."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from parklink.accounts.models import User
from parklink.engagements import queries
from parklink.engagements.models import Engagement, EngagementKind
from parklink.engagements.rules import RECENT_DAYS, Fact, last_by_enterprise, recent_by_others
from parklink.projects.queries import today


@dataclass(frozen=True)
class Met:
    """A fact as a page shows it: organisation, date and the kind's label."""

    org_id: int
    org_name: str
    held_on: date
    kind: str
    kind_label: str
    engagement_id: int

    @classmethod
    def of(cls, fact: Fact) -> Met:
        return cls(
            fact.org_id,
            fact.org_name,
            fact.held_on,
            fact.kind,
            str(EngagementKind(fact.kind).label),
            fact.engagement_id,
        )


@dataclass(frozen=True)
class Briefing:
    """What an officer sees about one enterprise before meeting it."""

    enterprise_id: int
    last: Met | None
    others_recent: list[Met]
    days: int


def facts(user: User, enterprise_ids: Iterable[int]) -> list[Fact]:
    """The meeting facts about these enterprises that `user` may know (one query)."""
    ids = sorted(set(enterprise_ids))
    if not ids:
        return []
    through = Engagement.enterprises.through
    rows = through.objects.filter(
        enterprise_id__in=ids, engagement__in=queries.meeting_facts(user).values("pk")
    ).values_list(
        "enterprise_id",
        "engagement_id",
        "engagement__owner_id",
        "engagement__owner__name",
        "engagement__held_on",
        "engagement__kind",
    )
    return [Fact(*row) for row in rows]


def briefing(user: User, enterprise_id: int, days: int = RECENT_DAYS) -> Briefing:
    found = facts(user, [enterprise_id])
    on = today()
    last = last_by_enterprise(found, on).get(enterprise_id)
    return Briefing(
        enterprise_id=enterprise_id,
        last=Met.of(last) if last else None,
        others_recent=[Met.of(f) for f in recent_by_others(found, user.organization_id, on, days)],
        days=days,
    )


def last_met(user: User, enterprise_ids: Iterable[int]) -> dict[int, Fact]:
    """Each enterprise's latest meeting held so far, by any organisation."""
    return last_by_enterprise(facts(user, enterprise_ids), today())
