"""`ledger.packing`: a run's record ids and facts as compact integer columns, and back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parklink.cobuild.ledger import packing
from parklink.cobuild.ledger.types import EnterpriseFacts

DAYS = st.one_of(st.none(), st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)))


@st.composite
def facts_lists(draw: st.DrawFn) -> list[EnterpriseFacts]:
    ids = draw(st.lists(st.integers(1, 2**62), unique=True, max_size=30))
    return [
        EnterpriseFacts(
            str(pk),
            draw(st.sampled_from([None, "jinniu", "shifang", "德格"])),
            draw(DAYS),
            draw(DAYS),
            draw(DAYS),
            draw(DAYS),
        )
        for pk in ids
    ]


@settings(max_examples=150, deadline=None)
@given(facts=facts_lists(), ids=st.lists(st.integers(1, 2**62), max_size=60))
def test_pack_and_unpack_give_back_the_ids_and_facts(
    facts: list[EnterpriseFacts], ids: list[int]
) -> None:
    columns = packing.FactColumns.from_facts(facts)
    record_ids = np.array(ids, dtype=np.int64)
    back = packing.unpack(packing.pack(record_ids, columns))
    assert back.record_ids.tolist() == ids  # in the run's order, not sorted
    assert back.facts.facts() == {f.key: f for f in facts}
    assert back.facts.parties == sorted({f.introduced_by for f in facts if f.introduced_by})
    assert back.facts.enterprise.tolist() == sorted(int(f.key) for f in facts)
    digest = b"".join(columns.digest_bytes())
    assert b"".join(back.facts.digest_bytes()) == digest


def test_the_columns_by_hand() -> None:
    columns = packing.FactColumns.from_facts(
        [
            EnterpriseFacts("30", None, date(2000, 1, 2), None, None, None),
            EnterpriseFacts("7", "shifang", date(1999, 12, 31), None, date(2023, 7, 1), None),
        ]
    )
    assert columns.enterprise.tolist() == [7, 30]
    assert columns.parties == ["shifang"]
    assert columns.introducer.tolist() == [0, -1]
    null = packing.NULL_DAY
    assert columns.days.tolist() == [[-1, null, 8582, null], [1, null, null, null]]


def test_empty_and_foreign_bytes() -> None:
    empty = packing.unpack(
        packing.pack(np.empty(0, dtype=np.int64), packing.FactColumns.from_facts([]))
    )
    assert empty.record_ids.size == 0 and empty.facts.facts() == {}
    with pytest.raises(ValueError):
        packing.unpack(b"[1, 2, 3]")


def test_a_million_sequential_ids_pack_small() -> None:
    ids = np.arange(10_000_000, 13_000_000, dtype=np.int64)
    data = packing.pack(ids, packing.FactColumns.from_facts([]))
    assert len(data) < 200_000  # the differences are all 1: zlib keeps little
    assert np.array_equal(packing.unpack(data).record_ids, ids)


@settings(max_examples=60, deadline=None)
@given(facts=facts_lists(), extra=st.lists(st.integers(1, 2**62), unique=True, max_size=5))
def test_the_column_facts_split_as_the_dict_does(
    facts: list[EnterpriseFacts], extra: list[int]
) -> None:
    """`split_columns` reads `ColumnFacts` through its columns (no object per enterprise):
    the same allocations as from a dict of the same facts, enterprises without facts too."""
    from fractions import Fraction

    from parklink.cobuild.ledger.columns import RecordColumns, split_columns
    from parklink.cobuild.ledger.types import LedgerState, Party, Period, RuleSpec, Scope

    keys = sorted({f.key for f in facts} | {str(pk) for pk in extra}, key=int)
    if not keys:
        return
    parties = [Party("jinniu", 1), Party("shifang", 2), Party("德格", 3)]
    rules = [
        RuleSpec(
            "vat",
            "vat_local",
            Scope("all"),
            "stepped",
            {
                "anchor": "settled",
                "steps": [
                    {"years": [1, 3], "shares": {"jinniu": "7/10", "shifang": "3/10"}},
                    {"years": [4, None], "shares": {"shifang": "1"}},
                ],
                "before": {"shifang": "1"},
            },
        ),
        RuleSpec(
            "vat-deyang",
            "vat_local",
            Scope("introduced_by", party="德格"),
            "fixed_ratio",
            {"shares": {"jinniu": "2/5", "德格": "3/5"}},
        ),
        RuleSpec(
            "cit",
            "cit_local",
            Scope("all"),
            "fixed_ratio",
            {"shares": {"jinniu": "1/3", "shifang": "2/3"}},
        ),
    ]
    n = len(keys)
    columns = RecordColumns(
        index=np.arange(2 * n, dtype=np.int64),
        enterprise=np.repeat(np.arange(n, dtype=np.int32), 2),
        indicator=np.tile(np.arange(2, dtype=np.int32), n),
        amount=np.arange(2 * n, dtype=np.int64) * 1_000_003 + 7,
        enterprises=keys,
        indicators=["cit_local", "vat_local"],
    )
    period = Period("2025Q1", date(2025, 1, 1), date(2025, 3, 31))
    by_column = packing.FactColumns.from_facts(facts).facts()
    assert by_column == {f.key: f for f in facts}

    def allocations(
        given: Mapping[str, EnterpriseFacts],
    ) -> list[tuple[int, str, int, str, str, Fraction | None]]:
        result = split_columns(
            columns, given, rules, parties, LedgerState(), period=period, version_label="1"
        )
        return [
            (a.record, a.party, a.amount, a.rule, a.step, a.share) for a in result.allocations()
        ]

    assert allocations(by_column) == allocations({f.key: f for f in facts})
