"""三类三色: how long a project has gone without progress, as a colour (no Django).

A stalled project (停滞) has its own standing, `Colour.STALLED`, whatever its age: a stall is
not progress, so it is never green; how long it has gone without real progress is still
`last_progress_on` (stalling does not move it).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Colour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    REMOVAL = "removal"  # proposed for removal from the library
    STALLED = "stalled"  # its own standing: stalled projects are never green


# The colours measured by time since the last progress (STALLED is a standing, not a time).
TIMED: tuple[Colour, ...] = (Colour.GREEN, Colour.YELLOW, Colour.RED, Colour.REMOVAL)


@dataclass(frozen=True)
class Thresholds:
    yellow_months: int = 2
    red_months: int = 3
    removal_months: int = 6

    def __post_init__(self) -> None:
        if not 0 < self.yellow_months < self.red_months < self.removal_months:
            raise ValueError("thresholds must rise: yellow < red < removal")


def months_before(day: date, months: int) -> date:
    """The latest date from which `months` calendar months have passed by `day`.

    That is the same day `months` months earlier, clamped to that month's end; and from the
    last day of a month, the last day of the earlier month (31 Dec + 2 months = 28 Feb, so
    on 28 Feb two months have passed since 29, 30 and 31 December).
    """
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    length = monthrange(year, month)[1]
    if day.day == monthrange(day.year, day.month)[1]:
        return date(year, month, length)
    return date(year, month, min(day.day, length))


def colour(last_progress: date, today: date, thresholds: Thresholds) -> Colour:
    """Green until `yellow_months` pass without progress, then yellow, red, removal."""
    if last_progress <= months_before(today, thresholds.removal_months):
        return Colour.REMOVAL
    if last_progress <= months_before(today, thresholds.red_months):
        return Colour.RED
    if last_progress <= months_before(today, thresholds.yellow_months):
        return Colour.YELLOW
    return Colour.GREEN


def standing(stalled: bool, last_progress: date, today: date, thresholds: Thresholds) -> Colour:
    """A project's colour: STALLED for a stalled one, else its `colour` by time."""
    return Colour.STALLED if stalled else colour(last_progress, today, thresholds)


def bounds(target: Colour, today: date, thresholds: Thresholds) -> tuple[date | None, date | None]:
    """(after, up_to) limits on last-progress dates that give `target` — used in DB filters.

    A date d has the colour when `after < d <= up_to` (None means unbounded). STALLED is not
    a time: it has no bounds (ValueError).
    """
    if target not in TIMED:
        raise ValueError(f"{target} is a standing, not measured by time")
    yellow = months_before(today, thresholds.yellow_months)
    red = months_before(today, thresholds.red_months)
    removal = months_before(today, thresholds.removal_months)
    return {
        Colour.GREEN: (yellow, None),
        Colour.YELLOW: (red, yellow),
        Colour.RED: (removal, red),
        Colour.REMOVAL: (None, removal),
    }[target]
