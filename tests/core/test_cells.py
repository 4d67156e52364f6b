"""core.cells: reading one cell (amounts, whole numbers, dates, yes/no, choices, codes)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from parklink.core import cells
from parklink.core.cells import CellError
from parklink.core.imports import Column


class TestAmount:
    def test_text_in_yi_yuan_is_read_in_yuan(self) -> None:
        assert cells.amount()("5.6亿元") == Decimal("560000000.00")

    def test_text_in_wan_yuan_is_read_in_yuan(self) -> None:
        assert cells.amount()("350万元") == Decimal("3500000.00")

    def test_bare_number_with_thousands_separator_is_in_wan_yuan(self) -> None:
        assert cells.amount()("1,200") == Decimal("12000000.00")

    def test_numeric_cell_is_in_wan_yuan(self) -> None:
        assert cells.amount()(12.5) == Decimal("125000.00")

    def test_full_width_digits_are_accepted(self) -> None:
        assert cells.amount()("１２亿元") == Decimal("1200000000.00")

    def test_header_unit_changes_the_unit_of_bare_numbers(self) -> None:
        column = Column("total", "总投资(万元)", "total", cells.amount(), unit_parser=cells.amount)
        assert column.parser_for("总投资(亿元)")(3) == Decimal("300000000.00")
        assert column.parser_for("总投资")(3) == Decimal("30000.00")

    def test_words_are_refused_with_a_reason(self) -> None:
        with pytest.raises(CellError) as caught:
            cells.amount()("约五亿")
        assert "5.6亿元" in caught.value.reason_zh

    @pytest.mark.parametrize("value", ["99999999999999999999999999亿元", 1e30])
    def test_a_number_too_wide_to_compute_is_refused_with_a_reason(self, value: object) -> None:
        with pytest.raises(CellError) as caught:
            cells.amount()(value)
        assert "金额过大" in caught.value.reason_zh
        assert "too large" in caught.value.reason_en

    def test_an_amount_wider_than_the_database_column_is_refused(self) -> None:
        # The amount columns hold 18 digits, two of them after the point: under 1亿亿元.
        with pytest.raises(CellError) as caught:
            cells.amount()("10000000000000000元")
        assert "金额过大" in caught.value.reason_zh

    def test_the_widest_amount_the_column_holds_is_accepted(self) -> None:
        widest = "9999999999999999.99元"
        assert cells.amount()(widest) == Decimal("9999999999999999.99")


class TestInteger:
    @pytest.mark.parametrize("value", ["1,200", "1200人", 1200.0, 1200])
    def test_whole_numbers_are_read(self, value: object) -> None:
        assert cells.integer(value) == 1200

    @pytest.mark.parametrize("value", ["-3", "2.5", "很多"])
    def test_what_is_not_a_count_is_refused(self, value: object) -> None:
        with pytest.raises(CellError):
            cells.integer(value)

    def test_a_number_wider_than_the_database_column_is_refused(self) -> None:
        with pytest.raises(CellError) as caught:
            cells.integer("99999999999999999999")
        assert "过大" in caught.value.reason_zh


class TestDay:
    @pytest.mark.parametrize(
        "text", ["2024-01-19", "2024/1/19", "2024年1月19日", "2024.1.19", "20240119"]
    )
    def test_written_dates_are_read(self, text: str) -> None:
        assert cells.day(text) == date(2024, 1, 19)

    def test_excel_date_cell_is_read(self) -> None:
        assert cells.day(datetime(2024, 1, 19, 0, 0)) == date(2024, 1, 19)

    def test_excel_serial_number_is_read(self) -> None:
        assert cells.day(45310) == date(2024, 1, 19)

    def test_impossible_date_is_refused(self) -> None:
        with pytest.raises(CellError):
            cells.day("2024-02-30")


class TestBoolean:
    @pytest.mark.parametrize("text", ["是", "Y", "true", "1", "√"])
    def test_yes_words(self, text: str) -> None:
        assert cells.boolean(text) is True

    @pytest.mark.parametrize("text", ["否", "n", "FALSE", "0", 0])
    def test_no_words(self, text: object) -> None:
        assert cells.boolean(text) is False

    def test_other_words_are_refused(self) -> None:
        with pytest.raises(CellError):
            cells.boolean("也许")


class TestChoice:
    parse = staticmethod(cells.choice([("A", "A类(成熟)"), ("B", "B类(较成熟)")], {"成熟": "A"}))

    def test_code_label_label_without_note_and_alias_all_match(self) -> None:
        assert {self.parse(v) for v in ("a", "A类(成熟)", "A类（成熟）", "A类", "成熟")} == {"A"}

    def test_unknown_value_lists_the_labels(self) -> None:
        with pytest.raises(CellError) as caught:
            self.parse("D")
        assert caught.value.reason_zh == "应为以下之一:A类(成熟)、B类(较成熟)"


class TestIndustryCode:
    def test_four_digit_class_with_section_letter_keeps_the_digits(self) -> None:
        assert cells.industry_code("C3985") == "3985"

    def test_numeric_cell_regains_its_leading_zero(self) -> None:
        assert cells.industry_code(1) == "01"

    def test_unknown_division_is_refused(self) -> None:
        with pytest.raises(CellError) as caught:
            cells.industry_code("9901")
        assert caught.value.reason_zh == "行业大类“99”不存在(GB/T 4754-2017)"

    def test_divisions_come_from_the_reference_table(self) -> None:
        assert len(cells.industry_divisions()) == 97
