"""core.tabular: .xlsx and .csv read into a header and rows numbered as the spreadsheet shows."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from parklink.core.tabular import TableError, match_headers, open_table
from tests.support.import_files import damaged_xlsx, write_csv


class TestDamagedFiles:
    def test_xlsx_cut_off_in_the_header_is_a_table_error(self, tmp_path: Path) -> None:
        path = damaged_xlsx(tmp_path / "a.xlsx", rows=1, keep=0.5)
        with pytest.raises(TableError) as caught, open_table(path) as table:
            list(table.rows)
        assert "损坏" in caught.value.message_zh

    def test_xlsx_cut_off_among_the_rows_is_a_table_error(self, tmp_path: Path) -> None:
        path = damaged_xlsx(tmp_path / "a.xlsx", rows=2000, keep=0.9)
        with pytest.raises(TableError) as caught, open_table(path) as table:
            list(table.rows)
        assert "damaged" in caught.value.message_en

    def test_csv_with_an_unclosed_quote_over_a_huge_field_is_a_table_error(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "a.csv"
        path.write_text('名称,注册地\n"甲公司' + "x" * (csv.field_size_limit() + 1), "utf-8")
        with pytest.raises(TableError), open_table(path) as table:
            list(table.rows)


class TestOpenTable:
    def test_xlsx_rows_keep_their_spreadsheet_numbers_across_blank_rows(
        self, tmp_path: Path
    ) -> None:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["名称", "日期"])
        sheet.append(["甲", datetime(2024, 1, 19)])
        sheet.append([None, None])
        sheet.append(["乙", None])
        book.save(tmp_path / "a.xlsx")
        with open_table(tmp_path / "a.xlsx") as table:
            rows = list(table.rows)
        assert table.header == ["名称", "日期"]
        assert table.header_row == 1
        assert rows == [(2, ["甲", datetime(2024, 1, 19)]), (4, ["乙", None])]

    def test_utf8_csv_with_bom_reads_clean_headers(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path / "a.csv", ["企业名称", "注册地"], [["甲公司", "510106"]])
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        with open_table(path) as table:
            assert table.header == ["企业名称", "注册地"]
            assert list(table.rows) == [(2, ["甲公司", "510106"])]

    def test_gb18030_csv_falls_back_from_utf8(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path / "a.csv", ["企业名称"], [["成都锂电科技有限公司"]], encoding="gb18030"
        )
        with open_table(path) as table:
            assert list(table.rows) == [(2, ["成都锂电科技有限公司"])]

    def test_short_csv_rows_are_padded_to_the_header(self, tmp_path: Path) -> None:
        path = tmp_path / "a.csv"
        path.write_text("a,b,c\n1\n", encoding="utf-8")
        with open_table(path) as table:
            assert list(table.rows) == [(2, ["1", None, None])]

    def test_csv_rows_of_blanks_are_skipped_and_long_ones_cut_to_the_header(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "a.csv"
        path.write_text("a,b\n , \t \n,\n1,2,3\n\u3000,0\n", encoding="utf-8")
        with open_table(path) as table:
            assert list(table.rows) == [(4, ["1", "2"]), (5, ["\u3000", "0"])]

    def test_unknown_file_type_is_refused_in_both_languages(self, tmp_path: Path) -> None:
        path = tmp_path / "a.pdf"
        path.write_bytes(b"%PDF")
        with pytest.raises(TableError) as caught, open_table(path):
            pass
        assert ".xlsx" in caught.value.message_zh
        assert "unsupported" in caught.value.message_en


class TestMatchHeaders:
    def test_full_width_brackets_spaces_and_case_do_not_matter(self) -> None:
        aliases = {
            "capital": ("注册资本(万元)", "registered_capital"),
            "name": ("企业名称", "name"),
        }
        found = match_headers(["  企业 名称 ", "注册资本（万元）"], aliases)
        assert found == {"name": 0, "capital": 1}

    def test_english_header_with_spaces_matches_snake_case_alias(self) -> None:
        found = match_headers(
            ["Registered Capital", "NAME"], {"capital": ("registered_capital",), "name": ("name",)}
        )
        assert found == {"capital": 0, "name": 1}

    def test_header_with_a_unit_matches_the_alias_without_it(self) -> None:
        assert match_headers(["总投资(亿元)"], {"total": ("总投资",)}) == {"total": 0}


class TestNulCharacters:
    def test_a_nul_in_a_csv_cell_is_the_files_error_naming_the_cell(self, tmp_path: Path) -> None:
        path = tmp_path / "a.csv"
        path.write_text("名称,注册地\n甲公司,510106\n乙公\x00司,510107\n", "utf-8")
        with pytest.raises(TableError) as caught, open_table(path) as table:
            list(table.rows)
        assert "第3行第A列" in caught.value.message_zh and "NUL" in caught.value.message_zh
        assert "row 3, column A" in caught.value.message_en

    def test_a_file_without_one_reads_as_before(self, tmp_path: Path) -> None:
        path = tmp_path / "a.csv"
        path.write_text("名称,注册地\n甲公司,510106\n", "gb18030")
        with open_table(path) as table:
            assert [cells for _number, cells in table.rows] == [["甲公司", "510106"]]
