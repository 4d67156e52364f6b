"""Which dates ParkLink accepts, per kind of date (no Django imports).

Every date a user enters is one of a few kinds, and each kind has the same bounds wherever it
is entered (pages, API, imports): the services call `refusal` and word the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

# Nothing ParkLink records happened before the People's Republic was founded.
EARLIEST = date(1949, 10, 1)
# How far ahead a plan may reach (a milestone or an approval due in ten years at most).
PLANNED_YEARS_AHEAD = 10
# Dates are compared with today in settings.TIME_ZONE (China Standard Time), the users' civil
# date, so no tolerance is added: tomorrow stays refused for something that has happened.
TOLERANCE = timedelta(days=0)


class DateKind(Enum):
    EVENT = "event"  # it happened: stage dates, approvals submitted/decided, milestones done, funds
    PLANNED = "planned"  # it is planned: milestone and approval due dates
    ESTABLISHED = "established"  # a park's (or an enterprise's) establishment


class Reason(Enum):
    TOO_EARLY = "too_early"  # before EARLIEST
    TOO_LATE = "too_late"  # after today, or beyond the planning horizon
    BEFORE_RECORD = "before_record"  # before the record it belongs to began (funds of a project)


@dataclass(frozen=True)
class Bounds:
    earliest: date
    latest: date


@dataclass(frozen=True)
class Refusal:
    reason: Reason
    bound: date  # the earliest or latest date that would have been accepted


def _years_ahead(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def bounds(kind: DateKind, today: date) -> Bounds:
    """The earliest and latest accepted date of `kind` on `today`."""
    if kind is DateKind.PLANNED:
        return Bounds(EARLIEST, _years_ahead(today, PLANNED_YEARS_AHEAD))
    return Bounds(EARLIEST, today + TOLERANCE)


def refusal(
    kind: DateKind, day: date, today: date, *, not_before: date | None = None
) -> Refusal | None:
    """Why `day` is not an acceptable date of `kind`, or None.

    `not_before` is the start of the record the date belongs to (a project's entry into the
    library for its funds in place); it is checked after the kind's own bounds.
    """
    limits = bounds(kind, today)
    if day < limits.earliest:
        return Refusal(Reason.TOO_EARLY, limits.earliest)
    if day > limits.latest:
        return Refusal(Reason.TOO_LATE, limits.latest)
    if not_before is not None and day < not_before:
        return Refusal(Reason.BEFORE_RECORD, not_before)
    return None
