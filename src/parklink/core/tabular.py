"""Read .xlsx and .csv files as a header row plus numbered data rows, and match headers.

A file is read within `Limits`: its size, and for an .xlsx the unpacked size and compression
ratio of every part, are checked before any parser touches it; rows, cells per row and cell
lengths are checked while streaming, so a hostile file is refused without being loaded.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
FORMATS = ("xlsx", "csv")
MB = 1024 * 1024
# More columns than any layout has; a sheet row of millions of cells would be parsed whole.
MAX_COLUMNS = 256
# Parts smaller than this may compress as well as they like (a ratio means nothing there).
RATIO_FLOOR_BYTES = MB
_CHUNK = MB
_HEADER_NOISE = re.compile(r"[\s_\-*:：]+")
_SHEET_TAGS = re.compile(rb"<(?:\w+:)?(row|c)[\s/>]")


class TableError(ValueError):
    """The file cannot be read as a table (unknown format, broken file, no header row)."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.message_en = message_en


class TooManyRows(TableError):
    """The file has more rows than the limit allows."""


@dataclass(frozen=True)
class Limits:
    """How much a file may hold (see PARKLINK_IMPORT_* in docs/development.md).

    `max_rows` counts the rows below the first one, blank rows included; `rows_advice_*`
    tells the user what to do with a longer file (split it, or use the command line).
    """

    max_bytes: int = 20 * MB
    max_rows: int = 50_000
    max_cell_chars: int = 10_000
    max_unpacked_bytes: int = 100 * MB
    max_compression_ratio: int = 100
    rows_advice_zh: str = "请拆分成多个文件分别导入"
    rows_advice_en: str = "split it into several files and import them one by one"


def megabytes(size: int) -> str:
    """A byte count as the user reads it: "20 MB", "1.1 MB", "512 KB"."""
    if size < MB:
        return f"{max(size // 1024, 1)} KB"
    return f"{size / MB:.1f}".removesuffix(".0") + " MB"


def column_letter(index: int) -> str:
    """1 → A, 27 → AA: the column as Excel names it."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Table:
    """A sheet: its header cells, the header's row number, and (row number, cells) pairs."""

    header: list[str]
    header_row: int
    rows: Iterator[tuple[int, list[Any]]]


def header_key(text: Any) -> str:
    """Fold a header for matching: full-width → half-width, no spaces/underscores, lower case."""
    folded = unicodedata.normalize("NFKC", str(text or ""))
    return _HEADER_NOISE.sub("", folded).lower()


