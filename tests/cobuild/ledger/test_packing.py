"""`ledger.packing`: a run's record ids and facts as compact integer columns, and back."""

from __future__ import annotations

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
