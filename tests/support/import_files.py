"""Fixtures for import tests: real .xlsx/.csv files written to tmp_path, valid USCCs, a park."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from parklink.enterprises.uscc import check_character

Cells = Sequence[Any]


def make_uscc(number: int, adcode: str = "510106") -> str:
    """A valid 统一社会信用代码 built around `number`."""
    first17 = f"91{adcode}MA{number:07d}"
    return first17 + check_character(first17)


def damaged_xlsx(path: Path, rows: int, keep: float) -> Path:
    """A real workbook whose sheet XML is cut off after `keep` of its length."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["名称", "日期"])
    for number in range(rows):
        sheet.append([f"企业{number}", datetime(2024, 1, 19)])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: int(len(data) * keep)]
            target.writestr(item, data)
    return path


def wrong_check(code: str) -> str:
    """The same code with a wrong 18th character."""
    return code[:17] + ("1" if code[17] != "1" else "2")


def write_xlsx(path: Path, header: Cells, rows: Sequence[Cells]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def write_csv(
    path: Path, header: Cells, rows: Sequence[Cells], encoding: str = "utf-8-sig"
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.fixture
def xlsx(tmp_path: Path) -> Callable[..., Path]:
    def make(header: Cells, rows: Sequence[Cells], name: str = "data.xlsx") -> Path:
        return write_xlsx(tmp_path / name, header, rows)

    return make


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[..., Path]:
    def make(
        header: Cells, rows: Sequence[Cells], encoding: str = "utf-8-sig", name: str = "data.csv"
    ) -> Path:
        return write_csv(tmp_path / name, header, rows, encoding)

    return make
