"""An agreement's statuses and the table of allowed moves between them (plain Python, no Django).

draft → negotiating → signed → in_force → expired, and terminated from any status before the
end. Only `cobuild.services.lifecycle.transition` writes `Agreement.status`.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    IN_FORCE = "in_force"
    EXPIRED = "expired"
    TERMINATED = "terminated"


ORDER: tuple[Status, ...] = tuple(Status)

ALLOWED: dict[Status, frozenset[Status]] = {
    # A draft may be signed at once when the text was negotiated elsewhere.
    Status.DRAFT: frozenset({Status.NEGOTIATING, Status.SIGNED, Status.TERMINATED}),
    # Negotiation may send the text back to its drafters.
    Status.NEGOTIATING: frozenset({Status.DRAFT, Status.SIGNED, Status.TERMINATED}),
    Status.SIGNED: frozenset({Status.IN_FORCE, Status.TERMINATED}),
    Status.IN_FORCE: frozenset({Status.EXPIRED, Status.TERMINATED}),
    Status.EXPIRED: frozenset(),
    Status.TERMINATED: frozenset(),
}

# The parties may still change the agreement's text (header, parties, companies, fields).
EDITABLE: frozenset[Status] = frozenset({Status.DRAFT, Status.NEGOTIATING})
# Figures may be recorded and periods settled: while it binds, and after it ends for the
# periods it covered.
SETTLING: frozenset[Status] = frozenset({Status.SIGNED, Status.IN_FORCE, Status.EXPIRED})
# The moves that need a signing date.
NEEDS_SIGNING_DATE: frozenset[Status] = frozenset({Status.SIGNED})


def allowed_targets(current: Status | str) -> list[Status]:
    """The statuses an agreement at `current` may move to, in lifecycle order."""
    return sorted(ALLOWED[Status(current)], key=ORDER.index)


def is_allowed(current: Status | str, target: Status | str) -> bool:
    try:
        return Status(target) in ALLOWED[Status(current)]
    except ValueError:
        return False
