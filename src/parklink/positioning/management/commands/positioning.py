"""`parklink positioning ACTION`: industry positioning from the command line.

    parklink positioning compute-file INPUT.csv[.gz] -o OUTPUT.csv[.gz]
        [--convention pyecomplexity|stata] [--presence rca|manual] [--threshold 1]
        [--time-col time] [--loc-col loc] [--prod-col prod] [--val-col val] [--solver auto]
    parklink positioning compute [--place-level county] [--within ADCODE] [--measure count|capital]
        [--digits 2] [--min-enterprises 20] [--min-classified 0.5] [--min-places 2] -o OUTPUT.csv
    parklink positioning recommend --place ADCODE [--within ADCODE] [--measure ...] [--digits 2]
        [--exclude-tags two_high,chemical_park] [--exclude 2614,...] [--top 20] [-o FILE.csv]

`compute-file` reads a long table and needs no database; `compute` and `recommend` read the
enterprise registry (see docs/positioning.md). Each action is one entry of `ACTIONS`: its
parser setup and its handler.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from parklink.positioning.complexity import (
    CONVENTIONS,
    Convention,
    Diagnostic,
    compute,
    convention,
    longfile,
)
from parklink.positioning.complexity.table import slices


@dataclass(frozen=True)
class Action:
    help: str
    arguments: Callable[[ArgumentParser], None]
    run: Callable[[Command, dict[str, Any]], None]


def table_error(error: longfile.TableError) -> str:
    """The user's words for a problem with the input table."""
    d = error.detail
    messages = {
        "no_file": lambda: _("文件不存在:%(path)s") % d,
        "empty": lambda: _("输入文件为空:第 1 行应为表头(time, loc, prod, val 等列名)"),
        "no_rows": lambda: _("输入文件只有表头,没有数据行"),
        "missing_columns": lambda: (
            _("缺少列:%(missing)s(表头中的列:%(found)s)")
            % {"missing": "、".join(d["missing"]), "found": "、".join(d["found"]) or "-"}
        ),
        "short_row": lambda: _("第 %(line)s 行只有 %(found)s 列,至少需要 %(expected)s 列") % d,
        "empty_key": lambda: _("第 %(line)s 行的“%(column)s”列为空") % d,
        "not_a_number": lambda: _("第 %(line)s 行的“%(column)s”列不是数字:%(value)s") % d,
        "not_finite": lambda: _("第 %(line)s 行的“%(column)s”列不是有限数值:%(value)s") % d,
        "negative": lambda: (
            _("第 %(line)s 行的“%(column)s”列为负数:%(value)s(显示性比较优势要求非负数值)") % d
        ),
        "not_binary": lambda: (
            _("第 %(line)s 行的“%(column)s”列应为 0 或 1(--presence manual):%(value)s") % d
        ),
        "encoding": lambda: _("文件不是 UTF-8 编码的 CSV:%(path)s") % d,
        "unreadable": lambda: _("无法读取文件 %(path)s:%(reason)s") % d,
    }
    return messages.get(error.code, lambda: error.code)()


def describe(diagnostic: Diagnostic) -> str:
    d = diagnostic.detail
    words = {
        "missing_values": lambda: _("%(count)s 个缺失值按 0 计") % d,
        "dropped_places": lambda: _("%(count)s 个地区合计为 0,未参与计算") % d,
        "dropped_products": lambda: _("%(count)s 个产业合计为 0,未参与计算") % d,
        "zero_diversity": lambda: _("%(count)s 个地区没有任何优势产业(多样性为 0),其 ECI 为空") % d,
        "zero_ubiquity": lambda: (
            _("%(count)s 个产业在任何地区都不具优势(普遍性为 0),其 PCI 为空") % d
        ),
        "disconnected": lambda: _(
            "警告:地区—产业网络分成互不相连的几块,ECI 反映的是分块而非复杂度"
        ),
        "weak_structure": lambda: (
            _("警告:特征值间隔过小((λ2−λ3)/λ2 = %(gap).3f < %(threshold)s),ECI 排序不可靠") % d
        ),
        "sign_undefined": lambda: _("各地区多样性相同,ECI 方向按 PCI 与普遍性负相关确定"),
        "eci_constant": lambda: _("ECI 无差异(标准差为 0),ECI、PCI、COI、COG 为空"),
        "too_small": lambda: _("参与计算的地区或产业少于 2 个,ECI、PCI、COI、COG 为空"),
    }
    return words.get(diagnostic.code, lambda: diagnostic.code)()


