"""Rules are refused with the field and the reason in Chinese and English."""

from __future__ import annotations

from typing import Any

import pytest

from parklink.cobuild.ledger.split import InvalidRuleSet, validate_rule, validate_rule_set
from parklink.cobuild.ledger.types import Party, Problem, Scope
from tests.cobuild.ledger.support import rule, run, year

FLY = [Party("jinniu", 1), Party("shifang", 2)]


def problems(kind: str, params: dict[str, Any]) -> list[Problem]:
    return validate_rule(rule(kind, params), FLY)


def fields(found: list[Problem]) -> list[str]:
    return [problem.field for problem in found]


class TestShares:
    def test_shares_must_add_up_to_one_hundred_percent(self) -> None:
        found = problems("fixed_ratio", {"shares": {"jinniu": "60%", "shifang": "30%"}})
        assert found == [
            Problem(
                "params.shares",
                "各方比例合计为 90%,应为 100%",
                "the shares add up to 90%, not 100%",
            )
        ]

    def test_a_share_is_text_not_a_float(self) -> None:
        found = problems("fixed_ratio", {"shares": {"jinniu": 0.5, "shifang": "1/2"}})
        assert found[0].field == "params.shares.jinniu"
        assert found[0].en == "share “0.5” is not readable; write 3/5, 0.6 or 60%"

    def test_an_unknown_party_is_named(self) -> None:
        found = problems("fixed_ratio", {"shares": {"jinniu": "1/2", "deyang": "1/2"}})
        assert found == [
            Problem("params.shares.deyang", "“deyang”不是协议的一方", "“deyang” is not a party")
        ]

    def test_every_step_must_add_up(self) -> None:
        params = {
            "anchor": "settled",
            "steps": [
                {"years": [1, 3], "shares": {"jinniu": "1/2", "shifang": "1/2"}},
                {"years": [4, None], "shares": {"jinniu": "1/2", "shifang": "1/3"}},
            ],
        }
        assert fields(problems("stepped", params)) == ["params.steps[1].shares"]


class TestSteps:
    def test_steps_may_not_overlap_or_leave_a_gap(self) -> None:
        half = {"jinniu": "1/2", "shifang": "1/2"}
        params = {
            "anchor": "production",
            "steps": [
                {"years": [1, 3], "shares": half},
                {"years": [3, 5], "shares": half},
            ],
        }
        found = problems("stepped", params)
        assert found == [
            Problem(
                "params.steps[1].years",
                "应从第4年开始(各段须首尾相接,不重叠)",
                "should start at year 4 (steps follow each other, no overlap)",
            )
        ]

    def test_the_anchor_is_one_of_three(self) -> None:
        params = {"anchor": "signed", "steps": [{"years": [1, None], "shares": {"jinniu": "1"}}]}
        assert fields(problems("stepped", params)) == ["params.anchor"]


class TestWindowCap:
    def test_a_cap_needs_a_currency_and_a_basis(self) -> None:
        params = {
            "window_years": 3,
            "extension_years": 2,
            "shares": {"jinniu": "1/2", "shifang": "1/2"},
            "capped_party": "jinniu",
            "caps": {"E1": 100},
            "after": {"shifang": "1"},
        }
        found = problems("window_cap", params)
        assert found == [
            Problem("params.currency", "上限须注明币种(CNY)", "the cap needs its currency (CNY)"),
            Problem(
                "params.basis",
                "须写明上限的计算口径(如迁出前三年缴纳的税收)",
                "the cap needs its basis (e.g. the taxes paid in the 3 years before moving)",
            ),
        ]

    def test_the_capped_party_has_no_share_after_the_window(self) -> None:
        params = {
            "window_years": 3,
            "shares": {"jinniu": "1/2", "shifang": "1/2"},
            "capped_party": "jinniu",
            "caps": {"E1": 100},
            "currency": "CNY",
            "basis": "迁出前三年",
            "after": {"jinniu": "1/2", "shifang": "1/2"},
        }
        assert fields(problems("window_cap", params)) == ["params.after"]


class TestOtherKinds:
    def test_tiers_increase_and_only_the_last_is_open(self) -> None:
        half = {"jinniu": "1/2", "shifang": "1/2"}
        params = {"tiers": [{"upto": 100, "shares": half}, {"upto": 50, "shares": half}]}
        found = problems("tiered", params)
        assert fields(found) == ["params.tiers[1].upto"]
        assert found[0].zh == "最后一档不设上界(null)"

    def test_a_fixed_payment_starts_on_a_first_and_pays_a_party(self) -> None:
        params = {
            "payee": "village",
            "rate": 3_000_000,
            "units": 10,
            "start": "2020-01-15",
            "years": 15,
            "remainder": {"jinniu": "1"},
        }
        assert fields(problems("fixed_payment", params)) == ["params.payee", "params.start"]

    def test_equity_dates_are_unique(self) -> None:
        whole = {"jinniu": "1"}
        params = {
            "equity": [
                {"from": "2024-01-01", "shares": whole},
                {"from": "2024-01-01", "shares": whole},
            ]
        }
        assert problems("equity_share", params)[0].en == "2024-01-01 appears twice"

    def test_a_baseline_is_per_period_length(self) -> None:
        params = {
            "basis": "park",
            "baseline": {"week": 100},
            "stock_shares": {"jinniu": "1"},
            "increment_shares": {"jinniu": "1/2", "shifang": "1/2"},
        }
        assert fields(problems("stock_increment", params)) == ["params.baseline.week"]

    def test_an_unknown_kind_lists_the_known_ones(self) -> None:
        found = problems("lottery", {})
        assert found[0].field == "kind" and "fixed_ratio" in found[0].zh


class TestRuleSet:
    def test_two_rules_equally_narrow_over_one_enterprise_tie(self) -> None:
        half = {"shares": {"jinniu": "1/2", "shifang": "1/2"}}
        rules = [
            rule("fixed_ratio", half, key="a", scope=Scope("list", enterprises=frozenset("XY"))),
            rule("fixed_ratio", half, key="b", scope=Scope("list", enterprises=frozenset("YZ"))),
            rule("fixed_ratio", half, key="c", indicator="cit_local"),
        ]
        assert validate_rule_set(rules, FLY) == [
            Problem(
                "rules[b].scope",
                "与规则 a 在指标 vat_local 上范围相同(企业名单: Y),无法确定适用哪条",
                "ties with rule a for vat_local (a named list: Y): which one applies is undecided",
            )
        ]

    def test_split_refuses_a_rule_set_that_does_not_validate(self) -> None:
        bad = rule("fixed_ratio", {"shares": {"jinniu": "1/2"}})
        with pytest.raises(InvalidRuleSet) as caught:
            run([bad], [("E1", 1)], FLY, year(2025))
        assert fields(caught.value.problems) == ["rules[r1].params.shares"]
