"""All-or-nothing imports: columns, cell parsers, bilingual problems, `validate` and `run`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, ClassVar

from django.conf import settings
from django.db import IntegrityError, transaction

from parklink.accounts.models import Organization, User
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Forbidden, Invalid, NotFound, ParkLinkError
from parklink.core.money import AmountError, AmountTooLarge, parse_amount
from parklink.core.tabular import Limits, TableError, header_key, match_headers, open_table

Parser = Callable[[Any], Any]
Source = str | Path | IO[bytes]
PREVIEW_ROWS = 10
# A problem quotes at most this many characters of the cell it is about.
SHOWN_CHARS = 50
# The amount columns hold 18 digits, two of them after the point.
MAX_AMOUNT = Decimal("9999999999999999.99")
MAX_INTEGER = 2_147_483_647  # a positive integer column on every database Django supports
GBT4754_FILE = Path(__file__).resolve().parent.parent / "data" / "gbt4754.yaml"
_UNIT_IN_HEADER = re.compile(r"[(（]\s*(亿元|万元|元)\s*[)）]")
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TRUE = {"是", "y", "yes", "true", "t", "1", "√", "✓", "有"}
_FALSE = {"否", "n", "no", "false", "f", "0", "×", "✗", "无"}
_LIST_SEPARATORS = re.compile(r"[,，、;；/\s]+")


class CellError(ValueError):
    """A cell that cannot be read, with the reason in Chinese and in English."""

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(reason_zh)
        self.reason_zh = reason_zh
        self.reason_en = reason_en


def shorten(value: str, limit: int = SHOWN_CHARS) -> str:
    """A value as a message quotes it: the first `limit` characters, then "…"."""
    return value if len(value) <= limit else value[:limit] + "…"


def import_limits(page: bool = False) -> Limits:
    """The limits of settings.PARKLINK_IMPORT_*; the page also stops at the synchronous rows.

    A page request must answer in a few seconds, so a longer file is refused there (until
    imports run as background tasks) with advice to split it or use `parklink import`.
    """
    rows = settings.PARKLINK_IMPORT_MAX_ROWS
    advice: dict[str, str] = {}
    if page and rows > settings.PARKLINK_IMPORT_SYNC_MAX_ROWS:
        rows = settings.PARKLINK_IMPORT_SYNC_MAX_ROWS
        advice = {
            "rows_advice_zh": "这是网页一次导入的行数上限;请拆分成多个文件分别导入,"
            "或请系统管理员用 parklink import 命令导入",
            "rows_advice_en": "the most one import on the page takes; split it into several "
            "files, or ask the system administrator to import it with the parklink import "
            "command",
        }
    return Limits(
        max_bytes=settings.PARKLINK_IMPORT_MAX_BYTES,
        max_rows=rows,
        max_cell_chars=settings.PARKLINK_IMPORT_MAX_CELL_CHARS,
        max_unpacked_bytes=settings.PARKLINK_IMPORT_MAX_UNPACKED_BYTES,
        max_compression_ratio=settings.PARKLINK_IMPORT_MAX_COMPRESSION_RATIO,
        **advice,
    )


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

    @property
    def names(self) -> tuple[str, ...]:
        return (self.zh, self.en, *self.aliases)

    def parser_for(self, header: str) -> Parser:
        unit = _UNIT_IN_HEADER.search(header)
        if self.unit_parser is not None and unit is not None:
            return self.unit_parser(unit.group(1))
        return self.parse


@dataclass
class Row:
    """A data row: its spreadsheet row number, parsed values and the cells as written."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)


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

    @property
    def ok(self) -> bool:
        return not self.problems