def compute_file_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("input", help="CSV or CSV.gz with a header row")
    parser.add_argument("-o", "--output", required=True, help="the CSV to write (.gz: gzip)")
    parser.add_argument("--convention", choices=sorted(CONVENTIONS), default="pyecomplexity")
    parser.add_argument("--presence", choices=("rca", "manual"), default="rca")
    parser.add_argument("--threshold", type=float, default=1.0, help="RCA threshold (default 1)")
    parser.add_argument(
        "--strict",
        choices=("yes", "no"),
        help="presence where RCA > threshold (yes) or ≥ (no); default: the convention's",
    )
    parser.add_argument(
        "--self-proximity", type=float, choices=(0.0, 1.0), help="default: the convention's"
    )
    parser.add_argument(
        "--sd",
        choices=("places", "rows"),
        help="ECI's standard deviation; default: the convention's",
    )
    parser.add_argument("--solver", choices=("auto", "dense", "arpack"), default="auto")
    for role in longfile.INPUT_COLUMNS:
        parser.add_argument(f"--{role}-col", default=role, help=f"the {role} column's header")
    parser.add_argument(
        "--time-value",
        help="the table has no time column: every row belongs to this period (e.g. 2019)",
    )


def compute_file(command: Command, options: dict[str, Any]) -> None:
    started = time.perf_counter()
    chosen = convention(
        options["convention"],
        strict_presence=None if options["strict"] is None else options["strict"] == "yes",
        self_proximity=options["self_proximity"],
        sd=options["sd"],
    )
    manual = options["presence"] == "manual"
    columns = {role: options[f"{role}_col"] for role in longfile.INPUT_COLUMNS}
    if options["time_value"] is not None:
        if not options["time_value"].strip():
            raise CommandError(_("--time-value 不能为空"))
        columns["time"] = ""
    try:
        table = longfile.read(
            Path(options["input"]), columns, manual=manual, time_value=options["time_value"]
        )
    except longfile.TableError as error:
        raise CommandError(table_error(error)) from error
    target = Path(options["output"])
    # Written beside the target and renamed at the end: a failure leaves no half file.
    partial = target.with_name(f".{target.stem}.part{target.suffix}")
    try:
        written = write_figures(command, table, partial, chosen, options)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    command.stdout.write(
        _("已写出 %(rows)s 行到 %(path)s(约定 %(convention)s,用时 %(seconds).1f 秒)")
        % {
            "rows": written,
            "path": target,
            "convention": chosen.name,
            "seconds": time.perf_counter() - started,
        }
    )


def write_figures(
    command: Command,
    table: longfile.LongTable,
    path: Path,
    chosen: Convention,
    options: dict[str, Any],
) -> int:
    manual = options["presence"] == "manual"
    written = 0
    with longfile.open_output(path) as stream:
        longfile.write_header(stream)
        for part in slices(table.time, table.loc, table.prod, table.val):
            if manual and ((part.values != 0) & (part.values != 1)).any():
                i, j = (int(k[0]) for k in ((part.values != 0) & (part.values != 1)).nonzero())
                raise CommandError(
                    _(
                        "时间 %(time)s、地区 %(loc)s、产业 %(prod)s 的重复行相加后为 %(value)s,"
                        "手工给定的存在性应为 0 或 1"
                    )
                    % {
                        "time": part.time,
                        "loc": part.places[i],
                        "prod": part.products[j],
                        "value": repr(float(part.values[i, j])),
                    }
                )
            result = compute(
                part.values,
                presence=options["presence"],
                threshold=options["threshold"],
                convention=chosen,
                solver=options["solver"],
            )
            for text in longfile.lines(part, result):
                stream.write(text)
            written += len(part.places) * len(part.products)
            notes = [describe(d) for d in result.diagnostics]
            if part.duplicates:
                notes.insert(
                    0, _("%(n)s 行重复(同一时间、地区、产业)已相加") % {"n": part.duplicates}
                )
            if part.missing:
                notes.insert(0, _("%(n)s 个缺失值按 0 计") % {"n": part.missing})
            lam = ", ".join(f"{v:.6f}" for v in result.eigenvalues) or "-"
            command.stdout.write(
                _("%(time)s:%(places)s 个地区 × %(products)s 个产业,特征值 %(lam)s")
                % {
                    "time": part.time,
                    "places": len(part.places),
                    "products": len(part.products),
                    "lam": lam,
                }
            )
            for note in notes:
                command.stdout.write("  " + note)
    return written


