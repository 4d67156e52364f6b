"""Ranking the enterprises that could fill a place's weak or missing segment (no Django).

Each candidate is scored from six parts, each between 0 and 1, weighted by `Weights`:

- fit: how surely it belongs to the segment (the classifier's score; 1 for a user's
  confirmation);
- size: registered capital on a log scale (1 万元 → 0, 100 亿元 → 1);
- flags: chain leader 0.4, listed 0.3, high-tech 0.15, specialised SME 0.15 (capped at 1);
- links: the place's enterprises in the neighbouring segments the candidate would supply or
  buy from (0 → 0, 5 or more → 1);
- partner: a site in a partner region of the place (a co-built park's or a linkage's other
  side) → 1;
- distance: 1 / (1 + km / 500) from the candidate's region to the place.

Every part that counts is also given as a reason (a code and its figures), so that a page
can say why a candidate ranks where it does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from parklink.chains.coverage import HIGH_TECH, LEADER, LISTED, SPECIALISED

FLAG_WEIGHTS = {LEADER: 0.4, LISTED: 0.3, HIGH_TECH: 0.15, SPECIALISED: 0.15}
FLAG_CODES = {
    LEADER: "leader",
    LISTED: "listed",
    HIGH_TECH: "high_tech",
    SPECIALISED: "specialised",
}
SMALL_FEN = 10_000 * 100  # 1 万元
LARGE_FEN = 10_000_000_000 * 100  # 100 亿元
LINKS_FULL = 5
DISTANCE_SCALE_KM = 500.0
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Weights:
    fit: float = 0.35
    size: float = 0.15
    flags: float = 0.15
    links: float = 0.15
    partner: float = 0.10
    distance: float = 0.10


@dataclass(frozen=True)
class Neighbours:
    """The place's enterprises in the segments around a gap.

    `buyers`: segment key → how many of the place's enterprises buy what the gap makes
    (downstream of it); `suppliers`: segment key → how many supply the gap (upstream).
    """

    buyers: dict[str, int] = field(default_factory=dict)
    suppliers: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.buyers.values()) + sum(self.suppliers.values())


@dataclass(frozen=True)
class Candidate:
    enterprise_id: int
    segment: str
    fit: float
    confirmed: bool = False
    capital_fen: int | None = None
    flags: int = 0
    partner_region: str = ""
    distance_km: float | None = None


@dataclass(frozen=True)
class Reason:
    code: str
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: float
    parts: dict[str, float]
    reasons: tuple[Reason, ...]


def size_part(capital_fen: int | None) -> float:
    if capital_fen is None or capital_fen <= SMALL_FEN:
        return 0.0
    if capital_fen >= LARGE_FEN:
        return 1.0
    return math.log10(capital_fen / SMALL_FEN) / math.log10(LARGE_FEN / SMALL_FEN)


def flags_part(flags: int) -> float:
    return min(1.0, sum(weight for bit, weight in FLAG_WEIGHTS.items() if flags & bit))


def links_part(neighbours: Neighbours) -> float:
    return min(1.0, neighbours.total / LINKS_FULL)


def distance_part(km: float | None) -> float:
    if km is None:
        return 0.0
    return 1.0 / (1.0 + max(km, 0.0) / DISTANCE_SCALE_KM)


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def parts_of(candidate: Candidate, neighbours: Neighbours) -> dict[str, float]:
    """The six parts of a candidate's score, each between 0 and 1."""
    return {
        "fit": 1.0 if candidate.confirmed else max(0.0, min(1.0, candidate.fit)),
        "size": size_part(candidate.capital_fen),
        "flags": flags_part(candidate.flags),
        "links": links_part(neighbours),
        "partner": 1.0 if candidate.partner_region else 0.0,
        "distance": distance_part(candidate.distance_km),
    }


def total_of(parts: dict[str, float], weights: Weights) -> float:
    return round(sum(getattr(weights, name) * value for name, value in parts.items()), 4)


def score(candidate: Candidate, neighbours: Neighbours, weights: Weights = Weights()) -> Ranked:
    parts = parts_of(candidate, neighbours)
    fit = parts["fit"]
    reasons: list[Reason] = [
        Reason("confirmed" if candidate.confirmed else "fit", {"score": round(fit, 2)})
    ]
    if candidate.capital_fen:
        reasons.append(Reason("capital", {"fen": candidate.capital_fen}))
    reasons.extend(Reason(code) for bit, code in FLAG_CODES.items() if candidate.flags & bit)
    if neighbours.buyers:
        reasons.append(Reason("supplies", {"segments": dict(neighbours.buyers)}))
    if neighbours.suppliers:
        reasons.append(Reason("buys", {"segments": dict(neighbours.suppliers)}))
    if candidate.partner_region:
        reasons.append(Reason("partner_site", {"region": candidate.partner_region}))
    if candidate.distance_km is not None:
        reasons.append(Reason("distance", {"km": round(candidate.distance_km)}))
    return Ranked(candidate, total_of(parts, weights), parts, tuple(reasons))


def rank(
    candidates: Iterable[Candidate],
    neighbours: dict[str, Neighbours],
    weights: Weights = Weights(),
    limit: int | None = None,
) -> list[Ranked]:
    """Candidates best first (ties: larger capital, then lower enterprise id).

    An enterprise that fits several gap segments appears once, under its best one. Every
    candidate is scored; the reasons are written for the ones returned.
    """
    empty = Neighbours()
    best: dict[int, tuple[float, Candidate]] = {}
    for candidate in candidates:
        around = neighbours.get(candidate.segment, empty)
        total = total_of(parts_of(candidate, around), weights)
        kept = best.get(candidate.enterprise_id)
        if kept is None or total > kept[0]:
            best[candidate.enterprise_id] = (total, candidate)
    ordered = sorted(
        best.values(),
        key=lambda pair: (-pair[0], -(pair[1].capital_fen or 0), pair[1].enterprise_id),
    )
    chosen = ordered[:limit] if limit is not None else ordered
    return [score(c, neighbours.get(c.segment, empty), weights) for _total, c in chosen]


def neighbours_of(
    gap: str,
    upstream: Sequence[str],
    downstream: Sequence[str],
    counts: dict[str, int],
) -> Neighbours:
    """The place's enterprise counts in the segments that supply `gap` and that buy from it."""
    return Neighbours(
        buyers={key: counts[key] for key in downstream if counts.get(key)},
        suppliers={key: counts[key] for key in upstream if counts.get(key)},
    )
