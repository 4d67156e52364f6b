"""Investment figures with their qualifier: exact, at least (超/以上/逾) or about (约/近/左右).

Articles rarely give an exact figure: "投资10亿元以上", "约2亿元". A project keeps what the
article said, so every page, export and total shows 超10亿元 or 约2亿元 ("over ¥1 bn",
"about ¥200 m"). A sum inherits the weakest qualifier of its parts: one figure at least X
makes the sum a lower bound, one approximate figure (and no lower bound) makes it approximate.
No Django imports: the words are passed in by the caller when they must be translated.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from parklink.core.money import format_amount


class Qualifier(StrEnum):
    EXACT = "exact"
    AT_LEAST = "at_least"
    ABOUT = "about"


# How the qualifier reads before an amount, per language.
PREFIX: dict[str, dict[Qualifier, str]] = {
    "zh": {Qualifier.EXACT: "", Qualifier.AT_LEAST: "超", Qualifier.ABOUT: "约"},
    "en": {Qualifier.EXACT: "", Qualifier.AT_LEAST: "over ", Qualifier.ABOUT: "about "},
}
# What a cell or an article may write for each qualifier (imports, the extractor's markers).
WORDS: dict[str, Qualifier] = {
    "": Qualifier.EXACT,
    "exact": Qualifier.EXACT,
    "精确": Qualifier.EXACT,
    "确定": Qualifier.EXACT,
    "准确": Qualifier.EXACT,
    "at_least": Qualifier.AT_LEAST,
    "at least": Qualifier.AT_LEAST,
    "over": Qualifier.AT_LEAST,
    "超": Qualifier.AT_LEAST,
    "超过": Qualifier.AT_LEAST,
    "以上": Qualifier.AT_LEAST,
    "逾": Qualifier.AT_LEAST,
    "不低于": Qualifier.AT_LEAST,
    "不少于": Qualifier.AT_LEAST,
    "至少": Qualifier.AT_LEAST,
    "下限": Qualifier.AT_LEAST,
    "about": Qualifier.ABOUT,
    "approx": Qualifier.ABOUT,
    "approximately": Qualifier.ABOUT,
    "约": Qualifier.ABOUT,
    "大约": Qualifier.ABOUT,
    "近": Qualifier.ABOUT,
    "左右": Qualifier.ABOUT,
    "约数": Qualifier.ABOUT,
}


def read_qualifier(text: str | None) -> Qualifier | None:
    """The qualifier a word names ("超", "以上", "约", "exact", ...), None when unknown."""
    key = (text or "").strip().lower()
    return WORDS.get(key)


def qualifier_of(value: str | Qualifier | None) -> Qualifier:
    """A stored value as a Qualifier (blank or unknown reads as exact)."""
    try:
        return Qualifier(value or Qualifier.EXACT)
    except ValueError:
        return Qualifier.EXACT


def combine(qualifiers: Iterable[str | Qualifier | None]) -> Qualifier:
    """The qualifier of a sum: at least if any part is, else about if any part is, else exact."""
    seen = {qualifier_of(q) for q in qualifiers}
    if Qualifier.AT_LEAST in seen:
        return Qualifier.AT_LEAST
    if Qualifier.ABOUT in seen:
        return Qualifier.ABOUT
    return Qualifier.EXACT


def from_counts(at_least: int | None, about: int | None) -> Qualifier:
    """The qualifier of a sum from how many of its figures are lower bounds and how many are
    estimates (what a database aggregate counts): `combine` without the figures themselves."""
    return combine(
        ([Qualifier.AT_LEAST] if at_least else []) + ([Qualifier.ABOUT] if about else [])
    )


def prefix(qualifier: str | Qualifier | None, language: str = "zh") -> str:
    words = PREFIX["en"] if language.startswith("en") else PREFIX["zh"]
    return words[qualifier_of(qualifier)]


def format_qualified(
    yuan: Decimal | int | None,
    qualifier: str | Qualifier | None = Qualifier.EXACT,
    places: int = 2,
    language: str = "zh",
) -> str:
    """超10亿元 / 约2亿元 / 5.6亿元 ("over ¥1 bn", "about ¥200 m"); None shows as '—'."""
    if yuan is None:
        return "—"
    return prefix(qualifier, language) + format_amount(yuan, places, language)


def sum_qualified(
    figures: Iterable[tuple[Decimal | int | None, str | Qualifier | None]],
) -> tuple[Decimal | None, Qualifier]:
    """The sum of (amount, qualifier) pairs that carry an amount, and the sum's qualifier."""
    total: Decimal | None = None
    used: list[str | Qualifier | None] = []
    for amount, qualifier in figures:
        if amount is None:
            continue
        total = (total or Decimal(0)) + Decimal(amount)
        used.append(qualifier)
    return total, combine(used)
