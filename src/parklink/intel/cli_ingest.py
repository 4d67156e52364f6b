"""`parklink intel ingest PATH... [--org ORG] [--as USER]`: articles into the review queue.

A PATH is a file (.txt/.html/.htm/.docx/.pdf, or a .zip of them) or a folder (every such file
in it, recursively). Files are read one after another and extracted 32 articles at a time
(ingest.ingest_files), with a progress bar on standard error;
each file's outcome (new, already ingested, or why it could not be read) is reported and the
others continue. The acting user (default: the installation administrator) must be an officer
of the organisation; `--org` names it (by name or id) for an installation administrator.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from parklink.accounts.models import Organization, User
from parklink.core.errors import ParkLinkError
from parklink.intel.services import ingest

HELP = "ingest articles (files, folders, zips) into the review queue"
SUFFIXES = (*ingest.READABLE, ".zip")


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or zips")
    parser.add_argument(
        "--org", default=None, help="the organisation whose queue receives them (name or id)"
    )
    parser.add_argument(
        "--as",
        dest="username",
        default=None,
        help="the acting user (default: the installation administrator)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def files_of(paths: list[str]) -> list[Path]:
    """Every readable file named or inside a named folder, in a stable order."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"文件或文件夹不存在:{path}")
    if not found:
        raise CommandError("没有可录入的文件(支持 txt、html、docx、pdf、zip)")
    return found


def _user(username: str | None) -> User:
    users = User.objects.select_related("organization").filter(is_active=True)
    user = (
        users.filter(username=username).first()
        if username
        else users.filter(is_superuser=True).order_by("pk").first()
    )
    if user is None:
        raise CommandError(f"用户“{username or '<安装管理员>'}”不存在")
    return user


def _owner(user: User, org: str | None) -> int:
    if not org:
        if user.organization_id is None:
            raise CommandError("请用 --org 指定接收文章的机构")
        return user.organization_id
    found = Organization.objects.filter(name=org).first()
    if found is None and org.isdigit():
        found = Organization.objects.filter(pk=int(org)).first()
    if found is None:
        raise CommandError(f"机构“{org}”不存在")
    return found.pk


class Bar:
    """A plain progress bar on a terminal stream: [#####.....] 12/40 file.txt"""

    WIDTH = 30

    def __init__(self, stream: OutputWrapper, quiet: bool) -> None:
        self.stream, self.quiet = stream, quiet

    def __call__(self, done: int, total: int, name: str = "") -> None:
        if self.quiet or not total:
            return
        filled = self.WIDTH * done // total
        line = f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} {name[:40]}"
        self.stream.write(line.ljust(self.WIDTH + 60), ending="\n" if done == total else "")
        self.stream.flush()


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    paths = files_of(options["paths"])
    user = _user(options["username"])
    owner_id = _owner(user, options["org"])
    bar = Bar(command.stderr, options["quiet"])
    files = [(path.name, path.read_bytes) for path in paths]  # read one at a time
    try:
        outcomes = ingest.ingest_files(
            user, files, owner_id=owner_id, progress=lambda d, t: bar(d, t)
        )
    except ParkLinkError as error:
        raise CommandError(error.message) from error
    for outcome in outcomes:
        if outcome.error:
            command.stderr.write(f"{outcome.name}: 出错:{outcome.error}")
        elif outcome.duplicate:
            command.stdout.write(f"{outcome.name}: 已录入过(文章 #{outcome.document_id})")
        else:
            command.stdout.write(
                f"{outcome.name}: 已录入(文章 #{outcome.document_id}),识别 {outcome.items} 个项目"
            )
    total = ingest.summary(outcomes)
    command.stdout.write(
        f"共 {total['files']} 个文件:新录入 {total['ingested']},重复 {total['duplicates']},"
        f"出错 {total['errors']};待审核项目 {total['items']} 个"
    )
    if total["errors"] and total["errors"] == total["files"]:
        raise CommandError("所有文件都未能录入")
