"""The column path gives exactly what `split` gives: parts, order, state, reasons."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from parklink.cobuild.ledger.columns import RecordColumns, split_columns
from parklink.cobuild.ledger.split import split
from parklink.cobuild.ledger.types import EnterpriseFacts, LedgerState, Party, Record, Scope
from tests.cobuild.ledger.support import quarter, rule
from tests.cobuild.ledger.test_properties import AMOUNTS, ENTERPRISES, INDICATORS, worlds

FLY = [Party("jinniu", 1), Party("shifang", 2)]


def both(records: list[Record], world: dict[str, Any], state: LedgerState) -> tuple[Any, Any]:
    args = (world["facts"], world["rules"], world["parties"], state)
    period = quarter(2024, 2)
    expected = split(records, *args, period=period, version_label="2")
    got = split_columns(
        RecordColumns.from_records(records), *args, period=period, version_label="2"
    )
    return expected, got


class TestSplitColumns:
    def test_groups_by_rule_and_step_and_quotes_the_same_terms(self) -> None:
        steps = {
            "anchor": "settled",
            "steps": [
                {"years": [1, 1], "shares": {"jinniu": "1/2", "shifang": "1/2"}},
                {"years": [2, None], "shares": {"jinniu": "1/3", "shifang": "2/3"}},
            ],
        }
        rules = [
            rule("stepped", steps),
            rule("fixed_ratio", {"shares": {"jinniu": "1"}}, key="r2", indicator="cit_local"),
            rule(
                "fixed_ratio",
                {"shares": {"shifang": "1"}},
                key="r3",
                scope=Scope("introduced_by", party="shifang"),
            ),
        ]
        facts = {
            "E1": EnterpriseFacts("E1", settled_on=date(2023, 6, 1)),
            "E2": EnterpriseFacts("E2", settled_on=date(2024, 1, 1)),
            "E3": EnterpriseFacts("E3", introduced_by="shifang"),
            "E4": EnterpriseFacts("E4"),  # no settlement date: reported
        }
        records = [
            Record(i, f"E{i % 4 + 1}", ("vat_local", "cit_local", "jobs")[i % 3], 1000 + i)
            for i in range(300)
        ]
        world = {"facts": facts, "rules": rules, "parties": FLY}
        expected, got = both(records, world, LedgerState())
        assert got.allocations() == list(expected.allocations)
        assert got.unmatched == list(expected.unmatched)
        assert got.reasons == dict(expected.reasons)
        assert {g.step for g in got.fast.groups} == {"year-1", "ratio"}
        assert int(got.fast.amount.sum()) + sum(a.amount for a in got.slow) == sum(
            r.amount for r in records if r.index not in set(got.unmatched)
        )

    @settings(max_examples=60, deadline=None)
    @given(worlds(), st.lists(AMOUNTS, min_size=1, max_size=80), st.randoms())
    def test_matches_split_on_random_worlds(self, world: Any, amounts: list[int], rnd: Any) -> None:
        records = [
            Record(i * 7, rnd.choice(ENTERPRISES), rnd.choice(INDICATORS), amount)
            for i, amount in enumerate(amounts)
        ]
        rnd.shuffle(records)
        state = LedgerState(cap_used={}, ytd={})
        expected, got = both(records, world, state)
        assert got.allocations() == list(expected.allocations)
        assert got.state == expected.state
        assert got.unmatched == list(expected.unmatched)
        assert got.reasons == dict(expected.reasons)