QUADRANT_LABELS = {
    "strength": _lazy("优势"),
    "weakness": _lazy("短板"),
    "opportunity": _lazy("机会"),
    "entrant": _lazy("可进入"),
    "threat": _lazy("远景"),
    "none": _lazy("不推荐"),
}
REASON_LABELS = {
    "energy_intensive": _lazy("高耗能行业"),
    "two_high": _lazy("“两高”行业"),
    "water_intensive": _lazy("高耗水行业"),
    "chemical_park": _lazy("须进入化工园区"),
}


def registry_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--place-level", choices=("province", "city", "county"))
    parser.add_argument("--within", help="only the places inside this region (adcode)")
    parser.add_argument("--measure", choices=("count", "capital"), default="count")
    parser.add_argument("--digits", type=int, choices=(2, 3, 4), default=2)
    parser.add_argument("--min-enterprises", type=int, default=20)
    parser.add_argument("--min-classified", type=float, default=0.5)
    parser.add_argument("--min-places", type=int, default=2)
    parser.add_argument("--convention", choices=sorted(CONVENTIONS), default="pyecomplexity")
    parser.add_argument("--threshold", type=float, default=1.0)
    parser.add_argument("--dataset", type=int, help="a dataset's id instead of the registry")
    parser.add_argument("--as", dest="username", help="the acting user (needed with --dataset)")


def dataset_or_error(options: dict[str, Any], name: str = "dataset") -> Any:
    """The dataset the acting user may see, or None (the registry)."""
    if options.get(name) is None:
        return None
    from parklink.accounts.models import User
    from parklink.core.errors import ParkLinkError
    from parklink.positioning.queries import get_dataset

    if not options["username"]:
        raise CommandError(_("--dataset 需要 --as 用户名"))
    user = User.objects.filter(username=options["username"], is_active=True).first()
    if user is None:
        raise CommandError(_("用户“%(name)s”不存在") % {"name": options["username"]})
    try:
        return get_dataset(user, options[name])
    except ParkLinkError as error:
        raise CommandError(error.message) from error


def chain_or_error(options: dict[str, Any]) -> Any:
    """The chain template the acting user (--as) may see, or None."""
    if options.get("chain") is None:
        return None
    from parklink.accounts.models import User
    from parklink.chains.services.templates import get_visible
    from parklink.core.errors import ParkLinkError

    user = User.objects.filter(username=options["username"] or "", is_active=True).first()
    if user is None:
        raise CommandError(_("--chain 需要 --as 用户名"))
    try:
        return get_visible(user, options["chain"])
    except ParkLinkError as error:
        raise CommandError(error.message) from error


def region_or_error(adcode: str) -> Any:
    from parklink.core.errors import ParkLinkError
    from parklink.positioning.services.report import region

    try:
        return region(adcode, "within")
    except ParkLinkError as error:
        raise CommandError(error.message) from error


def registry_figures(options: dict[str, Any], level: str, within: Any) -> tuple[Any, Any]:
    from parklink.core.errors import ParkLinkError
    from parklink.positioning.services.report import Options, figures

    chosen = Options(
        measure=options["measure"],
        digits=options["digits"],
        min_enterprises=options["min_enterprises"],
        min_classified=options["min_classified"],
        min_places=options["min_places"],
        convention=options["convention"],
        threshold=options["threshold"],
        dataset=dataset_or_error(options),
    )
    try:
        return figures(chosen, level, within)
    except ParkLinkError as error:
        details = "; ".join(
            str(v) for v in (error.detail or {}).values() if str(v) != error.message
        )
        raise CommandError(f"{error.message}:{details}" if details else error.message) from error


def industry_name(code: str) -> str:
    from parklink.positioning.services.report import industry_name as name

    return name(code)


def compute_registry_arguments(parser: ArgumentParser) -> None:
    registry_arguments(parser)
    parser.add_argument("-o", "--output", required=True, help="the CSV to write (.gz: gzip)")


