"""All-or-nothing imports: columns, bilingual problems, the `Importer` base, `validate` and `run`.

Reading one cell is `core.cells`; who may import for whom is the importer's `authorize`
(`accounts.imports.OwnedImporter` for owned records); this module only runs the phases.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, Any, ClassVar

from django.conf import settings
from django.db import IntegrityError, transaction

from parklink.core.cells import CellError, Parser, cell_text
from parklink.core.errors import Forbidden, ParkLinkError
from parklink.core.tabular import (
    Limits,
    TableError,
    TooManyRows,
    header_key,
    match_headers,
    open_table,
)

Source = str | Path | IO[bytes]
# `progress(phase, rows)`: "read" while the rows are read (every PROGRESS_EVERY rows), "check"
# once they are all read, "write" before the transaction that writes them starts.
Progress = Callable[[str, int], None]
PREVIEW_ROWS = 10
PROGRESS_EVERY = 500
# A problem quotes at most this many characters of the cell it is about.
SHOWN_CHARS = 50
_UNIT_IN_HEADER = re.compile(r"[(（]\s*(亿元|万元|元)\s*[)）]")


def shorten(value: str, limit: int = SHOWN_CHARS) -> str:
    """A value as a message quotes it: the first `limit` characters, then "…"."""
    return value if len(value) <= limit else value[:limit] + "…"


def import_limits() -> Limits:
    """The limits of settings.PARKLINK_IMPORT_*, for the page and the command alike.

    The page checks a file of more than PARKLINK_IMPORT_SYNC_MAX_ROWS rows in a background job
    (`core.jobs`) instead of within the request (`needs_background`).
    """
    return Limits(
        max_bytes=settings.PARKLINK_IMPORT_MAX_BYTES,
        max_rows=settings.PARKLINK_IMPORT_MAX_ROWS,
        max_cell_chars=settings.PARKLINK_IMPORT_MAX_CELL_CHARS,
        max_unpacked_bytes=settings.PARKLINK_IMPORT_MAX_UNPACKED_BYTES,
        max_compression_ratio=settings.PARKLINK_IMPORT_MAX_COMPRESSION_RATIO,
    )


def needs_background(source: Path, fmt: str) -> bool:
    """Whether the file has more rows than one request checks (PARKLINK_IMPORT_SYNC_MAX_ROWS).

    An .xlsx's rows are counted from its XML when it is opened, a CSV's by reading its records;
    a file that cannot be read is checked in the request, which says why.
    """
    limits = replace(import_limits(), max_rows=settings.PARKLINK_IMPORT_SYNC_MAX_ROWS)
    try:
        with open_table(source, fmt, limits) as table:
            if fmt == "csv":
                for _row in table.rows:
                    pass
    except TooManyRows:
        return True
    except TableError:
        return False
    return False


class ImportForbidden(Forbidden):
    """The acting user may not import for this organisation (message in both languages)."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_zh, detail={"zh": message_zh, "en": message_en})
        self.message_en = message_en


@dataclass(frozen=True)
class Problem:
    """One reason the file cannot be imported: where it is, what was there, and why."""

    row: int
    column: str
    value: str
    reason_zh: str
    reason_en: str

    def __post_init__(self) -> None:
        # However long the cell, a message never echoes more than its start.
        object.__setattr__(self, "value", shorten(self.value))

    def reason(self, lang: str = "zh") -> str:
        return self.reason_en if lang.startswith("en") else self.reason_zh

    def render(self, lang: str = "zh") -> str:
        if lang.startswith("en"):
            where = f"row {self.row} " if self.row else ""
            return f'{where}[{self.column}] "{self.value}": {self.reason_en}'
        where = f"第{self.row}行 " if self.row else ""
        return f"{where}[{self.column}] “{self.value}”: {self.reason_zh}"


@dataclass(frozen=True)
class Column:
    """A column of an import layout: its field key, headers, parser and whether it is required.

    `unit_parser`, for amounts, builds the parser for a unit written in the header
    ("总投资(亿元)"), so a sheet kept in 亿元 imports correctly.
    """

    key: str
    zh: str
    en: str
    parse: Parser
    required: bool = False
    aliases: tuple[str, ...] = ()
    default: Any = None
    unit_parser: Callable[[str], Parser] | None = None
    # The parser's answer depends on the cell alone (a region, an industry code, yes/no), so a
    # value met again is not parsed again: a million rows name a few hundred regions.
    repeats: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.zh, self.en, *self.aliases)

    def parser_for(self, header: str) -> Parser:
        unit = _UNIT_IN_HEADER.search(header)
        if self.unit_parser is not None and unit is not None:
            return self.unit_parser(unit.group(1))
        return self.parse


