"""Import limits: size, unpacked size, compression ratio, rows, columns and cell length."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from parklink.accounts.models import User
from parklink.core.imports import Problem
from parklink.core.tabular import Limits, TableError, open_table
from parklink.enterprises.imports import validate_enterprises
from parklink.enterprises.models import Enterprise
from tests.support.import_files import make_uscc

HEADER = ["企业名称", "注册地"]


def bomb_xlsx(path: Path, rows: int, row_xml: bytes = b"") -> Path:
    """A real workbook whose sheet is `rows` identical rows, highly compressed."""
    row_xml = row_xml or b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    book = Workbook()
    assert book.active is not None
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source:
        parts = {item.filename: source.read(item.filename) for item in source.infolist()}
    sheet = parts.pop("xl/worksheets/sheet1.xml")
    head, _sep, rest = sheet.partition(b"<sheetData")
    tail = rest[rest.index(b"</sheetData>") :]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, data in parts.items():
            target.writestr(name, data)
        with target.open("xl/worksheets/sheet1.xml", "w") as stream:
            stream.write(head + b"<sheetData>")
            per_block = min(rows, 10_000)
            for _ in range(rows // per_block):
                stream.write(row_xml * per_block)
            stream.write(tail)
    return path


def table_error(path: Path, limits: Limits | None = None) -> TableError:
    with pytest.raises(TableError) as caught, open_table(path, limits=limits) as table:
        list(table.rows)
    return caught.value


class TestZipChecks:
    def test_small_xlsx_that_unpacks_to_a_million_rows_is_refused_at_once(
        self, tmp_path: Path
    ) -> None:
        path = bomb_xlsx(tmp_path / "bomb.xlsx", 1_000_000)
        assert path.stat().st_size < 200_000
        start = time.perf_counter()
        error = table_error(path)
        assert time.perf_counter() - start < 1
        assert "压缩比" in error.message_zh and "100倍" in error.message_zh
        assert "limit of 100" in error.message_en

    def test_unpacked_size_above_the_limit_is_refused(self, tmp_path: Path) -> None:
        path = bomb_xlsx(tmp_path / "big.xlsx", 100_000)
        error = table_error(path, Limits(max_unpacked_bytes=1024 * 1024))
        assert "解压后" in error.message_zh and "1 MB" in error.message_zh
        assert "unpacks to" in error.message_en

    def test_rows_counted_in_the_sheet_stop_at_the_limit(self, tmp_path: Path) -> None:
        path = bomb_xlsx(tmp_path / "rows.xlsx", 20_000)
        error = table_error(path, Limits(max_rows=10_000, max_compression_ratio=10_000))
        assert "10,000行" in error.message_zh and "10,000 rows" in error.message_en

    def test_a_row_of_too_many_cells_is_refused_before_it_is_parsed(self, tmp_path: Path) -> None:
        wide = b"<row>" + b'<c t="inlineStr"><is><t>x</t></is></c>' * 1_000 + b"</row>"
        path = bomb_xlsx(tmp_path / "wide.xlsx", 1, wide)
        limits = Limits(max_compression_ratio=10_000, max_unpacked_bytes=10**9)
        assert "256列" in table_error(path, limits).message_zh


class TestStreamedLimits:
    def test_a_huge_cell_is_refused_naming_its_place_without_echoing_it(
        self, xlsx: Callable[..., Path]
    ) -> None:
        path = xlsx(HEADER, [["甲公司", "y" * 20_000]])
        error = table_error(path)
        assert error.message_zh == "第2行第B列的单元格有20,000个字符,超过10,000个字符的上限"
        assert "limit of 10,000" in error.message_en

    def test_csv_stops_reading_at_the_row_past_the_limit(self, tmp_path: Path) -> None:
        # The unclosed quote after the limit is never reached: reading stopped before it.
        path = tmp_path / "a.csv"
        path.write_text("名称\n" + "甲\n" * 6 + '"broken', encoding="utf-8")
        error = table_error(path, Limits(max_rows=5))
        assert "5行" in error.message_zh

    def test_csv_cell_beyond_the_parsers_field_limit_is_a_length_error(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "a.csv"
        path.write_text("名称\n甲\n" + "z" * 200_000 + "\n", encoding="utf-8")
        assert "第3行有单元格超过10,000个字符" in table_error(path).message_zh

    def test_file_above_the_size_limit_is_refused_before_reading(self, tmp_path: Path) -> None:
        path = tmp_path / "a.csv"
        path.write_bytes(b"a\n" * 600_000)
        error = table_error(path, Limits(max_bytes=1024 * 1024))
        assert error.message_zh.startswith("文件大小为1.1 MB,超过1 MB的上限")

    def test_rows_up_to_the_limit_are_read(self, csv_file: Callable[..., Path]) -> None:
        path = csv_file(["名称"], [["甲"]] * 5)
        with open_table(path, limits=Limits(max_rows=5)) as table:
            assert len(list(table.rows)) == 5


@pytest.mark.django_db
class TestEngine:
    def test_problems_quote_at_most_fifty_characters(self) -> None:
        problem = Problem(2, "简称", "长" * 5_000, "太长", "too long")
        assert problem.value == "长" * 50 + "…"

    def test_file_problem_names_the_name_given_not_the_path(
        self, users: dict[str, User], xlsx: Callable[..., Path], settings: Any
    ) -> None:
        settings.PARKLINK_IMPORT_MAX_ROWS = 1
        path = xlsx(HEADER, [["甲公司", "510106"], ["乙公司", "510106"]], name="f8eb1.xlsx")
        report = validate_enterprises(users["jinniu"], path, name="企业名单.xlsx")
        [problem] = report.problems
        assert (problem.column, problem.value) == ("文件", "企业名单.xlsx")
        assert "1行的上限" in problem.reason_zh

    def test_command_applies_the_row_limit_of_the_settings(
        self, users: dict[str, User], xlsx: Callable[..., Path], settings: Any
    ) -> None:
        settings.PARKLINK_IMPORT_MAX_ROWS = 1
        rows = [[f"甲{n}公司", make_uscc(n), "510106"] for n in range(2)]
        path = xlsx(["企业名称", "统一社会信用代码", "注册地"], rows)
        err = io.StringIO()
        with pytest.raises(CommandError):
            call_command("import", "enterprises", str(path), "--as", "jinniu_officer", stderr=err)
        assert "1行的上限" in err.getvalue() and "data.xlsx" in err.getvalue()
        assert not Enterprise.objects.exists()
