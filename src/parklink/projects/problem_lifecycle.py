"""The status table of a project's problems (问题清单), no Django.

open (待协调) → coordinating (协调中) → solved (已解决), or escalated (已提级) to a higher
level when the project's own leader cannot settle it; an escalated problem comes back into
coordination or is solved; a solved one may be reopened when it comes back.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class Status(StrEnum):
    OPEN = "open"
    COORDINATING = "coordinating"
    SOLVED = "solved"
    ESCALATED = "escalated"


ALLOWED: dict[Status, frozenset[Status]] = {
    Status.OPEN: frozenset({Status.COORDINATING, Status.SOLVED, Status.ESCALATED}),
    Status.COORDINATING: frozenset({Status.SOLVED, Status.ESCALATED}),
    Status.ESCALATED: frozenset({Status.COORDINATING, Status.SOLVED}),
    Status.SOLVED: frozenset({Status.OPEN}),  # reopened: it came back
}
# Not yet settled: these count as open problems and may fall overdue.
UNSETTLED: frozenset[Status] = frozenset({Status.OPEN, Status.COORDINATING, Status.ESCALATED})
# Moves that must say why (how it was solved, why it goes up, why it is back).
NOTE_REQUIRED: frozenset[Status] = frozenset({Status.SOLVED, Status.ESCALATED})
ORDER: tuple[Status, ...] = (Status.OPEN, Status.COORDINATING, Status.ESCALATED, Status.SOLVED)


class Refusal(StrEnum):
    UNKNOWN = "unknown"
    SAME = "same"
    NOT_ALLOWED = "not_allowed"


def allowed_targets(current: Status | str) -> list[Status]:
    """Where a problem at `current` may go, in a fixed order."""
    return sorted(ALLOWED[Status(current)], key=ORDER.index)


def refusal(current: Status | str, target: Status | str) -> Refusal | None:
    """Why `current` → `target` is refused, or None when it is allowed."""
    try:
        current, target = Status(current), Status(target)
    except ValueError:
        return Refusal.UNKNOWN
    if current == target:
        return Refusal.SAME
    return None if target in ALLOWED[current] else Refusal.NOT_ALLOWED


def is_overdue(status: Status | str, deadline: date | None, today: date) -> bool:
    """An unsettled problem whose deadline has passed (the deadline day itself is not late)."""
    return Status(status) in UNSETTLED and deadline is not None and deadline < today
