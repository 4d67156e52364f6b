"""The problem status table (projects.problem_lifecycle): plain data, no database."""

from __future__ import annotations

from datetime import date

import pytest

from parklink.projects.problem_lifecycle import (
    Refusal,
    Status,
    allowed_targets,
    is_overdue,
    refusal,
)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("open", "coordinating"),
        ("open", "solved"),
        ("open", "escalated"),
        ("coordinating", "solved"),
        ("coordinating", "escalated"),
        ("escalated", "coordinating"),
        ("escalated", "solved"),
        ("solved", "open"),
    ],
)
def test_allowed_moves(current: str, target: str) -> None:
    assert refusal(current, target) is None


@pytest.mark.parametrize(
    ("current", "target", "why"),
    [
        ("solved", "escalated", Refusal.NOT_ALLOWED),
        ("coordinating", "open", Refusal.NOT_ALLOWED),
        ("open", "open", Refusal.SAME),
        ("open", "closed", Refusal.UNKNOWN),
    ],
)
def test_refused_moves(current: str, target: str, why: Refusal) -> None:
    assert refusal(current, target) is why


def test_targets_come_in_a_fixed_order() -> None:
    assert allowed_targets("open") == [Status.COORDINATING, Status.ESCALATED, Status.SOLVED]


def test_overdue_is_strictly_after_the_deadline_and_only_while_unsettled() -> None:
    day = date(2025, 3, 1)
    assert is_overdue("open", day, date(2025, 3, 2))
    assert not is_overdue("open", day, day)
    assert not is_overdue("solved", day, date(2025, 4, 1))
    assert is_overdue("escalated", day, date(2025, 4, 1))
    assert not is_overdue("open", None, date(2025, 4, 1))
