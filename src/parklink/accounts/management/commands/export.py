"""`parklink export KIND FILE --as USER [filters]`: what a user may see, as .xlsx.

The kinds are the registry's tabular kinds that can be exported; each adds its own filters
(`TabularKind.export_arguments`) and reads them back from the parsed options.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parklink.accounts.models import User
from parklink.core.errors import ParkLinkError
from parklink.core.registry import registry


class Command(BaseCommand):
    help = "Export the records a user may see (optionally filtered) to an .xlsx file."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = registry.exportable()
        subparsers = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        for kind in kinds:
            sub: ArgumentParser = subparsers.add_parser(kind.code, help=f"export {kind.noun_en}")
            self.common_arguments(sub)
            if kind.export_arguments is not None:
                kind.export_arguments(sub)

    def common_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the .xlsx file to write")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the acting user; the export holds what they may see",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = registry.tabular[options["kind"]]
        assert kind.exporter is not None  # the parser offers only kinds that export
        user = (
            User.objects.select_related("organization__region")
            .filter(username=options["username"])
            .first()
        )
        if user is None:
            raise CommandError(f"用户“{options['username']}”不存在")
        try:
            data = kind.exporter(user, options)
        except ParkLinkError as exc:
            raise CommandError(exc.message) from exc
        target = Path(options["file"])
        target.write_bytes(data)
        self.stdout.write(f"已导出到 {target}")
