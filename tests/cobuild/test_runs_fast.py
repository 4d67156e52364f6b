"""The run's large-batch path: records read as columns, `split_columns` or `split`, bulk writes.

Both engine paths give the same allocation table and digest; the digest does not depend on the
database ids, so the pinned value holds on SQLite and on PostgreSQL
(`python -m tests.support.with_postgres -- pytest tests/cobuild/test_runs_fast.py`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest
from django.db import connection

from parklink.accounts.models import Organization, User
from parklink.cobuild import tasks
from parklink.cobuild.ledger import explain
from parklink.cobuild.ledger.split import split
from parklink.cobuild.models import Allocation, CoveredEnterprise, Party, Record, ScopeKind
from parklink.cobuild.services import bulk, confirmations, overview, rules, runs
from parklink.core.errors import Conflict
from parklink.core.models import Job
from tests.cobuild.support import add_records, agreement, enterprises, in_force

FIRMS = 40  # more than the engine's vector threshold (32) in every group
# The allocations of `mixed` (below); the same on every database and from either path.
PINNED_DIGEST = "9235bc6ea204e67c6309eda619230df434f91241168baab4b4da12d6228d3188"


def _version(made: Any) -> Any:
    return made.versions.get(number=1)


@pytest.fixture
def mixed(orgs: dict[str, Organization], users: dict[str, User]) -> dict[str, Any]:
    """Fixed ratio (VAT), stepped by year since settlement (CIT), a capped window for output of
    two enterprises, 40 enterprises × 4 indicators in 2025Q1 (jobs have no rule: unmatched)."""
    officer = users["jinniu"]
    made = agreement(officer, orgs["jinniu"], orgs["dege"])
    version = _version(made)
    firms = enterprises(orgs["dege"], FIRMS)
    party = {p.key: p for p in Party.objects.filter(agreement=made)}
    for n, firm in enumerate(firms):
        CoveredEnterprise.objects.create(
            agreement=made,
            enterprise=firm,
            introduced_by=party["jinniu" if n % 3 else "dege"],
            settled_on=date(2019 + n % 6, 1 + n % 12, 1 + n % 28),
            moved_on=date(2023, 5, 1),
            full_production_on=date(2023, 7, 1),
        )
    rules.save_rule(
        officer,
        version,
        key="vat",
        indicator="vat_local",
        kind="fixed_ratio",
        params={"shares": {"jinniu": "3/5", "dege": "2/5"}},
    )
    rules.save_rule(
        officer,
        version,
        key="cit",
        indicator="cit_local",
        kind="stepped",
        params={
            "anchor": "settled",
            "steps": [
                {"years": [1, 3], "shares": {"jinniu": "7/10", "dege": "3/10"}},
                {"years": [4, None], "shares": {"jinniu": "1/2", "dege": "1/2"}},
            ],
        },
    )
    rules.save_rule(
        officer,
        version,
        key="output",
        indicator="output",
        kind="fixed_ratio",
        params={"shares": {"jinniu": "1/3", "dege": "2/3"}},
    )
    capped = firms[:2]
    rules.save_rule(
        officer,
        version,
        key="output-moved",
        indicator="output",
        scope_kind=ScopeKind.LIST,
        enterprises=capped,
        kind="window_cap",
        params={
            "window_years": 3,
            "extension_years": 2,
            "shares": {"jinniu": "1/2", "dege": "1/2"},
            "capped_party": "jinniu",
            "caps": {str(firm.pk): 1_000_000 for firm in capped},
            "currency": "CNY",
            "basis": "迁出前三年缴纳的税收",
            "after": {"dege": "1"},
        },
    )
    in_force(officer, made)
    figures = []
    for n, firm in enumerate(firms):
        figures += [
            (firm, "vat_local", 100_001 + 7_919 * n - (500_000 if n % 11 == 0 else 0)),
            (firm, "cit_local", 3_333_333 + n),
            (firm, "output", 777_777 * (n + 1)),
            (firm, "jobs", 10 + n),
        ]
    add_records(users["dege"], made, "dege", "2025Q1", figures)
    return {"agreement": made, "users": users, "firms": firms}


def _inputs(mixed: dict[str, Any]) -> runs.Inputs:
    inputs, _previous = runs.gather(mixed["agreement"], runs.parse_period("2025Q1"))
    return inputs


def _same_tables(first: bulk.AllocationTable, second: bulk.AllocationTable) -> None:
    a, b = first.canonical(), second.canonical()
    for name in ("parties", "rules", "steps", "shares", "terms_texts"):
        assert getattr(a, name) == getattr(b, name), name
    for name in (
        "record",
        "party",
        "amount",
        "rule",
        "step",
        "share",
        "cap_used",
        "cap_used_null",
        "cap_left",
        "cap_left_null",
        "terms",
    ):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


class TestBothPaths:
    def test_the_fast_and_the_scalar_path_give_the_same_table(self, mixed: dict[str, Any]) -> None:
        inputs = _inputs(mixed)
        fast, scalar = runs.settle(inputs, fast=True), runs.settle(inputs, fast=False)
        _same_tables(fast.table, scalar.table)
        assert fast.table.digest() == scalar.table.digest()
        assert fast.state.to_json() == scalar.state.to_json()
        assert list(fast.unmatched) == list(scalar.unmatched)
        assert len(fast.unmatched) == FIRMS  # the jobs figures: no rule
        assert len(fast.table) > 3 * FIRMS

    def test_the_digest_is_pinned(self, mixed: dict[str, Any]) -> None:
        """The same on SQLite and PostgreSQL: no database id goes into it."""
        digest = runs.settle(_inputs(mixed)).table.digest()
        assert digest == PINNED_DIGEST, digest

    def test_runs_through_either_path_store_the_same_rows(self, mixed: dict[str, Any]) -> None:
        user, made = mixed["users"]["dege"], mixed["agreement"]
        stored = []
        for fast in (True, False):
            run = runs.run_period(user, made, "2025Q1", fast=fast)
            stored.append(
                (
                    run.allocations_digest,
                    list(
                        run.allocations.order_by("position").values_list(
                            "position",
                            "record_id",
                            "party__key",
                            "amount",
                            "rule__key",
                            "detail__step",
                            "detail__share",
                            "cap_used",
                            "cap_left",
                            "detail__terms",
                        )
                    ),
                )
            )
            run.delete()
        assert stored[0] == stored[1]

    def test_the_stored_rows_are_the_engines_allocations(self, mixed: dict[str, Any]) -> None:
        run = runs.run_period(mixed["users"]["dege"], mixed["agreement"], "2025Q1")
        inputs = _inputs(mixed)
        expected = split(
            inputs.records(),
            inputs.facts,
            inputs.rules,
            inputs.parties,
            inputs.state,
            period=inputs.period,
            version_label="1",
        ).allocations
        rows = list(
            Allocation.objects.filter(run=run)
            .select_related("record", "party", "rule", "run__version")
            .order_by("position")
        )
        assert len(rows) == len(expected)
        ids = inputs.record_ids
        for row, engine in zip(rows, expected, strict=True):
            assert row.record_id == ids[engine.record]
            assert (row.party.key, row.amount, row.rule.key, row.step) == (
                engine.party,
                engine.amount,
                engine.rule,
                engine.step,
            )
            assert (row.cap_used, row.cap_left) == (engine.cap_used, engine.cap_left)
            assert runs.allocation_terms(row) == {
                k: (str(v) if isinstance(v, date) else v) for k, v in engine.terms.items()
            }
        capped = [row for row in rows if row.cap_left is not None]
        assert capped, "the window rule's parts carry their cap"

    def test_terms_are_stored_compact(self, mixed: dict[str, Any]) -> None:
        run = runs.run_period(mixed["users"]["dege"], mixed["agreement"], "2025Q1")
        vat = run.allocations.filter(rule__key="vat").first()
        assert vat is not None
        assert vat.terms == {}  # indicator, version, period and basis come from the row
        line = runs.sentence(
            run.allocations.select_related("record", "party", "rule", "run__version").get(pk=vat.pk)
        )
        assert "增值税地方留成" in line and "协议第1版" in line and "2025Q1" in line
        page = overview.sentences(
            list(run.allocations.select_related("record", "party", "rule").filter(pk=vat.pk)), run
        )
        assert page[0].sentence == line  # the pages compute the same sentence on display
        assert explain.format_fen(vat.record.amount) in line  # the basis: the record's amount

    def test_a_run_reproduces_through_either_path(self, mixed: dict[str, Any]) -> None:
        run = runs.run_period(mixed["users"]["dege"], mixed["agreement"], "2025Q1")
        assert runs.reproduce(run, fast=True)
        assert runs.reproduce(run, fast=False)

    def test_allocations_are_written_in_small_batches_too(
        self, mixed: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        first = runs.run_period(mixed["users"]["dege"], mixed["agreement"], "2025Q1")
        digest, count = first.allocations_digest, first.allocations.count()
        first.delete()
        monkeypatch.setattr(runs, "BATCH", 7)
        again = runs.run_period(mixed["users"]["dege"], mixed["agreement"], "2025Q1")
        assert (again.allocations_digest, again.allocations.count()) == (digest, count)
        positions = list(again.allocations.order_by("position").values_list("position", flat=True))
        assert positions == list(range(count))


class TestStoredInputs:
    def test_a_run_keeps_its_record_ids_and_facts_as_columns(self, mixed: dict[str, Any]) -> None:
        run = runs.run_period(mixed["users"]["dege"], mixed["agreement"], "2025Q1")
        inputs = _inputs(mixed)
        run.refresh_from_db()
        assert (run.record_ids, run.facts) == ([], [])  # no million-entry documents
        stored = run.inputs()
        assert stored is not None
        assert run.input_record_ids() == inputs.record_ids
        assert stored.facts.facts() == inputs.facts
        assert len(bytes(run.inputs_columns)) < 2_000  # 160 ids and 40 firms' facts, packed

    def test_the_runs_records_without_a_list_of_ids(self, mixed: dict[str, Any]) -> None:
        """`records_q`: the records split (through the allocations) and the unmatched ones
        (jobs have no rule here), exactly the ids the run read."""
        run = runs.run_period(mixed["users"]["dege"], mixed["agreement"], "2025Q1")
        assert len(run.unmatched) == FIRMS
        found = Record.objects.filter(run.records_q()).values_list("id", flat=True)
        assert sorted(found) == sorted(run.input_record_ids())
        # Another period's figures are not the run's.
        add_records(
            mixed["users"]["dege"], mixed["agreement"], "dege", "2025Q2",
            [(mixed["firms"][0], "vat_local", 1)],
        )  # fmt: skip
        assert Record.objects.filter(run.records_q()).count() == 4 * FIRMS

    def test_a_run_stored_with_documents_still_reproduces(self, mixed: dict[str, Any]) -> None:
        """A run stored before the columns (record ids and facts as JSON, digest format
        inputs/2) reproduces as it was; changing one fact of its document is noticed."""
        run = runs.run_period(mixed["users"]["dege"], mixed["agreement"], "2025Q1")
        inputs = _inputs(mixed)
        legacy = runs.Inputs(
            inputs.period,
            inputs.version,
            inputs.parties,
            inputs.rules,
            inputs.rows,
            inputs.facts,
            inputs.state,
        )
        assert legacy.header()["format"] == "inputs/2"
        assert legacy.digest() != inputs.digest()
        run.record_ids = inputs.record_ids
        run.facts = runs.facts_json(inputs.facts)
        run.inputs_columns = b""
        run.inputs_digest = legacy.digest()
        run.save()
        run.refresh_from_db()
        assert run.inputs() is None and run.input_record_ids() == inputs.record_ids
        assert runs.reproduce(run, fast=True) and runs.reproduce(run, fast=False)
        run.facts[0][2] = "2001-01-01"  # another settlement date
        run.save()
        assert not runs.reproduce(run)

    def test_a_changed_fact_changes_the_input_digest(self, mixed: dict[str, Any]) -> None:
        before = _inputs(mixed).digest()
        firm = mixed["firms"][5]
        CoveredEnterprise.objects.filter(agreement=mixed["agreement"], enterprise=firm).update(
            production_on=date(2024, 2, 29)
        )
        after = _inputs(mixed)
        assert after.facts[str(firm.pk)].production_on == date(2024, 2, 29)
        assert after.digest() != before


class TestReading:
    def test_records_are_read_as_columns_in_id_order(self, mixed: dict[str, Any]) -> None:
        inputs = _inputs(mixed)
        assert inputs.rows.ids.tolist() == sorted(inputs.rows.ids.tolist())
        assert inputs.rows.indicators == ["cit_local", "jobs", "output", "vat_local"]
        assert len(inputs.rows) == 4 * FIRMS
        assert set(inputs.facts) == {str(firm.pk) for firm in mixed["firms"]}

    def test_reading_in_small_chunks_changes_nothing(
        self, mixed: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        whole = _inputs(mixed).digest()
        monkeypatch.setattr(bulk, "READ_CHUNK", 3)
        assert _inputs(mixed).digest() == whole

    @pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the binary COPY readers are PostgreSQL's (run with tests.support.with_postgres)",
    )
    def test_the_copy_readers_give_what_the_orm_gives(
        self, mixed: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        made = mixed["agreement"]
        firms = mixed["firms"]
        # A covered enterprise without an introducer or dates, and one with no record.
        CoveredEnterprise.objects.filter(agreement=made, enterprise=firms[0]).update(
            introduced_by=None, settled_on=None, moved_on=None, full_production_on=None
        )
        queryset = runs.current_records(made, runs.parse_period("2025Q1"))
        orm = bulk.read_records_orm(queryset)
        copied = bulk.read_records(queryset)
        for name in ("ids", "enterprise", "indicator", "amount"):
            assert getattr(copied, name).tolist() == getattr(orm, name).tolist(), name
            assert getattr(copied, name).dtype == getattr(orm, name).dtype, name
        assert copied.indicators == orm.indicators
        by_copy, by_orm = (
            runs._facts_copy(made, copied),
            runs._facts_orm(made, orm.enterprise_ids()),
        )
        assert by_copy.facts() == by_orm.facts()
        assert by_copy.parties == by_orm.parties
        for name in ("enterprise", "introducer", "days"):
            assert getattr(by_copy, name).tolist() == getattr(by_orm, name).tolist(), name
            assert getattr(by_copy, name).dtype == getattr(by_orm, name).dtype, name
        facts = by_copy.facts()[str(firms[0].pk)]
        assert (facts.introduced_by, facts.settled_on, facts.moved_on) == (None, None, None)
        assert facts.production_on is None
        # Rows split across the reader's buffers (7 bytes: never a whole row) read the same.
        monkeypatch.setattr(bulk, "COPY_BUFFER", 7)
        assert bulk.read_records(queryset).amount.tolist() == orm.amount.tolist()


class TestBackground:
    def test_a_background_run_reports_its_job(self, mixed: dict[str, Any]) -> None:
        user = mixed["users"]["dege"]
        job = tasks.start_run(user, mixed["agreement"], "2025q1")
        assert job.kind == "cobuild-run" and job.status == Job.Status.DONE
        run = mixed["agreement"].runs.get(pk=job.result["run"])
        assert job.result["allocations"] == run.allocations.count()
        assert job.result["allocations_digest"] == run.allocations_digest
        assert job.done == job.total == 4 * FIRMS

    def test_refusals_come_before_the_job(
        self, mixed: dict[str, Any], users: dict[str, User]
    ) -> None:
        run = runs.run_period(users["dege"], mixed["agreement"], "2025Q1")
        confirmations.confirm(users["dege"], run)
        confirmations.confirm(users["jinniu"], run)
        with pytest.raises(Conflict):
            tasks.start_run(users["dege"], mixed["agreement"], "2025Q1")
        assert not Job.objects.filter(kind="cobuild-run").exists()

    def test_a_failed_run_leaves_the_reason(self, mixed: dict[str, Any]) -> None:
        job = tasks.start_run(mixed["users"]["dege"], mixed["agreement"], "2025Q2")
        assert job.status == Job.Status.FAILED
        assert job.result["error"]["zh"]

    def test_the_api_queues_and_reports_the_job(
        self, mixed: dict[str, Any], api_client: Any, users: dict[str, User]
    ) -> None:
        made = mixed["agreement"]
        client = api_client(users["dege"])
        response = client.post(
            f"/api/v1/cobuild/{made.pk}/runs",
            {"period": "2025Q1", "background": True},
            content_type="application/json",
        )
        assert response.status_code == 202, response.content
        job = response.json()
        assert job["kind"] == "cobuild-run" and job["status"] == "done"
        seen = client.get(f"/api/v1/cobuild/jobs/{job['id']}")
        assert seen.status_code == 200 and seen.json()["result"]["run"]
        other = api_client(users["jinniu"]).get(f"/api/v1/cobuild/jobs/{job['id']}")
        assert other.status_code == 404
        detail = client.get(f"/api/v1/cobuild/{made.pk}/runs/{seen.json()['result']['run']}")
        first = detail.json()["allocations"][0]
        assert first["terms"]["period"] == "2025Q1" and first["terms"]["version"] == "1"

    def test_the_command_queues_with_background(self, mixed: dict[str, Any]) -> None:
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command(
            "ledger",
            "run",
            "--agreement",
            str(mixed["agreement"].pk),
            "--period",
            "2025Q1",
            "--background",
            "--as",
            mixed["users"]["dege"].username,
            stdout=out,
        )
        assert "后台任务 #" in out.getvalue() and "allocations_digest" in out.getvalue()


class TestOrder:
    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_rows_are_ordered_by_record_as_a_stable_sort_would(self, seed: int) -> None:
        rng = np.random.default_rng(seed)
        counts = rng.integers(1, 4, 500)
        shuffled = rng.permutation(500)
        record = np.repeat(shuffled, counts[shuffled]).astype(np.int64)
        order = bulk._by_record(record)
        assert order is not None
        assert np.array_equal(order, np.argsort(record, kind="stable"))

    def test_rows_of_a_record_apart_fall_back_to_a_sort(self) -> None:
        record = np.array([3, 1, 3, 2], dtype=np.int64)
        order = bulk._by_record(record)
        assert order is not None and order.tolist() == [1, 3, 0, 2]

    def test_rows_in_order_stay(self) -> None:
        assert bulk._by_record(np.array([0, 0, 1, 2, 2], dtype=np.int64)) is None
