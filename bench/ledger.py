"""The ledger split alone: 1,000,000 enterprises × 3 indicators for one period (no database).

`python -m bench.ledger [ENTERPRISES]` (also run by `make bench`) prints records per second
for:

- the baseline: a straightforward per-record loop in Decimal (round each share half up to the
  fen, the last party takes the rest), measured on a sample;
- `split` (the scalar engine, allocation objects with their terms), on a sample;
- `split_columns` (numpy columns: rules chosen with array operations, each fixed-share group
  divided by `split_array`), on the whole period, best of three;
- `split_array` alone (the integer kernel on one group);

and the process's peak resident memory (VmHWM) after the column run. Targets: the split
≥ 1,000,000 records per second per core, peak memory under 2 GB. The rules: a stepped rule for
VAT (years since settlement), a fixed ratio for CIT, the equity in force for output value, an
`introduced_by` override for VAT and a window-with-cap rule for a list of 1,000 enterprises
(those records go through the scalar path).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np

from parklink.cobuild.ledger.columns import RecordColumns, split_columns
from parklink.cobuild.ledger.kinds.base import parse_share
from parklink.cobuild.ledger.rounding import split_array
from parklink.cobuild.ledger.split import split
from parklink.cobuild.ledger.types import (
    EnterpriseFacts,
    LedgerState,
    Party,
    Period,
    Record,
    RuleSpec,
    Scope,
)

INDICATORS = ["vat_local", "cit_local", "output"]
PARTIES = [Party("jinniu", 1), Party("shifang", 2), Party("deyang", 3)]
PERIOD = Period("2025Q1", date(2025, 1, 1), date(2025, 3, 31))
SAMPLE = 100_000
LIMIT_MB = 2048


def rules(capped: list[str]) -> list[RuleSpec]:
    return [
        RuleSpec(
            "vat",
            "vat_local",
            Scope("all"),
            "stepped",
            {
                "anchor": "settled",
                "steps": [
                    {"years": [1, 3], "shares": {"jinniu": "7/10", "shifang": "3/10"}},
                    {"years": [4, 6], "shares": {"jinniu": "1/2", "shifang": "1/2"}},
                    {"years": [7, None], "shares": {"shifang": "1"}},
                ],
                "before": {"shifang": "1"},
            },
        ),
        RuleSpec(
            "vat-deyang",
            "vat_local",
            Scope("introduced_by", party="deyang"),
            "fixed_ratio",
            {"shares": {"jinniu": "2/5", "shifang": "3/10", "deyang": "3/10"}},
        ),
        RuleSpec(
            "vat-moved",
            "vat_local",
            Scope("list", enterprises=frozenset(capped)),
            "window_cap",
            {
                "window_years": 3,
                "extension_years": 2,
                "shares": {"jinniu": "1/2", "shifang": "1/2"},
                "capped_party": "jinniu",
                "caps": {key: 50_000_000 for key in capped},
                "currency": "CNY",
                "basis": "迁出前三年缴纳的税收",
                "after": {"shifang": "1"},
            },
        ),
        RuleSpec(
            "cit",
            "cit_local",
            Scope("all"),
            "fixed_ratio",
            {"shares": {"jinniu": "3/5", "shifang": "2/5"}},
        ),
        RuleSpec(
            "output",
            "output",
            Scope("all"),
            "equity_share",
            {
                "equity": [
                    {"from": "2020-01-01", "shares": {"jinniu": "51%", "shifang": "49%"}},
                    {"from": "2025-02-01", "shares": {"jinniu": "60%", "shifang": "40%"}},
                ]
            },
        ),
    ]


def world(count: int) -> tuple[RecordColumns, dict[str, EnterpriseFacts], list[RuleSpec]]:
    rng = random.Random(20250101)
    keys = [f"E{n:07d}" for n in range(count)]
    days = [date(2016, 1, 1) + timedelta(days=n) for n in range(3650)]
    introducers = ["jinniu", "shifang", "deyang", None]
    facts = {
        key: EnterpriseFacts(
            key,
            introduced_by=introducers[n % 4],
            settled_on=days[rng.randrange(len(days))],
            moved_on=date(2023, 5, 1),
            full_production_on=date(2023, 7, 1),
        )
        for n, key in enumerate(keys)
    }
    generator = np.random.default_rng(7)
    total = count * len(INDICATORS)
    columns = RecordColumns(
        index=np.arange(total, dtype=np.int64),
        enterprise=np.repeat(np.arange(count, dtype=np.int32), len(INDICATORS)),
        indicator=np.tile(np.arange(len(INDICATORS), dtype=np.int32), count),
        # fen: mostly up to 1,000万元, a few refunds
        amount=generator.integers(-10_000_000, 1_000_000_000, size=total, dtype=np.int64),
        enterprises=keys,
        indicators=INDICATORS,
    )
    capped = keys[:: max(count // 1000, 1)][:1000]
    return columns, facts, rules(capped)


def decimal_baseline(
    records: list[Record], facts: dict[str, EnterpriseFacts], rule_set: list[RuleSpec]
) -> list[tuple[int, str, Decimal]]:
    """The straightforward loop: per record, choose its rule (narrowest scope), find the shares
    (the step of the year since settlement, the equity in force), multiply in Decimal, round
    half up to the fen for every party but the last, and give the last the rest. (It ignores
    caps: it is the floor of what a per-record loop costs, in its favour.)"""

    def decimal_shares(table: dict[str, str]) -> list[tuple[str, Decimal]]:
        if id(table) not in converted:  # each table converted once, in the baseline's favour
            pairs = []
            for party, text in sorted(table.items(), key=lambda item: order[item[0]]):
                share = parse_share(text)
                assert share is not None
                pairs.append((party, Decimal(share.numerator) / Decimal(share.denominator)))
            converted[id(table)] = pairs
        return converted[id(table)]

    converted: dict[int, list[tuple[str, Decimal]]] = {}
    order = {party.key: party.order for party in PARTIES}
    fen = Decimal("0.01")
    out: list[tuple[int, str, Decimal]] = []
    for record in records:
        enterprise = facts[record.enterprise]
        chosen = None
        for rule in rule_set:
            if rule.indicator != record.indicator:
                continue
            scope = rule.scope
            if scope.kind in ("list", "enterprise") and record.enterprise in scope.enterprises:
                chosen = rule
                break
            by_party = scope.kind == "introduced_by" and enterprise.introduced_by == scope.party
            if by_party or (scope.kind == "all" and chosen is None):
                chosen = rule
        assert chosen is not None
        params = chosen.params
        if chosen.kind == "stepped":
            settled = enterprise.settled_on
            assert settled is not None
            start = PERIOD.start
            year = (
                start.year
                - settled.year
                - ((start.month, start.day) < (settled.month, settled.day))
                + 1
            )
            table = (
                params["before"]
                if year < 1
                else next(
                    step["shares"]
                    for step in params["steps"]
                    if step["years"][0] <= year
                    and (step["years"][1] is None or year <= step["years"][1])
                )
            )
        elif chosen.kind == "equity_share":
            table = max(
                (e for e in params["equity"] if date.fromisoformat(e["from"]) <= PERIOD.end),
                key=lambda e: e["from"],
            )["shares"]
        else:
            table = params["shares"]
        shares = decimal_shares(table)
        amount = Decimal(record.amount) / 100
        given = Decimal(0)
        for party, share in shares[:-1]:
            part = (amount * share).quantize(fen, rounding=ROUND_HALF_UP)
            given += part
            out.append((record.index, party, part))
        out.append((record.index, shares[-1][0], amount - given))
    return out


def peak_mb() -> float:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 1_000_000
    columns, facts, rule_set = world(count)
    total = columns.index.size
    state = LedgerState()

    def run_columns() -> object:
        return split_columns(
            columns, facts, rule_set, PARTIES, state, period=PERIOD, version_label="1"
        )

    column_seconds = timed(run_columns, 3)
    result = split_columns(
        columns, facts, rule_set, PARTIES, state, period=PERIOD, version_label="1"
    )
    peak = peak_mb()
    fast_records = total - len(result.unmatched) - len({a.record for a in result.slow})

    sample = columns.records(np.arange(min(SAMPLE, total)))
    decimal_seconds = timed(lambda: decimal_baseline(sample, facts, rule_set), 1)
    scalar_seconds = timed(
        lambda: split(sample, facts, rule_set, PARTIES, state, period=PERIOD, version_label="1"),
        1,
    )
    amounts = columns.amount
    kernel_seconds = timed(lambda: split_array(amounts, [Fraction(3, 5), Fraction(2, 5)]), 3)

    def rate(records: int, seconds: float) -> str:
        return f"{records / seconds:>12,.0f} records/s"

    sampled = f"({len(sample):,}-record sample)"
    print(f"ledger split, one period: {count:,} enterprises × {len(INDICATORS)} indicators")
    print(f"  = {total:,} records")
    print(f"  baseline: Decimal loop    {rate(len(sample), decimal_seconds)}  {sampled}")
    print(f"  split (scalar, objects)   {rate(len(sample), scalar_seconds)}  {sampled}")
    print(
        f"  split_columns (numpy)     {rate(total, column_seconds)}  "
        f"({column_seconds:.2f} s; {fast_records:,} vectorised, {len(result.slow):,} scalar parts, "
        f"{len(result.unmatched):,} unmatched)"
    )
    print(f"  split_array kernel alone  {rate(total, kernel_seconds)}  (one group, 2 parties)")
    speedup = decimal_seconds / len(sample) * total / column_seconds
    met = "met" if total / column_seconds >= 1_000_000 else "NOT met"
    print(f"  columns vs Decimal loop: {speedup:.1f}×; target ≥ 1,000,000 records/s: {met}")
    print(f"  peak memory (VmHWM) after the column run: {peak:,.0f} MB (limit {LIMIT_MB:,} MB)")
    return 0 if peak < LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
