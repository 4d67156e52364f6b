"""The worked examples of docs/cobuild.md are what the engine computes: the tables are read
from the document itself (figures in 元, a cell "a + b" is the sum of its parts, text in
parentheses is commentary) and compared with the engine, with the parameters of the tests in
test_kinds.py. A change to either the docs or the engine that makes them disagree fails here.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from parklink.cobuild.ledger.types import LedgerState
from tests.cobuild.ledger import test_kinds as worked
from tests.cobuild.ledger.support import YUAN, quarter, rule, run, totals, year

DOC = (Path(__file__).resolve().parents[3] / "docs" / "cobuild.md").read_text("utf-8")
NUMBER = re.compile(r"−?-?\d[\d,]*(?:\.\d+)?")


def table(heading: str) -> list[list[str]]:
    """The body rows of the first table after `heading`, as stripped cells."""
    section = DOC.split(heading, 1)[1]
    rows: list[list[str]] = []
    in_table = False
    for line in section.splitlines():
        if line.startswith("|"):
            in_table = True
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
        elif in_table:
            break
    assert len(rows) > 2, heading
    return rows[2:]  # after the header and the |---| line


def fen(cell: str) -> int:
    """A cell's amount in fen: commentary in parentheses dropped, parts after "+" added, blank
    or a dash is 0."""
    text = re.sub(r"\([^)]*\)", "", cell)
    found = NUMBER.findall(text)
    return sum(int(Decimal(n.replace(",", "").replace("−", "-")) * YUAN) for n in found)


def first_number(cell: str) -> int:
    return int(NUMBER.findall(cell)[0].replace(",", ""))


def test_the_table_reader() -> None:
    assert fen("1,200,000.00 + 150,000.00") == 135_000_000
    assert fen("300,000 (half is 1,200,000, cut to the cap)") == 30_000_000
    assert fen("") == 0 and fen("—") == 0 and fen("−12,500.00") == -1_250_000


def test_the_window_cap_table_over_six_years() -> None:
    rows = table("#### Window with a cap, an extension and a terminal action (`window_cap`)")
    assert len(rows) == 6
    state = LedgerState()
    for year_cell, _phase, record, beijing, cap, hebei in rows:
        y = first_number(year_cell)
        assert fen(record) == worked.TestWindowCap.YEARS[y] * YUAN, y
        result = run(
            [rule("window_cap", worked.TestWindowCap.PARAMS)],
            [("E1", fen(record))],
            [worked.TestWindowCap.BEIJING, worked.TestWindowCap.HEBEI],
            year(y),
            facts=worked.TestWindowCap.FACTS,
            state=state,
        )
        state = result.state
        got = totals(result)
        assert (got.get("beijing", 0), got.get("hebei", 0)) == (fen(beijing), fen(hebei)), y
        if cap:
            used, left = (fen(part) for part in cap.split("/"))
            assert state.cap_used[("r1", "E1", "beijing")] == used, y
            assert used + left == worked.TestWindowCap.PARAMS["caps"]["E1"], y  # type: ignore[index]


def test_the_stock_and_increment_table() -> None:
    rows = table("#### Stock and increment (`stock_increment`)")
    body, total = rows[:-1], rows[-1]
    records = [(row[0], fen(row[2])) for row in body]
    result = run(
        [rule("stock_increment", worked.TestStockIncrement.PARAMS)],
        records,
        [worked.TestStockIncrement.GUANGAN, worked.TestStockIncrement.CHONGQING],
        year(2025),
    )
    for index, (name, _baseline, _record, stock, increment, guangan, chongqing) in enumerate(body):
        mine = [a for a in result.allocations if a.record == index]
        by_party = {
            p: sum(a.amount for a in mine if a.party == p) for p in ("guangan", "chongqing")
        }
        assert (by_party["guangan"], by_party["chongqing"]) == (fen(guangan), fen(chongqing)), name
        assert sum(a.amount for a in mine if a.step == "stock") == fen(stock), name
        assert sum(a.amount for a in mine if a.step == "increment") == fen(increment), name
    assert totals(result) == {"guangan": fen(total[5]), "chongqing": fen(total[6])}
    assert fen(total[2]) == sum(amount for _name, amount in records)


def test_the_tiered_table() -> None:
    rows = table("#### Tiered (`tiered`)")
    periods = {"2025Q1": quarter(2025, 1), "2025Q2": quarter(2025, 2), "2026Q1": quarter(2026, 1)}
    state = LedgerState()
    for label, _before, record, _tier1, _tier2, source, host in rows:
        result = run(
            [rule("tiered", worked.TestTiered.PARAMS)],
            [("E1", fen(record))],
            [worked.TestTiered.SOURCE, worked.TestTiered.HOST],
            periods[label],
            state=state,
        )
        state = result.state
        assert totals(result) == {"source": fen(source), "host": fen(host)}, label


def test_the_fixed_ratio_table() -> None:
    rows = table("#### Fixed ratio (`fixed_ratio`)")
    shares = {"jinniu": "60%", "shifang": "40%"}
    amount = 123_456_789  # 1,234,567.89 元, as the text above the table says
    assert "1,234,567.89 元" in DOC
    result = run(
        [rule("fixed_ratio", {"shares": shares})], [("E1", amount)], worked.FLY, quarter(2025, 1)
    )
    assert totals(result) == {row[0].split()[0]: fen(row[4]) for row in rows}
