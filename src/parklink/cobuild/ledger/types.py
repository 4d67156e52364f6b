"""The plain data the ledger engine reads and writes (no Django imports).

Every figure is an integer in its indicator's smallest unit: fen (分) for money (taxes, output,
value added, investment, land revenue), persons for jobs. Shares are exact fractions. The
Django side (models, services, tasks) converts its rows into these types, calls
`cobuild.ledger.split.split`, and stores the allocations it returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class Period:
    """A settlement period: a month, a quarter or a year (`label` e.g. 2025Q1, 2025-03, 2025)."""

    label: str
    start: date
    end: date  # inclusive


@dataclass(frozen=True)
class Party:
    """A party to the agreement; `order` breaks rounding ties (lower first), fixed per agreement."""

    key: str
    order: int


@dataclass(frozen=True)
class EnterpriseFacts:
    """What rules need to know about an enterprise (dates drive steps and windows)."""

    key: str
    introduced_by: str | None = None  # the party that brought it in
    settled_on: date | None = None  # 入驻 / registered in the park
    production_on: date | None = None  # 投产
    full_production_on: date | None = None  # 达产
    moved_on: date | None = None  # transferred from the source side (京津冀-style windows)


@dataclass(frozen=True)
class Record:
    """One figure of one enterprise for one indicator in the period."""

    index: int  # position in the run's input, echoed by its allocations
    enterprise: str  # EnterpriseFacts.key
    indicator: str  # e.g. "vat_local", "cit_local", "iit_local", "other_tax", "output",
    #                 "value_added", "fai", "land_revenue", "jobs"
    amount: int  # fen (or persons); may be negative (a refund)


@dataclass(frozen=True)
class Scope:
    """Which records a rule applies to. Narrower scopes win: enterprise > list > party > all."""

    kind: str  # "all" | "introduced_by" | "list" | "enterprise"
    party: str | None = None  # for "introduced_by"
    enterprises: frozenset[str] = frozenset()  # for "list" and "enterprise"


@dataclass(frozen=True)
class RuleSpec:
    """A sharing rule of one agreement version: an indicator, a scope, a kind and its parameters.

    `params` is the kind's own JSON-shaped document (validated by the kind), e.g. for a fixed
    ratio {"shares": {"jinniu": "3/5", "shifang": "2/5"}}.
    """

    key: str  # stable id (the database id as text), quoted in every allocation
    indicator: str
    scope: Scope
    kind: str  # a registered rule kind's code
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Allocation:
    """One party's part of one record, with how it was derived."""

    record: int  # Record.index
    party: str
    amount: int
    rule: str  # RuleSpec.key
    step: str  # machine label of the step/window/tier it fell in: "year-2", "window", "extension",
    #            "after-window", "stock", "increment", "fixed", "remainder", "tier-1", ...
    share: Fraction | None  # the party's share applied (None for fixed payments)
    cap_used: int | None = None  # the party's capped total consumed including this part
    cap_left: int | None = None
    terms: Mapping[str, Any] = field(default_factory=dict)  # figures the sentence quotes


@dataclass
class LedgerState:
    """What carries from one confirmed period to the next: caps consumed, baselines met.

    Keys are (rule key, enterprise key, party key). The engine never mutates the state it is
    given; `split` returns the state after the period.
    """

    cap_used: dict[tuple[str, str, str], int] = field(default_factory=dict)
    # Year-to-date totals the tiered kind reads: (rule key, enterprise key, calendar year "2025").
    ytd: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def copy(self) -> LedgerState:
        return LedgerState(cap_used=dict(self.cap_used), ytd=dict(self.ytd))

    def to_json(self) -> dict[str, list[list[Any]]]:
        """A JSON-shaped document (sorted, so the same state gives the same bytes)."""
        return {
            "cap_used": [[*key, value] for key, value in sorted(self.cap_used.items())],
            "ytd": [[*key, value] for key, value in sorted(self.ytd.items())],
        }

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> LedgerState:
        return cls(
            cap_used={(r, e, p): int(v) for r, e, p, v in document.get("cap_used", [])},
            ytd={(r, e, y): int(v) for r, e, y, v in document.get("ytd", [])},
        )


@dataclass(frozen=True)
class Problem:
    """Why a rule's parameters are refused: a field path and the reason in both languages."""

    field: str
    zh: str
    en: str


@dataclass(frozen=True)
class SplitResult:
    allocations: Sequence[Allocation]
    state: LedgerState
    unmatched: Sequence[int]  # indexes of records no rule applies to (reported, not split)
    # Why each unmatched record was not split (no rule for its indicator and scope, or the rule
    # does not apply: an anchor date missing, a period beyond the last step, no cap given, ...).
    reasons: Mapping[int, Problem] = field(default_factory=dict)
