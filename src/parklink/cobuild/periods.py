"""Settlement period labels: 2025 (a year), 2025Q1 (a quarter), 2025-03 (a month); no Django.

`parse` turns a label into the ledger's `Period` with its first and last day, or raises
`PeriodError` with the reason in both languages.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from parklink.cobuild.ledger.types import Period

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
EARLIEST_YEAR = 1949
LATEST_YEAR = 2999


class PeriodError(ValueError):
    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason_zh = reason_zh
        self.reason_en = reason_en


def _year(text: str) -> int:
    year = int(text)
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise PeriodError(
            f"年份应在{EARLIEST_YEAR}至{LATEST_YEAR}之间",
            f"the year must be between {EARLIEST_YEAR} and {LATEST_YEAR}",
        )
    return year


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse(label: str) -> Period:
    """The period a label names; the label is normalised (2025q1 → 2025Q1)."""
    text = (label or "").strip()
    if found := _YEAR.match(text):
        year = _year(found.group(1))
        return Period(f"{year}", date(year, 1, 1), date(year, 12, 31))
    if found := _QUARTER.match(text):
        year, quarter = _year(found.group(1)), int(found.group(2))
        first = 3 * quarter - 2
        return Period(f"{year}Q{quarter}", date(year, first, 1), _last_day(year, first + 2))
    if found := _MONTH.match(text):
        year, month = _year(found.group(1)), int(found.group(2))
        if not 1 <= month <= 12:
            raise PeriodError("月份应在01至12之间", "the month must be between 01 and 12")
        return Period(f"{year}-{month:02d}", date(year, month, 1), _last_day(year, month))
    raise PeriodError(
        "结算期应写作年度(2025)、季度(2025Q1)或月份(2025-03)",
        "a period is a year (2025), a quarter (2025Q1) or a month (2025-03)",
    )


def overlaps(a: Period, b: Period) -> bool:
    return a.start <= b.end and b.start <= a.end
