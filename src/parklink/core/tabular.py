"""Read .xlsx and .csv files as a header row plus numbered data rows, and match headers."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
FORMATS = ("xlsx", "csv")
_HEADER_NOISE = re.compile(r"[\s_\-*:：]+")


class TableError(ValueError):
    """The file cannot be read as a table (unknown format, broken file, no header row)."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.message_en = message_en


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
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _split(numbered: Iterator[tuple[int, list[Any]]]) -> Table:
    """The first non-blank row is the header; blank rows after it are skipped."""
    for number, cells in numbered:
        if not _is_blank(cells):
            header = [str(cell).strip() if cell is not None else "" for cell in cells]
            width = len(header)
            rows = (
                (n, list(c[:width]) + [None] * (width - len(c)))
                for n, c in numbered
                if not _is_blank(c)
            )
            return Table(header=header, header_row=number, rows=rows)
    raise TableError("文件中没有表头行", "the file has no header row")


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, the encoding Excel uses on Chinese PCs."""
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(
        "无法识别文件编码,请另存为 UTF-8 或 GB18030 编码的 CSV",
        "cannot decode the file; save it as UTF-8 or GB18030 CSV",
    )


def _damaged(kind: str) -> TableError:
    return TableError(
        f"{kind} 文件已损坏或格式有误,无法读取,请重新保存后上传",
        f"the {kind} file is damaged or malformed and cannot be read; save it again",
    )


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    reader = csv.reader(io.StringIO(decode_csv(data), newline=""))
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, list(cells)
    except csv.Error as exc:  # e.g. an unclosed quote swallowing the rest of the file
        raise _damaged("CSV") from exc


def _xlsx_rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """The sheet's rows, numbered; a sheet that breaks off while streaming is a TableError."""
    try:
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    except Exception as exc:  # the XML parser and zipfile raise many kinds for a damaged sheet
        raise _damaged("Excel") from exc


@contextmanager
def open_table(source: str | Path | IO[bytes], fmt: str | None = None) -> Iterator[Table]:
    """Open the first sheet of an .xlsx (streamed, read-only) or a .csv file."""
    name = str(source) if isinstance(source, str | Path) else str(getattr(source, "name", ""))
    fmt = fmt or detect_format(name)
    if fmt == "csv":
        data = Path(source).read_bytes() if isinstance(source, str | Path) else source.read()
        yield _split(_csv_rows(data))
        return
    if fmt != "xlsx":
        raise TableError(f"不支持的文件类型“{fmt}”", f"unsupported file type {fmt!r}")
    from openpyxl import load_workbook

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise TableError(
            "无法读取 Excel 文件,请确认是 .xlsx 格式",
            "cannot read the Excel file; is it really .xlsx?",
        ) from exc
    try:
        yield _split(_xlsx_rows(book.worksheets[0]))
    finally:
        book.close()
