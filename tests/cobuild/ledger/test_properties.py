"""Properties over random rules, records and periods (hypothesis), the state carried along.

- the parts of every record add up exactly to the record;
- no part is negative unless the record is (the one documented exception: after a fixed
  payment larger than the record, the remainder's parts are negative: "even at a loss");
- caps are never exceeded;
- the shares applied at every step of a record add up to 100%;
- re-running a period gives byte-identical allocations and state;
- a later amendment (another rule set for a later period) leaves earlier runs unchanged;
- the numpy path gives exactly what the scalar path gives.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from fractions import Fraction
from typing import Any
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from parklink.cobuild.ledger import split as split_module
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
from tests.cobuild.ledger.support import quarter

ENTERPRISES = ["E0", "E1", "E2", "E3"]
INDICATORS = ["vat_local", "cit_local", "jobs"]
PERIODS = [quarter(y, q) for y in (2023, 2024) for q in (1, 2, 3, 4)]
KINDS = [
    "fixed_ratio",
    "equity_share",
    "stepped",
    "stock_increment",
    "window_cap",
    "fixed_payment",
    "tiered",
]


@st.composite
def parties(draw: st.DrawFn) -> list[Party]:
    count = draw(st.integers(2, 4))
    orders = draw(st.permutations(range(count)))
    return [Party(f"p{i}", orders[i]) for i in range(count)]


@st.composite
def shares(draw: st.DrawFn, keys: list[str]) -> dict[str, str]:
    chosen = draw(st.lists(st.sampled_from(keys), min_size=1, unique=True))
    weights = [draw(st.integers(0, 7)) for _ in chosen]
    if sum(weights) == 0:
        weights[0] = 1
    total = sum(weights)
    return {key: str(Fraction(w, total)) for key, w in zip(chosen, weights, strict=True)}


@st.composite
def params(draw: st.DrawFn, kind: str, keys: list[str]) -> dict[str, Any]:
    table = shares(keys)
    if kind == "fixed_ratio":
        return {"shares": draw(table)}
    if kind == "equity_share":
        return {
            "equity": [
                {"from": "2020-01-01", "shares": draw(table)},
                {
                    "from": draw(st.sampled_from(["2023-05-01", "2024-03-31"])),
                    "shares": draw(table),
                },
            ]
        }
    if kind == "stepped":
        return {
            "anchor": draw(st.sampled_from(["settled", "production", "full_production"])),
            "steps": [
                {"years": [1, 1], "shares": draw(table)},
                {"years": [2, None], "shares": draw(table)},
            ],
            "before": draw(table),
        }
    if kind == "stock_increment":
        baseline = {"quarter": draw(st.integers(0, 10**6))}
        return {
            "basis": draw(st.sampled_from(["enterprise", "park"])),
            "baselines": {e: baseline for e in ENTERPRISES[:2]},
            "baseline": baseline,
            "original": {"E0": keys[0]},
            "stock_shares": draw(table),
            "increment_shares": draw(table),
        }
    if kind == "window_cap":
        window = draw(table)
        capped = sorted(window)[0]
        after = [key for key in keys if key != capped]
        return {
            "window_years": draw(st.integers(1, 2)),
            "extension_years": draw(st.integers(0, 1)),
            "shares": window,
            "capped_party": capped,
            "caps": {e: draw(st.integers(0, 3 * 10**6)) for e in ENTERPRISES},
            "currency": "CNY",
            "basis": "迁出前三年",
            "after": draw(shares(after)),
            "before": draw(table),
        }
    if kind == "fixed_payment":
        return {
            "payee": draw(st.sampled_from(keys)),
            "rate": draw(st.integers(0, 10**6)),
            "units": draw(st.integers(0, 12)),
            "start": "2023-04-01",
            "years": 1,
            "remainder": draw(table),
        }
    assert kind == "tiered"
    first = draw(st.integers(1, 10**6))
    return {
        "tiers": [
            {"upto": first, "shares": draw(table)},
            {"upto": first + draw(st.integers(1, 10**6)), "shares": draw(table)},
            {"upto": None, "shares": draw(table)},
        ]
    }


@st.composite
def rule_sets(draw: st.DrawFn, keys: list[str], prefix: str = "") -> list[RuleSpec]:
    rules = []
    for indicator in INDICATORS:
        kind = draw(st.sampled_from(KINDS))
        rules.append(
            RuleSpec(
                f"{prefix}{indicator}", indicator, Scope("all"), kind, draw(params(kind, keys))
            )
        )
    if draw(st.booleans()):  # an override for one enterprise
        kind = draw(st.sampled_from(KINDS))
        rules.append(
            RuleSpec(
                f"{prefix}override",
                "vat_local",
                Scope("enterprise", enterprises=frozenset({"E1"})),
                kind,
                draw(params(kind, keys)),
            )
        )
    return rules


DAYS = st.sampled_from([None, date(2022, 2, 28), date(2023, 1, 1), date(2023, 8, 15)])


@st.composite
def facts(draw: st.DrawFn) -> dict[str, EnterpriseFacts]:
    return {
        key: EnterpriseFacts(
            key,
            settled_on=draw(DAYS),
            production_on=draw(DAYS),
            full_production_on=draw(DAYS),
            moved_on=draw(DAYS),
        )
        for key in ENTERPRISES
    }


AMOUNTS = st.one_of(st.integers(-(10**6), 10**7), st.integers(-(10**12), 10**13))


@st.composite
def records(draw: st.DrawFn) -> list[Record]:
    rows = draw(
        st.lists(
            st.tuples(st.sampled_from(ENTERPRISES), st.sampled_from(INDICATORS), AMOUNTS),
            max_size=12,
        )
    )
    return [Record(i, e, ind, amount) for i, (e, ind, amount) in enumerate(rows)]


@st.composite
def worlds(draw: st.DrawFn) -> dict[str, Any]:
    people = draw(parties())
    keys = [p.key for p in people]
    return {
        "parties": people,
        "rules": draw(rule_sets(keys)),
        "amended": draw(rule_sets(keys, prefix="v3-")),
        "facts": draw(facts()),
        "periods": [draw(records()) for _ in PERIODS],
    }


def run_periods(
    world: dict[str, Any], state: LedgerState, periods: list[Period], rules: Any = None
) -> list[SplitResult]:
    out = []
    for period, rows in zip(periods, world["periods"], strict=False):
        result = split(
            rows,
            world["facts"],
            rules or world["rules"],
            world["parties"],
            state,
            period=period,
            version_label="2",
        )
        state = result.state
        out.append(result)
    return out


def dump(result: SplitResult) -> str:
    allocations = [
        {**vars(a), "share": None if a.share is None else str(a.share), "terms": dict(a.terms)}
        for a in result.allocations
    ]
    return json.dumps(
        {
            "allocations": allocations,
            "state": result.state.to_json(),
            "unmatched": list(result.unmatched),
            "reasons": {str(k): vars(v) for k, v in result.reasons.items()},
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def caps_of(rules: list[RuleSpec]) -> dict[tuple[str, str, str], int]:
    out = {}
    for rule in rules:
        if rule.kind == "window_cap":
            for enterprise, cap in rule.params["caps"].items():
                out[(rule.key, enterprise, rule.params["capped_party"])] = cap
    return out


class TestProperties:
    @settings(max_examples=150, deadline=None)
    @given(worlds())
    def test_parts_add_up_signs_hold_caps_hold_and_steps_make_one(self, world: Any) -> None:
        caps = caps_of(world["rules"])
        results = run_periods(world, LedgerState(), PERIODS)
        for rows, result in zip(world["periods"], results, strict=True):
            by_record = defaultdict(list)
            for allocation in result.allocations:
                by_record[allocation.record].append(allocation)
            for record in rows:
                mine = by_record.get(record.index, [])
                if record.index in result.unmatched:
                    assert mine == [] and record.index in result.reasons
                    continue
                assert mine, record
                assert sum(a.amount for a in mine) == record.amount
                payment = sum(a.amount for a in mine if a.step == "fixed")
                steps: dict[str, Fraction] = defaultdict(Fraction)
                for a in mine:
                    if a.step == "fixed":
                        assert a.amount >= 0 and a.share is None
                        continue
                    basis = record.amount - payment if a.step == "remainder" else record.amount
                    assert a.amount >= 0 if basis >= 0 else a.amount <= 0, (record, a)
                    assert a.share is not None
                    steps[a.step] += a.share
                    if a.cap_left is not None:
                        assert a.cap_left >= 0
                assert all(total == 1 for total in steps.values()), steps
            for key, used in result.state.cap_used.items():
                assert used <= caps[key]

    @settings(max_examples=60, deadline=None)
    @given(worlds())
    def test_rerunning_a_period_is_byte_identical(self, world: Any) -> None:
        state = LedgerState(cap_used={}, ytd={})
        first = [dump(r) for r in run_periods(world, state, PERIODS)]
        second = [dump(r) for r in run_periods(world, state, PERIODS)]
        assert first == second
        assert state == LedgerState()  # the state passed in is never changed

    @settings(max_examples=60, deadline=None)
    @given(worlds())
    def test_a_later_amendment_leaves_earlier_runs_unchanged(self, world: Any) -> None:
        earlier = run_periods(world, LedgerState(), PERIODS[:4])
        confirmed = [dump(r) for r in earlier]
        confirmed_state = json.dumps(earlier[-1].state.to_json())
        # Version 3 applies from 2024Q1 on, starting from the confirmed state of 2023Q4.
        later = dict(world, periods=world["periods"][4:])
        run_periods(later, earlier[-1].state, PERIODS[4:], rules=world["amended"])
        assert json.dumps(earlier[-1].state.to_json()) == confirmed_state
        again = [dump(r) for r in run_periods(world, LedgerState(), PERIODS[:4])]
        assert again == confirmed

    @settings(max_examples=60, deadline=None)
    @given(worlds(), st.lists(AMOUNTS, min_size=40, max_size=80))
    def test_the_numpy_path_gives_what_the_scalar_path_gives(
        self, world: Any, amounts: list[int]
    ) -> None:
        rows = [
            Record(i, ENTERPRISES[i % 4], INDICATORS[i % 3], amount)
            for i, amount in enumerate(amounts)
        ]
        world = dict(world, periods=[rows])
        with patch.object(split_module, "VECTOR_MIN", 10**9):
            scalar = dump(run_periods(world, LedgerState(), PERIODS[5:6])[0])
        with patch.object(split_module, "VECTOR_MIN", 1):
            vector = dump(run_periods(world, LedgerState(), PERIODS[5:6])[0])
        assert scalar == vector
