"""The one interface every rule kind implements, and the helpers the kinds share.

A kind is a class with a `code`, a `validate(params, parties)` that returns the problems of a
rule's parameters (empty when it may be saved), and a `split(context)` that divides one record
into allocations. A kind whose split of a record does not depend on the amount or the state
(a fixed ratio, the equity in force, one step of a stepped rule) also answers `fixed_shares`,
which lets `split` divide large groups of records at once with numpy.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any, ClassVar, TypeGuard

from parklink.cobuild.ledger.rounding import split_int
from parklink.cobuild.ledger.types import (
    Allocation,
    EnterpriseFacts,
    LedgerState,
    Party,
    Period,
    Problem,
    Record,
    RuleSpec,
)


class NotApplicable(Exception):
    """The rule matches the record but cannot split it (e.g. an anchor date is missing)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.en)
        self.problem = problem


@dataclass
class Context:
    """What a kind sees when it splits one record. `state` is the run's working copy."""

    record: Record
    facts: EnterpriseFacts
    rule: RuleSpec
    parties: Sequence[Party]  # in party order
    period: Period
    state: LedgerState
    version: str
    scratch: dict[Any, Any] = field(default_factory=dict)  # per run, shared by the records

    def allocation(
        self,
        party: str,
        amount: int,
        step: str,
        share: Fraction | None,
        terms: Mapping[str, Any],
        *,
        cap_used: int | None = None,
        cap_left: int | None = None,
    ) -> Allocation:
        return Allocation(
            record=self.record.index,
            party=party,
            amount=amount,
            rule=self.rule.key,
            step=step,
            share=share,
            cap_used=cap_used,
            cap_left=cap_left,
            terms={
                "indicator": self.record.indicator,
                "version": self.version,
                "period": self.period.label,
                **terms,
            },
        )

    def proportional(
        self,
        amount: int,
        shares: Sequence[tuple[str, Fraction]],
        step: str,
        terms: Mapping[str, Any],
    ) -> list[Allocation]:
        """One allocation per party of `shares`, the parts by the rounding rule."""
        parts = split_int(amount, [share for _, share in shares])
        return [
            self.allocation(party, part, step, share, {**terms, "basis": amount})
            for (party, share), part in zip(shares, parts, strict=True)
        ]


# (step, shares in party order, terms): how `fixed_shares` answers.
Fixed = tuple[str, list[tuple[str, Fraction]], dict[str, Any]]


class RuleKind:
    """The interface. Subclasses set `code`, the names, and implement the two methods."""

    code: ClassVar[str]
    name_zh: ClassVar[str]
    name_en: ClassVar[str]

    def validate(self, params: Mapping[str, Any], parties: Sequence[Party]) -> list[Problem]:
        raise NotImplementedError

    def split(self, context: Context) -> list[Allocation]:
        raise NotImplementedError

    def fixed_shares(
        self, rule: RuleSpec, facts: EnterpriseFacts, period: Period, parties: Sequence[Party]
    ) -> Fixed | None:
        """(step, shares in party order, terms) when every record of this enterprise in the
        period is split by these shares alone, whatever its amount and the state; else None."""
        return None

    def reads(self, rule: RuleSpec) -> tuple[str, ...] | None:
        """The `EnterpriseFacts` fields `fixed_shares` depends on (besides the key, which only
        its refusals quote); None for a kind without fixed shares. Lets the column path ask
        once per distinct value instead of once per enterprise."""
        return None


class FixedSharesKind(RuleKind):
    """A kind whose split is always `fixed_shares` (which raises `NotApplicable` when the rule
    cannot place the record, e.g. a missing anchor date)."""

    def split(self, context: Context) -> list[Allocation]:
        fixed = self.fixed_shares(context.rule, context.facts, context.period, context.parties)
        assert fixed is not None
        step, shares, terms = fixed
        return context.proportional(context.record.amount, shares, step, terms)

    def fixed_shares(
        self, rule: RuleSpec, facts: EnterpriseFacts, period: Period, parties: Sequence[Party]
    ) -> Fixed:
        raise NotImplementedError

    def reads(self, rule: RuleSpec) -> tuple[str, ...] | None:
        return ("introduced_by", "settled_on", "production_on", "full_production_on", "moved_on")


# ---- shares --------------------------------------------------------------------------------

_DECIMAL_RE = re.compile(r"^\s*(\d+(?:\.\d+)?|\d+/\d+)\s*(%)?\s*$")


