"""The large import's write phase: indexes built once after the COPY, the chains queue in bulk.

On PostgreSQL an import of at least `REBUILD_INDEXES_FROM` rows drops the enterprise and
history tables' secondary indexes and keys and builds them again after the rows; these tests
lower the threshold so a few thousand rows take that path, and check that every index and key
is back as it was, that the rows and their history are all there, and that a clash found
while the keys are built again refuses the whole file and leaves the indexes in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from parklink.accounts.models import Organization, User
from parklink.chains.models import ChangedEnterprise
from parklink.chains.services import classification
from parklink.core import imports
from parklink.enterprises import imports as enterprise_imports
from parklink.enterprises.imports import EnterpriseImporter
from parklink.enterprises.models import Enterprise
from parklink.enterprises.services import create_enterprise
from tests.perf.test_bulk_import import LIMITS, ROWS, good_rows, write
from tests.support.import_files import make_uscc

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's indexes and keys"
)
TABLES = [Enterprise._meta.db_table, Enterprise.history.model._meta.db_table]
QUEUE = ChangedEnterprise._meta.db_table


def queue_keys() -> list[tuple[str, str, bool, bool]]:
    """The chains queue's foreign keys: name, definition, deferrable, deferred."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), condeferrable, condeferred "
            "FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY 1",
            [QUEUE],
        )
        return [tuple(row) for row in cursor.fetchall()]


def schema() -> tuple[list[str], list[tuple[str, str, str]]]:
    """Every index definition and every constraint of the two tables, sorted."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1", [TABLES]
        )
        indexes = [definition for (definition,) in cursor.fetchall()]
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [TABLES],
        )
        constraints = [tuple(row) for row in cursor.fetchall()]
    return indexes, constraints


@postgresql_only
def test_a_large_import_builds_every_index_again_and_writes_history_and_queue(
    users: dict[str, User],
    orgs: dict[str, Organization],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(enterprise_imports, "REBUILD_INDEXES_FROM", 100)
    dropped: list[str] = []
    original = enterprise_imports._indexes_built_after

    def watched(tables: list[str]):  # type: ignore[no-untyped-def]
        dropped.extend(tables)
        return original(tables)

    monkeypatch.setattr(enterprise_imports, "_indexes_built_after", watched)
    # The queue's foreign key checked once (dropped and added back) at this size too.
    monkeypatch.setattr(classification, "CHECK_ONCE_FROM", 100)
    keys = queue_keys()
    assert any("REFERENCES enterprises_enterprise(id)" in key[1] for key in keys)
    before = schema()
    indexes, constraints = before
    assert any("name_pinyin" in definition for definition in indexes)
    assert any("varchar_pattern_ops" in definition for definition in indexes)
    assert any(name == "enterprise_unique_name_region" for _t, name, _d in constraints)
    assert any("FOREIGN KEY (region_id)" in definition for _t, _n, definition in constraints)
    jinniu = users["jinniu"]
    report = imports.run(
        EnterpriseImporter(jinniu, orgs["jinniu"]),
        write(tmp_path / "good.csv", good_rows(ROWS)),
        limits=LIMITS,
    )
    assert report.problems == [] and report.written and report.created == ROWS
    assert dropped == TABLES  # the rebuilding path was taken
    assert schema() == before  # every index and key back, defined as before
    made = set(Enterprise.objects.values_list("pk", flat=True))
    assert len(made) == ROWS
    history = Enterprise.history.filter(history_type="+", history_user_id=jinniu.pk)
    assert set(history.values_list("id", flat=True)) == made
    assert set(ChangedEnterprise.objects.values_list("enterprise_id", flat=True)) == made
    assert queue_keys() == keys  # the queue's key back, deferred to the commit as before
    # The keys were handed out as one block past which the sequence moved on.
    assert max(made) - min(made) == ROWS - 1
    later = create_enterprise(jinniu, name="后来的企业有限公司", region_id="510106")
    assert later.pk > max(made)
    # The unique keys work again: the same USCC a second time is refused by the database.
    with pytest.raises(Exception, match="enterprise_unique_uscc"):
        Enterprise.objects.create(
            name="另一家企业有限公司", uscc=make_uscc(3), region_id="510106", owner=orgs["jinniu"]
        )


@postgresql_only
def test_a_clash_found_when_the_keys_are_built_again_writes_nothing(
    users: dict[str, User],
    orgs: dict[str, Organization],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An enterprise with a USCC of the file written while the keys are down: the unique key
    built again finds it, the whole file is refused and the indexes are as they were."""
    monkeypatch.setattr(enterprise_imports, "REBUILD_INDEXES_FROM", 100)
    jinniu = users["jinniu"]
    original = enterprise_imports._new_ids

    def racing(count: int) -> Sequence[int]:
        if not Enterprise.objects.filter(uscc=make_uscc(5)).exists():
            Enterprise.objects.create(
                name="抢先登记的企业有限公司",
                uscc=make_uscc(5),
                region_id="510106",
                owner=orgs["jinniu"],
            )
        return original(count)

    monkeypatch.setattr(enterprise_imports, "_new_ids", racing)
    before = schema()
    report = imports.run(
        EnterpriseImporter(jinniu, orgs["jinniu"]),
        write(tmp_path / "race.csv", good_rows(500)),
        limits=LIMITS,
    )
    assert not report.written and report.problems
    # The racing row was written inside the import's transaction here, so it went with it.
    assert Enterprise.objects.count() == 0
    assert Enterprise.history.count() == 0
    assert ChangedEnterprise.objects.count() == 0
    assert schema() == before


def test_the_queue_holds_each_enterprise_once_and_moves_its_time_on(
    users: dict[str, User],
) -> None:
    jinniu = users["jinniu"]
    made = [
        create_enterprise(jinniu, name=f"排队企业{n}有限公司", region_id="510106")
        for n in range(classification.MARK_BATCH + 3)
    ]
    ids = [e.pk for e in made]
    ChangedEnterprise.objects.all().delete()
    classification.mark_changed(ids + ids[:5])  # a repeated id is queued once
    assert ChangedEnterprise.objects.count() == len(ids)
    old = timezone.now() - timedelta(days=1)
    ChangedEnterprise.objects.update(changed_at=old)
    classification.mark_changed(ids[:2])
    moved = set(
        ChangedEnterprise.objects.filter(changed_at__gt=old).values_list("enterprise_id", flat=True)
    )
    assert moved == set(ids[:2]) and ChangedEnterprise.objects.count() == len(ids)
    classification.mark_changed([])
    assert ChangedEnterprise.objects.count() == len(ids)
