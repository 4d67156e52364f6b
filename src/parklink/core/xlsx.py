"""Write export cells so that text stays text: never a live formula, whatever it starts with.

Every spreadsheet an export writes goes through `cell()` / `append()` (and a CSV through
`csv_text()`), so a project named `=HYPERLINK("http://…"&A1,"click")` or a sector `=1+1`,
entered by anyone on a page, through the API or an import, reaches Excel as the text it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from openpyxl.cell import Cell, WriteOnlyCell

# What Excel and other spreadsheets read as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def cell(sheet: Any, value: Any) -> Cell:
    """A cell of `sheet` (write-only or not) holding `value`; a string is always a text cell.

    openpyxl turns a string starting with "=" into a formula; here every string is stored
    as a string (data type "s", read back unchanged), and one that a spreadsheet would take
    for a formula also gets Excel's quote prefix, so editing the cell keeps it text.
    """
    result = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        result.data_type = "s"
        if looks_like_formula(value):
            result.quotePrefix = True
    return result


def append(sheet: Any, values: Iterable[Any]) -> None:
    """Append a row to `sheet`; values that already are cells (styled headers) pass through."""
    sheet.append([value if isinstance(value, Cell) else cell(sheet, value) for value in values])


def csv_text(value: Any) -> Any:
    """A value for a CSV export: text that starts like a formula gets a leading apostrophe.

    A CSV cannot mark a cell as text, so the apostrophe (which Excel hides) is the only guard.
    """
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """Rows as a UTF-8 CSV (with the byte-order mark Excel needs), every value via `csv_text`."""
    text = io.StringIO()
    writer = csv.writer(text)
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return text.getvalue().encode("utf-8-sig")
