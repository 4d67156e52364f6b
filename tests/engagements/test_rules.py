"""The pure rules: when a follow-up falls due; who met an enterprise last; others' visits."""

from __future__ import annotations

from datetime import date

from parklink.engagements.rules import (
    DueState,
    Fact,
    due_state,
    last_by_enterprise,
    recent_by_others,
)

TODAY = date(2025, 3, 21)


class TestDueState:
    def test_overdue_today_soon_and_later(self) -> None:
        assert due_state(date(2025, 3, 20), TODAY) is DueState.OVERDUE
        assert due_state(TODAY, TODAY) is DueState.DUE_TODAY
        assert due_state(date(2025, 3, 24), TODAY) is DueState.DUE_SOON
        assert due_state(date(2025, 3, 25), TODAY) is None

    def test_closed_is_never_due(self) -> None:
        assert due_state(date(2025, 1, 1), TODAY, is_open=False) is None


def fact(
    engagement: int, org: int, day: date, enterprise: int = 1, kind: str = "visit_out"
) -> Fact:
    return Fact(enterprise, engagement, org, f"机构{org}", day, kind)


class TestLastMet:
    def test_latest_held_so_far_per_enterprise(self) -> None:
        facts = [
            fact(1, 10, date(2025, 1, 5)),
            fact(2, 20, date(2025, 3, 1)),
            fact(3, 30, date(2025, 4, 1)),  # planned: not yet met
            fact(4, 10, date(2024, 12, 1), enterprise=2),
        ]
        found = last_by_enterprise(facts, TODAY)
        assert found[1].engagement_id == 2
        assert found[2].engagement_id == 4

    def test_same_day_prefers_the_later_record(self) -> None:
        found = last_by_enterprise([fact(5, 10, TODAY), fact(6, 20, TODAY)], TODAY)
        assert found[1].org_id == 20


class TestRecentByOthers:
    def test_own_and_old_visits_left_out_planned_ones_kept(self) -> None:
        facts = [
            fact(1, 10, date(2025, 3, 1)),  # own
            fact(2, 20, date(2025, 3, 10)),
            fact(3, 30, date(2024, 1, 1)),  # too old
            fact(4, 30, date(2025, 4, 2)),  # planned by another agency
        ]
        rows = recent_by_others(facts, 10, TODAY, days=180)
        assert [r.engagement_id for r in rows] == [4, 2]

    def test_one_row_per_engagement_even_with_several_enterprises(self) -> None:
        facts = [fact(2, 20, date(2025, 3, 10), enterprise=1), fact(2, 20, date(2025, 3, 10), 2)]
        assert len(recent_by_others(facts, None, TODAY)) == 1
