"""Warning rules by contract dates (projects.warnings): plain data, no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parklink.projects.warnings import (
    ContractFacts,
    ContractRules,
    Rule,
    add_months,
    evaluate,
    expected_funds,
)

TODAY = date(2025, 6, 30)
RULES = ContractRules(unstarted_months=6, production_rule=True, funds_percent=80)


def rules_of(facts: ContractFacts, rules: ContractRules = RULES, on: date = TODAY) -> list[Rule]:
    return [w.rule for w in evaluate(facts, rules, on)]


class TestUnstarted:
    def test_signed_six_months_ago_and_not_started_is_warned(self) -> None:
        facts = ContractFacts(stage="signed", signed_on=date(2024, 12, 30))
        [warning] = evaluate(facts, RULES, TODAY)
        assert warning.rule is Rule.UNSTARTED
        assert warning.since == date(2025, 6, 30) and warning.days == 0 and warning.months == 6

    def test_one_day_short_of_six_months_is_not(self) -> None:
        facts = ContractFacts(stage="signed", signed_on=date(2024, 12, 30))
        assert rules_of(facts, on=date(2025, 6, 29)) == []

    def test_month_ends_count_like_the_ageing_colours(self) -> None:
        # 31 Aug + 6 months is the end of February.
        assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
        facts = ContractFacts(stage="approvals", signed_on=date(2024, 8, 31))
        assert rules_of(facts, on=date(2025, 2, 28)) == [Rule.UNSTARTED]
        assert rules_of(facts, on=date(2025, 2, 27)) == []

    def test_a_passed_contract_start_date_wins_and_counts_days(self) -> None:
        facts = ContractFacts(
            stage="signed", signed_on=date(2025, 5, 1), contract_start_date=date(2025, 6, 20)
        )
        [warning] = evaluate(facts, RULES, TODAY)
        assert warning.rule is Rule.START_OVERDUE and warning.days == 10

    def test_switched_off_with_zero_months(self) -> None:
        facts = ContractFacts(stage="signed", signed_on=date(2020, 1, 1))
        assert rules_of(facts, ContractRules(0, True, 0)) == []

    def test_a_stalled_project_is_judged_at_the_stage_it_stopped(self) -> None:
        facts = ContractFacts(stage="stalled", stalled_from="signed", signed_on=date(2024, 1, 1))
        assert rules_of(facts) == [Rule.UNSTARTED]

    def test_started_or_terminated_projects_are_not_unstarted(self) -> None:
        for stage in ("started", "terminated", "negotiating"):
            assert Rule.UNSTARTED not in rules_of(
                ContractFacts(stage=stage, signed_on=date(2020, 1, 1))
            )


class TestNotProducing:
    @pytest.mark.parametrize("stage", ["started", "under_construction", "completed"])
    def test_building_past_the_production_date_is_warned(self, stage: str) -> None:
        facts = ContractFacts(stage=stage, contract_production_date=date(2025, 6, 1))
        [warning] = evaluate(facts, RULES, TODAY)
        assert warning.rule is Rule.NOT_PRODUCING and warning.days == 29

    def test_the_production_day_itself_is_not_late(self) -> None:
        facts = ContractFacts(stage="started", contract_production_date=TODAY)
        assert rules_of(facts) == []

    def test_in_production_is_fine_and_the_rule_can_be_off(self) -> None:
        late = date(2025, 1, 1)
        assert rules_of(ContractFacts(stage="in_production", contract_production_date=late)) == []
        facts = ContractFacts(stage="started", contract_production_date=late)
        assert rules_of(facts, ContractRules(6, False, 0)) == []


class TestFunds:
    def facts(self, funds: str, total: str = "100000000") -> ContractFacts:
        return ContractFacts(
            stage="under_construction",
            signed_on=date(2025, 1, 1),
            contract_production_date=date(2026, 1, 1),  # 365 days
            planned_total=Decimal(total),
            funds=Decimal(funds),
        )

    def test_expected_is_the_elapsed_share_exact_to_the_fen(self) -> None:
        # 180 of 365 days of 1亿元 = 49,315,068.49 元 (rounded half up to the fen).
        assert expected_funds(self.facts("0"), TODAY) == Decimal("49315068.49")
        # After the period: the whole total.
        assert expected_funds(self.facts("0"), date(2027, 1, 1)) == Decimal("100000000.00")

    def test_below_the_share_is_warned_with_the_figures(self) -> None:
        [warning] = evaluate(self.facts("30000000"), RULES, TODAY)
        assert warning.rule is Rule.FUNDS_BEHIND
        assert warning.expected == Decimal("49315068.49")
        assert warning.actual == Decimal("30000000")
        assert warning.share == Decimal("60.8")

    def test_exactly_at_the_percentage_is_not_behind(self) -> None:
        # 80% of 49,315,068.49 is 39,452,054.792: a fen below warns, the exact value does not.
        assert rules_of(self.facts("39452054.80"), on=TODAY) == []
        assert rules_of(self.facts("39452054.79"), on=TODAY) == [Rule.FUNDS_BEHIND]

    def test_no_schedule_without_a_period_or_a_total(self) -> None:
        no_end = ContractFacts(
            stage="started", signed_on=date(2024, 1, 1), planned_total=Decimal(1)
        )
        assert expected_funds(no_end, TODAY) is None and rules_of(no_end) == []
        no_total = ContractFacts(
            stage="started", signed_on=date(2024, 1, 1), contract_production_date=TODAY
        )
        assert rules_of(no_total) == []

    def test_leads_and_full_production_are_not_held_to_a_schedule(self) -> None:
        for stage in ("negotiating", "full_production"):
            facts = ContractFacts(
                stage=stage,
                signed_on=date(2025, 1, 1),
                contract_production_date=date(2026, 1, 1),
                planned_total=Decimal(100),
            )
            assert rules_of(facts) == []


def test_rules_refuse_impossible_settings() -> None:
    with pytest.raises(ValueError):
        ContractRules(6, True, 101)
