"""三类三色 colours from months without progress."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parklink.projects.ageing import Colour, Thresholds, bounds, colour, months_before

T = Thresholds()
TODAY = date(2026, 11, 22)


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
