"""Backups: the database and the stored files in one archive, and putting one back.

An archive (`parklink-YYYYMMDD-HHMMSS.tar.gz`) holds:

- `parklink-backup.json`: format, ParkLink version, database engine, time, the last applied
  migration of each app, the stored files and their sizes;
- the database: PostgreSQL as a `pg_dump` custom-format dump (`database.dump`), SQLite as a
  consistent copy made with SQLite's online backup API (`database.sqlite3`), both taken while
  the installation keeps running;
- `media/…`: every file of the default storage (uploads), read through Django's storage API,
  so a bucket is backed up as well as a folder.

`restore` puts an archive back into an installation of the same engine: PostgreSQL with
`pg_restore --clean --single-transaction` (all or nothing), SQLite with the backup API in the
other direction; the stored files become exactly those of the archive. Stop the web processes
and the workers first (docs/deploy.md, "Backups").
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "parklink-backup.json"
MEDIA = "media"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
ARCHIVE_NAME = re.compile(r"^parklink-\d{8}-\d{6}(-\d+)?\.tar\.gz$")


class BackupError(Exception):
    """A backup or restore that cannot be done, with what to do about it."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    engine: str
    files: int
    size: int


# The database ----------------------------------------------------------------------------------


def _vendor(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DUMPS:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {vendor}")
    return vendor


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: from PARKLINK_PG_BIN when set, else from PATH."""
    folder = str(getattr(settings, "PARKLINK_PG_BIN", "") or "")
    if folder:
        path = Path(folder) / name
        if not os.access(path, os.X_OK):
            raise BackupError(f"{name} not found in PARKLINK_PG_BIN ({folder})")
        return str(path)
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} not found on PATH: install PostgreSQL's client programs "
            "(Debian: postgresql-client) or set PARKLINK_PG_BIN to their folder"
        )
    return found


def _tool_major(tool: str) -> int:
    done = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"(\d+)(?:\.\d+)?", done.stdout)
    if done.returncode != 0 or match is None:
        raise BackupError(f"cannot tell the version of {tool}: {done.stderr.strip()}")
    return int(match.group(1))


def _checked_pg_tool(name: str, using: str) -> str:
    tool = pg_tool(name)
    connection = connections[using]
    connection.ensure_connection()
    server_major = int(connection.pg_version) // 10000  # type: ignore[attr-defined]
    tool_major = _tool_major(tool)
    if tool_major < server_major:
        raise BackupError(
            f"{tool} is version {tool_major}, the server {server_major}: use the client "
            f"programs of PostgreSQL {server_major} or newer (set PARKLINK_PG_BIN to their folder)"
        )
    return tool


def _pg_environment(using: str) -> dict[str, str]:
    """libpq's variables for the alias (the password never appears on a command line)."""
    params = connections[using].get_connection_params()
    env = dict(os.environ)
    mapping = {
        "host": "PGHOST",
        "port": "PGPORT",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "dbname": "PGDATABASE",
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
    }
    for key, variable in mapping.items():
        value = params.get(key)
        if value not in (None, ""):
            env[variable] = str(value)
    if not env.get("PGDATABASE"):
        env["PGDATABASE"] = str(connections[using].settings_dict["NAME"])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()
        raise BackupError(f"{Path(command[0]).name} failed: {' / '.join(message[-5:])}")


def _dump_database(using: str, target: Path) -> None:
    vendor = _vendor(using)
    if vendor == "postgresql":
        tool = _checked_pg_tool("pg_dump", using)
        _run(
            [tool, "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
            _pg_environment(using),
        )
        return
    connection = connections[using]
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _load_database(using: str, source: Path) -> None:
    vendor = _vendor(using)
    connection = connections[using]
    if vendor == "postgresql":
        tool = _checked_pg_tool("pg_restore", using)
        connection.close()  # its open transaction would hold locks the restore needs
        _run(
            [
                tool,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                _pg_environment(using)["PGDATABASE"],
                str(source),
            ],
            _pg_environment(using),
        )
        return
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("a restore cannot run inside a transaction")
    stored = sqlite3.connect(source)
    try:
        stored.backup(connection.connection)
    finally:
        stored.close()


def _version() -> str:
    try:
        return metadata.version("parklink")
    except metadata.PackageNotFoundError:
        return "unknown"


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The last applied migration of each app."""
    latest: dict[str, str] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        latest[app] = name
    return latest


# The stored files ------------------------------------------------------------------------------


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, folders walked depth first."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_files(storage, f"{folder}/{sub}" if folder else sub)


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"the archive holds an unsafe name: {name!r}")
    return path


# Archives --------------------------------------------------------------------------------------


def backup_folder() -> Path:
    return Path(settings.PARKLINK_BACKUP_DIR)


def _new_archive_path(folder: Path) -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"parklink-{stamp}.tar.gz"
    counter = 1
    while path.exists():
        path = folder / f"parklink-{stamp}-{counter}.tar.gz"
        counter += 1
    return path


def create(output: Path | None = None, using: str = DEFAULT_DB_ALIAS) -> Outcome:
    """Write one archive of the database and the stored files; its path and contents."""
    vendor = _vendor(using)
    target = Path(output) if output else _new_archive_path(backup_folder())
    target.parent.mkdir(parents=True, exist_ok=True)
    storage = default_storage
    with tempfile.TemporaryDirectory(prefix=".parklink-backup-", dir=target.parent) as work:
        dump = Path(work) / DUMPS[vendor]
        _dump_database(using, dump)
        files = list(stored_files(storage))
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "parklink": _version(),
            "engine": vendor,
            "created": timezone.now().isoformat(),
            "database": DUMPS[vendor],
            "migrations": applied_migrations(using),
            "files": {name: storage.size(name) for name in files},
        }
        partial = target.with_name(f".{target.name}.partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            with tempfile.TemporaryFile() as buffer:
                buffer.write(data)
                buffer.seek(0)
                archive.addfile(info, buffer)
            archive.add(dump, arcname=DUMPS[vendor])
            for name in files:
                with storage.open(name, "rb") as handle:
                    info = tarfile.TarInfo(f"{MEDIA}/{name}")
                    info.size = storage.size(name)
                    info.mtime = int(timezone.now().timestamp())
                    archive.addfile(info, handle)
        partial.replace(target)  # a half-written archive never carries the final name
    return Outcome(target, vendor, len(files), target.stat().st_size)


def read_manifest(archive_path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.getmember(MANIFEST)
            handle = archive.extractfile(member)
            assert handle is not None
            manifest: dict[str, Any] = json.loads(handle.read().decode())
    except (OSError, KeyError, tarfile.TarError, ValueError) as error:
        raise BackupError(f"{archive_path} is not a ParkLink backup ({error})") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path}: unknown backup format {manifest.get('format')!r}")
    return manifest


def restore(archive_path: Path, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Put the archive's database and stored files back; the archive's manifest."""
    manifest = read_manifest(archive_path)
    vendor = _vendor(using)
    if manifest["engine"] != vendor:
        raise BackupError(
            f"the archive holds a {manifest['engine']} database, this installation uses {vendor}"
        )
    storage = default_storage
    with (
        tempfile.TemporaryDirectory(prefix="parklink-restore-") as work,
        tarfile.open(archive_path, "r:gz") as archive,
    ):
        media: dict[str, tarfile.TarInfo] = {}
        database: tarfile.TarInfo | None = None
        for member in archive.getmembers():
            path = _safe_member(member.name)
            if not member.isfile():
                continue
            if member.name == manifest["database"]:
                database = member
            elif path.parts[0] == MEDIA and len(path.parts) > 1:
                media[str(PurePosixPath(*path.parts[1:]))] = member
        if database is None:
            raise BackupError(f"{archive_path} holds no database ({manifest['database']})")
        if set(media) != set(manifest["files"]):
            raise BackupError(f"{archive_path}: its files do not match its manifest")
        dump = Path(work) / DUMPS[vendor]
        source = archive.extractfile(database)
        assert source is not None
        with source, dump.open("wb") as target:
            shutil.copyfileobj(source, target)
        _load_database(using, dump)
        for name in stored_files(storage):
            if name not in media:
                storage.delete(name)
        for name, member in media.items():
            handle = archive.extractfile(member)
            assert handle is not None
            if storage.exists(name):
                storage.delete(name)
            with handle:
                saved = storage.save(name, File(handle, name=PurePosixPath(name).name))
            if saved != name:
                raise BackupError(f"the file {name} was stored as {saved}")
    return manifest


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives named as `create` names them."""
    if keep < 1 or not folder.is_dir():
        return []
    archives = sorted(
        (path for path in folder.iterdir() if ARCHIVE_NAME.match(path.name)),
        key=lambda path: (path.stat().st_mtime, path.name),
        reverse=True,
    )
    removed = archives[keep:]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
