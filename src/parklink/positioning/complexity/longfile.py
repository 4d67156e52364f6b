"""Reading and writing the long CSV table of `parklink positioning compute-file` (no Django).

Input: a header row naming at least the time, place, product and value columns (any order,
other columns ignored), UTF-8 (a BOM is fine), plain or gzip (recognised by its first bytes,
whatever the name). A value that is empty, `NA`, `NaN` or `null` is missing (counted as 0);
anything else must be a finite number, not negative (RCA is undefined for negative values).
Problems are raised as `TableError(code, **detail)` so the caller words them in the user's
language; `detail["line"]` is the line of the file (the header is line 1).

Output: one row per time × place × product of every time's rectangle, columns `OUTPUT_COLUMNS`,
floats written as Python's repr (shortest text that reads back to the same float), `nan` where
a figure is undefined, integers (mcp, diversity, ubiquity) as integers.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from parklink.positioning.complexity.engine import ComplexityResult
from parklink.positioning.complexity.table import Slice

INPUT_COLUMNS = ("time", "loc", "prod", "val")
OUTPUT_COLUMNS = (
    "time",
    "loc",
    "prod",
    "val",
    "rca",
    "mcp",
    "diversity",
    "ubiquity",
    "eci",
    "pci",
    "density",
    "coi",
    "cog",
)
MISSING = frozenset({"", "na", "nan", "null", "n/a"})


class TableError(Exception):
    """A problem with the input table: `code` says which, `detail` gives line, column, value."""

    def __init__(self, code: str, **detail: Any) -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


@dataclass
class LongTable:
    time: list[str] = field(default_factory=list)
    loc: list[str] = field(default_factory=list)
    prod: list[str] = field(default_factory=list)
    val: list[float] = field(default_factory=list)
    missing: int = 0


def open_text(path: Path) -> IO[str]:
    """The file as text, gunzipped when it starts with gzip's magic bytes."""
    if not path.is_file():
        raise TableError("no_file", path=str(path))
    with path.open("rb") as probe:
        head = probe.read(2)
    if head == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return path.open("r", encoding="utf-8-sig", newline="")


def read(
    path: Path, columns: dict[str, str], *, manual: bool = False, time_value: str | None = None
) -> LongTable:
    """The table's four columns; `columns` maps time/loc/prod/val to the header's names.

    With `time_value` the table has no time column: every row belongs to that period.
    """
    try:
        with open_text(path) as stream:
            return _read(stream, columns, manual=manual, time_value=time_value)
    except UnicodeDecodeError as exc:
        raise TableError("encoding", path=str(path)) from exc
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        if isinstance(exc, TableError):
            raise
        raise TableError("unreadable", path=str(path), reason=str(exc)) from exc


def _read(
    stream: IO[str], columns: dict[str, str], *, manual: bool, time_value: str | None
) -> LongTable:
    reader = csv.reader(stream)
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise TableError("empty")
    names = [cell.strip() for cell in header]
    positions: dict[str, int] = {}
    absent = []
    roles = INPUT_COLUMNS[1:] if time_value is not None else INPUT_COLUMNS
    for role in roles:
        name = columns[role]
        if name in names:
            positions[role] = names.index(name)
        else:
            absent.append(name)
    if absent:
        raise TableError("missing_columns", missing=absent, found=[n for n in names if n])
    width = max(positions.values()) + 1
    l_at, p_at, v_at = (positions[r] for r in INPUT_COLUMNS[1:])
    t_at = positions.get("time", -1)
    fixed_time = time_value.strip() if time_value is not None else ""
    table = LongTable()
    for row in reader:
        line = reader.line_num
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) < width:
            raise TableError("short_row", line=line, expected=width, found=len(row))
        keys = (
            row[t_at].strip() if t_at >= 0 else fixed_time,
            row[l_at].strip(),
            row[p_at].strip(),
        )
        for role, key in zip(("time", "loc", "prod"), keys, strict=True):
            if not key:
                raise TableError("empty_key", line=line, column=columns[role])
        text = row[v_at].strip()
        if text.lower() in MISSING:
            value = math.nan
            table.missing += 1
        else:
            try:
                value = float(text.replace(",", "")) if _grouped(text) else float(text)
            except ValueError:
                raise TableError(
                    "not_a_number", line=line, column=columns["val"], value=text
                ) from None
            if not math.isfinite(value):
                raise TableError("not_finite", line=line, column=columns["val"], value=text)
            if value < 0:
                raise TableError("negative", line=line, column=columns["val"], value=text)
            if manual and value not in (0.0, 1.0):
                raise TableError("not_binary", line=line, column=columns["val"], value=text)
        table.time.append(keys[0])
        table.loc.append(keys[1])
        table.prod.append(keys[2])
        table.val.append(value)
    if not table.val:
        raise TableError("no_rows")
    return table


