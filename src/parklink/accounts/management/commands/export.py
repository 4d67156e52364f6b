"""`parklink export projects FILE --as USER [--stage ...]`: the user's visible projects as .xlsx."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parklink.accounts.models import User
from parklink.core.errors import ParkLinkError
from parklink.core.imports import CellError, choice
from parklink.projects.queries import ProjectFilters


class Command(BaseCommand):
    help = "Export the projects a user may see (optionally filtered) to an .xlsx file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=("projects",), help="what to export")
        parser.add_argument("file", help="the .xlsx file to write")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the acting user; the export holds what they may see",
        )
        parser.add_argument(
            "--stage",
            action="append",
            default=[],
            help="stage code or Chinese label; repeat or separate with commas",
        )
        parser.add_argument("--park", type=int, default=None, help="park id (sub-parks included)")
        parser.add_argument("--region", default=None, help="adcode; everything inside it")
        parser.add_argument("--sector", default=None)
        parser.add_argument("--maturity", default=None, choices=("A", "B", "C"))
        parser.add_argument("--tag", default=None, help="tag code")
        parser.add_argument("--q", default=None, help="keyword in name, code name or investor")

    def stages(self, given: list[str]) -> list[str]:
        from parklink.projects.imports import STAGE_ALIASES, STAGE_CHOICES

        parse = choice(STAGE_CHOICES, STAGE_ALIASES)
        stages = []
        for item in (part for text in given for part in text.split(",") if part.strip()):
            try:
                stages.append(str(parse(item.strip())))
            except CellError as exc:
                raise CommandError(f"--stage {item}: {exc.reason_zh}") from exc
        return stages

    def handle(self, *args: Any, **options: Any) -> None:
        from parklink.projects.exports import export_projects

        user = (
            User.objects.select_related("organization__region")
            .filter(username=options["username"])
            .first()
        )
        if user is None:
            raise CommandError(f"用户“{options['username']}”不存在")
        filters = ProjectFilters(
            stage=self.stages(options["stage"]),
            park=options["park"],
            region=options["region"],
            sector=options["sector"],
            maturity=options["maturity"],
            tag=options["tag"],
            q=options["q"],
        )
        try:
            data = export_projects(user, filters)
        except ParkLinkError as exc:
            raise CommandError(exc.message) from exc
        target = Path(options["file"])
        target.write_bytes(data)
        self.stdout.write(f"已导出到 {target}")
