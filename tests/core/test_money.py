"""Amounts: units at the edges, 元 inside, exact to the fen."""

from decimal import Decimal

import pytest

from parklink.core.money import AmountError, format_amount, in_unit, parse_amount, to_yuan


class TestParseAmount:
    @pytest.mark.parametrize(
        ("text", "yuan"),
        [
            ("5.6亿元", Decimal("560000000.00")),
            ("350万元", Decimal("3500000.00")),
            ("83.44亿元", Decimal("8344000000.00")),
            ("1,200", Decimal("12000000.00")),  # default unit 万元
            ("12元", Decimal("12.00")),
            ("  10 亿 ", Decimal("1000000000.00")),
        ],
    )
    def test_reads_amounts_with_units(self, text: str, yuan: Decimal) -> None:
        assert parse_amount(text) == yuan

    def test_numbers_take_the_default_unit(self) -> None:
        assert parse_amount(Decimal("2.7"), default_unit="亿元") == Decimal("270000000.00")

    @pytest.mark.parametrize("text", ["", "abc", "5.6美元", "亿元"])
    def test_refuses_what_is_not_an_amount(self, text: str) -> None:
        with pytest.raises(AmountError):
            parse_amount(text)

    def test_rounds_to_the_fen(self) -> None:
        assert to_yuan("0.000001", "万元") == Decimal("0.01")

    @pytest.mark.parametrize("value", ["99999999999999999999999999亿元", Decimal("1E+30"), 1e30])
    def test_a_number_too_wide_to_round_to_the_fen_is_not_an_amount(self, value: object) -> None:
        with pytest.raises(AmountError):
            parse_amount(value)  # type: ignore[arg-type]

    @pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("-Infinity")])
    def test_not_a_number_and_infinity_are_not_amounts(self, value: object) -> None:
        with pytest.raises(AmountError):
            parse_amount(value)  # type: ignore[arg-type]


class TestFormatAmount:
    @pytest.mark.parametrize(
        ("yuan", "shown"),
        [
            (Decimal("12000000000"), "120亿元"),
            (Decimal("560000000"), "5.6亿元"),
            (Decimal("3500000"), "350万元"),
            (Decimal("980"), "980元"),
            (None, "—"),
        ],
    )
    def test_shows_the_largest_fitting_unit(self, yuan: Decimal | None, shown: str) -> None:
        assert format_amount(yuan) == shown

    def test_in_unit(self) -> None:
        assert in_unit(Decimal("560000000"), "亿元") == Decimal("5.6")


class TestFormatAmountInEnglish:
    @pytest.mark.parametrize(
        ("yuan", "shown"),
        [
            (Decimal("12000000000"), "¥12 bn"),
            (Decimal("560000000"), "¥560 m"),
            (Decimal("3500000"), "¥3.5 m"),
            (Decimal("980"), "¥980"),
        ],
    )
    def test_english_uses_millions_and_billions(self, yuan: Decimal, shown: str) -> None:
        assert format_amount(yuan, language="en") == shown


class TestUnits:
    def test_wan_and_yi_are_the_units_of_the_tables(self) -> None:
        from parklink.core.money import UNITS, WAN, YI

        assert UNITS["万元"] == UNITS["万"] == WAN == Decimal(10_000)
        assert UNITS["亿元"] == UNITS["亿"] == YI == WAN * WAN
