"""One hand-computed worked example per rule kind: the same figures as docs/cobuild.md."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from parklink.cobuild.ledger.kinds import KINDS
from parklink.cobuild.ledger.types import EnterpriseFacts, LedgerState, Party, Scope
from tests.cobuild.ledger.support import YUAN, month, parts, quarter, rule, run, totals, year

JINNIU, SHIFANG = Party("jinniu", 1), Party("shifang", 2)
FLY = [JINNIU, SHIFANG]  # 金牛区 (the source side, 飞出地) and 什邡市 (the host, 飞入地)


class TestRegistry:
    def test_every_kind_of_the_issue_is_registered(self) -> None:
        assert set(KINDS) == {
            "fixed_ratio",
            "equity_share",
            "stepped",
            "stock_increment",
            "window_cap",
            "fixed_payment",
            "tiered",
        }
        assert all(code == kind.code for code, kind in KINDS.items())

    def test_every_kind_has_a_worked_example_in_the_docs(self) -> None:
        doc = (Path(__file__).resolve().parents[3] / "docs" / "cobuild.md").read_text("utf-8")
        missing = [code for code in KINDS if f"(`{code}`)\n" not in doc]
        assert not missing, f"kinds without a section in docs/cobuild.md: {missing}"


class TestFixedRatio:
    def test_six_to_four_gives_the_odd_fen_to_the_largest_remainder(self) -> None:
        # 1,234,567.89 元 × 60% = 740,740.734 元 → 740,740.73 (remainder 0.4 fen)
        # 1,234,567.89 元 × 40% = 493,827.156 元 → 493,827.15 (remainder 0.6 fen) + 0.01
        six_four = rule("fixed_ratio", {"shares": {"jinniu": "60%", "shifang": "40%"}})
        result = run([six_four], [("E1", 123_456_789)], FLY, quarter(2025, 1))
        assert parts(result) == [
            (0, "jinniu", "ratio", 74_074_073),
            (0, "shifang", "ratio", 49_382_716),
        ]

    def test_fifty_fifty_gives_a_tied_fen_to_the_first_party(self) -> None:
        half = rule("fixed_ratio", {"shares": {"shifang": "1/2", "jinniu": "1/2"}})
        result = run([half], [("E1", 123_456_789)], FLY, quarter(2025, 1))
        assert parts(result) == [
            (0, "jinniu", "ratio", 61_728_395),
            (0, "shifang", "ratio", 61_728_394),
        ]

    def test_any_number_of_parties(self) -> None:
        three = [JINNIU, SHIFANG, Party("deyang", 3)]
        shares = {"jinniu": "4/10", "shifang": "3/10", "deyang": "3/10"}
        result = run([rule("fixed_ratio", {"shares": shares})], [("E1", 1001)], three, year(2025))
        # 400.4, 300.3, 300.3: one unit left → the largest remainder is a tie of three → jinniu.
        assert [a.amount for a in result.allocations] == [401, 300, 300]


class TestEquityShare:
    EQUITY = {
        "equity": [
            {"from": "2021-01-01", "shares": {"jinniu": "51%", "shifang": "49%"}},
            {"from": "2024-07-01", "shares": {"jinniu": "60%", "shifang": "40%"}},
        ]
    }

    def test_reads_the_equity_in_force_at_the_end_of_the_period(self) -> None:
        equity = rule("equity_share", self.EQUITY, indicator="cit_local")
        amounts = [("E1", 200_000_001)]
        q2 = run([equity], amounts, FLY, quarter(2024, 2), indicator="cit_local")
        q3 = run([equity], amounts, FLY, quarter(2024, 3), indicator="cit_local")
        # 2024Q2: 51% = 1,020,000.0051 元, 49% = 980,000.0049 元 → the fen to the larger .51.
        assert parts(q2) == [
            (0, "jinniu", "equity-2021-01-01", 102_000_001),
            (0, "shifang", "equity-2021-01-01", 98_000_000),
        ]
        # 2024Q3: 60% = 1,200,000.006 元, 40% = 800,000.004 元.
        assert parts(q3) == [
            (0, "jinniu", "equity-2024-07-01", 120_000_001),
            (0, "shifang", "equity-2024-07-01", 80_000_000),
        ]

    def test_before_the_first_equity_the_record_is_reported(self) -> None:
        equity = rule("equity_share", self.EQUITY)
        result = run([equity], [("E1", 100)], FLY, quarter(2020, 4))
        assert result.allocations == [] and result.unmatched == [0]
        assert result.reasons[0].en == "no equity is in force at the end of 2020Q4"


class TestStepped:
    STEPS = {
        "anchor": "production",
        "steps": [
            {"years": [1, 3], "shares": {"jinniu": "70%", "shifang": "30%"}},
            {"years": [4, 6], "shares": {"jinniu": "50%", "shifang": "50%"}},
            {"years": [7, None], "shares": {"shifang": "1"}},
        ],
    }
    FACTS = [EnterpriseFacts("E1", production_on=date(2021, 5, 15))]

    def split(self, period_: object) -> list[tuple[int, str, str, int]]:
        result = run(
            [rule("stepped", self.STEPS)],
            [("E1", 1_000_000 * YUAN)],
            FLY,
            period_,  # type: ignore[arg-type]
            facts=self.FACTS,
        )
        return parts(result)

    def test_a_quarter_falls_in_the_year_its_first_day_falls_in(self) -> None:
        # 2024Q2 starts 2024-04-01, before the third anniversary (2024-05-15): still year 3.
        assert self.split(quarter(2024, 2)) == [
            (0, "jinniu", "year-3", 700_000 * YUAN),
            (0, "shifang", "year-3", 300_000 * YUAN),
        ]
        assert self.split(quarter(2024, 3)) == [
            (0, "jinniu", "year-4", 500_000 * YUAN),
            (0, "shifang", "year-4", 500_000 * YUAN),
        ]

    def test_the_open_last_step_gives_all_to_the_host(self) -> None:
        assert self.split(quarter(2027, 3)) == [(0, "shifang", "year-7", 1_000_000 * YUAN)]

    def test_before_the_anchor_without_a_before_split_the_record_is_reported(self) -> None:
        result = run(
            [rule("stepped", self.STEPS)], [("E1", 5)], FLY, quarter(2021, 1), facts=self.FACTS
        )
        assert result.unmatched == [0]
        assert "before" in result.reasons[0].en

    def test_a_missing_anchor_date_is_reported(self) -> None:
        result = run([rule("stepped", self.STEPS)], [("E2", 5)], FLY, quarter(2024, 1))
        assert result.unmatched == [0]
        assert result.reasons[0].zh == "企业 E2 没有投产日期"


class TestStockIncrement:
    GUANGAN, CHONGQING = Party("guangan", 1), Party("chongqing", 2)
    PARAMS = {
        "basis": "enterprise",
        "baselines": {"E1": {"year": 1_200_000 * YUAN}, "E2": {"year": 800_000 * YUAN}},
        "original": {"E1": "guangan", "E2": "chongqing"},
        "stock_shares": {"guangan": "1/2", "chongqing": "1/2"},
        "increment_shares": {"guangan": "1/2", "chongqing": "1/2"},
    }

    def test_gaozhu_stock_stays_with_the_original_side_and_the_increment_is_halved(self) -> None:
        amounts = [("E1", 1_500_000 * YUAN), ("E2", 700_000 * YUAN), ("E3", 40_000_001)]
        result = run(
            [rule("stock_increment", self.PARAMS)],
            amounts,
            [self.GUANGAN, self.CHONGQING],
            year(2025),
        )
        assert parts(result) == [
            (0, "guangan", "stock", 1_200_000 * YUAN),
            (0, "guangan", "increment", 150_000 * YUAN),
            (0, "chongqing", "increment", 150_000 * YUAN),
            (1, "chongqing", "stock", 700_000 * YUAN),  # below its baseline: all stock
            (2, "guangan", "increment", 20_000_001),  # a newcomer: no stock
            (2, "chongqing", "increment", 20_000_000),
        ]
        assert totals(result) == {"guangan": 155_000_001, "chongqing": 105_000_000}

    def test_a_park_baseline_is_filled_in_enterprise_order(self) -> None:
        params = {
            "basis": "park",
            "baseline": {"quarter": 1_000 * YUAN},
            "stock_shares": {"guangan": "1"},
            "increment_shares": {"guangan": "1/2", "chongqing": "1/2"},
        }
        amounts = [("E2", 800 * YUAN), ("E1", 600 * YUAN)]
        result = run(
            [rule("stock_increment", params)],
            amounts,
            [self.GUANGAN, self.CHONGQING],
            quarter(2025, 1),
        )
        # E1 comes first: 600 stock; E2 fills the remaining 400 and its other 400 is increment.
        assert parts(result) == [
            (0, "guangan", "stock", 400 * YUAN),
            (0, "guangan", "increment", 200 * YUAN),
            (0, "chongqing", "increment", 200 * YUAN),
            (1, "guangan", "stock", 600 * YUAN),
        ]

    def test_a_period_length_without_a_baseline_is_reported(self) -> None:
        result = run(
            [rule("stock_increment", self.PARAMS)],
            [("E1", 1)],
            [self.GUANGAN, self.CHONGQING],
            quarter(2025, 1),
        )
        assert result.unmatched == [0]


class TestWindowCap:
    BEIJING, HEBEI = Party("beijing", 1), Party("hebei", 2)
    PARAMS = {
        "window_years": 3,
        "extension_years": 2,
        "shares": {"beijing": "1/2", "hebei": "1/2"},
        "capped_party": "beijing",
        "caps": {"E1": 3_000_000 * YUAN},
        "currency": "CNY",
        "basis": "迁出前三年缴纳的增值税、企业所得税、营业税地方部分",
        "after": {"hebei": "1"},
    }
    FACTS = [EnterpriseFacts("E1", moved_on=date(2019, 6, 1), full_production_on=date(2020, 1, 1))]
    YEARS = {2020: 1_600_000, 2021: 1_800_000, 2022: 2_000_000, 2023: 2_400_000}
    YEARS |= {2024: 2_600_000, 2025: 3_000_000}

    def test_jingjinji_over_six_years_with_the_cap_reached_in_year_four(self) -> None:
        state = LedgerState()
        seen = []
        for y, amount in self.YEARS.items():
            result = run(
                [rule("window_cap", self.PARAMS)],
                [("E1", amount * YUAN)],
                [self.BEIJING, self.HEBEI],
                year(y),
                facts=self.FACTS,
                state=state,
            )
            state = result.state
            seen.append(
                [(a.party, a.step, a.amount // YUAN, a.cap_left) for a in result.allocations]
            )
        left = [220_000_000, 130_000_000, 30_000_000, 0]
        assert seen == [
            [("beijing", "window", 800_000, left[0]), ("hebei", "window", 800_000, None)],
            [("beijing", "window", 900_000, left[1]), ("hebei", "window", 900_000, None)],
            [("beijing", "window", 1_000_000, left[2]), ("hebei", "window", 1_000_000, None)],
            # Not reached in 3 years → year 4 is an extension; the cap cuts Beijing's half.
            [
                ("beijing", "extension", 300_000, 0),
                ("hebei", "extension", 1_200_000, None),
                ("hebei", "over-cap", 900_000, None),
            ],
            [("hebei", "after-window", 2_600_000, None)],  # cap reached: the share stops
            [("hebei", "after-window", 3_000_000, None)],  # after the extension
        ]
        assert state.cap_used == {("r1", "E1", "beijing"): 3_000_000 * YUAN}

    def test_without_the_cap_reached_the_extension_ends_after_year_five(self) -> None:
        state = LedgerState(cap_used={("r1", "E1", "beijing"): 10})
        result = run(
            [rule("window_cap", self.PARAMS)],
            [("E1", 100)],
            [self.BEIJING, self.HEBEI],
            year(2025),
            facts=self.FACTS,
            state=state,
        )
        assert parts(result) == [(0, "hebei", "after-window", 100)]


class TestFixedPayment:
    HOST, PARTNER, VILLAGE = Party("host", 1), Party("partner", 2), Party("village", 3)
    PARAMS = {
        "payee": "village",
        "rate": 30_000 * YUAN,  # 3万元 per greenhouse per year
        "units": {"E1": 10},
        "start": "2020-01-01",
        "years": 15,
        "remainder": {"host": "1/2", "partner": "1/2"},
    }

    def split(self, amount: int, period_: object) -> list[tuple[int, str, str, int]]:
        result = run(
            [rule("fixed_payment", self.PARAMS, indicator="other_tax")],
            [("E1", amount)],
            [self.HOST, self.PARTNER, self.VILLAGE],
            period_,  # type: ignore[arg-type]
            indicator="other_tax",
        )
        return parts(result)

    def test_the_village_is_paid_first_and_the_rest_is_halved(self) -> None:
        # 10 × 30,000 元 × 3/12 = 75,000 元; 200,000 − 75,000 = 125,000 → 62,500 each.
        assert self.split(200_000 * YUAN, quarter(2025, 1)) == [
            (0, "village", "fixed", 75_000 * YUAN),
            (0, "host", "remainder", 62_500 * YUAN),
            (0, "partner", "remainder", 62_500 * YUAN),
        ]

    def test_paid_even_at_a_loss(self) -> None:
        assert self.split(50_000 * YUAN, quarter(2025, 2)) == [
            (0, "village", "fixed", 75_000 * YUAN),
            (0, "host", "remainder", -12_500 * YUAN),
            (0, "partner", "remainder", -12_500 * YUAN),
        ]

    def test_months_add_up_to_exactly_one_years_payment(self) -> None:
        params = {**self.PARAMS, "rate": 1_000_001, "units": 1}  # 10,000.01 元 a year
        paid = []
        for m in range(1, 13):
            result = run(
                [rule("fixed_payment", params)],
                [("E1", 0)],
                [self.HOST, self.PARTNER, self.VILLAGE],
                month(2025, m),
            )
            paid.append(result.allocations[0].amount)
        # floor(1,000,001 × k / 12) − floor(1,000,001 × (k−1) / 12)
        assert paid[:3] == [83_333, 83_333, 83_334]
        assert sum(paid) == 1_000_001

    def test_after_the_term_nothing_is_paid(self) -> None:
        assert self.split(100, quarter(2035, 1)) == [
            (0, "host", "remainder", 50),
            (0, "partner", "remainder", 50),
        ]


class TestTiered:
    SOURCE, HOST = Party("source", 1), Party("host", 2)
    PARAMS = {
        "tiers": [
            {"upto": 10_000_000 * YUAN, "shares": {"source": "50%", "host": "50%"}},
            {"upto": None, "shares": {"source": "30%", "host": "70%"}},
        ]
    }

    def test_a_record_crossing_the_threshold_is_cut_at_it(self) -> None:
        state = LedgerState()
        seen = []
        for period_, amount in [
            (quarter(2025, 1), 6_000_000),
            (quarter(2025, 2), 7_000_000),
            (quarter(2026, 1), 1_000_000),
        ]:
            result = run(
                [rule("tiered", self.PARAMS)],
                [("E1", amount * YUAN)],
                [self.SOURCE, self.HOST],
                period_,
                state=state,
            )
            state = result.state
            seen.append([(a.party, a.step, a.amount // YUAN) for a in result.allocations])
        assert seen == [
            [("source", "tier-1", 3_000_000), ("host", "tier-1", 3_000_000)],
            [
                ("source", "tier-1", 2_000_000),
                ("host", "tier-1", 2_000_000),
                ("source", "tier-2", 900_000),
                ("host", "tier-2", 2_100_000),
            ],
            [("source", "tier-1", 500_000), ("host", "tier-1", 500_000)],  # a new year
        ]
        assert state.ytd == {
            ("r1", "E1", "2025"): 13_000_000 * YUAN,
            ("r1", "E1", "2026"): 100_000_000,
        }

    def test_a_refund_walks_back_down_through_the_tiers(self) -> None:
        state = LedgerState(ytd={("r1", "E1", "2025"): 11_000_000 * YUAN})
        result = run(
            [rule("tiered", self.PARAMS)],
            [("E1", -2_000_000 * YUAN)],
            [self.SOURCE, self.HOST],
            quarter(2025, 3),
            state=state,
        )
        assert [(a.step, a.party, a.amount // YUAN) for a in result.allocations] == [
            ("tier-1", "source", -500_000),
            ("tier-1", "host", -500_000),
            ("tier-2", "source", -300_000),
            ("tier-2", "host", -700_000),
        ]


class TestScopes:
    def test_the_narrowest_scope_wins(self) -> None:
        rules = [
            rule("fixed_ratio", {"shares": {"jinniu": "1"}}, key="all"),
            rule(
                "fixed_ratio",
                {"shares": {"shifang": "1"}},
                key="by-jinniu",
                scope=Scope("introduced_by", party="jinniu"),
            ),
            rule(
                "fixed_ratio",
                {"shares": {"jinniu": "1/2", "shifang": "1/2"}},
                key="list",
                scope=Scope("list", enterprises=frozenset({"E2", "E3"})),
            ),
            rule(
                "fixed_ratio",
                {"shares": {"jinniu": "1/4", "shifang": "3/4"}},
                key="one",
                scope=Scope("enterprise", enterprises=frozenset({"E3"})),
            ),
        ]
        facts = [EnterpriseFacts(key, introduced_by="jinniu") for key in ("E1", "E2", "E3")]
        result = run(
            rules, [("E1", 4), ("E2", 4), ("E3", 4), ("E4", 4)], FLY, year(2025), facts=facts
        )
        assert {a.record: a.rule for a in result.allocations} == {
            0: "by-jinniu",
            1: "list",
            2: "one",
            3: "all",
        }

    def test_a_record_without_a_rule_is_reported_not_split(self) -> None:
        result = run(
            [rule("fixed_ratio", {"shares": {"jinniu": "1"}})],
            [("E1", 4)],
            FLY,
            year(2025),
            indicator="jobs",
        )
        assert result.allocations == [] and result.unmatched == [0]
        assert result.reasons[0].zh == "指标 jobs 没有适用于企业 E1 的规则"
