"""Bounds of each kind of date (core.dates, pure)."""

from __future__ import annotations

from datetime import date

from parklink.core.dates import EARLIEST, DateKind, Reason, bounds, refusal

TODAY = date(2025, 3, 21)


class TestBounds:
    def test_events_lie_between_the_founding_and_today(self) -> None:
        found = bounds(DateKind.EVENT, TODAY)
        assert (found.earliest, found.latest) == (date(1949, 10, 1), TODAY)
        assert date(1949, 10, 1) == EARLIEST

    def test_plans_reach_ten_years_ahead(self) -> None:
        assert bounds(DateKind.PLANNED, TODAY).latest == date(2035, 3, 21)

    def test_ten_years_after_29_february_is_28_february(self) -> None:
        assert bounds(DateKind.PLANNED, date(2024, 2, 29)).latest == date(2034, 2, 28)

    def test_establishment_is_not_in_the_future(self) -> None:
        assert bounds(DateKind.ESTABLISHED, TODAY).latest == TODAY


class TestRefusal:
    def test_1900_is_too_early_for_a_stage_date(self) -> None:
        found = refusal(DateKind.EVENT, date(1900, 1, 1), TODAY)
        assert found is not None
        assert (found.reason, found.bound) == (Reason.TOO_EARLY, date(1949, 10, 1))

    def test_2099_is_too_late_for_an_establishment(self) -> None:
        found = refusal(DateKind.ESTABLISHED, date(2099, 1, 1), TODAY)
        assert found is not None
        assert (found.reason, found.bound) == (Reason.TOO_LATE, TODAY)

    def test_a_plan_next_year_is_fine_but_not_an_event(self) -> None:
        assert refusal(DateKind.PLANNED, date(2026, 1, 1), TODAY) is None
        assert refusal(DateKind.EVENT, date(2026, 1, 1), TODAY) is not None

    def test_before_the_record_began(self) -> None:
        found = refusal(DateKind.EVENT, date(1990, 1, 1), TODAY, not_before=date(2024, 1, 19))
        assert found is not None
        assert (found.reason, found.bound) == (Reason.BEFORE_RECORD, date(2024, 1, 19))

    def test_the_bounds_themselves_are_accepted(self) -> None:
        assert refusal(DateKind.EVENT, EARLIEST, TODAY) is None
        assert refusal(DateKind.EVENT, TODAY, TODAY, not_before=TODAY) is None
