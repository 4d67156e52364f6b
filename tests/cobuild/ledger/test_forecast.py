"""The forecast (预测) and its solver on hand-computed examples (docs/cobuild.md, "Forecast")."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from parklink.cobuild.ledger.forecast import (
    Assumptions,
    ForecastError,
    Scenario,
    Source,
    forecast,
    parse_mix,
    parse_ramp,
    run_scenario,
    year_factor,
    year_records,
)
from parklink.cobuild.ledger.solve import Question, solve, with_share
from parklink.cobuild.ledger.types import EnterpriseFacts, LedgerState, Party, RuleSpec
from tests.cobuild.ledger.support import rule

JINNIU, SHIFANG = Party("jinniu", 1), Party("shifang", 2)
FLY = [JINNIU, SHIFANG]
RAMP = (Fraction(3, 10), Fraction(6, 10), Fraction(1))
HALF_VAT = {"vat_local": Fraction(1, 2)}
# 1,000,000.00 元 of tax a year at full production, production from 2026-01-01.
PROJECT = Source("p1", "E1", 100_000_000, 0, date(2026, 1, 1))
SIX_FOUR = rule("fixed_ratio", {"shares": {"jinniu": "60%", "shifang": "40%"}}, key="ratio")
FACTS = {
    "E1": EnterpriseFacts("E1", moved_on=date(2026, 1, 1), full_production_on=date(2026, 1, 1))
}


def assumptions(
    years: int = 3, rate: Fraction = Fraction(0), ramp: tuple[Fraction, ...] = RAMP
) -> Assumptions:
    return Assumptions(2026, years, ramp, HALF_VAT, rate)


def window(cap: int = 40_000_000, years: int = 2, extension: int = 0) -> RuleSpec:
    return rule(
        "window_cap",
        {
            "window_years": years,
            "extension_years": extension,
            "shares": {"jinniu": "1/2", "shifang": "1/2"},
            "capped_party": "jinniu",
            "caps": {"E1": cap},
            "currency": "CNY",
            "basis": "迁出前三年缴纳的税收",
            "after": {"shifang": "1"},
        },
        key="window",
    )


class TestRamp:
    def test_a_year_from_its_first_day_follows_the_curve(self) -> None:
        assert [year_factor(PROJECT, y, RAMP) for y in (2025, 2026, 2027, 2028, 2030)] == [
            0,
            Fraction(3, 10),
            Fraction(6, 10),
            1,
            1,
        ]

    def test_a_start_in_july_gives_half_a_year_of_each_step(self) -> None:
        july = Source("p", "E1", 100, 0, date(2026, 7, 1))
        # 2026: six months at 30% → 15%; 2027: six at 30% and six at 60% → 45%
        assert year_factor(july, 2026, RAMP) == Fraction(15, 100)
        assert year_factor(july, 2027, RAMP) == Fraction(45, 100)

    def test_full_production_ends_the_ramp(self) -> None:
        early = Source("p", "E1", 100, 0, date(2026, 1, 1), date(2027, 1, 1))
        assert year_factor(early, 2027, RAMP) == 1

    def test_records_are_split_by_the_mix_and_added_per_enterprise(self) -> None:
        second = Source("p2", "E1", 10_000_001, 400, date(2020, 1, 1))
        mix = {"vat_local": Fraction(1, 2), "cit_local": Fraction(1, 4)}
        records = year_records([PROJECT, second], 2026, Assumptions(2026, 1, RAMP, mix))
        # VAT: 100,000,000 × 1/2 × 0.3 = 15,000,000 plus 10,000,001 × 1/2 = 5,000,000.5 → 5,000,001
        # CIT: 7,500,000 plus 2,500,000.25 → 2,500,000; output 400 (the second project only)
        assert [(r.enterprise, r.indicator, r.amount) for r in records] == [
            ("E1", "cit_local", 10_000_000),
            ("E1", "output", 400),
            ("E1", "vat_local", 20_000_001),
        ]

    def test_a_float_or_a_mix_over_everything_is_refused(self) -> None:
        with pytest.raises(ForecastError):
            parse_ramp([0.3])
        with pytest.raises(ForecastError):
            parse_ramp(["120%"])
        with pytest.raises(ForecastError):
            parse_mix({"vat_local": "60%", "cit_local": "50%"})
        with pytest.raises(ForecastError):
            parse_mix({"jobs": "10%"})
        assert parse_mix({"vat_local": "1/4"}) == {"vat_local": Fraction(1, 4)}


class TestForecast:
    def test_a_fixed_ratio_by_hand(self) -> None:
        # VAT 15,000,000 / 30,000,000 / 50,000,000 fen; 60% to jinniu, 40% to shifang
        [result] = forecast(
            [Scenario("current", "现行", [SIX_FOUR])], [PROJECT], {}, FLY, assumptions()
        )
        assert [row.money for row in result.rows] == [
            {"jinniu": 9_000_000, "shifang": 6_000_000},
            {"jinniu": 18_000_000, "shifang": 12_000_000},
            {"jinniu": 30_000_000, "shifang": 20_000_000},
        ]
        assert [row.recorded for row in result.rows] == [15_000_000, 30_000_000, 50_000_000]
        assert result.totals == {"jinniu": 57_000_000, "shifang": 38_000_000}
        assert result.unmatched == 0

    def test_present_value_is_exact(self) -> None:
        [result] = forecast(
            [Scenario("current", "现行", [SIX_FOUR])],
            [PROJECT],
            {},
            FLY,
            assumptions(rate=Fraction(1, 10)),
        )
        # 9e6 / 1.1 + 18e6 / 1.1² + 30e6 / 1.1³ = (9e6·1210 + 18e6·1100 + 30e6·1000) / 1331
        assert result.present_values["jinniu"] == Fraction(60_690_000_000, 1331)
        assert result.present_values["shifang"] == Fraction(40_460_000_000, 1331)

    def test_a_window_with_a_cap_carries_its_state_from_year_to_year(self) -> None:
        flat = assumptions(years=4, ramp=(Fraction(1),))  # 50,000,000 fen a year
        current = Scenario("current", "现行", [SIX_FOUR])
        proposed = Scenario("alt-1", "方案1", [window()])
        now, alternative = forecast([current, proposed], [PROJECT], FACTS, FLY, flat)
        assert now.totals == {"jinniu": 120_000_000, "shifang": 80_000_000}
        # 2026: half is 25,000,000; 2027: 15,000,000 (what is left of the cap), 10,000,000 over
        # it to shifang; 2028 and 2029: after the window, all to shifang
        assert [row.money["jinniu"] for row in alternative.rows] == [25_000_000, 15_000_000, 0, 0]
        assert alternative.totals == {"jinniu": 40_000_000, "shifang": 160_000_000}

    def test_the_state_of_the_last_settlement_is_carried_in(self) -> None:
        flat = assumptions(years=1, ramp=(Fraction(1),))
        used = LedgerState(cap_used={("window", "E1", "jinniu"): 30_000_000})
        [result] = forecast(
            [Scenario("alt", "方案", [window()])], [PROJECT], FACTS, FLY, flat, used
        )
        assert result.totals["jinniu"] == 10_000_000

    def test_what_no_rule_splits_is_counted_with_its_reason(self) -> None:
        [result] = forecast(
            [Scenario("alt", "方案", [window()])], [PROJECT], {}, FLY, assumptions()
        )
        assert result.unmatched == 95_000_000
        assert result.totals == {"jinniu": 0, "shifang": 0}
        assert result.reasons and "moved" in result.reasons[0].en

    def test_a_horizon_beyond_fifty_years_is_refused(self) -> None:
        with pytest.raises(ForecastError):
            forecast([], [PROJECT], {}, FLY, assumptions(years=51))


class TestSolve:
    current = Scenario("current", "现行", [SIX_FOUR])

    def test_the_ratio_giving_57_million_fen_over_three_years_is_60_percent(self) -> None:
        question = Question("ratio", "ratio", "jinniu", 57_000_000, 3)
        answer = solve(question, self.current, [PROJECT], {}, FLY, assumptions())
        # 59.99% gives 8,998,500 + 17,997,000 + 29,995,000 = 56,990,500: one step short
        assert answer.reachable and answer.share == Fraction(3, 5)
        assert answer.achieved == 57_000_000

    def test_more_than_everything_is_unreachable(self) -> None:
        question = Question("ratio", "ratio", "jinniu", 95_000_001, 3)
        answer = solve(question, self.current, [PROJECT], {}, FLY, assumptions())
        assert not answer.reachable and answer.value is None
        assert answer.achieved == 95_000_000  # all of it, at 100%

    def test_the_smallest_cap(self) -> None:
        flat = assumptions(ramp=(Fraction(1),))
        scenario = Scenario("alt", "方案", [window(cap=1, years=3)])
        question = Question("cap", "window", "jinniu", 60_000_000, 3)
        answer = solve(question, scenario, [PROJECT], FACTS, FLY, flat)
        assert (answer.value, answer.achieved) == (60_000_000, 60_000_000)

    def test_the_shortest_window(self) -> None:
        flat = assumptions(years=5, ramp=(Fraction(1),))
        scenario = Scenario("alt", "方案", [window(cap=10**12, years=1)])
        question = Question("window", "window", "jinniu", 75_000_000, 5)
        answer = solve(question, scenario, [PROJECT], FACTS, FLY, flat)
        assert (answer.value, answer.achieved) == (3, 75_000_000)

    def test_present_value_as_the_measure(self) -> None:
        # the present value of all the VAT at 10% is 101,150,000,000 / 1331 ≈ 75,995,492 fen;
        # 45,000,000 of it needs 59.22% (59.21% gives about 44,996,931)
        question = Question("ratio", "ratio", "jinniu", 45_000_000, 3, measure="present_value")
        answer = solve(
            question, self.current, [PROJECT], {}, FLY, assumptions(rate=Fraction(1, 10))
        )
        assert answer.value == 5922
        assert 45_000_000 <= answer.achieved < 45_010_000

    def test_a_cap_question_on_a_ratio_rule_is_refused(self) -> None:
        with pytest.raises(ForecastError):
            solve(
                Question("cap", "ratio", "jinniu", 1, 3),
                self.current,
                [PROJECT],
                {},
                FLY,
                assumptions(),
            )

    def test_the_other_parties_keep_their_proportions(self) -> None:
        params = {"shares": {"a": "1/2", "b": "1/4", "c": "1/4"}}
        assert with_share(params, "a", Fraction(1, 5))["shares"] == {
            "a": "1/5",
            "b": "2/5",
            "c": "2/5",
        }

    def test_every_answer_is_checked_by_a_forecast(self) -> None:
        question = Question("ratio", "ratio", "jinniu", 57_000_000, 3)
        answer = solve(question, self.current, [PROJECT], {}, FLY, assumptions())
        assert answer.share is not None
        rules = [
            rule("fixed_ratio", with_share(SIX_FOUR.params, "jinniu", answer.share), key="ratio")
        ]
        checked = run_scenario(Scenario("x", "x", rules), [PROJECT], {}, FLY, assumptions())
        assert checked.totals["jinniu"] == answer.achieved
