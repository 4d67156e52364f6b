"""Period labels → first and last day (plain Python)."""

from __future__ import annotations

from datetime import date

import pytest

from parklink.cobuild.periods import PeriodError, overlaps, parse


class TestParse:
    def test_a_year(self) -> None:
        period = parse("2025")
        assert (period.label, period.start, period.end) == (
            "2025",
            date(2025, 1, 1),
            date(2025, 12, 31),
        )

    def test_a_quarter_lower_case_is_normalised(self) -> None:
        period = parse(" 2025q1 ")
        assert (period.label, period.start, period.end) == (
            "2025Q1",
            date(2025, 1, 1),
            date(2025, 3, 31),
        )

    def test_the_fourth_quarter_ends_on_new_years_eve(self) -> None:
        assert parse("2024Q4").end == date(2024, 12, 31)

    def test_a_month_in_a_leap_year(self) -> None:
        period = parse("2024-02")
        assert (period.start, period.end) == (date(2024, 2, 1), date(2024, 2, 29))

    @pytest.mark.parametrize("label", ["2025-13", "2025-00", "2025Q5", "25Q1", "2025/03", "", "Q1"])
    def test_malformed_labels_are_refused(self, label: str) -> None:
        with pytest.raises(PeriodError):
            parse(label)

    def test_a_year_out_of_range_is_refused_with_both_languages(self) -> None:
        with pytest.raises(PeriodError) as caught:
            parse("1900")
        assert "1949" in caught.value.reason_zh and "1949" in caught.value.reason_en


class TestOverlaps:
    def test_a_quarter_overlaps_its_year(self) -> None:
        assert overlaps(parse("2025Q2"), parse("2025"))

    def test_consecutive_months_do_not_overlap(self) -> None:
        assert not overlaps(parse("2025-03"), parse("2025-04"))