_NO_FAILURES: frozenset[str] = frozenset()


@dataclass(slots=True)
class Row:
    """A data row: its spreadsheet row number, parsed values and the cells as written.

    The cells are kept as the file gave them (`raw`, with `positions` shared by every row of a
    file) and turned into text only when a message or the preview quotes them: a file of a
    million rows then holds each cell once.
    """

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    raw: Sequence[Any] = ()
    positions: Mapping[str, int] = field(default_factory=dict)
    failed: set[str] | frozenset[str] = _NO_FAILURES

    @property
    def cells(self) -> dict[str, str]:
        """Column key → the cell as the user sees it, for every bound column."""
        return {key: cell_text(self.raw[index]) for key, index in self.positions.items()}

    def cell(self, key: str) -> str:
        index = self.positions.get(key)
        return "" if index is None else cell_text(self.raw[index])

    def fail(self, key: str) -> None:
        if not isinstance(self.failed, set):
            self.failed = set()
        self.failed.add(key)


@dataclass
class ImportReport:
    """What an import found and did; `created` stays 0 unless every row was written."""

    kind: str
    rows_read: int = 0
    created: int = 0
    problems: list[Problem] = field(default_factory=list)
    preview: list[dict[str, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False
    # The spreadsheet row number of each preview row (blank rows are skipped, not counted).
    preview_rows: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self, max_problems: int | None = None) -> dict[str, Any]:
        """The report as JSON (a background job keeps it); at most `max_problems` problems."""
        data = asdict(self)
        data["problem_count"] = len(self.problems)
        data["problems"] = data["problems"][:max_problems]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ImportReport:
        known = {name: value for name, value in data.items() if name in cls.__dataclass_fields__}
        known["problems"] = [Problem(**problem) for problem in data.get("problems", [])]
        return cls(**known)


# The importer and the two phases ------------------------------------------------------------


class Importer:
    """One kind of record: its columns, row checks and how a checked row is written.

    Subclasses say who may import in `authorize()`, build `columns()` from lookups loaded in
    `load()`, may batch-load what the rows refer to in `prepare()`, check a row in `check()`,
    the file as a whole in `check_file()`, and write one row in `save()`.
    """

    kind: ClassVar[str] = ""
    # Headers an export adds for reading (编号, 所属机构): accepted and ignored on import.
    ignored_headers: ClassVar[tuple[str, ...]] = ()

    def __init__(self, user: Any, owner: Any) -> None:
        self.user = user
        self.owner = owner
        self.headers: dict[str, str] = {}  # column key → header as written in the file
        self.canonical: dict[str, str] = {}  # column key → Chinese header

    def authorize(self) -> None:
        """Refuse (a `ParkLinkError`) unless the user may import for the owner.

        Runs before the file is read; every importer must say who may use it.
        """
        raise NotImplementedError

    def load(self) -> None:
        """Preload lookups the parsers need."""

    def columns(self) -> Sequence[Column]:
        raise NotImplementedError

    def prepare(self, rows: list[Row]) -> None:
        """Batch-load records the rows refer to (one query per batch, never per row)."""

    def check(self, row: Row) -> list[Problem]:
        return []

    def check_file(self, rows: list[Row]) -> list[Problem]:
        return []

    def save(self, row: Row) -> Any:
        raise NotImplementedError

    def save_all(self, rows: list[Row]) -> int | None:
        """Write every checked row at once (bulk inserts), or None to have `save` called per row.

        Runs inside the import's transaction; an `IntegrityError` (another user wrote the same
        record meanwhile) makes `run` check the rows again to name the ones that clash.
        """
        return None

    def problem(self, row: Row, key: str, reason_zh: str, reason_en: str) -> Problem:
        """A problem about the cell of column `key` in `row`, named by the file's header."""
        column = self.headers.get(key) or self.canonical.get(key, key)
        return Problem(row.number, column, row.cell(key), reason_zh, reason_en)


def _bind(
    importer: Importer,
    columns: list[Column],
    header: list[str],
    header_row: int,
    report: ImportReport,
) -> list[tuple[Column, int, Parser]]:
    importer.canonical = {column.key: column.zh for column in columns}
    aliases = {column.key: column.names for column in columns}
    aliases["__ignored__"] = importer.ignored_headers
    found = match_headers(header, aliases)
    bound: list[tuple[Column, int, Parser]] = []
    for column in columns:
        index = found.get(column.key)
        if index is None:
            if column.required:
                report.problems.append(
                    Problem(
                        header_row,
                        f"{column.zh}/{column.en}",
                        "",
                        "缺少必填列",
                        "a required column is missing",
                    )
                )
            continue
        importer.headers[column.key] = header[index]
        bound.append((column, index, column.parser_for(header[index])))
    used = set(found.values())
    report.columns = [header[index] for _column, index, _parser in bound]
    known_ignored = {header_key(name) for name in importer.ignored_headers}
    report.ignored_columns = [
        cell
        for index, cell in enumerate(header)
        if cell and index not in used and header_key(cell) not in known_ignored
    ]
    return bound


def _parse_row(
    number: int,
    cells: Sequence[Any],
    bound: list[tuple[Column, int, Parser]],
    defaults: dict[str, Any],
    importer: Importer,
    positions: Mapping[str, int],
) -> tuple[Row, list[Problem]]:
    row = Row(number, dict(defaults), cells, positions)
    problems: list[Problem] = []
    values = row.values
    for column, index, parse in bound:
        value = cells[index]
        if value is None or (value.__class__ is str and not value.strip()):
            if column.required:
                row.fail(column.key)
                problems.append(
                    importer.problem(row, column.key, "必填项不能为空", "this column is required")
                )
            continue
        try:
            values[column.key] = parse(value)
        except CellError as exc:
            row.fail(column.key)
            problems.append(importer.problem(row, column.key, exc.reason_zh, exc.reason_en))
    return row, problems


_MEMO_LIMIT = 100_000


def _remembering(parse: Parser) -> Parser:
    """`parse`, answering a value it has met before from memory (errors included)."""
    memo: dict[Any, Any] = {}

    def parse_once(value: Any) -> Any:
        try:
            found = memo[value]
        except KeyError:
            try:
                found = parse(value)
            except CellError as exc:
                found = exc
            except TypeError:  # an unhashable cell: nothing to remember
                return parse(value)
            if len(memo) < _MEMO_LIMIT:
                memo[value] = found
        if isinstance(found, CellError):
            raise found
        return found

    return parse_once


def _read(
    importer: Importer,
    source: Source,
    fmt: str | None,
    limits: Limits,
    report: ImportReport,
    progress: Progress | None,
) -> list[Row]:
    """Bind the header and parse every row; cell problems go into the report."""
    rows: list[Row] = []
    columns = list(importer.columns())
    defaults = {column.key: column.default for column in columns}
    with open_table(source, fmt, limits) as table:
        bound = _bind(importer, columns, table.header, table.header_row, report)
        if report.problems:
            return rows
        bound = [
            (column, index, _remembering(parse) if column.repeats else parse)
            for column, index, parse in bound
        ]
        positions = {column.key: index for column, index, _parse in bound}
        repeating = [index for column, index, _parse in bound if column.repeats]
        shared: dict[str, str] = {}  # one string for a value met on many rows (a region)
        for number, cells in table.rows:
            if repeating and isinstance(cells, list):
                for index in repeating:
                    value = cells[index]
                    if value.__class__ is str and len(shared) < _MEMO_LIMIT:
                        cells[index] = shared.setdefault(value, value)
            row, problems = _parse_row(number, cells, bound, defaults, importer, positions)
            rows.append(row)
            if problems:
                report.problems.extend(problems)
            if progress is not None and len(rows) % PROGRESS_EVERY == 0:
                progress("read", len(rows))
    return rows


def _collect(
    importer: Importer,
    source: Source,
    fmt: str | None,
    name: str | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> tuple[ImportReport, list[Row]]:
    importer.authorize()
    report = ImportReport(kind=importer.kind)
    importer.load()
    try:
        rows = _read(importer, source, fmt, limits or import_limits(), report, progress)
    except TableError as exc:
        # The name the user knows the file by, never the server's temporary copy.
        shown = name or Path(str(getattr(source, "name", source))).name
        report.problems.append(Problem(0, "文件", shown, exc.message_zh, exc.message_en))
        return report, []
    if report.problems and not rows:
        return report, rows
    report.rows_read = len(rows)
    if not rows:
        report.problems.append(
            Problem(0, "文件", "", "文件中没有数据行", "the file has no data rows")
        )
        return report, rows
    if progress is not None:
        progress("check", len(rows))
    importer.prepare(rows)
    for row in rows:
        report.problems.extend(importer.check(row))
    report.problems.extend(importer.check_file(rows))
    order = {key: index for index, key in enumerate(importer.headers.values())}
    report.problems.sort(key=lambda p: (p.row, order.get(p.column, len(order))))
    report.preview = [
        {importer.headers[key]: text for key, text in row.cells.items()}
        for row in rows[:PREVIEW_ROWS]
    ]
    report.preview_rows = [row.number for row in rows[:PREVIEW_ROWS]]
    return report, rows


@contextmanager
def _cycles_collected_after() -> Iterator[None]:
    """Python's cycle collector paused while a file is read, checked and written.

    A file of a million rows makes millions of objects (rows, their values and cells) that
    live until the import ends and hold no reference cycles, which each full collection would
    walk again for nothing (a dozen times as they pile up: seconds in all). Whatever reference
    counting frees is freed as always; a cycle made meanwhile is collected once it is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def validate(
    importer: Importer,
    source: Source,
    fmt: str | None = None,
    name: str | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read and check every row; writes nothing.

    `name` is the file's name as the user knows it (problems about the file name it);
    `limits` default to `import_limits()`; `progress` hears how far the reading got.
    """
    with _cycles_collected_after():
        report, _rows = _collect(importer, source, fmt, name, limits, progress)
    return report


def _recheck(importer: Importer, rows: list[Row]) -> list[Problem]:
    importer.prepare(rows)
    problems = [problem for row in rows for problem in importer.check(row)]
    problems.extend(importer.check_file(rows))
    return problems


def _clash() -> Problem:
    return Problem(
        0,
        "文件",
        "",
        "写入时与数据库中的记录冲突(可能有人同时录入了相同的记录),未导入任何数据,请重新导入",
        "the rows clashed with records written meanwhile; nothing was imported, "
        "please import the file again",
    )


class _RowFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def _save_problems(importer: Importer, row: Row, exc: Exception) -> list[Problem]:
    """Turn an error raised while writing a row into problems for that row."""
    detail = getattr(exc, "detail", None)
    if isinstance(detail, dict) and detail and all(isinstance(v, str) for v in detail.values()):
        return [importer.problem(row, key, reason, reason) for key, reason in detail.items()]
    message = getattr(exc, "message", None) or str(exc)
    return [Problem(row.number, "", "", message, message)]


def run(
    importer: Importer,
    source: Source,
    fmt: str | None = None,
    dry_run: bool = False,
    name: str | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate, then write every row in one transaction, or nothing when any row is bad."""
    with _cycles_collected_after():
        return _run(importer, source, fmt, dry_run, name, limits, progress)


def _run(
    importer: Importer,
    source: Source,
    fmt: str | None,
    dry_run: bool,
    name: str | None,
    limits: Limits | None,
    progress: Progress | None,
) -> ImportReport:
    report, rows = _collect(importer, source, fmt, name, limits, progress)
    if report.problems or dry_run:
        return report
    if progress is not None:
        progress("write", len(rows))
    created = 0
    try:
        with transaction.atomic():
            written = importer.save_all(rows)
            if written is not None:
                created = written
            else:
                for row in rows:
                    try:
                        importer.save(row)
                    except (ParkLinkError, IntegrityError) as exc:
                        raise _RowFailed(_save_problems(importer, row, exc)) from exc
                    created += 1
    except _RowFailed as failure:
        report.problems.extend(failure.problems)
        return report
    except IntegrityError:
        # Written in bulk, a clash names no row: someone wrote the same records meanwhile, so
        # the rows are checked again against what the database holds now.
        report.problems.extend(_recheck(importer, rows) or [_clash()])
        return report
    report.created = created
    report.written = True
    return report
