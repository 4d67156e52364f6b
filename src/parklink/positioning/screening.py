"""Ecological screening of industries from the shipped table (data/positioning/
ecological_screening.yaml), keyed by GB/T 4754 codes; no Django.

An industry's tags are those of the longest table entry its code starts with (`full`), plus the
tags of more specific entries inside it (`partly`: a division that contains a 两高 group is
"partly two_high"). `screen` turns the tags a user excludes into reasons per industry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

TABLE = (
    Path(__file__).resolve().parent.parent / "data" / "positioning" / "ecological_screening.yaml"
)
TAGS = ("energy_intensive", "two_high", "water_intensive", "chemical_park")


@dataclass(frozen=True)
class Screening:
    entries: dict[str, frozenset[str]]
    sources: dict[str, str]

    def tags(self, code: str) -> tuple[frozenset[str], frozenset[str]]:
        """(full, partly): the tags that apply to the whole industry, and those of parts of it."""
        full: frozenset[str] = frozenset()
        for length in range(len(code), 1, -1):
            if code[:length] in self.entries:
                full = self.entries[code[:length]]
                break
        partly: set[str] = set()
        for key, tags in self.entries.items():
            if len(key) > len(code) and key.startswith(code):
                partly |= tags
        return full, frozenset(partly - full)


@cache
def table(path: Path = TABLE) -> Screening:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries: dict[str, frozenset[str]] = {}
    for code, entry in (data.get("industries") or {}).items():
        tags = frozenset(entry.get("tags") or ())
        unknown = tags - set(TAGS)
        if unknown or not str(code).isdigit():
            raise ValueError(f"{path}: bad entry {code!r} (unknown tags {sorted(unknown)})")
        entries[str(code)] = tags
    sources = {tag: str(s["title"]) for tag, s in (data.get("sources") or {}).items()}
    missing = set(TAGS) - set(sources)
    if missing:
        raise ValueError(f"{path}: no source named for {sorted(missing)}")
    return Screening(entries, sources)


def screen(
    industries: Sequence[str],
    excluded_tags: Iterable[str],
    *,
    partly: bool = True,
    by_hand: Iterable[str] = (),
    screening: Screening | None = None,
) -> dict[str, list[str]]:
    """industry → reasons, for every industry that a tag (or the user, `by_hand`) excludes.

    Reasons are codes: `tag:two_high` (the whole industry), `partly:two_high` (a part of it,
    only when `partly`), `by_hand`.
    """
    chosen = set(excluded_tags)
    unknown = chosen - set(TAGS)
    if unknown:
        raise ValueError(f"unknown tags {sorted(unknown)}; expected some of {list(TAGS)}")
    found = screening or table()
    hand = set(by_hand)
    out: dict[str, list[str]] = {}
    for code in industries:
        full, part = found.tags(code)
        reasons = [f"tag:{t}" for t in TAGS if t in full and t in chosen]
        if partly:
            reasons += [f"partly:{t}" for t in TAGS if t in part and t in chosen]
        if code in hand:
            reasons.append("by_hand")
        if reasons:
            out[code] = reasons
    return out
