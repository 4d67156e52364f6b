"""`parklink cobuild load|dump`: an agreement as a YAML (or JSON) document, and back.

    parklink cobuild load FILE [--as USER] [--lang zh|en]
    parklink cobuild dump ID [-o FILE] [--format yaml|json] [--as USER]

`load` creates the agreement the document describes through the services, all or nothing,
and lists every refusal under its path in the document; `dump` writes an agreement the user
may see (another one is "not found", as on the API). The format: docs/cobuild.md.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from parklink.accounts.models import User
from parklink.cobuild.queries import get_visible
from parklink.cobuild.services import documents
from parklink.core.errors import ParkLinkError

LANGUAGES = {"zh": "zh-hans", "en": "en"}


class Command(BaseCommand):
    help = "Load a co-built park agreement from a YAML/JSON document, or dump one as a document."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load: ArgumentParser = actions.add_parser("load", help="create an agreement from a file")
        load.add_argument("file", help="a YAML or JSON document")
        dump: ArgumentParser = actions.add_parser("dump", help="write an agreement as a document")
        dump.add_argument("agreement", type=int, help="the agreement's id")
        dump.add_argument(
            "-o", "--output", default=None, help="the file to write (default: stdout)"
        )
        dump.add_argument(
            "--format",
            choices=("yaml", "json"),
            default=None,
            help="yaml or json (default: from the file name, else yaml)",
        )
        for sub in (load, dump):
            sub.add_argument(
                "--as",
                dest="username",
                default=None,
                help="the acting user (default: the installation administrator)",
            )
            sub.add_argument("--lang", choices=tuple(LANGUAGES), default="zh")

    def handle(self, *args: Any, **options: Any) -> None:
        lang = options["lang"]
        with translation.override(LANGUAGES[lang]):
            user = self.acting_user(options["username"], lang)
            try:
                if options["action"] == "load":
                    self.load(user, Path(options["file"]), lang)
                else:
                    self.dump(user, options)
            except ParkLinkError as exc:
                detail = exc.detail if isinstance(exc.detail, dict) else {}
                for path, message in detail.items():
                    if path != "en":
                        self.stderr.write(f"{path}: {message}")
                raise CommandError(exc.message) from exc

    def acting_user(self, username: str | None, lang: str) -> User:
        users = User.objects.select_related("organization").filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
        else:  # the operator at the server's shell acts as the installation administrator
            user = users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            name = username or "<superuser>"
            raise CommandError(f"no user {name!r}" if lang == "en" else f"用户“{name}”不存在")
        return user

    def load(self, user: User, path: Path, lang: str) -> None:
        if not path.is_file():
            raise CommandError(f"no such file: {path}" if lang == "en" else f"文件不存在:{path}")
        made = documents.load(user, documents.read_text(path.read_text("utf-8")))
        rules = sum(v.rules.count() for v in made.versions.all())
        if lang == "en":
            self.stdout.write(
                f"loaded agreement #{made.pk} {made.title}: {made.parties.count()} parties, "
                f"{made.versions.count()} version(s), {rules} rule(s), status {made.status}"
            )
        else:
            self.stdout.write(
                f"已载入共建协议 #{made.pk}“{made.title}”:{made.parties.count()} 个协议方,"
                f"{made.versions.count()} 个版本,{rules} 条规则,状态:{made.get_status_display()}"
            )

    def dump(self, user: User, options: dict[str, Any]) -> None:
        agreement = get_visible(user, options["agreement"])
        target = Path(options["output"]) if options["output"] else None
        fmt = options["format"] or ("json" if target and target.suffix == ".json" else "yaml")
        text = documents.dump(agreement, fmt)
        if target is None:
            self.stdout.write(text, ending="")
            return
        target.write_text(text, "utf-8")
        self.stderr.write(f"{target}")
