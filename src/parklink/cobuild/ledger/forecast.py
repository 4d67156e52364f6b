"""Forecast (预测): each party's share, year by year, of what the project pipeline expects.

Plain Python, no Django. Each project (`Source`) expects a tax and an output at full
production; a ramp-up curve (`Assumptions.ramp`, e.g. 30%, 60%, 100% for production years 1, 2,
3 and on) scales them from the start of production, and from the full-production date on the
factor is 1. A calendar year's factor is the mean of its twelve months' factors (a month
counts from its first day: the start of production on 2026-07-01 gives 2026 half a year of
year 1). The year's tax is split into indicators by the tax mix (`vat_local` 25% of the
expected tax, ...); the output is the `output` indicator. Each figure is rounded half up to
the fen once, and the figures of one enterprise's projects are added into one record per
indicator and year.

The records of each year go through the same engine as a settlement (`split.split`, annual
periods), the `LedgerState` carried from year to year, so caps, windows, steps and tiers
behave exactly as they would in the settlements. Each party's parts are summed per year:
money (the tax indicators) and output apart. Present values are exact fractions: a year's
money is discounted as received at the end of that year, `amount / (1 + r)^t` with t = 1 for
the first year of the forecast.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from parklink.cobuild.ledger.kinds.base import parse_share, year_number
from parklink.cobuild.ledger.split import split
from parklink.cobuild.ledger.types import (
    EnterpriseFacts,
    LedgerState,
    Party,
    Period,
    Problem,
    Record,
    RuleSpec,
)

TAX_INDICATORS = ("vat_local", "cit_local", "iit_local", "other_tax")
OUTPUT = "output"
# An illustrative mix: the local parts of the expected total tax (VAT and CIT are shared with
# the centre, so the local parts add up to half of it).
DEFAULT_MIX = {"vat_local": "25%", "cit_local": "16%", "iit_local": "2%", "other_tax": "7%"}
DEFAULT_RAMP = ("30%", "60%", "100%")
MAX_YEARS = 50


@dataclass(frozen=True)
class Source:
    """One project's expectations: figures at full production in fen, and its dates."""

    key: str  # the project
    enterprise: str  # the engine's enterprise key (EnterpriseFacts.key)
    annual_tax: int  # fen a year at full production (all taxes)
    annual_output: int  # fen a year at full production (revenue / output)
    production_on: date | None
    full_production_on: date | None = None


@dataclass(frozen=True)
class Assumptions:
    first_year: int
    years: int
    ramp: tuple[Fraction, ...] = tuple(Fraction(v.rstrip("%")) / 100 for v in DEFAULT_RAMP)
    tax_mix: Mapping[str, Fraction] = field(
        default_factory=lambda: {k: Fraction(v.rstrip("%")) / 100 for k, v in DEFAULT_MIX.items()}
    )
    discount_rate: Fraction = Fraction(0)

    @property
    def year_range(self) -> range:
        return range(self.first_year, self.first_year + self.years)


@dataclass(frozen=True)
class Scenario:
    key: str  # "current", "alt-1", ...
    label: str
    rules: Sequence[RuleSpec]


@dataclass(frozen=True)
class YearRow:
    year: int
    money: dict[str, int]  # party → fen of the tax indicators
    output: dict[str, int]  # party → fen of output
    recorded: int  # the year's tax records (fen)
    unmatched: int  # fen of tax records no rule split


@dataclass(frozen=True)
class ScenarioResult:
    key: str
    label: str
    rows: list[YearRow]
    totals: dict[str, int]  # party → money over the horizon
    present_values: dict[str, Fraction]  # party → exact present value of its money
    output_totals: dict[str, int]
    unmatched: int
    reasons: list[Problem]  # distinct reasons records were left unsplit

    def total(self, party: str, years: int | None = None) -> int:
        rows = self.rows if years is None else self.rows[:years]
        return sum(row.money.get(party, 0) for row in rows)


class ForecastError(ValueError):
    """Assumptions that cannot be used: a problem with its field and both languages."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.en)
        self.problem = problem


# ---- assumptions ---------------------------------------------------------------------------


def parse_fraction(value: object, where: str) -> Fraction:
    """A share or rate written exactly ("3/5", "0.6", "60%"); floats are refused."""
    share = parse_share(value)
    if share is None:
        raise ForecastError(
            Problem(
                where,
                f"“{value}”无法识别,请写成 3/5、0.6 或 60%",
                f"“{value}” is not readable; write 3/5, 0.6 or 60%",
            )
        )
    return share


def parse_ramp(values: Sequence[object]) -> tuple[Fraction, ...]:
    """Factors of production years 1, 2, ...; the last holds on. Each in [0, 1]."""
    if not values:
        raise ForecastError(Problem("ramp", "爬坡曲线不能为空", "the ramp-up curve is empty"))
    ramp = tuple(parse_fraction(v, f"ramp[{i}]") for i, v in enumerate(values))
    for index, factor in enumerate(ramp):
        if factor > 1:
            raise ForecastError(
                Problem(f"ramp[{index}]", "爬坡系数不能超过 100%", "a ramp factor exceeds 100%")
            )
    return ramp


def parse_mix(values: Mapping[str, object]) -> dict[str, Fraction]:
    """Indicator → share of the expected tax; tax indicators only, adding up to at most 100%."""
    mix: dict[str, Fraction] = {}
    for indicator, raw in values.items():
        if indicator not in TAX_INDICATORS:
            raise ForecastError(
                Problem(
                    f"tax_mix.{indicator}",
                    f"“{indicator}”不是税收指标(可选:{'、'.join(TAX_INDICATORS)})",
                    f"“{indicator}” is not a tax indicator ({', '.join(TAX_INDICATORS)})",
                )
            )
        mix[indicator] = parse_fraction(raw, f"tax_mix.{indicator}")
    if sum(mix.values(), Fraction(0)) > 1:
        raise ForecastError(
            Problem("tax_mix", "税收构成合计不能超过 100%", "the tax mix adds up to over 100%")
        )
    return mix


# ---- synthetic records ---------------------------------------------------------------------


def month_factor(source: Source, first: date, ramp: Sequence[Fraction]) -> Fraction:
    """The production factor of the month starting on `first`."""
    if source.production_on is None or first < source.production_on:
        return Fraction(0)
    if source.full_production_on is not None and first >= source.full_production_on:
        return Fraction(1)
    year = year_number(source.production_on, first)
    return ramp[min(year, len(ramp)) - 1]


def year_factor(source: Source, year: int, ramp: Sequence[Fraction]) -> Fraction:
    """The mean of the year's twelve month factors."""
    return (
        sum(
            (month_factor(source, date(year, month, 1), ramp) for month in range(1, 13)),
            Fraction(0),
        )
        / 12
    )


