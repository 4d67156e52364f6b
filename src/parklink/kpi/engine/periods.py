"""Assessment periods: 2025 (a year), 2025Q1 (a quarter), 2025-03 (a month); no Django.

The same labels as the co-built park ledger's settlement periods, parsed here so that kpi
depends on no other app for them. `parse` raises `PeriodError` with the reason in both
languages; `Period.previous` steps back one period of the same kind (for trend charts).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
EARLIEST_YEAR = 1949
LATEST_YEAR = 2999


class PeriodError(ValueError):
    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason_zh = reason_zh
        self.reason_en = reason_en


@dataclass(frozen=True, order=True)
class Period:
    """A labelled span of days, both ends included; `kind` is year, quarter or month."""

    start: date
    end: date
    label: str
    kind: str

    def __str__(self) -> str:
        return self.label

    def previous(self) -> Period:
        if self.kind == "year":
            return parse(str(self.start.year - 1))
        if self.kind == "quarter":
            quarter = (self.start.month - 1) // 3 + 1
            year, quarter = (
                (self.start.year - 1, 4) if quarter == 1 else (self.start.year, quarter - 1)
            )
            return parse(f"{year}Q{quarter}")
        year, month = (
            (self.start.year - 1, 12)
            if self.start.month == 1
            else (self.start.year, self.start.month - 1)
        )
        return parse(f"{year}-{month:02d}")

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


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
    """The period a label names; the label is normalised (2025q1 → 2025Q1, 2025-3 → 2025-03)."""
    text = (label or "").strip()
    if found := _YEAR.match(text):
        year = _year(found.group(1))
        return Period(date(year, 1, 1), date(year, 12, 31), f"{year}", "year")
    if found := _QUARTER.match(text):
        year, quarter = _year(found.group(1)), int(found.group(2))
        first = 3 * quarter - 2
        return Period(
            date(year, first, 1), _last_day(year, first + 2), f"{year}Q{quarter}", "quarter"
        )
    if found := _MONTH.match(text):
        year, month = _year(found.group(1)), int(found.group(2))
        if not 1 <= month <= 12:
            raise PeriodError("月份应在01至12之间", "the month must be between 01 and 12")
        return Period(date(year, month, 1), _last_day(year, month), f"{year}-{month:02d}", "month")
    raise PeriodError(
        "考核期应写作年度(2025)、季度(2025Q1)或月份(2025-03)",
        "a period is a year (2025), a quarter (2025Q1) or a month (2025-03)",
    )


def trailing(period: Period, count: int) -> list[Period]:
    """`count` periods of the same kind ending with `period`, oldest first."""
    found = [period]
    while len(found) < count:
        found.append(found[-1].previous())
    return found[::-1]


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it has fewer days)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