def _grouped(text: str) -> bool:
    """1,234.5 (thousands separators, as spreadsheets export them) but not 1,2."""
    if "," not in text:
        return False
    whole = text.split(".", 1)[0].lstrip("+")
    groups = whole.split(",")
    return (
        1 <= len(groups[0]) <= 3
        and groups[0].isdigit()
        and all(len(g) == 3 and g.isdigit() for g in groups[1:])
    )


def csv_field(text: str) -> str:
    """A CSV field: quoted (quotes doubled) only when it holds a comma, quote or line break."""
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _floats(values: np.ndarray) -> list[str]:
    return list(map(repr, values.tolist()))


def _ints(values: np.ndarray, defined: np.ndarray) -> list[str]:
    out = list(map(str, values.astype(np.int64).tolist()))
    if not defined.all():
        for i in np.flatnonzero(~defined).tolist():
            out[i] = "nan"
    return out


def lines(
    part: Slice,
    result: ComplexityResult,
    block_places: int = 2000,
    place_extra: list[str] | None = None,
    product_extra: list[str] | None = None,
) -> Iterator[str]:
    """The output rows of one time as CSV text, a block of places at a time (flat memory).

    Figures of a place (diversity, ECI, COI) or a product (ubiquity, PCI) are formatted once
    and repeated; only the cell figures (val, rca, mcp, density, cog) are formatted per row.
    `place_extra` / `product_extra` (CSV text, starting with a comma) are appended to each
    row of the place / product (the registry's names and quality grade).
    """
    n_products = len(part.products)
    time = csv_field(part.time)
    products = [csv_field(p) for p in part.products.tolist()]
    ubiquity = _ints(result.ubiquity, result.kept_products)
    pci = _floats(result.pci)
    diversity = _ints(result.diversity, result.kept_places)
    eci = _floats(result.eci)
    coi = _floats(result.coi)
    for start in range(0, len(part.places), block_places):
        stop = min(start + block_places, len(part.places))
        cell_kept = (result.kept_places[start:stop, None] & result.kept_products[None, :]).ravel()
        val = _floats(part.values[start:stop].ravel())
        rca = _floats(result.rca[start:stop].ravel())
        mcp = _ints(result.mcp[start:stop].ravel(), cell_kept)
        density = _floats(result.density[start:stop].ravel())
        cog = _floats(result.cog[start:stop].ravel())
        out: list[str] = []
        k = 0
        for i in range(start, stop):
            head = f"{time},{csv_field(str(part.places[i]))},"
            tail_place = place_extra[i] if place_extra else ""
            place_div, place_eci, place_coi = diversity[i], eci[i], coi[i]
            for j in range(n_products):
                out.append(
                    f"{head}{products[j]},{val[k]},{rca[k]},{mcp[k]},{place_div},{ubiquity[j]},"
                    f"{place_eci},{pci[j]},{density[k]},{place_coi},{cog[k]}"
                    f"{tail_place}{product_extra[j] if product_extra else ''}\n"
                )
                k += 1
        yield "".join(out)


def open_output(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "wb"), encoding="utf-8", newline="")
    return path.open("w", encoding="utf-8", newline="")


def write_header(stream: IO[str], extra: tuple[str, ...] = ()) -> None:
    stream.write(",".join(OUTPUT_COLUMNS + extra) + "\n")