def round_half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)).__floor__())


def year_records(sources: Sequence[Source], year: int, assumptions: Assumptions) -> list[Record]:
    """One record per (enterprise, indicator) with a figure in the year, in a fixed order."""
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for source in sources:
        factor = year_factor(source, year, assumptions.ramp)
        if not factor:
            continue
        for indicator, share in assumptions.tax_mix.items():
            if share:
                sums[(source.enterprise, indicator)] += round_half_up(
                    source.annual_tax * share * factor
                )
        if source.annual_output:
            sums[(source.enterprise, OUTPUT)] += round_half_up(source.annual_output * factor)
    return [
        Record(index, enterprise, indicator, amount)
        for index, ((enterprise, indicator), amount) in enumerate(sorted(sums.items()))
    ]


# ---- the forecast --------------------------------------------------------------------------


def discount(amount: int | Fraction, rate: Fraction, t: int) -> Fraction:
    return Fraction(amount) / (1 + rate) ** t


def run_scenario(
    scenario: Scenario,
    sources: Sequence[Source],
    facts: Mapping[str, EnterpriseFacts],
    parties: Sequence[Party],
    assumptions: Assumptions,
    state: LedgerState | None = None,
) -> ScenarioResult:
    """The scenario's rules over the horizon, the state carried from year to year."""
    keys = [party.key for party in sorted(parties, key=lambda p: (p.order, p.key))]
    working = state.copy() if state is not None else LedgerState()
    rows: list[YearRow] = []
    reasons: dict[str, Problem] = {}
    for year in assumptions.year_range:
        records = year_records(sources, year, assumptions)
        period = Period(str(year), date(year, 1, 1), date(year, 12, 31))
        result = split(
            records,
            facts,
            scenario.rules,
            parties,
            working,
            period=period,
            version_label=scenario.label,
        )
        working = result.state
        by_index = {record.index: record for record in records}
        money = dict.fromkeys(keys, 0)
        output = dict.fromkeys(keys, 0)
        for allocation in result.allocations:
            target = output if by_index[allocation.record].indicator == OUTPUT else money
            target[allocation.party] = target.get(allocation.party, 0) + allocation.amount
        unmatched = 0
        for index in result.unmatched:
            record = by_index[index]
            if record.indicator != OUTPUT:
                unmatched += record.amount
            problem = result.reasons.get(index)
            if problem is not None:
                reasons.setdefault(problem.en, problem)
        recorded = sum(r.amount for r in records if r.indicator != OUTPUT)
        rows.append(YearRow(year, money, output, recorded, unmatched))
    totals = {key: sum(row.money.get(key, 0) for row in rows) for key in keys}
    present = {
        key: sum(
            (
                discount(row.money.get(key, 0), assumptions.discount_rate, t)
                for t, row in enumerate(rows, start=1)
            ),
            Fraction(0),
        )
        for key in keys
    }
    return ScenarioResult(
        key=scenario.key,
        label=scenario.label,
        rows=rows,
        totals=totals,
        present_values=present,
        output_totals={key: sum(row.output.get(key, 0) for row in rows) for key in keys},
        unmatched=sum(row.unmatched for row in rows),
        reasons=list(reasons.values()),
    )


def forecast(
    scenarios: Sequence[Scenario],
    sources: Sequence[Source],
    facts: Mapping[str, EnterpriseFacts],
    parties: Sequence[Party],
    assumptions: Assumptions,
    state: LedgerState | None = None,
) -> list[ScenarioResult]:
    """Every scenario over the same sources and assumptions, side by side."""
    if not 1 <= assumptions.years <= MAX_YEARS:
        raise ForecastError(
            Problem(
                "years",
                f"预测年限须为 1 至 {MAX_YEARS} 年",
                f"the horizon must be 1 to {MAX_YEARS} years",
            )
        )
    if assumptions.discount_rate < 0:
        raise ForecastError(
            Problem("discount_rate", "折现率不能为负", "the discount rate cannot be negative")
        )
    return [
        run_scenario(scenario, sources, facts, parties, assumptions, state)
        for scenario in scenarios
    ]
