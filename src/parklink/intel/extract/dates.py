"""Dates in an article: full (2025年3月21日, 2024-10-15) and partial (3月21日, 13日), resolved
against the article's publication date (a month-day well after it belongs to the year before,
a day after it to the month before)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

FULL = re.compile(
    r"(?<!\d)(20\d{2}|19\d{2})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})(?!\d)日?"
)
MONTH_DAY = re.compile(r"(?<![\d年.\-/])(\d{1,2})月(\d{1,2})(?:日|号)")
YEAR_MONTH = re.compile(r"(?<!\d)(20\d{2})年(\d{1,2})月(?!\d)")
DAY_ONLY = re.compile(r"(?<![\d月年.\-/])(\d{1,2})日(?!内|以内|前后|起|之内)")
RANGE = re.compile(r"(\d{1,2})月(\d{1,2})日?\s*(?:至|到|-|—|~)\s*(?:\d{1,2}月)?\d{1,2}日")


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    value: date


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str, published: date | None) -> list[FoundDate]:
    """Every date in `text`; partial ones only when a publication date anchors the year."""
    found: list[FoundDate] = []
    taken: set[int] = set()
    for match in FULL.finditer(text):
        value = _make(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if value:
            found.append(FoundDate(match.start(), match.end(), value))
            taken.update(range(match.start(), match.end()))
    if published is not None:
        for match in MONTH_DAY.finditer(text):
            if match.start() in taken:
                continue
            value = resolve_month_day(int(match.group(1)), int(match.group(2)), published)
            if value:
                found.append(FoundDate(match.start(), match.end(), value))
        for match in DAY_ONLY.finditer(text):
            if match.start() in taken or any(d.start <= match.start() < d.end for d in found):
                continue
            value = resolve_day(int(match.group(1)), published)
            if value:
                found.append(FoundDate(match.start(), match.end(), value))
    found.sort(key=lambda d: d.start)
    return found


def resolve_day(day: int, published: date) -> date | None:
    """ "13日" in an article of 2025-05-14 is 2025-05-13; "28日" in one of 2025-06-02 is
    2025-05-28 (a day after the publication date is last month's)."""
    if day > published.day:
        first = published.replace(day=1) - timedelta(days=1)
        return _make(first.year, first.month, day)
    return _make(published.year, published.month, day)


def resolve_month_day(month: int, day: int, published: date) -> date | None:
    """3月21日 in an article of 2025-03-22 is 2025-03-21; 12月30日 in one of 2025-01-05 is
    2024-12-30 (news reports what happened, or what is about to: a week ahead is allowed)."""
    value = _make(published.year, month, day)
    if value is None:
        return None
    if value > published + timedelta(days=60):
        value = _make(published.year - 1, month, day)
    return value


def guess_published(text: str) -> date | None:
    """The latest full date the article mentions, for an article that states none."""
    best: date | None = None
    for match in FULL.finditer(text):
        value = _make(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if value and (best is None or value > best):
            best = value
    return best
