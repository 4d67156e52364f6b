"""The sentence of an allocation, in Chinese and English, formatted from fen exactly."""

from __future__ import annotations

from datetime import date

import pytest

from parklink.cobuild.ledger.explain import format_fen, sentence
from parklink.cobuild.ledger.types import EnterpriseFacts, LedgerState, Party
from tests.cobuild.ledger.support import YUAN, quarter, rule, run, year

FLY = [Party("jinniu", 1), Party("shifang", 2)]


class TestFormatFen:
    @pytest.mark.parametrize(
        ("fen", "text"),
        [
            (123_456_789, "1,234,567.89"),
            (5, "0.05"),
            (-5, "-0.05"),
            (0, "0.00"),
            (-100_000_000_001, "-1,000,000,000.01"),
            (10**20 + 1, "1,000,000,000,000,000,000.01"),  # beyond a float's precision
        ],
    )
    def test_formats_integer_fen(self, fen: int, text: str) -> None:
        assert format_fen(fen) == text


class TestSentence:
    def test_a_window_share_quotes_version_year_window_and_cap_left(self) -> None:
        params = {
            "window_years": 3,
            "extension_years": 2,
            "shares": {"jinniu": "1/2", "shifang": "1/2"},
            "capped_party": "jinniu",
            "caps": {"E1": 1_000_000 * YUAN},
            "currency": "CNY",
            "basis": "迁出前三年缴纳的税收",
            "after": {"shifang": "1"},
        }
        facts = [
            EnterpriseFacts("E1", moved_on=date(2024, 1, 1), full_production_on=date(2024, 1, 1))
        ]
        state = LedgerState(cap_used={("r1", "E1", "jinniu"): 300_000 * YUAN})
        result = run(
            [rule("window_cap", params)],
            [("E1", 123_456_789)],
            FLY,
            quarter(2025, 1),
            facts=facts,
            state=state,
        )
        first, second = result.allocations
        assert sentence(first) == (
            "增值税地方留成 1,234,567.89 元 × 50% = 617,283.95 元"
            "(协议第2版,2025Q1,第2年,窗口内,上限剩余 82,716.05 元)"
        )
        assert sentence(first, "en") == (
            "VAT, local retained part: CNY 1,234,567.89 × 50% = CNY 617,283.95 "
            "(agreement v2, 2025Q1, year 2, within the window, cap left CNY 82,716.05)"
        )
        assert sentence(second) == (
            "增值税地方留成 1,234,567.89 元 × 50% = 617,283.94 元(协议第2版,2025Q1,第2年,窗口内)"
        )

    def test_a_fixed_payment_shows_units_rate_and_months(self) -> None:
        params = {
            "payee": "shifang",
            "rate": 30_000 * YUAN,
            "units": 10,
            "start": "2020-01-01",
            "years": 15,
            "remainder": {"jinniu": "1"},
        }
        result = run([rule("fixed_payment", params)], [("E1", 0)], FLY, quarter(2025, 1))
        payment, remainder = result.allocations
        assert sentence(payment) == (
            "增值税地方留成 10 × 30,000.00 元/年 × 3/12 = 75,000.00 元(协议第2版,2025Q1,固定支付)"
        )
        assert sentence(remainder, "en") == (
            "VAT, local retained part: CNY -75,000.00 × 100% = CNY -75,000.00 "
            "(agreement v2, 2025Q1, remainder after the fixed payment)"
        )

    def test_jobs_are_persons_and_shares_are_exact_percentages(self) -> None:
        shares = {"jinniu": "1/3", "shifang": "2/3"}
        result = run(
            [rule("fixed_ratio", {"shares": shares}, indicator="jobs")],
            [("E1", 100)],
            FLY,
            year(2025),
            indicator="jobs",
        )
        assert sentence(result.allocations[0]) == (
            "就业人数 100 人 × 100/3% = 33 人(协议第2版,2025,固定比例)"
        )
        assert sentence(result.allocations[1], "en") == (
            "jobs: 100 persons × 200/3% = 67 persons (agreement v2, 2025, fixed ratio)"
        )

    def test_a_tier_names_its_range(self) -> None:
        params = {
            "tiers": [
                {"upto": 10_000_000 * YUAN, "shares": {"jinniu": "50%", "shifang": "50%"}},
                {"upto": None, "shares": {"jinniu": "30%", "shifang": "70%"}},
            ]
        }
        state = LedgerState(ytd={("r1", "E1", "2025"): 9_000_000 * YUAN})
        result = run(
            [rule("tiered", params)], [("E1", 2_000_000 * YUAN)], FLY, quarter(2025, 3), state=state
        )
        assert sentence(result.allocations[2]) == (
            "增值税地方留成 1,000,000.00 元 × 30% = 300,000.00 元"
            "(协议第2版,2025Q3,第2档,全年累计 10,000,000.00 元 以上)"
        )
        assert sentence(result.allocations[0], "en").endswith(
            "(agreement v2, 2025Q3, tier 1, year to date CNY 0.00 to CNY 10,000,000.00)"
        )