# Cell parsers -------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as the user sees it: numbers without a trailing '.0', dates as 2024-01-19."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def fold(text: str) -> str:
    """Full-width → half-width, no spaces, lower case: how codes and labels are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def text(max_length: int | None = None) -> Parser:
    def parse(value: Any) -> str:
        result = cell_text(value)
        if max_length is not None and len(result) > max_length:
            raise CellError(
                f"不能超过{max_length}个字符(实际{len(result)}个)",
                f"at most {max_length} characters (found {len(result)})",
            )
        return result

    return parse


def amount(unit: str = "万元") -> Parser:
    """An amount in 元; bare numbers are in `unit`, text may carry its own unit ("5.6亿元")."""

    def parse(value: Any) -> Decimal:
        try:
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                result = parse_amount(value, unit)
            else:
                folded = unicodedata.normalize("NFKC", cell_text(value)).replace(" ", "")
                result = parse_amount(folded, unit)
        except AmountTooLarge as exc:
            raise _too_large() from exc
        except AmountError as exc:
            raise CellError(
                f"不是有效金额:请填写数字(单位{unit}),或带单位如“5.6亿元”“350万元”",
                f"not an amount: write a number in {unit}, or text with a unit "
                "such as 5.6亿元 or 350万元",
            ) from exc
        if abs(result) > MAX_AMOUNT:
            raise _too_large()
        return result

    return parse


def _too_large() -> CellError:
    return CellError(
        "金额过大,超出可记录的范围,请检查单位(元/万元/亿元)",
        "amount too large to record; check the unit (元/万元/亿元)",
    )


def integer(value: Any) -> int:
    """A whole number of at least 0 ("1,200", "1200人" and 1200.0 all read as 1200)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        folded = unicodedata.normalize("NFKC", cell_text(value)).replace(",", "").rstrip("人")
        if not re.fullmatch(r"\s*\d+(\.0+)?\s*", folded):
            raise CellError("应为非负整数", "must be a whole number of at least 0")
        number = Decimal(folded.strip())
    if number != number.to_integral_value() or number < 0:
        raise CellError("应为非负整数", "must be a whole number of at least 0")
    if number > MAX_INTEGER:
        raise CellError(
            f"数值过大,最大为{MAX_INTEGER}", f"too large; the largest accepted is {MAX_INTEGER}"
        )
    return int(number)


