"""Recommended industries for one place, from the figures of `complexity.compute` (no Django).

Every industry of the period is put in one quadrant, from the place's presence (RCA ≥ 1 as the
engine decided, M), its density (how much related capability it already has) and the
industry's PCI, each against the median over the industries the place does *not* have (its
candidates), so the split adapts to each place:

- 优势 `strength`: M = 1 and PCI ≥ median (a complex industry the place specialises in);
- 短板 `weakness`: M = 1 and PCI < median (specialised, but in a simple industry);
- 机会 `opportunity`: M = 0, density ≥ median, PCI ≥ median (close to what it can do, complex);
- 可进入 `entrant` (possible entrant): M = 0, density ≥ median, PCI < median (close but simple);
- 远景 `threat`: M = 0, density < median, PCI ≥ median (complex but far from its capabilities:
  other places are better placed to win it);
- `none`: M = 0, density < median, PCI < median (far and simple: not recommended).

Candidates (M = 0) are ranked by a score that weights feasibility and attractiveness equally:
score = ½ · pct(density) + ¼ · pct(PCI) + ¼ · pct(COG), pct = the percentile rank among the
place's candidates (0–1). Each carries its reasons as codes with their numbers, so a page or a
report can word them. Industries left out by a constraint are kept aside with their reasons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from parklink.positioning.complexity.engine import ComplexityResult

QUADRANTS = ("strength", "weakness", "opportunity", "entrant", "threat", "none")


@dataclass(frozen=True)
class Recommendation:
    industry: str
    quadrant: str
    present: bool
    rca: float
    density: float
    pci: float
    cog: float
    score: float  # NaN for an industry the place already has
    rank: int  # 1 = best candidate; 0 for present industries
    reasons: tuple[tuple[str, float], ...] = ()


@dataclass
class PlaceRecommendations:
    place: str
    eci: float
    items: list[Recommendation]
    excluded: dict[str, list[str]] = field(default_factory=dict)  # industry → reasons

    def candidates(self) -> list[Recommendation]:
        return sorted((r for r in self.items if not r.present), key=lambda r: r.rank)

    def by_quadrant(self, quadrant: str) -> list[Recommendation]:
        return [r for r in self.items if r.quadrant == quadrant]


def _percentile(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Percentile rank in [0, 1] (ties share their mean rank; NaN ranks lowest)."""
    n = values.size
    if n <= 1:
        return np.ones(n)
    filled = np.where(np.isnan(values), -np.inf, values)
    order = np.argsort(filled, kind="stable")
    ranks = np.empty(n)
    ranks[order] = np.arange(n, dtype=float)
    # average the ranks of ties
    _, inverse, counts = np.unique(filled, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    return (sums / counts)[inverse] / (n - 1)


def recommend(
    result: ComplexityResult,
    place_index: int,
    industries: Sequence[str],
    place: str = "",
    exclusions: Mapping[str, list[str]] | None = None,
    growth: Mapping[str, float] | None = None,
) -> PlaceRecommendations:
    """Quadrants and ranked candidates of the place in row `place_index` of `result`.

    With `growth` (industry → its growth elsewhere between two years, NaN where undefined) the
    attractiveness half of the score is shared by PCI, COG and growth: score = ½·pct(density)
    + ⅙·pct(PCI) + ⅙·pct(COG) + ⅙·pct(growth), an undefined growth ranking lowest."""
    exclusions = exclusions or {}
    if not result.kept_places[place_index]:
        raise ValueError("the place was left out of the period")
    present = result.mcp[place_index].astype(bool)
    density = result.density[place_index]
    pci = result.pci
    cog = result.cog[place_index]
    rca = result.rca[place_index]
    usable = result.kept_products & np.isfinite(pci)
    allowed = np.array([code not in exclusions for code in industries]) & usable
    candidates = allowed & ~present
    if candidates.any():
        density_median = float(np.nanmedian(density[candidates]))
        pci_median = float(np.nanmedian(pci[candidates]))
    else:
        density_median = pci_median = float("nan")
    score = np.full(len(industries), np.nan)
    rank = np.zeros(len(industries), dtype=int)
    idx = np.flatnonzero(candidates)
    grow = np.array([(growth or {}).get(code, np.nan) for code in industries], dtype=float)
    if idx.size and growth is not None:
        score[idx] = (
            0.5 * _percentile(density[idx])
            + _percentile(pci[idx]) / 6
            + _percentile(np.nan_to_num(cog[idx], nan=-np.inf)) / 6
            + _percentile(grow[idx]) / 6
        )
    elif idx.size:
        score[idx] = (
            0.5 * _percentile(density[idx])
            + 0.25 * _percentile(pci[idx])
            + 0.25 * _percentile(np.nan_to_num(cog[idx], nan=-np.inf))
        )
    if idx.size:
        order = idx[np.lexsort((-pci[idx], -score[idx]))]
        rank[order] = np.arange(1, idx.size + 1)
    items = []
    for j in np.flatnonzero(allowed | (present & usable)).tolist():
        high_pci = pci[j] >= pci_median if np.isfinite(pci_median) else pci[j] >= 0
        if present[j]:
            quadrant = "strength" if high_pci else "weakness"
            reasons: tuple[tuple[str, float], ...] = (
                ("rca", float(rca[j])),
                ("pci", float(pci[j])),
            )
        else:
            near = density[j] >= density_median
            quadrant = (
                ("opportunity" if high_pci else "entrant")
                if near
                else ("threat" if high_pci else "none")
            )
            reasons = (
                ("density", float(density[j])),
                ("density_median", density_median),
                ("pci", float(pci[j])),
                ("pci_median", pci_median),
                ("cog", float(cog[j])),
            )
            if growth is not None:
                reasons += (("growth_elsewhere", float(grow[j])),)
        items.append(
            Recommendation(
                industry=industries[j],
                quadrant=quadrant,
                present=bool(present[j]),
                rca=float(rca[j]),
                density=float(density[j]),
                pci=float(pci[j]),
                cog=float(cog[j]),
                score=float(score[j]),
                rank=int(rank[j]),
                reasons=reasons,
            )
        )
    excluded = {code: list(why) for code, why in exclusions.items() if code in set(industries)}
    return PlaceRecommendations(place, float(result.eci[place_index]), items, excluded)