def parse_share(value: object) -> Fraction | None:
    """An exact share from "3/5", "0.6", "60%" or an int; None for anything else (floats too:
    0.1 has no exact binary value, so shares are written as text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if not isinstance(value, str):
        return None
    match = _DECIMAL_RE.match(value)
    if not match:
        return None
    number, percent = match.groups()
    try:
        share = Fraction(number)
    except ZeroDivisionError:
        return None
    return share / 100 if percent else share


def fmt_share(share: Fraction) -> str:
    return str(share)


def check_shares(value: object, parties: Sequence[Party], where: str) -> list[Problem]:
    """Problems of a {party: share} table: known parties, 0 ≤ share ≤ 1, adding up to 100%."""
    if not isinstance(value, Mapping) or not value:
        return [Problem(where, "须列出各方分成比例", "must list each party's share")]
    known = {party.key for party in parties}
    problems: list[Problem] = []
    total = Fraction(0)
    for key, raw in value.items():
        path = f"{where}.{key}"
        if key not in known:
            problems.append(Problem(path, f"“{key}”不是协议的一方", f"“{key}” is not a party"))
            continue
        share = parse_share(raw)
        if share is None:
            problems.append(
                Problem(
                    path,
                    f"比例“{raw}”无法识别,请写成 3/5、0.6 或 60%",
                    f"share “{raw}” is not readable; write 3/5, 0.6 or 60%",
                )
            )
            continue
        if share > 1:
            problems.append(Problem(path, "比例不能超过 100%", "a share cannot exceed 100%"))
        total += share
    if not problems and total != 1:
        percent = fmt_percent(total)
        problems.append(
            Problem(
                where,
                f"各方比例合计为 {percent},应为 100%",
                f"the shares add up to {percent}, not 100%",
            )
        )
    return problems


def ordered_shares(
    value: Mapping[str, Any], parties: Sequence[Party]
) -> list[tuple[str, Fraction]]:
    """A validated {party: share} table as [(party, share)] in party order (a fresh list)."""
    return list(_ordered_shares(tuple(value.items()), tuple(parties)))


@functools.lru_cache(maxsize=4096)
def _ordered_shares(
    items: tuple[tuple[str, Any], ...], parties: tuple[Party, ...]
) -> tuple[tuple[str, Fraction], ...]:
    rank = {party.key: (party.order, party.key) for party in parties}
    out = []
    for key, raw in sorted(items, key=lambda item: rank.get(item[0], (1 << 30, item[0]))):
        share = parse_share(raw)
        assert share is not None, "validated before"
        out.append((key, share))
    return tuple(out)


def fmt_percent(share: Fraction) -> str:
    """A share as a percentage, exact: 50%, 33.5%, or 100/3% when it does not terminate."""
    percent = share * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    denominator = percent.denominator
    while denominator % 2 == 0:
        denominator //= 2
    while denominator % 5 == 0:
        denominator //= 5
    if denominator == 1:
        places = 0
        scaled = percent
        while scaled.denominator != 1:
            scaled *= 10
            places += 1
        sign = "-" if scaled < 0 else ""
        digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
        return f"{sign}{digits[:-places]}.{digits[-places:]}%"
    return f"{percent}%"


# ---- dates -------------------------------------------------------------------------------

ANCHORS = ("settled", "production", "full_production")
ANCHOR_FIELDS = {
    "settled": "settled_on",
    "production": "production_on",
    "full_production": "full_production_on",
}
ANCHOR_NAMES = {
    "settled": ("入驻", "settlement"),
    "production": ("投产", "start of production"),
    "full_production": ("达产", "full production"),
}


def anchor_date(facts: EnterpriseFacts, anchor: str) -> date | None:
    day: date | None = getattr(facts, ANCHOR_FIELDS[anchor])
    return day


def year_number(anchor: date, on: date) -> int:
    """The year since `anchor` that `on` falls in: 1 from the anchor to the day before its
    first anniversary, 2 up to the second, ...; 0 or less before the anchor. The anniversary
    of 29 February is 1 March in a common year."""
    years = on.year - anchor.year
    if (on.month, on.day) < (anchor.month, anchor.day):
        years -= 1
    return years + 1 if on >= anchor else years


def parse_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def period_length(period: Period) -> str | None:
    """ "month", "quarter" or "year" for a period of whole calendar months; else None."""
    months = whole_months(period)
    return {1: "month", 3: "quarter", 12: "year"}.get(months or 0)


def whole_months(period: Period) -> int | None:
    """How many calendar months the period spans, when it starts on a 1st and ends on a last."""
    if period.start.day != 1:
        return None
    following = date.fromordinal(period.end.toordinal() + 1)
    if following.day != 1:
        return None
    return (following.year - period.start.year) * 12 + following.month - period.start.month


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1