def day(value: Any) -> date:
    """A date from an Excel date cell, an Excel serial number or text such as 2024年1月19日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        if 1 <= value < 2958466:
            serial = from_excel(value)
            if isinstance(serial, datetime):
                return serial.date()
    folded = unicodedata.normalize("NFKC", cell_text(value))
    match = _DATE_TEXT.match(folded) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", folded)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(
        "不是有效日期,应写作 2024-01-19、2024/1/19 或 2024年1月19日",
        "not a date; write 2024-01-19, 2024/1/19 or 2024年1月19日",
    )


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    folded = fold(cell_text(value))
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError(
        "应填“是”或“否”(也可用 Y/N、1/0、true/false)",
        "must be yes or no (是/否, Y/N, 1/0, true/false)",
    )


def choice(options: Iterable[tuple[str, str]], aliases: Mapping[str, str] | None = None) -> Parser:
    """A code from `options` (code, Chinese label), given as the code, the label or an alias.

    A label with a note in brackets ("A类(成熟)") also matches without the note ("A类").
    """
    options = list(options)
    lookup: dict[str, str] = {}
    for code, label in options:
        lookup[fold(code)] = code
        lookup[fold(label)] = code
        lookup.setdefault(re.sub(r"\(.*\)$", "", fold(label)), code)
    for alias, code in (aliases or {}).items():
        lookup.setdefault(fold(alias), code)
    labels_zh = "、".join(label for _code, label in options)
    codes = ", ".join(code for code, _label in options)

    def parse(value: Any) -> str:
        found = lookup.get(fold(cell_text(value)))
        if found is None:
            raise CellError(f"应为以下之一:{labels_zh}", f"must be one of: {codes}")
        return found

    return parse


def split_list(value: Any) -> list[str]:
    """Items of a list cell separated by commas, 、, semicolons or spaces."""
    return [item for item in _LIST_SEPARATORS.split(cell_text(value)) if item]


@lru_cache(maxsize=1)
def industry_divisions() -> frozenset[str]:
    """Two-digit GB/T 4754 divisions, from data/gbt4754.yaml when it is there, else 01–97."""
    if GBT4754_FILE.exists():
        import yaml

        data = yaml.safe_load(GBT4754_FILE.read_text(encoding="utf-8")) or {}
        codes = {str(item["code"]).zfill(2) for item in data.get("divisions", [])}
        if codes:
            return frozenset(codes)
    return frozenset(f"{number:02d}" for number in range(1, 98))


def industry_code(value: Any) -> str:
    """A GB/T 4754 code of 2–4 digits ("3985", "C3985" or 39) whose division exists."""
    raw = value if isinstance(value, str) else cell_text(value)
    folded = unicodedata.normalize("NFKC", raw).strip().upper()
    if isinstance(value, int | float) and len(folded) in (1, 3):
        folded = "0" + folded  # Excel drops the leading zero of "01" or "051"
    match = re.fullmatch(r"([A-T])?\s*(\d{2,4})", folded)
    if not match:
        raise CellError(
            "行业代码应为2至4位数字(GB/T 4754),如“3985”",
            "an industry code is 2 to 4 digits (GB/T 4754), e.g. 3985",
        )
    digits = match.group(2)
    if digits[:2] not in industry_divisions():
        raise CellError(
            f"行业大类“{digits[:2]}”不存在(GB/T 4754-2017)",
            f"division {digits[:2]} does not exist in GB/T 4754-2017",
        )
    return digits


class RegionLookup:
    """Every region preloaded once; free text is resolved once per distinct text."""

    def __init__(self) -> None:
        from parklink.regions.models import Region

        regions = list(Region.objects.all())
        self.by_adcode = {region.adcode: region for region in regions}
        self.by_full_name = {fold(region.full_name): region for region in regions}
        self._resolved: dict[str, Any] = {}

    def find(self, value: Any) -> Any:
        key = fold(cell_text(value))
        if re.fullmatch(r"\d{6}", key):
            return self.by_adcode.get(key)
        if key in self.by_full_name:
            return self.by_full_name[key]
        if key not in self._resolved:
            from parklink.regions.services import resolve_region

            self._resolved[key] = resolve_region(key)
        return self._resolved[key]

    def parse(self, value: Any) -> Any:
        region = self.find(value)
        if region is None:
            raise CellError(
                "无法识别的行政区划:请填写6位行政区划代码或地名(如“成都市金牛区”)",
                "unknown region: give a 6-digit adcode or a place name",
            )
        return region


# Owners and permission ----------------------------------------------------------------------


def resolve_owner(user: User, org_name: str | None = None) -> Organization:
    """The organisation an import writes for: the user's own, or `org_name` for an admin."""
    if org_name:
        own = user.organization
        if not user.is_superuser and (own is None or own.name != org_name):
            raise ImportForbidden(
                "只有安装管理员可以代其他机构导入",
                "only an installation admin may import for another organisation",
            )
        org = Organization.objects.filter(name=org_name).select_related("region").first()
        if org is None:
            raise NotFound(
                f"机构“{org_name}”不存在", detail={"en": f"no organisation {org_name!r}"}
            )
        return org
    if user.organization is None:
        raise Invalid(
            "用户未关联任何机构,请用 --org 指定导入到哪个机构",
            detail={"en": "the user belongs to no organisation; name one with --org"},
        )
    return user.organization


def ensure_can_import(user: User, owner: Organization) -> None:
    """Viewers and members of other organisations may not import; the message says why."""
    if not user.is_active:
        raise ImportForbidden("该用户已停用", "this user is deactivated")
    if not user.can_write:
        raise ImportForbidden(
            "当前角色只能查看,不能导入数据(需要专员或管理员角色)",
            "this user's role can only read; importing needs the officer or admin role",
        )
    ensure_can_write(user, owner.pk)


# The importer and the two phases ------------------------------------------------------------


