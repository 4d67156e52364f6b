"""`parklink chains classify | gaps | targets`: the registry's side of the chains command.

    parklink chains classify [--all | --changed] [--template KEY …]
    parklink chains gaps --place region:510106 --chain photovoltaics [--as USER] [-o FILE.xlsx]
    parklink chains targets --place park:3 --segment polysilicon [--chain KEY] [--limit N]
                            [--as USER] [-o FILE.xlsx]

`classify` runs in the foreground with a progress bar (the page runs the same work as a
background job). `gaps` and `targets` print a table, or write the Excel file the page offers,
as the user given with `--as` sees it (their projects, their organisation's rules and
templates); without `--as`, as an installation administrator.
"""

from __future__ import annotations

from argparse import ArgumentParser
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parklink.accounts.models import User
from parklink.core.errors import ParkLinkError

BAR = 30


def _user(name: str | None) -> User:
    if name:
        found = User.objects.select_related("organization__region").filter(username=name).first()
        if found is None:
            raise CommandError(f"用户“{name}”不存在")
        return found
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None:
        raise CommandError("请用 --as 指定用户(系统中没有管理员)")
    return admin


def _bar(command: BaseCommand) -> Any:
    def report(done: int, total: int) -> None:
        share = done / total if total else 1.0
        filled = int(BAR * share)
        command.stdout.write(
            f"\r[{'#' * filled}{'.' * (BAR - filled)}] {share:6.1%} {done:,}/{total:,}",
            ending="",
        )
        command.stdout.flush()

    return report


@dataclass(frozen=True)
class Classify:
    help: str = "classify the registry's enterprises into chain segments (progress bar)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--all", action="store_true", help="every enterprise (the default)")
        scope.add_argument(
            "--changed", action="store_true", help="only enterprises saved since the last run"
        )
        parser.add_argument(
            "--template", action="append", default=[], help="a template key (repeatable)"
        )

    def handle(self, command: BaseCommand, options: dict[str, Any]) -> None:
        from parklink.chains.models import ChainTemplate
        from parklink.chains.services import classification, templates

        added = templates.load_shipped()
        if added:
            command.stdout.write(f"已载入 {len(added)} 个内置模板的新版本")
        ids = None
        if options["template"]:
            found = dict(
                ChainTemplate.objects.filter(key__in=options["template"]).values_list("key", "pk")
            )
            unknown = sorted(set(options["template"]) - set(found))
            if unknown:
                raise CommandError(f"没有这些模板: {', '.join(unknown)}")
            ids = list(found.values())
        summary = classification.classify_registry(
            changed_only=options["changed"], template_ids=ids, progress=_bar(command)
        )
        command.stdout.write("")
        rate = summary.enterprises / summary.seconds if summary.seconds else 0
        command.stdout.write(
            f"已分类 {summary.enterprises:,} 家企业,写入 {summary.assignments:,} 条候选归属,"
            f"用时 {summary.seconds:.1f} 秒({rate:,.0f} 家/秒)"
        )


def _common(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--place", required=True, help="region:510106, park:ID, cobuild:ID, linkage:ID, metro:KEY"
    )
    parser.add_argument("--as", dest="username", help="the acting user (default: an administrator)")
    parser.add_argument("-o", "--output", help="write the Excel file here instead of printing")


@dataclass(frozen=True)
class Gaps:
    help: str = "a chain's segments in a place: enterprises, leaders, projects, label"

    def add_arguments(self, parser: ArgumentParser) -> None:
        _common(parser)
        parser.add_argument("--chain", required=True, help="a template key or id")

    def handle(self, command: BaseCommand, options: dict[str, Any]) -> None:
        from parklink.chains import exports
        from parklink.chains.services import coverage, places

        user = _user(options["username"])
        try:
            place = places.resolve(user, options["place"])
            template = exports.template_for(user, options["chain"])
            found = coverage.coverage(user, place, template)
        except ParkLinkError as error:
            raise CommandError(error.message) from error
        if options["output"]:
            Path(options["output"]).write_bytes(exports.gaps_workbook(found))
            command.stdout.write(f"已导出到 {options['output']}")
            return
        names = coverage.label_names()
        command.stdout.write(
            f"{place.name} · {found.chain.name} · "
            f"模板 v{found.version.number} ({found.chain.version})"
        )
        command.stdout.write("环节\t判定\t企业\t注册资本(元)\t链主\t上市\t高新\t项目")
        for item in found.segments:
            command.stdout.write(
                f"{item.segment.name}\t{names[item.label.code]}\t{item.enterprises}\t"
                f"{item.capital:.2f}\t{item.leaders}\t{item.listed}\t{item.high_tech}\t"
                f"{item.project_total}"
            )


@dataclass(frozen=True)
class Targets:
    help: str = "ranked enterprises outside a place that could fill a segment"

    def add_arguments(self, parser: ArgumentParser) -> None:
        _common(parser)
        parser.add_argument("--segment", help="a segment key (default: every weak or missing one)")
        parser.add_argument(
            "--chain", help="a template key or id (default: the one with the segment)"
        )
        parser.add_argument("--limit", type=int, default=20)

    def handle(self, command: BaseCommand, options: dict[str, Any]) -> None:
        from parklink.chains import exports
        from parklink.chains.services import places, targets

        user = _user(options["username"])
        segment = options["segment"]
        try:
            place = places.resolve(user, options["place"])
            if options["chain"]:
                template = exports.template_for(user, options["chain"])
            elif segment:
                template = _template_with(user, segment)
            else:
                raise CommandError("请指定 --chain 或 --segment")
            found = targets.targets(
                user, place, template, [segment] if segment else None, options["limit"]
            )
        except ParkLinkError as error:
            raise CommandError(error.message) from error
        if options["output"]:
            Path(options["output"]).write_bytes(exports.targets_workbook(found))
            command.stdout.write(f"已导出到 {options['output']}")
            return
        names = {s.key: s.name for s in found.coverage.chain.segments}
        command.stdout.write(
            f"{place.name} · {found.coverage.chain.name} · 模板 v{found.coverage.version.number}"
        )
        for position, target in enumerate(found.targets, start=1):
            reasons = ";".join(targets.reason_texts(target.ranked, names))
            command.stdout.write(
                f"{position}\t{target.enterprise.name}\t{target.segment_name}\t"
                f"{target.score:.3f}\t{reasons}"
            )
        if not found.targets:
            command.stdout.write("没有本地以外归入这些环节的企业")


def _template_with(user: User, segment: str) -> Any:
    """The visible template that has the segment (shipped first); ambiguous keys are refused."""
    from parklink.chains.services import templates

    versions = templates.current_versions(templates.visible_templates(user))
    found = [
        v.template
        for v in versions.values()
        if any(s.key == segment for s in templates.chain_of(v).segments)
    ]
    if not found:
        raise CommandError(f"没有模板含环节“{segment}”")
    if len({t.key for t in found}) > 1:
        keys = ", ".join(sorted({t.key for t in found}))
        raise CommandError(f"多个模板含环节“{segment}”({keys}),请用 --chain 指定")
    return sorted(found, key=lambda t: t.owner_id is not None)[0]


classify = Classify()
gaps = Gaps()
targets = Targets()
