"""Which chain segments an industry belongs to (no Django): a recommended GB/T 4754 industry
opens the segments whose `industry_codes` cover it or lie inside it.

At the matrix's digit level an industry `3825` matches a segment listing `3825`, `38251` or
`38` (the segment's code is inside the industry, or the industry inside the segment's code);
a 2-digit industry `39` matches every segment listing a code that starts with 39.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SegmentRef:
    chain: int  # the chain template's id
    chain_key: str
    chain_name: str
    segment: str
    segment_name: str


def matches(industry: str, segment_codes: Iterable[str]) -> bool:
    return any(code.startswith(industry) or industry.startswith(code) for code in segment_codes)


def segments_by_industry(
    industries: Sequence[str],
    chains: Iterable[tuple[int, str, str, Iterable[tuple[str, str, Sequence[str]]]]],
) -> dict[str, list[SegmentRef]]:
    """industry → the segments that list it. `chains`: (template id, key, name, segments as
    (key, name, industry codes))."""
    out: dict[str, list[SegmentRef]] = {code: [] for code in industries}
    for pk, key, name, segments in chains:
        for segment_key, segment_name, codes in segments:
            cleaned = [c.strip() for c in codes if c.strip()]
            for industry in industries:
                if matches(industry, cleaned):
                    out[industry].append(SegmentRef(pk, key, name, segment_key, segment_name))
    return out


def segments_of_code(code: str, segments: Iterable[tuple[str, Sequence[str]]]) -> list[str]:
    """The segments a figure's GB/T code falls in: those listing a code the figure's code starts
    with (a figure of 3973 is in a segment listing 397 or 3973; a figure of the whole division 39
    is in no segment listing 3973, since it cannot be split)."""
    text = (code or "").strip()
    return [key for key, codes in segments if any(text.startswith(c) for c in codes if c)]


def spread(
    rows: Iterable[tuple[str, str, object, int]], products_of: Callable[[str], list[str]]
) -> Iterator[tuple[str, str, object, int]]:
    """Rows keyed by code (or enterprise) → rows keyed by segment. A row in several segments
    counts in each, but towards its place's size once (its weight on the first only); a row in
    none is outside the chain and left out."""
    for place, code, value, weight in rows:
        for n, key in enumerate(products_of(code)):
            yield place, key, value, weight if n == 0 else 0