class Importer:
    """One kind of record: its columns, row checks and how a checked row is written.

    Subclasses build `columns()` from lookups loaded in `load()`, may batch-load what the
    rows refer to in `prepare()`, check a row in `check()`, the file as a whole in
    `check_file()`, and write one row in `save()`.
    """

    kind: ClassVar[str] = ""
    # Headers an export adds for reading (编号, 所属机构): accepted and ignored on import.
    ignored_headers: ClassVar[tuple[str, ...]] = ()

    def __init__(self, user: User, owner: Organization) -> None:
        self.user = user
        self.owner = owner
        self.headers: dict[str, str] = {}  # column key → header as written in the file
        self.canonical: dict[str, str] = {}  # column key → Chinese header

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

    def problem(self, row: Row, key: str, reason_zh: str, reason_en: str) -> Problem:
        """A problem about the cell of column `key` in `row`, named by the file's header."""
        column = self.headers.get(key) or self.canonical.get(key, key)
        return Problem(row.number, column, row.cells.get(key, ""), reason_zh, reason_en)


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
    cells: list[Any],
    bound: list[tuple[Column, int, Parser]],
    defaults: dict[str, Any],
    importer: Importer,
) -> tuple[Row, list[Problem]]:
    row = Row(number, values=dict(defaults))
    problems: list[Problem] = []
    for column, index, parse in bound:
        value = cells[index]
        shown = cell_text(value)
        row.cells[column.key] = shown
        if not shown:
            if column.required:
                row.failed.add(column.key)
                problems.append(
                    importer.problem(row, column.key, "必填项不能为空", "this column is required")
                )
            continue
        try:
            row.values[column.key] = parse(value)
        except CellError as exc:
            row.failed.add(column.key)
            problems.append(importer.problem(row, column.key, exc.reason_zh, exc.reason_en))
    return row, problems


def _collect(
    importer: Importer,
    source: Source,
    fmt: str | None,
    name: str | None = None,
    limits: Limits | None = None,
) -> tuple[ImportReport, list[Row]]:
    ensure_can_import(importer.user, importer.owner)
    report = ImportReport(kind=importer.kind)
    rows: list[Row] = []
    importer.load()
    columns = list(importer.columns())
    defaults = {column.key: column.default for column in columns}
    try:
        with open_table(source, fmt, limits or import_limits()) as table:
            bound = _bind(importer, columns, table.header, table.header_row, report)
            if report.problems:
                return report, rows
            for number, cells in table.rows:
                row, problems = _parse_row(number, cells, bound, defaults, importer)
                rows.append(row)
                report.problems.extend(problems)
    except TableError as exc:
        # The name the user knows the file by, never the server's temporary copy.
        shown = name or Path(str(getattr(source, "name", source))).name
        report.problems.append(Problem(0, "文件", shown, exc.message_zh, exc.message_en))
        return report, rows
    report.rows_read = len(rows)
    if not rows:
        report.problems.append(
            Problem(0, "文件", "", "文件中没有数据行", "the file has no data rows")
        )
        return report, rows
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
    return report, rows


def validate(
    importer: Importer,
    source: Source,
    fmt: str | None = None,
    name: str | None = None,
    limits: Limits | None = None,
) -> ImportReport:
    """Read and check every row; writes nothing.

    `name` is the file's name as the user knows it (problems about the file name it);
    `limits` default to `import_limits()`.
    """
    report, _rows = _collect(importer, source, fmt, name, limits)
    return report


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
) -> ImportReport:
    """Validate, then write every row in one transaction, or nothing when any row is bad."""
    report, rows = _collect(importer, source, fmt, name, limits)
    if report.problems or dry_run:
        return report
    created = 0
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    importer.save(row)
                except (ParkLinkError, IntegrityError) as exc:
                    raise _RowFailed(_save_problems(importer, row, exc)) from exc
                created += 1
    except _RowFailed as failure:
        report.problems.extend(failure.problems)
        return report
    report.created = created
    report.written = True
    return report
