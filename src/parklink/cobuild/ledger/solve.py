"""The negotiators' question: what ratio (or cap, or window) gives a party X over N years?

Plain Python, no Django. A `Question` names a one-parameter family of one rule of a scenario:

- `ratio`: the party's share in the rule's `shares` table (a fixed ratio; a window's shares),
  in steps of 0.01% (k / 10000); the other parties keep their proportions of the rest;
- `cap`: a `window_cap` rule's cap in fen, for one enterprise or (without one) for every
  enterprise of the forecast;
- `window`: a `window_cap` rule's `window_years`, 1 to `MAX_WINDOW`.

The answer is the smallest value whose forecast gives the party at least `amount` fen over the
first `years` years (its total, or its present value), found by bisection over integers: the
party's total is taken to grow with the value (it does for the party whose share, cap or window
it is). Every value is run through the same forecast (`forecast.run_scenario`), so the answer
is checked, not estimated: the result carries the total the answer achieves, or, when even the
largest value falls short, "unreachable" and what that largest value achieves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from parklink.cobuild.ledger.forecast import (
    Assumptions,
    ForecastError,
    Scenario,
    Source,
    run_scenario,
    year_records,
)
from parklink.cobuild.ledger.kinds.base import parse_share
from parklink.cobuild.ledger.types import EnterpriseFacts, LedgerState, Party, Problem, RuleSpec

FAMILIES = ("ratio", "cap", "window")
MEASURES = ("total", "present_value")
RATIO_STEPS = 10_000  # a share is k / 10000: steps of 0.01%
MAX_WINDOW = 50


@dataclass(frozen=True)
class Question:
    family: str  # "ratio" | "cap" | "window"
    rule: str  # the rule's key in the scenario
    party: str  # whose total is asked for
    amount: int  # fen
    years: int  # over the first N years of the forecast
    enterprise: str | None = None  # for "cap": one enterprise's cap (else every enterprise's)
    measure: str = "total"  # or "present_value"


@dataclass(frozen=True)
class Answer:
    question: Question
    reachable: bool
    value: int | None  # the smallest value (k / 10000 for a ratio, fen, years), None if not
    achieved: Fraction  # the party's total (or present value) at `value`, or at the largest
    bound: int  # the largest value tried
    evaluations: int

    @property
    def share(self) -> Fraction | None:
        """The answer as a share (ratio questions)."""
        if self.question.family != "ratio" or self.value is None:
            return None
        return Fraction(self.value, RATIO_STEPS)


def _fail(field: str, zh: str, en: str) -> ForecastError:
    return ForecastError(Problem(field, zh, en))


def _rule(scenario: Scenario, key: str) -> RuleSpec:
    for rule in scenario.rules:
        if rule.key == key:
            return rule
    raise _fail("rule", f"没有代号为“{key}”的规则", f"no rule has the key “{key}”")


def with_share(params: Mapping[str, Any], party: str, share: Fraction) -> dict[str, Any]:
    """`params` with the party's share set and the others' scaled to keep their proportions."""
    table = {key: parse_share(value) or Fraction(0) for key, value in params["shares"].items()}
    others = {key: value for key, value in table.items() if key != party}
    rest = 1 - share
    weight = sum(others.values(), Fraction(0))
    shares: dict[str, Fraction] = {party: share}
    if others:
        keys = sorted(others)
        assigned = Fraction(0)
        for position, key in enumerate(keys):
            if position == len(keys) - 1:
                shares[key] = rest - assigned
            else:
                part = rest * others[key] / weight if weight else rest / len(keys)
                shares[key] = part
                assigned += part
    return {**params, "shares": {key: str(value) for key, value in shares.items()}}


def family(
    question: Question,
    scenario: Scenario,
    sources: Sequence[Source],
    assumptions: Assumptions,
) -> tuple[int, int, Callable[[int], dict[str, Any]]]:
    """(lowest, highest, value → the rule's params) for the question's family."""
    rule = _rule(scenario, question.rule)
    params = dict(rule.params)
    if question.family == "ratio":
        if not isinstance(params.get("shares"), Mapping) or question.party not in params["shares"]:
            raise _fail(
                "party",
                f"规则 {rule.key} 的分成比例中没有 {question.party}",
                f"rule {rule.key} has no share for {question.party}",
            )
        return (
            0,
            RATIO_STEPS,
            lambda k: with_share(params, question.party, Fraction(k, RATIO_STEPS)),
        )
    if rule.kind != "window_cap":
        raise _fail(
            "family",
            "上限和窗口期只能用于窗口期分成规则(window_cap)",
            "a cap or a window can only be solved for a window_cap rule",
        )
    if question.family == "cap":
        ceiling = sum(
            record.amount
            for year in list(assumptions.year_range)[: question.years]
            for record in year_records(sources, year, assumptions)
            if record.indicator == rule.indicator and record.amount > 0
        )
        enterprises = (
            [question.enterprise]
            if question.enterprise
            else sorted({source.enterprise for source in sources})
        )

        def caps(value: int) -> dict[str, Any]:
            table = dict(params.get("caps") or {})
            table.update(dict.fromkeys(enterprises, value))
            return {**params, "caps": table}

        return 0, max(ceiling, 0), caps
    if question.family == "window":
        return 1, MAX_WINDOW, lambda years: {**params, "window_years": years}
    raise _fail(
        "family",
        f"未知的求解类型“{question.family}”(可选:ratio、cap、window)",
        f"unknown family “{question.family}” (ratio, cap, window)",
    )


def solve(
    question: Question,
    scenario: Scenario,
    sources: Sequence[Source],
    facts: Mapping[str, EnterpriseFacts],
    parties: Sequence[Party],
    assumptions: Assumptions,
    state: LedgerState | None = None,
    validate: Callable[[Sequence[RuleSpec]], None] | None = None,
) -> Answer:
    """The smallest value of the family giving the party at least the amount (bisection)."""
    if question.party not in {party.key for party in parties}:
        raise _fail(
            "party", f"“{question.party}”不是协议的一方", f"“{question.party}” is not a party"
        )
    if not 1 <= question.years <= assumptions.years:
        raise _fail(
            "years",
            f"求解年限须为 1 至 {assumptions.years} 年",
            f"the years must be 1 to {assumptions.years}",
        )
    if question.measure not in MEASURES:
        raise _fail("measure", "口径须为 total 或 present_value", "measure: total or present_value")
    horizon = dataclasses.replace(assumptions, years=question.years)
    low, high, params_at = family(question, scenario, sources, horizon)
    bound = high
    cache: dict[int, Fraction] = {}

    def measure(value: int) -> Fraction:
        if value not in cache:
            rules = [
                dataclasses.replace(rule, params=params_at(value))
                if rule.key == question.rule
                else rule
                for rule in scenario.rules
            ]
            if validate is not None:
                validate(rules)
            result = run_scenario(
                dataclasses.replace(scenario, rules=rules), sources, facts, parties, horizon, state
            )
            cache[value] = (
                Fraction(result.totals[question.party])
                if question.measure == "total"
                else result.present_values[question.party]
            )
        return cache[value]

    target = Fraction(question.amount)
    if measure(high) < target:
        return Answer(question, False, None, measure(high), bound, len(cache))
    if measure(low) >= target:
        return Answer(question, True, low, measure(low), bound, len(cache))
    while high - low > 1:  # measure(low) < target <= measure(high)
        middle = (low + high) // 2
        if measure(middle) >= target:
            high = middle
        else:
            low = middle
    return Answer(question, True, high, measure(high), bound, len(cache))
