"""`parklink restore FILE --yes`: puts a `parklink backup` archive back.

The database's tables and the stored files become the archive's. Stop the web processes and
the task workers first; afterwards run `parklink migrate` if this version of ParkLink is newer
than the archive's.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parklink.core import backup


class Command(BaseCommand):
    help = "Restores a backup archive: the database and the stored files (replaces both)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="replace this installation's data without asking"
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file")
        try:
            manifest = backup.read_manifest(archive)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{archive}: {manifest['engine']} database of {manifest['created']}, "
            f"{len(manifest['files'])} stored files"
        )
        if not options["yes"]:
            answer = input("This replaces every table and stored file here. Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("nothing restored")
        try:
            backup.restore(archive, using=options["database"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("restored; run `parklink migrate` if this version is newer")