def match_headers(header: list[str], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    """Map each key of `aliases` to the index of the first header cell that names it.

    A header such as "总投资(万元)" also matches the alias "总投资" once the unit in
    brackets is dropped.
    """
    lookup: dict[str, str] = {}
    for field_key, names in aliases.items():
        for name in names:
            lookup.setdefault(header_key(name), field_key)
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        folded = header_key(cell)
        key: str | None = lookup.get(folded) or lookup.get(re.sub(r"\(.*\)$", "", folded))
        if key is not None and key not in found:
            found[key] = index
    return found


def detect_format(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in ("xlsx", "xlsm"):
        return "xlsx"
    if suffix in ("csv", "txt"):
        return "csv"
    raise TableError(
        f"不支持的文件类型“{suffix or name}”,请使用 .xlsx 或 .csv",
        f"unsupported file type {suffix or name!r}; use .xlsx or .csv",
    )


def _is_blank(cells: list[Any] | tuple[Any, ...]) -> bool:
    try:  # a CSV row: only strings, blank when together they are
        return not "".join(cells).strip()
    except TypeError:  # a sheet's empty cells, numbers and dates: cell by cell
        return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _split(numbered: Iterator[tuple[int, list[Any]]]) -> Table:
    """The first non-blank row is the header; blank rows after it are skipped."""
    for number, cells in numbered:
        if not _is_blank(cells):
            header = [str(cell).strip() if cell is not None else "" for cell in cells]
            width = len(header)
            # The readers give each row a list of its own: one of the header's width is kept.
            rows = (
                (n, c if len(c) == width else list(c[:width]) + [None] * (width - len(c)))
                for n, c in numbered
                if not _is_blank(c)
            )
            return Table(header=header, header_row=number, rows=rows)
    raise TableError("文件中没有表头行", "the file has no header row")


def _limited(
    numbered: Iterator[tuple[int, list[Any]]], limits: Limits
) -> Iterator[tuple[int, list[Any]]]:
    """The rows as read, refused at the first row past the limit or cell past its length."""
    last = limits.max_rows + 1  # the header (normally row 1) and max_rows rows below it
    longest = limits.max_cell_chars
    for number, cells in numbered:
        if number > last:
            raise _too_many_rows(limits)
        if len(cells) > MAX_COLUMNS:
            raise _too_many_columns(number)
        try:  # a CSV row: only strings, measured at once
            fits = max(map(len, cells), default=0) <= longest
        except TypeError:  # a sheet's numbers and dates have no length: cell by cell
            fits = False
        if not fits:
            for index, cell in enumerate(cells, start=1):
                if isinstance(cell, str) and len(cell) > longest:
                    raise _cell_too_long(number, index, len(cell), longest)
        yield number, cells


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, the encoding Excel uses on Chinese PCs."""
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _undecodable()


def _undecodable() -> TableError:
    return TableError(
        "无法识别文件编码,请另存为 UTF-8 或 GB18030 编码的 CSV",
        "cannot decode the file; save it as UTF-8 or GB18030 CSV",
    )


def _csv_encoding(stream: IO[bytes]) -> tuple[str, bool]:
    """The first encoding that decodes the whole stream, read in chunks (nothing is kept), and
    whether the text holds a NUL character anywhere."""
    for encoding in CSV_ENCODINGS:
        stream.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        nul = False
        try:
            for chunk in iter(lambda: stream.read(_CHUNK), b""):
                nul = "\x00" in decoder.decode(chunk) or nul
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        stream.seek(0)
        return encoding, nul
    raise _undecodable()


def _nul_in(number: int, cells: list[str]) -> TableError | None:
    """A NUL character (no text column can store one, PostgreSQL refuses it) is the file's
    error, with the cell that holds it."""
    for index, cell in enumerate(cells, start=1):
        if "\x00" in cell:
            letter = column_letter(index)
            return TableError(
                f"第{number}行第{letter}列含有空字符(NUL,不可见),请删除后重新保存",
                f"the cell at row {number}, column {letter} holds a NUL character "
                "(invisible); remove it and save the file again",
            )
    return None


def _damaged(kind: str) -> TableError:
    return TableError(
        f"{kind} 文件已损坏或格式有误,无法读取,请重新保存后上传",
        f"the {kind} file is damaged or malformed and cannot be read; save it again",
    )


def _cell_too_long(number: int, column: int | None, length: int | None, limit: int) -> TableError:
    if column is None:
        where_zh, where_en = f"第{number}行", f"row {number}"
    else:
        letter = column_letter(column)
        where_zh, where_en = f"第{number}行第{letter}列", f"row {number}, column {letter}"
    if length is None:
        return TableError(
            f"{where_zh}有单元格超过{limit:,}个字符的上限",
            f"a cell in {where_en} is longer than the limit of {limit:,} characters",
        )
    return TableError(
        f"{where_zh}的单元格有{length:,}个字符,超过{limit:,}个字符的上限",
        f"the cell at {where_en} has {length:,} characters, above the limit of {limit:,}",
    )


def _too_many_rows(limits: Limits) -> TableError:
    return TooManyRows(
        f"文件超过{limits.max_rows:,}行的上限(表头以下的行数),{limits.rows_advice_zh}",
        f"the file has more than {limits.max_rows:,} rows below the header, the limit; "
        f"{limits.rows_advice_en}",
    )


def _too_many_columns(number: int) -> TableError:
    return TableError(
        f"第{number}行超过{MAX_COLUMNS}列的上限",
        f"row {number} has more than {MAX_COLUMNS} columns, the limit",
    )


def _csv_rows(stream: IO[bytes], limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    encoding, nul = _csv_encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(text)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if nul and (refused := _nul_in(number, cells)) is not None:
                raise refused
            yield number, list(cells)
    except csv.Error as exc:  # e.g. an unclosed quote swallowing the rest of the file
        if "field larger than field limit" in str(exc):
            raise _cell_too_long(number + 1, None, None, limits.max_cell_chars) from exc
        raise _damaged("CSV") from exc
    finally:
        if not stream.closed:  # leave the caller's stream open; a closed one needs nothing
            text.detach()


def _xlsx_rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """The sheet's rows, numbered; a sheet that breaks off while streaming is a TableError."""
    try:
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    except Exception as exc:  # the XML parser and zipfile raise many kinds for a damaged sheet
        raise _damaged("Excel") from exc


def _size(source: str | Path | IO[bytes]) -> int:
    if isinstance(source, str | Path):
        return Path(source).stat().st_size
    position = source.tell()
    size = source.seek(0, io.SEEK_END)
    source.seek(position)
    return size


def check_size(size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise TableError(
            f"文件大小为{megabytes(size)},超过{megabytes(limits.max_bytes)}的上限,"
            "请拆分成多个文件分别导入",
            f"the file is {megabytes(size)}, above the limit of {megabytes(limits.max_bytes)}; "
            "split it into several files",
        )


def _unreadable_xlsx() -> TableError:
    return TableError(
        "无法读取 Excel 文件,请确认是 .xlsx 格式",
        "cannot read the Excel file; is it really .xlsx?",
    )


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a zip bomb from the zip directory alone, before anything is unpacked.

    zipfile never unpacks more than a part's declared size, so the declared sizes bound
    what a parser can be given.
    """
    parts = archive.infolist()
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.max_unpacked_bytes:
        raise TableError(
            f"Excel 文件解压后为{megabytes(unpacked)},"
            f"超过{megabytes(limits.max_unpacked_bytes)}的上限,请拆分成多个文件分别导入",
            f"the Excel file unpacks to {megabytes(unpacked)}, above the limit of "
            f"{megabytes(limits.max_unpacked_bytes)}; split it into several files",
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_compression_ratio:
            raise TableError(
                f"Excel 文件的压缩比为{ratio:,.0f}倍,超过{limits.max_compression_ratio}倍的上限,"
                "不像是正常的表格,请在 Excel 中重新保存",
                f"the Excel file is compressed {ratio:,.0f} times, above the limit of "
                f"{limits.max_compression_ratio}; this is not an ordinary sheet, save it again "
                "from Excel",
            )


def scan_sheet(archive: zipfile.ZipFile, member: str, limits: Limits) -> None:
    """Count rows and cells per row in a sheet's XML, streamed in chunks, before parsing it.

    The parser builds a whole row before yielding it, so a row of millions of cells must be
    refused before it is parsed; the count stops at the first row past the limit.
    """
    rows = cells = 0
    tail = b""
    try:
        with archive.open(member) as stream:
            for chunk in iter(lambda: stream.read(_CHUNK), b""):
                data = tail + chunk
                cut = data.rfind(b"<")
                data, tail = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
                for match in _SHEET_TAGS.finditer(data):
                    if match.group(1) == b"row":
                        rows, cells = rows + 1, 0
                        if rows > limits.max_rows + 1:
                            raise _too_many_rows(limits)
                    else:
                        cells += 1
                        if cells > MAX_COLUMNS:
                            raise _too_many_columns(rows)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        raise _damaged("Excel") from exc


@contextmanager
def open_table(
    source: str | Path | IO[bytes], fmt: str | None = None, limits: Limits | None = None
) -> Iterator[Table]:
    """Open the first sheet of an .xlsx (streamed, read-only) or a .csv file within `limits`."""
    limits = limits or Limits()
    name = str(source) if isinstance(source, str | Path) else str(getattr(source, "name", ""))
    fmt = fmt or detect_format(name)
    if fmt not in FORMATS:
        raise TableError(f"不支持的文件类型“{fmt}”", f"unsupported file type {fmt!r}")
    check_size(_size(source), limits)
    if fmt == "csv":
        if isinstance(source, str | Path):
            with Path(source).open("rb") as stream:
                yield _split(_limited(_csv_rows(stream, limits), limits))
        else:
            source.seek(0)
            yield _split(_limited(_csv_rows(source, limits), limits))
        return
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(source) as archive:
            check_archive(archive, limits)
    except zipfile.BadZipFile as exc:
        raise _unreadable_xlsx() from exc
    if not isinstance(source, str | Path):
        source.seek(0)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise _unreadable_xlsx() from exc
    try:
        sheet = book.worksheets[0]
        scan_sheet(book._archive, sheet._worksheet_path, limits)
        yield _split(_limited(_xlsx_rows(sheet), limits))
    finally:
        book.close()