def compute_registry(command: Command, options: dict[str, Any]) -> None:
    from parklink.positioning.complexity.table import Slice

    level = options["place_level"] or "county"
    within = region_or_error(options["within"]) if options["within"] else None
    placed, result = registry_figures(options, level, within)
    m = placed.matrix
    period = "registry"
    part = Slice(
        time=period,
        places=np.array(m.places, dtype=str),
        products=np.array(m.industries, dtype=str),
        values=m.values,
        rows=0,
        missing=0,
        duplicates=0,
    )
    place_extra = [
        "," + ",".join((longfile.csv_field(placed.names.get(p, p)), m.quality[p].grade))
        for p in m.places
    ]
    product_extra = ["," + longfile.csv_field(industry_name(code)) for code in m.industries]
    target = Path(options["output"])
    partial = target.with_name(f".{target.stem}.part{target.suffix}")
    try:
        with longfile.open_output(partial) as stream:
            longfile.write_header(stream, ("place_name", "grade", "industry_name"))
            for text in longfile.lines(
                part, result, place_extra=place_extra, product_extra=product_extra
            ):
                stream.write(text)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    left_out = [q for q in m.quality.values() if not q.included]
    command.stdout.write(
        _(
            "%(places)s 个地区 × %(industries)s 个产业(%(measure)s,GB/T 4754 %(digits)s 位),"
            "特征值 %(lam)s;%(left)s 个地区、%(rare)s 个产业未达门槛;"
            "%(unplaced)s 家企业的注册地高于所选级别"
        )
        % {
            "places": len(m.places),
            "industries": len(m.industries),
            "measure": options["measure"],
            "digits": options["digits"],
            "lam": ", ".join(f"{v:.6f}" for v in result.eigenvalues),
            "left": len(left_out),
            "rare": len(m.excluded_industries),
            "unplaced": placed.unplaced,
        }
    )
    for note in (describe(d) for d in result.diagnostics):
        command.stdout.write("  " + note)
    command.stdout.write(
        _("已写出 %(rows)s 行到 %(path)s") % {"rows": m.values.size, "path": target}
    )


def recommend_arguments(parser: ArgumentParser) -> None:
    registry_arguments(parser)
    parser.add_argument("--place", default="", help="the place's adcode (not needed with --park)")
    parser.add_argument(
        "--park", type=int, help="a park's id: the park as a place, compared with the counties"
    )
    parser.add_argument("--metro", help="compare within a metro area (its key, e.g. chengdu)")
    parser.add_argument(
        "--chain", type=int, help="a chain template's id: its segments instead of GB/T codes"
    )
    parser.add_argument(
        "--compare",
        type=int,
        help="an earlier year's dataset id (same measure): changes and growth elsewhere",
    )
    parser.add_argument(
        "--exclude-tags",
        default="",
        help="ecological screening: energy_intensive,two_high,water_intensive,chemical_park",
    )
    parser.add_argument("--whole-only", action="store_true", help="ignore tags of parts")
    parser.add_argument(
        "--require-resources",
        action="store_true",
        help="exclude industries that need a resource the place's parks have not recorded",
    )
    parser.add_argument("--exclude", default="", help="industry codes excluded by hand")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("-o", "--output", help="write every industry's row as CSV")


