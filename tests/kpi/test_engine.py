"""The pure engine: periods, formulas, scheme checks and the three shipped schemes by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from parklink.kpi.engine import formula, periods, scheme, scoring
from parklink.kpi.engine.names import ACTUALS

SHIPPED = Path(__file__).resolve().parents[2] / "src" / "parklink" / "data" / "kpi"


def load(key: str) -> scheme.Scheme:
    return scheme.read(yaml.safe_load((SHIPPED / f"{key}.yaml").read_text(encoding="utf-8")))


def figures(**given: str | int) -> dict[str, D]:
    found = {name: D(0) for name in ACTUALS}
    found.update({k: D(str(v)) for k, v in given.items()})
    return found


def test_periods_parse_and_step_back() -> None:
    q = periods.parse("2025q1")
    assert (q.label, q.start, q.end, q.kind) == (
        "2025Q1",
        date(2025, 1, 1),
        date(2025, 3, 31),
        "quarter",
    )
    assert periods.parse("2025-3").label == "2025-03"
    assert q.previous().label == "2024Q4"
    assert periods.parse("2025-01").previous().label == "2024-12"
    assert [p.label for p in periods.trailing(periods.parse("2025"), 3)] == ["2023", "2024", "2025"]
    with pytest.raises(periods.PeriodError) as caught:
        periods.parse("2025-13")
    assert "月份" in caught.value.reason_zh
    assert periods.months_before(date(2025, 3, 31), 1) == date(2025, 2, 28)


def test_formula_computes_in_exact_decimals() -> None:
    expr = {"+": [{"var": "a"}, {"var": "target.b"}]}
    assert formula.evaluate_number(expr, {"a": D("0.1"), "target": {"b": D("0.2")}}) == D("0.3")
    with pytest.raises(formula.FormulaError) as caught:
        formula.evaluate_number({"/": [1, {"var": "a"}]}, {"a": D(0)})
    assert caught.value.reason_zh == "除数为零"


def test_formula_check_names_operators_and_unguarded_division() -> None:
    known = {"signed_count", "target.signed_count"}
    problems = formula.check(
        {"/": [{"var": "signed_count"}, {"var": "target.signed_count"}]}, known, where="x"
    )
    assert [p.reason_en for p in problems] == [
        "x: the divisor may be zero; guard it with an if (> 0) or a max"
    ]
    guarded = {
        "if": [
            {">": [{"var": "target.signed_count"}, 0]},
            {"/": [{"var": "signed_count"}, {"var": "target.signed_count"}]},
            0,
        ]
    }
    assert formula.check(guarded, known, where="x") == []
    assert formula.check({"/": [1, {"max": [{"var": "signed_count"}, 1]}]}, known, where="x") == []
    assert "unknown name 'nope'" in formula.check({"var": "nope"}, known, where="x")[0].reason_en
    assert (
        "unknown operator 'eval'" in formula.check({"eval": ["1"]}, known, where="x")[0].reason_en
    )
    assert "divisor" in formula.check({"/": [1, 0]}, known, where="x")[0].reason_en


def test_scheme_check_lists_every_problem() -> None:
    document = {
        "key": "bad",
        "name": "坏方案",
        "eligibility": {"window_months": 36},
        "items": [
            {
                "key": "a",
                "type": "positive",
                "metric": "signed_count",
                "target": "nope",
                "weight": 10,
            },
            {
                "key": "b",
                "type": "negative",
                "metric": "overdue_not_started",
                "per_unit": 0.1,
                "cap": -1,
                "floor": 0,
            },
            {
                "key": "c",
                "type": "formula",
                "formula": {"/": [{"var": "signed_amount"}, {"var": "target.signed_amount"}]},
            },
            {
                "key": "d",
                "type": "stepped",
                "metric": "landing_rate",
                "bands": [{"at_least": 0.9, "points": 5}, {"at_least": 0.5, "points": 3}],
            },
            {"key": "e", "type": "sideways"},
            {
                "key": "a",
                "type": "positive",
                "metric": "signed_count",
                "target": "signed_count",
                "weight": 10,
            },
        ],
    }
    with pytest.raises(scheme.SchemeError) as caught:
        scheme.read(document)
    text = " | ".join(caught.value.messages("en"))
    assert "unknown target 'nope'" in text
    assert "cap -1 is below floor 0" in text
    assert "the divisor may be zero" in text
    assert "bands must rise" in text
    assert "type must be one of" in text
    assert "window_months must be 1 to 24" in text
    zh = caught.value.messages("zh")
    assert any("时限" in m for m in zh)


def test_chenzhou_scheme_by_hand() -> None:
    s = load("chenzhou-hitech")
    targets = {
        "signed_count": D(10),
        "funds_out_of_province": D(200_000_000),
        "funds_foreign": D(50_000_000),
    }
    # 12 of 10 signed: capped at full marks 30. Domestic 150m of 200m: 30 × 0.75 = 22.5.
    # Foreign 10m of 50m: 15 × 0.2 = 3. Landing 0.75 reaches the 0.7 band: 20.
    got = scoring.score(
        s,
        figures(
            signed_count=12,
            funds_out_of_province=100_000_000,
            funds_in_province=50_000_000,
            funds_foreign=10_000_000,
            landing_rate="0.75",
        ),
        targets,
    )
    points = {i.key: i.points for i in got.items}
    assert points == {
        "project-task": D("30.00"),
        "domestic-funds": D("22.50"),
        "foreign-funds": D("3.00"),
        "landing-rate": D("20.00"),
    }
    assert got.total == D("75.50")
    assert "完成率封顶 1" in got.items[0].steps
    # Below the lowest band: nothing; no target for foreign funds: nothing, and why.
    low = scoring.score(s, figures(signed_count=5, landing_rate="0.4"), {"signed_count": D(10)})
    assert {i.key: i.points for i in low.items}["landing-rate"] == D(0)
    assert [i.problem for i in low.items if i.key == "foreign-funds"] == ["未设定目标"]
    assert low.total == D("15.00")


def test_city_scheme_by_hand_with_bonus_and_deductions() -> None:
    s = load("city-districts")
    targets = {
        "signed_count": D(20),
        "signed_amount": D(5_000_000_000),
        "funds_out_of_province": D(1_000_000_000),
        "funds_foreign": D(100_000_000),
        "band_3_10": D(4),
        "band_10_20": D(2),
        "band_20_plus": D(1),
    }
    got = scoring.score(
        s,
        figures(
            signed_count=15,
            signed_amount=6_000_000_000,
            funds_out_of_province=250_000_000,
            funds_foreign=0,
            band_3_10=2,
            band_10_20=3,
            band_20_plus=0,
            provincial_major=7,
            overdue_not_started=3,
            falsified=2,
        ),
        targets,
    )
    points = {i.key: i.points for i in got.items}
    # 15 × 15/20 = 11.25; amount over target: 15; funds 20 × 0.25 = 5; foreign 0;
    # bands 15 × 0.5 = 7.5, 15 (capped), 0; bonus 7 × 1 capped at 5; −0.3; −0.4.
    assert points == {
        "signed-count": D("11.25"),
        "signed-amount": D("15.00"),
        "funds-out-of-province": D("5.00"),
        "funds-foreign": D("0.00"),
        "band-3-10": D("7.50"),
        "band-10-20": D("15.00"),
        "band-20-plus": D("0.00"),
        "bonus-major": D("5.00"),
        "overdue": D("-0.30"),
        "falsified": D("-0.40"),
    }
    assert got.total == D("58.05")
    bonus = next(i for i in got.items if i.key == "bonus-major")
    assert (bonus.raw_points, bonus.bound) == (D(7), "cap")
    # Deductions stop at their floor: 60 overdue projects take 5, not 6.
    many = scoring.score(s, figures(overdue_not_started=60), targets)
    assert next(i for i in many.items if i.key == "overdue").points == D("-5.00")
    # 三类三色 by rank: of 10, the first 3 green, the next 4 yellow, the last 3 red.
    colours = scoring.standings(s, [D(100 - n) for n in range(10)])
    assert colours == ["green"] * 3 + ["yellow"] * 4 + ["red"] * 3
    assert scoring.rank([D(5), D(9), D(5), D(1)]) == [2, 1, 2, 4]


def test_county_scheme_by_hand() -> None:
    s = load("county-introduced")
    assert s.eligibility.min_actual_investment == D(10_000_000)
    assert (s.eligibility.registered, s.eligibility.started, s.eligibility.window_months) == (
        True,
        True,
        24,
    )
    got = scoring.score(s, figures(introduced=3), {"introduced": D(4)})
    # 80 × 3/4 = 60; three projects reach the second band: 20.
    assert [i.points for i in got.items] == [D("60.00"), D("20.00")]
    assert got.total == D("80.00")
    assert scoring.standings(s, [got.total]) == ["yellow"]


def test_binary_items_and_the_year_to_date_window() -> None:
    s = scheme.read(
        {
            "key": "t",
            "name": "t",
            "items": [
                {
                    "key": "any-major",
                    "type": "binary",
                    "weight": 5,
                    "rule": {">=": [{"var": "provincial_major"}, 1]},
                },
                {
                    "key": "ytd",
                    "type": "positive",
                    "metric": "signed_count",
                    "target": "signed_count",
                    "weight": 10,
                    "window": "year_to_date",
                },
            ],
        }
    )
    got = scoring.score(
        s, figures(provincial_major=1, signed_count=1), {"signed_count": D(10)},
        figures(signed_count=6),
    )  # fmt: skip
    # The binary rule holds: 5; the year to date (6 of 10), not the period (1): 6.
    assert [i.points for i in got.items] == [D("5.00"), D("6.00")]
    assert got.items[0].steps == ["条件成立"]
