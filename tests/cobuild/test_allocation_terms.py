"""Allocation rows of integers only: each names its run's `AllocationTerms` row (the step, the
share and the compact terms, one row per distinct combination), and runs stored before that
layout (the texts on every row, migration 0007) are converted by migration 0008 and read and
reproduce as before. Also the libpq reader of the binary COPY readers (`bulk._copy_out`)."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from parklink.cobuild.models import Allocation, AllocationTerms, Run
from parklink.cobuild.services import bulk, overview, reconcile, runs, statements
from tests.cobuild.test_runs_fast import mixed

__all__ = ["mixed"]

BEFORE = ("cobuild", "0007_run_inputs_columns")
AFTER = ("cobuild", "0008_allocation_terms")


def _canonical(terms: Any) -> str:
    return json.dumps(terms, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _read(run: Run) -> list[tuple[Any, ...]]:
    """Every allocation as the pages and the API read it, with its sentence."""
    rows = list(
        Allocation.objects.filter(run=run)
        .select_related("record", "party", "rule", "detail", "run__version")
        .order_by("position")
    )
    lines = overview.sentences(rows, run)
    return [
        (
            row.position,
            row.record_id,
            row.party.key,
            row.amount,
            row.rule.key,
            row.step,
            row.share,
            row.cap_used,
            row.cap_left,
            row.terms,
            runs.allocation_terms(row),
            line.sentence,
        )
        for row, line in zip(rows, lines, strict=True)
    ]


def test_a_run_stores_each_distinct_step_share_and_terms_once(mixed: dict[str, Any]) -> None:
    run = runs.run_period(mixed["users"]["dege"], mixed["agreement"], "2025Q1")
    inputs, _previous = runs.gather(mixed["agreement"], runs.parse_period("2025Q1"))
    table = runs.settle(inputs).table
    kept = list(AllocationTerms.objects.filter(run=run).order_by("code"))
    wanted = sorted(
        {
            (table.steps[st], table.shares[sh], table.terms_texts[te])
            for st, sh, te in zip(
                table.step.tolist(), table.share.tolist(), table.terms.tolist(), strict=True
            )
        }
    )
    assert [(k.step, k.share, _canonical(k.terms)) for k in kept] == wanted
    assert [k.code for k in kept] == list(range(len(kept)))
    assert len(kept) < len(table) // 2  # fewer combinations than rows
    assert not Allocation.objects.filter(run=run).exclude(detail__run=run).exists()
    run.delete()
    assert not AllocationTerms.objects.exists()  # they go with their run
    assert not Allocation.objects.exists()


def test_the_same_inputs_number_the_combinations_the_same(mixed: dict[str, Any]) -> None:
    first = runs.run_period(mixed["users"]["dege"], mixed["agreement"], "2025Q1", fast=True)
    kept = list(first.allocation_terms.order_by("code").values_list("code", "step", "share"))
    codes = list(first.allocations.order_by("position").values_list("detail__code", flat=True))
    first.delete()
    again = runs.run_period(mixed["users"]["dege"], mixed["agreement"], "2025Q1", fast=False)
    assert list(again.allocation_terms.order_by("code").values_list("code", "step", "share")) == (
        kept
    )
    assert (
        list(again.allocations.order_by("position").values_list("detail__code", flat=True)) == codes
    )


@pytest.mark.django_db(transaction=True)
def test_runs_stored_with_the_texts_on_every_row_read_and_reproduce(
    mixed: dict[str, Any],
) -> None:
    made = mixed["agreement"]
    run = runs.run_period(mixed["users"]["dege"], made, "2025Q1")
    party = made.parties.get(key="dege")
    before = _read(run)
    side = reconcile.side(run)
    statement = statements.derivation(run, party)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([BEFORE])  # back to the texts on every row
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT position, step, share, terms FROM cobuild_allocation "
                "WHERE run_id = %s ORDER BY position",
                [run.pk],
            )
            old = cursor.fetchall()
        assert [(p, step, share) for p, step, share, _terms in old] == [
            (row[0], row[5], row[6]) for row in before
        ]
        assert [json.loads(t) if isinstance(t, str) else t for *_rest, t in old] == [
            row[9] for row in before
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])  # the old rows converted
    run = Run.objects.get(pk=run.pk)
    assert _read(run) == before
    assert reconcile.side(run) == side
    assert statements.derivation(run, party) == statement
    assert runs.reproduce(run, fast=True) and runs.reproduce(run, fast=False)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the binary COPY readers are PostgreSQL's (run with tests.support.with_postgres)",
)
@pytest.mark.django_db
class TestCopyOut:
    """`bulk.copy_rows` reads COPY's messages from libpq itself: errors are psycopg's, and the
    connection stays usable after a failure or a reader that stops early."""

    def _usable(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)

    def test_rows(self) -> None:
        rows = bulk.copy_rows(
            "SELECT n::int8, (n * 2)::int4 FROM generate_series(1, 100000) AS n",
            bulk.copy_dtype([">i8", ">i4"]),
        )
        assert rows["c0"].tolist() == list(range(1, 100001))
        assert rows["c1"].tolist() == [2 * n for n in range(1, 100001)]
        self._usable()

    def test_a_failing_query_raises_its_error(self) -> None:
        with pytest.raises(psycopg.errors.DivisionByZero), transaction.atomic():
            bulk.copy_rows("SELECT (1 / 0)::int4", bulk.copy_dtype([">i4"]))
        self._usable()

    def test_a_reader_that_stops_early(self) -> None:
        connection.ensure_connection()
        messages = bulk._copy_out(
            connection.connection, "COPY (SELECT generate_series(1, 100000)) TO STDOUT"
        )
        assert bytes(next(messages)) == b"1\n"
        messages.close()
        self._usable()
