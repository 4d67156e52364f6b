"""Shorthands the ledger tests share: periods, rules, and a compact view of allocations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, cast

from parklink.cobuild.ledger.split import split
from parklink.cobuild.ledger.types import (
    EnterpriseFacts,
    LedgerState,
    Party,
    Period,
    Record,
    RuleSpec,
    Scope,
    SplitResult,
)

YUAN = 100  # fen


def year(y: int) -> Period:
    return Period(str(y), date(y, 1, 1), date(y, 12, 31))


def quarter(y: int, q: int) -> Period:
    ends = {1: date(y, 3, 31), 2: date(y, 6, 30), 3: date(y, 9, 30), 4: date(y, 12, 31)}
    return Period(f"{y}Q{q}", date(y, 3 * q - 2, 1), ends[q])


def month(y: int, m: int) -> Period:
    following = date(y + (m == 12), m % 12 + 1, 1)
    return Period(f"{y}-{m:02d}", date(y, m, 1), date.fromordinal(following.toordinal() - 1))


def rule(
    kind: str,
    params: Mapping[str, Any],
    *,
    key: str = "r1",
    indicator: str = "vat_local",
    scope: Scope | None = None,
) -> RuleSpec:
    return RuleSpec(key, indicator, scope or Scope("all"), kind, params)


def run(
    rules: Sequence[RuleSpec],
    amounts: Sequence[tuple[str, int]] | Sequence[Record],
    parties: Sequence[Party],
    period: Period,
    *,
    facts: Sequence[EnterpriseFacts] = (),
    state: LedgerState | None = None,
    indicator: str = "vat_local",
    version: str = "2",
) -> SplitResult:
    records: list[Record] = []
    for i, item in enumerate(amounts):
        if isinstance(item, Record):
            records.append(item)
        else:
            key, amount = cast(tuple[str, int], item)
            records.append(Record(i, key, indicator, amount))
    return split(
        records,
        {f.key: f for f in facts},
        rules,
        parties,
        state or LedgerState(),
        period=period,
        version_label=version,
    )


def parts(result: SplitResult) -> list[tuple[int, str, str, int]]:
    """(record, party, step, amount) of every allocation, in the result's order."""
    return [(a.record, a.party, a.step, a.amount) for a in result.allocations]


def totals(result: SplitResult) -> dict[str, int]:
    out: dict[str, int] = {}
    for allocation in result.allocations:
        out[allocation.party] = out.get(allocation.party, 0) + allocation.amount
    return out
