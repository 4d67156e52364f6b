"""`parklink backup [-o FILE] [--keep N]`: one archive of the database and the stored files.

Without -o the archive goes to PARKLINK_BACKUP_DIR as parklink-YYYYMMDD-HHMMSS.tar.gz, and
then only the newest N archives there are kept (PARKLINK_BACKUP_KEEP, --keep).
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from parklink.core import backup


class Command(BaseCommand):
    help = "Writes one archive of the database and the stored files (uploads)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("-o", "--output", type=Path, help="the archive to write")
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="archives kept in PARKLINK_BACKUP_DIR (default PARKLINK_BACKUP_KEEP; 0: all)",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = backup.create(options["output"], using=options["database"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{outcome.path} ({outcome.engine}, {outcome.files} stored files, "
            f"{outcome.size / 1_000_000:.1f} MB)"
        )
        if options["output"] is None:
            keep = options["keep"]
            keep = int(settings.PARKLINK_BACKUP_KEEP) if keep is None else keep
            for path in backup.prune(outcome.path.parent, keep):
                self.stdout.write(f"removed {path.name} (keeping the newest {keep})")
