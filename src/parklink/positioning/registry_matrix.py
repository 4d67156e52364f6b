"""The place × industry matrix of the enterprise registry, with size thresholds and a data-quality
grade per place (plain data in, plain data out: no Django; the query is in services/matrix.py).

Each enterprise row gives its place (already mapped to the chosen level), its GB/T 4754 code and
its measure (1 for a count, its registered capital in 元). An industry is the code cut to the
chosen number of digits (2 大类, 3 中类, 4 小类); a code that is empty, not numeric or shorter
than that is **unclassified**: it counts towards the place's size and its unclassified share,
never towards an industry.

Thresholds, applied in this order so that small places and rare industries do not dominate:

1. a place with fewer than `min_enterprises` enterprises is left out (reason `small_place`);
2. a place whose classified share is below `min_classified` is left out (`unclassified`);
3. an industry present (measure > 0) in fewer than `min_places` of the remaining places is left
   out (`rare_industry`);
4. a place left with no measure at all is left out (`empty_place`).

Grade (shown next to every figure of the place):

| grade | enterprises | classified share |
|---|---|---|
| A | ≥ 200 | ≥ 90 % |
| B | ≥ 50 | ≥ 75 % |
| C | ≥ `min_enterprises` | ≥ `min_classified` |
| D | otherwise (the place is left out) | |
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import numpy.typing as npt

GRADES = ("A", "B", "C", "D")
GRADE_A = (200, 0.90)
GRADE_B = (50, 0.75)


@dataclass(frozen=True)
class PlaceQuality:
    place: str
    enterprises: int
    classified: int
    grade: str
    reason: str = ""  # why the place is left out ("" when it is in)

    @property
    def classified_share(self) -> float:
        return self.classified / self.enterprises if self.enterprises else 0.0

    @property
    def included(self) -> bool:
        return not self.reason


@dataclass
class RegistryMatrix:
    places: list[str]
    industries: list[str]
    values: npt.NDArray[np.float64]
    quality: dict[str, PlaceQuality]
    # industry code → (places where present, reason) for the industries left out
    excluded_industries: dict[str, tuple[int, str]] = field(default_factory=dict)


def industry_of(code: str, digits: int) -> str | None:
    """The code cut to `digits` digits, or None when it cannot be (unclassified)."""
    text = (code or "").strip().upper()
    if text[:1].isalpha():
        text = text[1:]  # "C3985" → "3985"
    if len(text) < digits or not text[:digits].isdigit():
        return None
    return text[:digits]


def grade(enterprises: int, classified: int, min_enterprises: int, min_classified: float) -> str:
    share = classified / enterprises if enterprises else 0.0
    if enterprises >= GRADE_A[0] and share >= GRADE_A[1]:
        return "A"
    if enterprises >= GRADE_B[0] and share >= GRADE_B[1]:
        return "B"
    if enterprises >= min_enterprises and share >= min_classified:
        return "C"
    return "D"


def assemble(
    rows: Iterable[tuple[str, str, Decimal | int | float | None, int]],
    *,
    digits: int = 2,
    min_enterprises: int = 20,
    min_classified: float = 0.5,
    min_places: int = 2,
    product: Callable[[str], str | None] | None = None,
) -> RegistryMatrix:
    """`rows`: (place, industry code, measure, enterprises) — one row per enterprise of the
    registry (enterprises = 1), or per figure of a dataset (enterprises = the figure for a count
    of enterprises, 1 otherwise: the grade then counts records). A None measure counts as 0 (an
    enterprise without a registered capital still counts towards size and quality).
    `product` turns a row's code into its product (default: the code cut to `digits`), e.g.
    the identity for rows already keyed by chain segment ("" = in the chain, no segment)."""
    if digits not in (2, 3, 4):
        raise ValueError("digits must be 2, 3 or 4")
    size: dict[str, int] = defaultdict(int)
    classified: dict[str, int] = defaultdict(int)
    cells: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for place, code, measure, enterprises in rows:
        size[place] += enterprises
        industry = product(code) if product is not None else industry_of(code, digits)
        if industry is None:
            continue
        classified[place] += enterprises
        cells[(place, industry)] += Decimal(measure or 0)  # exact sums, floats only at the end
    quality: dict[str, PlaceQuality] = {}
    kept: list[str] = []
    for place in sorted(size):
        n, k = size[place], classified[place]
        mark = grade(n, k, min_enterprises, min_classified)
        reason = ""
        if n < min_enterprises:
            reason = "small_place"
        elif k < min_classified * n:
            reason = "unclassified"
        quality[place] = PlaceQuality(place, n, k, mark, reason)
        if not reason:
            kept.append(place)
    presence: dict[str, int] = defaultdict(int)
    kept_set = set(kept)
    for (place, industry), value in cells.items():
        if place in kept_set and value > 0:
            presence[industry] += 1
    industries = sorted(i for i, n in presence.items() if n >= min_places)
    excluded = {i: (n, "rare_industry") for i, n in sorted(presence.items()) if n < min_places}
    column = {code: j for j, code in enumerate(industries)}
    row = {place: i for i, place in enumerate(kept)}
    values = np.zeros((len(kept), len(industries)))
    for (place, industry), value in cells.items():
        if place in row and industry in column:
            values[row[place], column[industry]] = float(value)
    empty = values.sum(axis=1) <= 0
    if empty.any():
        for i in np.flatnonzero(empty).tolist():
            q = quality[kept[i]]
            quality[kept[i]] = PlaceQuality(
                q.place, q.enterprises, q.classified, q.grade, "empty_place"
            )
        keep = ~empty
        kept = [p for p, k in zip(kept, keep.tolist(), strict=True) if k]
        values = values[keep]
    return RegistryMatrix(kept, industries, values, quality, excluded)
