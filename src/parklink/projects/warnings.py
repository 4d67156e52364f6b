"""Warning rules by contract dates (签约未开工, 开工未投产, 资金到位滞后), no Django.

Each rule reads a project's stage, its signing and contract dates and its funds, and says
whether the project is behind what the investment agreement promised, with the figures that
make the reason: the Django side (services.colours) words them in the user's language. The
rules sit beside the ageing colour (三类三色, time since progress): a project can be green and
still be behind its contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from parklink.projects.ageing import months_before
from parklink.projects.lifecycle import PIPELINE, Stage

FEN = Decimal("0.01")

# Signed but not started: the project is at one of these (or stalled at one).
BEFORE_START: frozenset[Stage] = frozenset({Stage.SIGNED, Stage.APPROVALS})
# Started but not yet producing.
BUILDING: frozenset[Stage] = frozenset({Stage.STARTED, Stage.UNDER_CONSTRUCTION, Stage.COMPLETED})
# Stages whose funds are held against the schedule: from signing until full production.
FUNDED: frozenset[Stage] = frozenset(PIPELINE[PIPELINE.index(Stage.SIGNED) :]) - {
    Stage.FULL_PRODUCTION
}


class Rule(StrEnum):
    UNSTARTED = "unstarted"  # 签约未开工
    START_OVERDUE = "start_overdue"  # 合同约定开工日期已过仍未开工
    NOT_PRODUCING = "not_producing"  # 开工未投产
    FUNDS_BEHIND = "funds_behind"  # 资金到位低于合同进度


@dataclass(frozen=True)
class ContractRules:
    """An organisation's settings; 0 / False switches a rule off."""

    unstarted_months: int = 6
    production_rule: bool = True
    funds_percent: int = 80

    def __post_init__(self) -> None:
        if self.unstarted_months < 0 or not 0 <= self.funds_percent <= 100:
            raise ValueError("unstarted_months >= 0 and 0 <= funds_percent <= 100")


@dataclass(frozen=True)
class ContractFacts:
    stage: str
    stalled_from: str = ""
    signed_on: date | None = None
    contract_start_date: date | None = None
    contract_production_date: date | None = None
    planned_total: Decimal | None = None  # the agreement's investment (总投资), 元
    funds: Decimal = Decimal(0)  # cumulative funds in place, 元


@dataclass(frozen=True)
class Warning:
    rule: Rule
    since: date  # the day the project fell behind
    days: int  # how many days behind it is today
    months: int = 0  # UNSTARTED: the configured months
    expected: Decimal | None = None  # FUNDS_BEHIND: what should be in place by now
    actual: Decimal | None = None  # FUNDS_BEHIND: what is in place
    share: Decimal | None = None  # FUNDS_BEHIND: actual / expected, in per cent (1 decimal)


def reached(facts: ContractFacts) -> Stage | None:
    """The stage the project stands at for the rules: a stalled one at the stage it stopped."""
    try:
        stage = Stage(facts.stage)
        if stage is Stage.STALLED and facts.stalled_from:
            return Stage(facts.stalled_from)
    except ValueError:
        return None
    return stage


def add_months(day: date, months: int) -> date:
    """The day `months` calendar months after `day` (clamped to the month's end).

    The inverse of ageing.months_before on month ends: 31 Aug + 6 months = 28/29 Feb.
    """
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    for length in (31, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, length))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def expected_funds(facts: ContractFacts, today: date) -> Decimal | None:
    """What the schedule puts in place by `today`: the planned total × the elapsed share of
    the contract period (signing → contract production date), exact to the fen; None when
    the contract gives no period or no total."""
    start, end, total = facts.signed_on, facts.contract_production_date, facts.planned_total
    if start is None or end is None or total is None or total <= 0 or end <= start:
        return None
    if today <= start:
        return Decimal(0)
    elapsed = min((today - start).days, (end - start).days)
    share = Decimal(elapsed) / Decimal((end - start).days)
    return (total * share).quantize(FEN, rounding=ROUND_HALF_UP)


def evaluate(facts: ContractFacts, rules: ContractRules, today: date) -> list[Warning]:
    """The contract rules the project breaks on `today`, most serious first."""
    stage = reached(facts)
    if stage is None or Stage(facts.stage) is Stage.TERMINATED:
        return []
    found: list[Warning] = []
    if stage in BEFORE_START:
        found += _unstarted(facts, rules, today)
    if stage in BUILDING and rules.production_rule:
        end = facts.contract_production_date
        if end is not None and end < today:
            found.append(Warning(Rule.NOT_PRODUCING, end, (today - end).days))
    if stage in FUNDED and rules.funds_percent:
        found += _funds(facts, rules, today)
    return found


def _unstarted(facts: ContractFacts, rules: ContractRules, today: date) -> list[Warning]:
    start = facts.contract_start_date
    if start is not None and start < today:
        return [Warning(Rule.START_OVERDUE, start, (today - start).days)]
    signed, months = facts.signed_on, rules.unstarted_months
    if months and signed is not None and signed <= months_before(today, months):
        since = add_months(signed, months)
        return [Warning(Rule.UNSTARTED, since, max((today - since).days, 0), months=months)]
    return []


def _funds(facts: ContractFacts, rules: ContractRules, today: date) -> list[Warning]:
    expected = expected_funds(facts, today)
    if not expected:
        return []
    # Behind when funds × 100 < expected × percent: integers and decimals, no rounding.
    if facts.funds * 100 >= expected * rules.funds_percent:
        return []
    share = (facts.funds * 100 / expected).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert facts.signed_on is not None
    return [
        Warning(
            Rule.FUNDS_BEHIND,
            facts.signed_on,
            (today - facts.signed_on).days,
            expected=expected,
            actual=facts.funds,
            share=share,
        )
    ]
