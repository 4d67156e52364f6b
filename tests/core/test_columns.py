"""Does a value fit its column: text lengths and decimal widths, checked before saving."""

from __future__ import annotations

from decimal import Decimal

from parklink.core.columns import column_problems, too_long, width_problem
from parklink.parks.models import Park


class TestTooLong:
    def test_text_within_the_limit_fits(self) -> None:
        assert too_long("德格", 2) == ""

    def test_longer_text_names_the_limit(self) -> None:
        assert too_long("德格县", 2) == "最多 2 个字"


class TestWidthProblem:
    def test_a_number_that_fits(self) -> None:
        assert width_problem(Decimal("9999.99"), 6, 2) == ""

    def test_a_number_too_wide(self) -> None:
        assert width_problem(Decimal("10000"), 6, 2) == "数值过大"

    def test_a_number_that_rounds_up_past_the_width(self) -> None:
        assert width_problem(Decimal("9999.999"), 6, 2) == "数值过大"

    def test_a_number_wider_than_decimals_can_round(self) -> None:
        assert width_problem(Decimal("1E+40"), 20, 2) == "数值过大"

    def test_not_a_number(self) -> None:
        assert width_problem("abc", 6, 2) == "请填写数字"
        assert width_problem(Decimal("NaN"), 6, 2) == "请填写数字"


class TestColumnProblems:
    def test_problems_are_keyed_by_field(self) -> None:
        problems = column_problems(
            Park, {"name": "园" * 300, "planned_area_mu": Decimal("1E+12"), "short_name": "德格"}
        )
        assert problems == {"name": "最多 128 个字", "planned_area_mu": "数值过大"}

    def test_unknown_fields_and_blanks_are_left_alone(self) -> None:
        assert column_problems(Park, {"no_such_field": "x", "planned_area_mu": None}) == {}