def recommend_place(command: Command, options: dict[str, Any]) -> None:
    from parklink.core.errors import ParkLinkError
    from parklink.positioning.services.report import Options, place_report

    chosen = Options(
        measure=options["measure"],
        digits=options["digits"],
        level=options["place_level"],
        within=options["within"],
        min_enterprises=options["min_enterprises"],
        min_classified=options["min_classified"],
        min_places=options["min_places"],
        convention=options["convention"],
        threshold=options["threshold"],
        exclude_tags=[t.strip() for t in options["exclude_tags"].split(",") if t.strip()],
        whole_only=options["whole_only"],
        exclude=[c.strip() for c in options["exclude"].split(",") if c.strip()],
        dataset=dataset_or_error(options),
        require_resources=options["require_resources"],
        park=options["park"],
        metro=options["metro"],
        compare=dataset_or_error(options, "compare"),
        chain=chain_or_error(options),
    )
    try:
        report = place_report(options["place"], chosen)
    except ParkLinkError as error:
        raise CommandError(error.message) from error
    found, quality, m = report.found, report.quality, report.placed.matrix
    names = report.product_names()
    command.stdout.write(
        _(
            "%(name)s:ECI %(eci).3f,数据质量 %(grade)s(%(n)s 家企业,已分类 %(share).0f%%);"
            "参与比较的地区 %(places)s 个"
        )
        % {
            "name": report.name,
            "eci": found.eci,
            "grade": quality.grade,
            "n": quality.enterprises,
            "share": 100 * quality.classified_share,
            "places": len(m.places),
        }
    )
    for note in (describe(d) for d in report.result.diagnostics):
        command.stdout.write("  " + note)
    if report.change is not None and report.compare is not None:
        command.stdout.write(
            _("与 %(year)s 年相比:ECI %(a).3f → %(b).3f;得分计入产业在其他地区的增长")
            % {"year": report.compare.year, "a": report.change.eci_from, "b": report.change.eci_to}
        )
    command.stdout.write(_("推荐产业(按可行性与吸引力排序):"))
    for r in found.candidates()[: options["top"]]:
        command.stdout.write(
            f"  {r.rank:>3}. {r.industry} {names.get(r.industry, '')} "
            f"[{QUADRANT_LABELS[r.quadrant]}] "
            + _("密度 %(d).3f,PCI %(p).2f,COG %(g).2f,得分 %(s).2f")
            % {"d": r.density, "p": r.pci, "g": r.cog, "s": r.score}
        )
    strengths = found.by_quadrant("strength")
    if strengths:
        command.stdout.write(
            _("优势产业:")
            + "、".join(f"{r.industry} {names.get(r.industry, '')}" for r in strengths)
        )
    for code, reasons in sorted(found.excluded.items()):
        command.stdout.write(
            _("已排除 %(code)s %(name)s:%(why)s")
            % {"code": code, "name": names.get(code, ""), "why": "、".join(reason_words(reasons))}
        )
    if options["output"]:
        write_recommendations(Path(options["output"]), found, names)
        command.stdout.write(_("已导出到 %(path)s") % {"path": options["output"]})


def reason_words(reasons: list[str]) -> list[str]:
    """`tag:two_high` / `partly:two_high` / `by_hand` in the user's words."""
    words = []
    for reason in reasons:
        kind, _sep, tag = reason.partition(":")
        if kind == "by_hand":
            words.append(_("手工排除"))
        elif kind == "partly":
            words.append(_("部分属于%(tag)s") % {"tag": REASON_LABELS[tag]})
        elif kind in ("needs", "uses"):
            from parklink.positioning.words import reason_text

            words.append(reason_text(reason))
        else:
            words.append(str(REASON_LABELS[tag]))
    return words


def write_recommendations(path: Path, found: Any, names: dict[str, str]) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as stream:
        out = csv.writer(stream, lineterminator="\n")
        out.writerow(
            [
                "industry",
                "industry_name",
                "quadrant",
                "present",
                "rank",
                "score",
                "rca",
                "density",
                "pci",
                "cog",
                "excluded",
            ]
        )
        for r in sorted(found.items, key=lambda r: (r.present, r.rank or 10**9, r.industry)):
            out.writerow(
                [
                    r.industry,
                    names.get(r.industry, ""),
                    r.quadrant,
                    int(r.present),
                    r.rank,
                    repr(r.score),
                    repr(r.rca),
                    repr(r.density),
                    repr(r.pci),
                    repr(r.cog),
                    "",
                ]
            )
        for code, reasons in sorted(found.excluded.items()):
            out.writerow(
                [code, names.get(code, ""), "", "", "", "", "", "", "", "", ";".join(reasons)]
            )


ACTIONS: dict[str, Action] = {
    "compute-file": Action(
        help="complexity figures of a long CSV table, without the database",
        arguments=compute_file_arguments,
        run=compute_file,
    ),
    "compute": Action(
        help="complexity figures of the enterprise registry's place × industry matrix",
        arguments=compute_registry_arguments,
        run=compute_registry,
    ),
    "recommend": Action(
        help="recommended industries for a place, after ecological screening",
        arguments=recommend_arguments,
        run=recommend_place,
    ),
}


class Command(BaseCommand):
    help = "Industry positioning: economic complexity, relatedness and recommended industries."
    # compute-file needs neither the database nor the URL configuration.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, action in ACTIONS.items():
            action.arguments(actions.add_parser(name, help=action.help))

    def handle(self, *args: Any, **options: Any) -> None:
        ACTIONS[options["action"]].run(self, options)
