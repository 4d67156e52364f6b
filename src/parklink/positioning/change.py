"""Two years side by side (no Django): a place's RCA and ECI then and now, and each industry's
growth elsewhere (the measure's change in every other place of the comparison), which the
ranking counts as part of an industry's attractiveness.

Both years are matrices of the same kind of places and industries, assembled by the same rules
(thresholds apply per year, so a place or industry may be in one year only: its change is then
undefined, NaN, never guessed).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class IndustryChange:
    industry: str
    rca_from: float
    rca_to: float
    growth_elsewhere: float  # (later / earlier − 1) of the other places' total; NaN if undefined

    @property
    def rca_change(self) -> float:
        return self.rca_to - self.rca_from


@dataclass(frozen=True)
class PlaceChange:
    eci_from: float
    eci_to: float
    industries: list[IndustryChange]

    @property
    def eci_change(self) -> float:
        return self.eci_to - self.eci_from

    def growth(self) -> dict[str, float]:
        return {c.industry: c.growth_elsewhere for c in self.industries}


def _totals_elsewhere(
    places: Sequence[str], industries: Sequence[str], values: npt.NDArray[np.float64], place: str
) -> dict[str, float]:
    keep = np.array([p != place for p in places], dtype=bool)
    sums = values[keep].sum(axis=0) if values.size else np.zeros(len(industries))
    return {code: float(total) for code, total in zip(industries, sums.tolist(), strict=True)}


def growth_elsewhere(
    place: str,
    earlier: tuple[Sequence[str], Sequence[str], npt.NDArray[np.float64]],
    later: tuple[Sequence[str], Sequence[str], npt.NDArray[np.float64]],
) -> dict[str, float]:
    """industry (of the later year) → growth of its total over the other places; NaN where the
    earlier total is 0 or the industry is missing from the earlier year."""
    before = _totals_elsewhere(*earlier, place)
    after = _totals_elsewhere(*later, place)
    out = {}
    for code, total in after.items():
        base = before.get(code, 0.0)
        out[code] = total / base - 1 if base > 0 else math.nan
    return out


def place_change(
    place: str,
    eci_from: float,
    eci_to: float,
    rca_from: dict[str, float],
    rca_to: dict[str, float],
    growth: dict[str, float],
) -> PlaceChange:
    industries = sorted(set(rca_to) | set(rca_from))
    rows = [
        IndustryChange(
            code,
            rca_from.get(code, math.nan),
            rca_to.get(code, math.nan),
            growth.get(code, math.nan),
        )
        for code in industries
    ]
    return PlaceChange(eci_from, eci_to, rows)
