"""The engagements app's rules that need no database (no Django imports).

- when a follow-up falls due (`due_state`),
- who last met an enterprise and who else visited it recently (`last_by_enterprise`,
  `recent_by_others`), computed from plain `Fact` rows that the services read in one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

# A follow-up shows in the attention list this many days before it is due.
DUE_SOON_DAYS = 3
# "Recent" visits by other agencies, for aftercare planning.
RECENT_DAYS = 180


class DueState(Enum):
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    DUE_SOON = "due_soon"


def due_state(
    due_on: date, today: date, *, is_open: bool = True, soon_days: int = DUE_SOON_DAYS
) -> DueState | None:
    """Whether an open follow-up due on `due_on` is overdue, due today or due soon on `today`."""
    if not is_open:
        return None
    if due_on < today:
        return DueState.OVERDUE
    if due_on == today:
        return DueState.DUE_TODAY
    if due_on <= today + timedelta(days=soon_days):
        return DueState.DUE_SOON
    return None


@dataclass(frozen=True)
class Fact:
    """An installation-wide fact: organisation `org_id` met enterprise `enterprise_id`."""

    enterprise_id: int
    engagement_id: int
    org_id: int
    org_name: str
    held_on: date
    kind: str


def _latest_first(facts: Iterable[Fact]) -> list[Fact]:
    return sorted(facts, key=lambda f: (f.held_on, f.engagement_id), reverse=True)


def last_by_enterprise(facts: Iterable[Fact], today: date) -> dict[int, Fact]:
    """The latest meeting held on or before `today` with each enterprise (planned ones wait)."""
    found: dict[int, Fact] = {}
    for fact in _latest_first(f for f in facts if f.held_on <= today):
        found.setdefault(fact.enterprise_id, fact)
    return found


def recent_by_others(
    facts: Iterable[Fact], org_id: int | None, today: date, days: int = RECENT_DAYS
) -> list[Fact]:
    """Meetings by organisations other than `org_id` in the `days` up to `today`, latest first.

    One row per (organisation, engagement); planned meetings (after today) are listed too, so
    that an officer planning a visit sees the one another agency has already scheduled.
    """
    since = today - timedelta(days=days)
    seen: set[tuple[int, int]] = set()
    rows = []
    for fact in _latest_first(facts):
        if fact.org_id == org_id or fact.held_on < since:
            continue
        key = (fact.org_id, fact.engagement_id)
        if key in seen:
            continue
        seen.add(key)
        rows.append(fact)
    return rows
