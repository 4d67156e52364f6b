"""`parklink intel extract PATH... [-o OUT.jsonl]`: extract projects without the database.

A PATH is a file (.txt/.html/.htm/.docx/.pdf) or a folder (every .txt/.html/.htm file directly
in it, in name order). Each extracted project is one JSON object on its own line:

    file, project, investment_yuan, enterprise, location, stage, amount_kind, lower_bound,
    approx, currency, date, evidence

plus `adcode`, `park`, `sector`, `investment` (the figure in its own currency), `title`,
`published`, `amounts` (every figure with its kind) and `evidence_offsets` (the sentences'
offsets in the file's text, for citation). `investment_yuan` is a number in 元, or null when the
article gives no investment figure or gives it only in a foreign currency without a rate.
Amounts are written as exact decimal numbers. The LAC organisation tagger names the enterprise
of a project whose clauses name no company (`--no-tagger` skips it). A file that cannot be read
is reported on standard error and the others go on; the exit status is 1 when any file failed.
A progress bar is drawn on standard error when it is a terminal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parklink.intel import readers
from parklink.intel.extract import BATCH, Amount, Article, Extraction, extract_many

HELP = "extract projects from articles into JSON lines (no database)"


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    parser.add_argument(
        "-o", "--output", default="-", help="the JSON-lines file to write (default: stdout)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--no-tagger",
        action="store_true",
        help="skip the LAC organisation tagger (faster; fewer enterprises named without 公司)",
    )


def files_of(paths: list[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in readers.FOLDER_SUFFIXES
            )
        else:
            yield path


_DECIMAL = re.compile(r'"\\u0000dec:([-0-9.]+)"')


def _number(value: Decimal | None) -> str | None:
    if value is None:
        return None
    normal = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return f"\u0000dec:{normal:f}"


def dumps(record: dict[str, Any]) -> str:
    """JSON with Decimals written as exact numbers (never through a float)."""
    return _DECIMAL.sub(lambda m: m.group(1), json.dumps(record, ensure_ascii=False))


def _amount(amount: Amount) -> dict[str, Any]:
    return {
        "text": amount.span.text,
        "value": _number(amount.value),
        "currency": amount.currency or None,
        "unit": amount.unit or None,
        "yuan": _number(amount.yuan),
        "kind": amount.kind,
        "lower_bound": amount.lower_bound,
        "approx": amount.approx,
        "per_item": amount.per_item,
    }


def records(name: str, extraction: Extraction) -> Iterator[dict[str, Any]]:
    for project in extraction.projects:
        investment = project.investment
        yield {
            "file": name,
            "project": project.name.value,
            "investment_yuan": _number(investment.yuan) if investment else None,
            "enterprise": "、".join(e.value for e in project.enterprises) or None,
            "location": project.place.value if project.place else None,
            "stage": project.stage,
            "amount_kind": investment.kind if investment else None,
            "lower_bound": investment.lower_bound if investment else False,
            "approx": investment.approx if investment else False,
            "currency": investment.currency if investment else None,
            "date": project.stage_date.isoformat() if project.stage_date else None,
            "evidence": [span.text.strip() for span in project.evidence],
            "adcode": project.adcode,
            "park": project.park.value if project.park else None,
            "sector": project.sector.value if project.sector else None,
            "investment": _amount(investment) if investment else None,
            "amounts": [_amount(a) for a in project.amounts],
            "title": extraction.title,
            "published": extraction.published.isoformat() if extraction.published else None,
            "evidence_offsets": [list(extraction.original_span(s)) for s in project.evidence],
        }


class _Bar:
    WIDTH = 30

    def __init__(self, stream: Any, enabled: bool) -> None:
        self.stream, self.enabled = stream, enabled

    def __call__(self, done: int, total: int, name: str) -> None:
        if not self.enabled or not total:
            return
        filled = self.WIDTH * done // total
        bar = f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} {name[:40]}"
        self.stream.write(bar.ljust(self.WIDTH + 60))
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


def read_file(path: Path) -> readers.Document:
    if not path.exists():
        raise readers.ReadError(path.name, "文件不存在", "no such file")
    if not path.is_file():
        raise readers.ReadError(path.name, "不是文件", "not a file")
    return readers.read_bytes(path.name, path.read_bytes())


def run(
    paths: list[str], out: Any, err: Any, *, progress: bool, organisations: bool = True
) -> tuple[int, int, int]:
    """(files read, projects written, files failed). Files are read and extracted `BATCH` at a
    time (extract_many: the tagger reads the names of all of them in one run of its encoder);
    each file's projects are written in order as its batch ends."""
    files = list(files_of(paths))
    bar = _Bar(err, progress)
    written = failed = done = 0
    for first in range(0, len(files), BATCH):
        chunk = files[first : first + BATCH]
        read: list[readers.Document | readers.ReadError] = []
        for path in chunk:
            try:
                read.append(read_file(path))
            except readers.ReadError as error:
                read.append(error)
        documents = [d for d in read if not isinstance(d, readers.ReadError)]
        extracted = iter(
            extract_many(
                [Article(d.text, d.title, d.published) for d in documents],
                organisations=organisations,
            )
        )
        for path, document in zip(chunk, read, strict=True):
            result: Extraction | Exception = (
                document if isinstance(document, readers.ReadError) else next(extracted)
            )
            done += 1
            if isinstance(result, readers.ReadError):
                failed += 1
                err.write(("\n" if progress else "") + f"{path}: 出错:{result.zh} ({result.en})\n")
            elif isinstance(result, Exception):  # a defect in the extractor: the others go on
                failed += 1
                detail = f"{type(result).__name__}: {result}"
                err.write(
                    ("\n" if progress else "")
                    + f"{path}: 出错:提取失败 (extraction failed: {detail})\n"
                )
            else:
                for record in records(path.name, result):
                    out.write(dumps(record) + "\n")
                    written += 1
            bar(done, len(files), path.name)
    return len(files), written, failed


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    target = options["output"]
    err = command.stderr
    progress = not options["quiet"] and err.isatty()
    tagger = not options["no_tagger"]
    if target == "-":
        files, written, failed = run(
            options["paths"], command.stdout, err, progress=progress, organisations=tagger
        )
    else:
        try:
            stream = open(target, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"无法写入输出文件 {target}:{error.strerror}") from error
        with stream:
            files, written, failed = run(
                options["paths"], stream, err, progress=progress, organisations=tagger
            )
    err.write(f"共 {files} 个文件,提取 {written} 个项目,出错 {failed} 个文件")
    if failed:
        raise CommandError(f"{failed} 个文件未能读取(见上)")
    if not files:
        raise CommandError("没有可读取的文件(文件夹中支持 .txt、.html)")
