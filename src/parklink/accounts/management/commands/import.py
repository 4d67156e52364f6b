"""`parklink import KIND FILE [--as USER] [--org ORG]`: all rows or none.

The kinds are the registry's tabular kinds that can be imported (enterprises, projects, ...),
each a sub-command that may add its own arguments (`TabularKind.import_arguments`); the acting
user and the organisation the records belong to are this app's concern.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parklink.accounts.imports import resolve_owner
from parklink.accounts.models import User
from parklink.core import imports
from parklink.core.errors import ParkLinkError
from parklink.core.imports import Importer, ImportReport
from parklink.core.registry import registry


def importer_for(
    kind: str, user: User, org_name: str | None, options: Mapping[str, Any] | None = None
) -> Importer:
    """The kind's importer for the user (and `--org`), given the kind's own parsed options."""
    return registry.tabular[kind].build_importer(user, resolve_owner(user, org_name), options)


def error_text(exc: ParkLinkError, lang: str) -> str:
    """The error's message, in English when asked and the error carries one."""
    detail = exc.detail if isinstance(exc.detail, dict) else {}
    english = getattr(exc, "message_en", None) or detail.get("en")
    return str(english) if lang == "en" and english else exc.message


class Command(BaseCommand):
    help = (
        "Import records from .xlsx/.csv. Every row is checked first; "
        "if any row is wrong nothing is written and every problem is listed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        for kind in registry.importable():
            sub: ArgumentParser = subparsers.add_parser(kind.code, help=f"import {kind.noun_en}")
            self.common_arguments(sub)
            if kind.import_arguments is not None:
                kind.import_arguments(sub)

    def common_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="an .xlsx or .csv file (UTF-8 or GB18030)")
        parser.add_argument(
            "--as",
            dest="username",
            default=None,
            help="the acting user; their organisation owns the records "
            "(default: the installation administrator, who then names the organisation with --org)",
        )
        parser.add_argument(
            "--org",
            dest="org",
            default=None,
            help="import for this organisation (installation admins only)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--lang",
            choices=("zh", "en"),
            default="zh",
            help="language of the messages (default zh)",
        )
        parser.add_argument(
            "--format",
            choices=("xlsx", "csv"),
            default=None,
            help="file format when the file name does not say",
        )

    def say(self, lang: str, zh: str, en: str) -> str:
        return en if lang == "en" else zh

    def handle(self, *args: Any, **options: Any) -> None:
        lang: str = options["lang"]
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(self.say(lang, f"文件不存在:{path}", f"no such file: {path}"))
        users = User.objects.select_related("organization__region").filter(is_active=True)
        if options["username"]:
            user = users.filter(username=options["username"]).first()
        else:  # the operator at the server's shell acts as the installation administrator
            user = users.filter(is_superuser=True).order_by("pk").first()
            options["username"] = user.username if user else "<superuser>"
        if user is None:
            raise CommandError(
                self.say(
                    lang, f"用户“{options['username']}”不存在", f"no user {options['username']!r}"
                )
            )
        try:
            importer = importer_for(options["kind"], user, options["org"], options)
            report = imports.run(importer, path, options["format"], dry_run=options["dry_run"])
        except ParkLinkError as exc:
            raise CommandError(error_text(exc, lang)) from exc
        self.show(report, lang, options["dry_run"])

    def show(self, report: ImportReport, lang: str, dry_run: bool) -> None:
        if report.ignored_columns:
            names = "、".join(report.ignored_columns)
            self.stderr.write(
                self.say(
                    lang,
                    f"提示:已忽略无法识别的列:{names}",
                    f"note: ignored unknown columns: {names}",
                )
            )
        if report.problems:
            for problem in report.problems:
                self.stderr.write(problem.render(lang))
            count = len(report.problems)
            raise CommandError(
                self.say(
                    lang,
                    f"发现 {count} 个问题,未导入任何数据(共读取 {report.rows_read} 行)",
                    f"{count} problem(s) found; nothing was imported "
                    f"({report.rows_read} rows read)",
                )
            )
        kind = registry.tabular[report.kind]
        noun_zh, noun_en = kind.noun_zh, kind.noun_en
        if dry_run:
            self.stdout.write(
                self.say(
                    lang,
                    f"校验通过:共 {report.rows_read} 行,未写入数据(--dry-run)",
                    f"valid: {report.rows_read} rows checked; nothing written (--dry-run)",
                )
            )
            return
        self.stdout.write(
            self.say(
                lang, f"已导入 {report.created} {noun_zh}", f"imported {report.created} {noun_en}"
            )
        )
