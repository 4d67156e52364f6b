"""三类三色 colours from months without progress."""

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parklink.projects.ageing import (
    TIMED,
    Colour,
    Thresholds,
    bounds,
    colour,
    months_before,
    standing,
)

T = Thresholds()
TODAY = date(2026, 11, 22)


def add_months(day: date, months: int) -> date:
    """How a person counts months forward: the same day of the month, or the month's end."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


class TestColour:
    @pytest.mark.parametrize(
        ("last", "expected"),
        [
            (date(2026, 11, 1), Colour.GREEN),
            (date(2026, 9, 23), Colour.GREEN),
            (date(2026, 9, 22), Colour.YELLOW),
            (date(2026, 8, 22), Colour.RED),
            (date(2026, 5, 23), Colour.RED),
            (date(2026, 5, 22), Colour.REMOVAL),
        ],
    )
    def test_default_thresholds(self, last: date, expected: Colour) -> None:
        assert colour(last, TODAY, T) == expected

    def test_a_stalled_project_has_its_own_standing_whatever_its_age(self) -> None:
        assert standing(True, TODAY, TODAY, T) == Colour.STALLED
        assert standing(False, TODAY, TODAY, T) == Colour.GREEN
        with pytest.raises(ValueError):
            bounds(Colour.STALLED, TODAY, T)

    def test_thresholds_must_rise(self) -> None:
        with pytest.raises(ValueError):
            Thresholds(3, 2, 6)

    def test_month_end_is_clamped(self) -> None:
        assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)

    @given(st.dates(min_value=date(2015, 1, 1), max_value=TODAY))
    def test_bounds_agree_with_colour(self, last: date) -> None:
        found = colour(last, TODAY, T)
        after, up_to = bounds(found, TODAY, T)
        assert (after is None or last > after) and (up_to is None or last <= up_to)

    def test_two_months_after_the_last_day_of_a_month_end_at_a_shorter_months_end(self) -> None:
        # 31 December + 2 months is 28 February: the project turns yellow that day.
        assert colour(date(2026, 12, 31), date(2027, 2, 28), T) == Colour.YELLOW
        assert colour(date(2026, 12, 29), date(2027, 2, 28), T) == Colour.YELLOW
        assert colour(date(2026, 12, 29), date(2027, 2, 27), T) == Colour.GREEN

    def test_each_colour_starts_exactly_when_its_months_have_passed(self) -> None:
        # Every day of three years (month-end clamps and a leap February), looked at from a
        # few days either side of each threshold.
        order = list(TIMED)  # green, yellow, red, removal: each later one is worse
        steps = zip((T.yellow_months, T.red_months, T.removal_months), order[1:], strict=True)
        for months, shade in steps:
            for last in (date(2024, 1, 1) + timedelta(days=n) for n in range(3 * 366)):
                due = add_months(last, months)
                for today in (due + timedelta(days=offset) for offset in range(-3, 4)):
                    reached = order.index(colour(last, today, T)) >= order.index(shade)
                    assert reached == (due <= today), (last, today, shade)
