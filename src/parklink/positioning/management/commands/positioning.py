"""`parklink positioning ACTION`: industry positioning from the command line.

    parklink positioning compute-file INPUT.csv[.gz] -o OUTPUT.csv[.gz]
        [--convention pyecomplexity|stata] [--presence rca|manual] [--threshold 1]
        [--time-col time] [--loc-col loc] [--prod-col prod] [--val-col val] [--solver auto]

`compute-file` reads a long table and needs no database (see docs/positioning.md). Each
action is one entry of `ACTIONS`: its parser setup and its handler.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

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


ACTIONS: dict[str, Action] = {
    "compute-file": Action(
        help="complexity figures of a long CSV table, without the database",
        arguments=compute_file_arguments,
        run=compute_file,
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
