"""Park siting (项目选址): how well each park fits a project, with the reasons (no Django).

A project states what it needs (`Needs`: land in 亩, floor space in m², power in kVA, water in
t/day, its chain segment and GB/T 4754 code, its sector); a park states what it offers
(`Offer`: available land, vacant carriers, spare power and water, its industries, the
enterprises of the project's segment and of the segments around it, the policies that would
reach the project, its co-built partners, the place's positioning). `rank` scores every park
in [0, 1] as a weighted sum of seven parts (`WEIGHTS`, documented in docs/matching.md):

* land 0.25 — available land ÷ land needed (capped at 1); a project that gives floor space
  may use vacant carriers instead (vacant ÷ needed), the better of the two counts;
* utilities 0.10 — the mean of spare power ÷ power needed and spare water ÷ water needed;
* industries 0.15 — a park industry whose GB/T code shares the project's first two digits or
  whose name shares a word with the sector or segment: 1.0 for a leading industry, 0.8 for a
  representative one, 0.6 for a foundational one;
* chain 0.20 — 1 − exp(−x / 3), x = enterprises in the segment + ½ × enterprises in the
  segments that supply it or buy from it (three firms in the segment ≈ 0.63);
* policies 0.10 — published policies in force reaching the park: min(1, n / 3), shared ones of
  a co-built agreement included;
* partners 0.10 — 1.0 when the park is in a co-built agreement or a park linkage, 0 otherwise;
* positioning 0.10 — the place already has the industry (RCA ≥ 1) 1.0; recommended quadrants
  机会 0.9, 可进入 0.7, 远景 0.5, others 0.2.

A part whose figures are missing (the park never recorded its land; positioning not
computed) counts as `UNKNOWN` (0.4) and says so, so that missing data neither wins nor sinks
a park. A part the project does not state (no land, no power or water given) counts 1.0 for
every park, so it does not change the order (the land part says that the project gave none).

Reasons are `Reason(code, params)`; the service turns them into sentences in the user's
language. Money and areas are Decimals, never floats, until the ratio is taken.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

WEIGHTS: dict[str, float] = {
    "land": 0.25,
    "utilities": 0.10,
    "industries": 0.15,
    "chain": 0.20,
    "policies": 0.10,
    "partners": 0.10,
    "positioning": 0.10,
}
PARTS = tuple(WEIGHTS)
UNKNOWN = 0.4
ROLE_SCORES = {"leading": 1.0, "representative": 0.8, "foundational": 0.6}
QUADRANT_SCORES = {"opportunity": 0.9, "entrant": 0.7, "threat": 0.5}
PRESENT_SCORE = 1.0
OTHER_QUADRANT = 0.2
CHAIN_SCALE = 3.0
POLICY_SATURATION = 3


@dataclass(frozen=True)
class Reason:
    """One reason: a code the service words, its parameters, and whether it counts for or
    against the park (`good`: True, False, or None for neutral/unknown)."""

    part: str
    code: str
    params: tuple[tuple[str, Any], ...] = ()
    good: bool | None = None

    def param(self, name: str) -> Any:
        return dict(self.params).get(name)


@dataclass(frozen=True)
class Industry:
    name: str
    role: str  # leading | representative | foundational
    code: str = ""


@dataclass(frozen=True)
class PolicyRef:
    title: str
    shared_via: str = ""  # the agreement's title when it reaches the park through it


@dataclass(frozen=True)
class Positioning:
    present: bool
    quadrant: str
    rank: int = 0
    source: str = ""  # what it was computed from (the registry, a dataset's name)


@dataclass(frozen=True)
class Needs:
    land_mu: Decimal | None = None
    floor_m2: Decimal | None = None
    power_kva: Decimal | None = None
    water_tpd: Decimal | None = None
    industry_code: str = ""
    sector: str = ""
    segment_name: str = ""


@dataclass(frozen=True)
class Offer:
    park: int
    land_mu: Decimal | None = None
    vacant_m2: Decimal | None = None
    power_kva: Decimal | None = None
    water_tpd: Decimal | None = None
    industries: Sequence[Industry] = ()
    segment_firms: int | None = None  # None: the project has no chain segment
    neighbour_firms: int = 0
    policies: Sequence[PolicyRef] = ()
    partners: Sequence[str] = ()
    positioning: Positioning | None = None


@dataclass
class Fit:
    park: int
    score: float
    parts: dict[str, float]
    reasons: list[Reason] = field(default_factory=list)


def _ratio(have: Decimal | None, need: Decimal | None) -> float | None:
    """have ÷ need capped at 1; None when the park has no figure."""
    if have is None:
        return None
    if need is None or need <= 0:
        return 1.0
    return float(min(Decimal(1), max(Decimal(0), have / need)))


def land(needs: Needs, offer: Offer) -> tuple[float, list[Reason]]:
    if needs.land_mu is None and needs.floor_m2 is None:
        return 1.0, [Reason("land", "land_not_given", good=None)]
    reasons: list[Reason] = []
    candidates: list[float] = []
    if needs.land_mu is not None:
        ratio = _ratio(offer.land_mu, needs.land_mu)
        if ratio is None:
            reasons.append(Reason("land", "land_unknown", good=None))
        else:
            candidates.append(ratio)
            code = "land_enough" if ratio >= 1 else "land_short"
            reasons.append(
                Reason(
                    "land",
                    code,
                    (("have", offer.land_mu), ("need", needs.land_mu)),
                    good=ratio >= 1,
                )
            )
    if needs.floor_m2 is not None:
        ratio = _ratio(offer.vacant_m2, needs.floor_m2)
        if ratio is None:
            reasons.append(Reason("land", "carrier_unknown", good=None))
        else:
            candidates.append(ratio)
            code = "carrier_enough" if ratio >= 1 else "carrier_short"
            reasons.append(
                Reason(
                    "land",
                    code,
                    (("have", offer.vacant_m2), ("need", needs.floor_m2)),
                    good=ratio >= 1,
                )
            )
    return (max(candidates) if candidates else UNKNOWN), reasons


def utilities(needs: Needs, offer: Offer) -> tuple[float, list[Reason]]:
    scores: list[float] = []
    reasons: list[Reason] = []
    for what, need, have in (
        ("power", needs.power_kva, offer.power_kva),
        ("water", needs.water_tpd, offer.water_tpd),
    ):
        if need is None:
            continue
        ratio = _ratio(have, need)
        if ratio is None:
            scores.append(UNKNOWN)
            reasons.append(Reason("utilities", f"{what}_unknown", good=None))
            continue
        scores.append(ratio)
        reasons.append(
            Reason(
                "utilities",
                f"{what}_enough" if ratio >= 1 else f"{what}_short",
                (("have", have), ("need", need)),
                good=ratio >= 1,
            )
        )
    return (sum(scores) / len(scores) if scores else 1.0), reasons


_WORD = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z]{3,}")
_FILLER = {"产业", "项目", "园区", "基地", "相关", "配套", "优势", "其他", "制造", "行业"}


@lru_cache(maxsize=8192)
def _words(text: str) -> frozenset[str]:
    """Two-character pieces of the Chinese runs (材料, 气体 …) and the Latin words."""
    words: set[str] = set()
    for run in _WORD.findall(text or ""):
        if run.isascii():
            words.add(run.lower())
            continue
        words.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(words - _FILLER)


def industries(needs: Needs, offer: Offer) -> tuple[float, list[Reason]]:
    wanted = _words(f"{needs.sector} {needs.segment_name}")
    code2 = needs.industry_code[:2]
    best, best_industry = 0.0, None
    for industry in offer.industries:
        same_code = bool(code2) and len(code2) == 2 and industry.code[:2] == code2
        shared = wanted & _words(industry.name)
        if same_code or shared:
            value = ROLE_SCORES.get(industry.role, 0.6)
            if value > best:
                best, best_industry = value, industry
    if best_industry is None:
        if not offer.industries:
            return UNKNOWN, [Reason("industries", "industries_unknown", good=None)]
        names = tuple(i.name for i in offer.industries[:4])
        return 0.0, [Reason("industries", "industries_other", (("names", names),), good=False)]
    return best, [
        Reason(
            "industries",
            "industry_match",
            (("name", best_industry.name), ("role", best_industry.role)),
            good=True,
        )
    ]


def chain(offer: Offer) -> tuple[float, list[Reason]]:
    if offer.segment_firms is None:
        return UNKNOWN, [Reason("chain", "segment_unknown", good=None)]
    x = offer.segment_firms + 0.5 * offer.neighbour_firms
    value = 1.0 - math.exp(-x / CHAIN_SCALE)
    params = (("segment", offer.segment_firms), ("neighbours", offer.neighbour_firms))
    if x == 0:
        return 0.0, [Reason("chain", "chain_none", params, good=False)]
    return value, [Reason("chain", "chain_firms", params, good=True)]


def policies(offer: Offer) -> tuple[float, list[Reason]]:
    if not offer.policies:
        return 0.0, [Reason("policies", "policies_none", good=False)]
    local = [p.title for p in offer.policies if not p.shared_via]
    shared = [f"{p.title}({p.shared_via})" for p in offer.policies if p.shared_via]
    reasons = []
    if local:
        reasons.append(Reason("policies", "policies_local", (("titles", tuple(local)),), good=True))
    if shared:
        reasons.append(
            Reason("policies", "policies_shared", (("titles", tuple(shared)),), good=True)
        )
    return min(1.0, len(offer.policies) / POLICY_SATURATION), reasons


def partners(offer: Offer) -> tuple[float, list[Reason]]:
    if not offer.partners:
        return 0.0, []
    return 1.0, [Reason("partners", "partners", (("names", tuple(offer.partners)),), good=True)]


def positioning(offer: Offer) -> tuple[float, list[Reason]]:
    found = offer.positioning
    if found is None:
        return UNKNOWN, [Reason("positioning", "positioning_unknown", good=None)]
    source = (("source", found.source),)
    if found.present:
        return PRESENT_SCORE, [Reason("positioning", "positioning_present", source, good=True)]
    value = QUADRANT_SCORES.get(found.quadrant, OTHER_QUADRANT)
    return value, [
        Reason(
            "positioning",
            "positioning_quadrant",
            (("quadrant", found.quadrant), ("rank", found.rank), *source),
            good=value >= QUADRANT_SCORES["entrant"],
        )
    ]


def fit(needs: Needs, offer: Offer) -> Fit:
    parts: dict[str, float] = {}
    reasons: list[Reason] = []
    for name, (value, why) in (
        ("land", land(needs, offer)),
        ("utilities", utilities(needs, offer)),
        ("industries", industries(needs, offer)),
        ("chain", chain(offer)),
        ("policies", policies(offer)),
        ("partners", partners(offer)),
        ("positioning", positioning(offer)),
    ):
        parts[name] = round(value, 4)
        reasons.extend(why)
    score = round(sum(WEIGHTS[name] * parts[name] for name in PARTS), 4)
    return Fit(offer.park, score, parts, reasons)


def rank(needs: Needs, offers: Sequence[Offer], top: int | None = None) -> list[Fit]:
    """Every park's fit, best first (ties: the park's id, so the order is stable)."""
    fits = sorted((fit(needs, offer) for offer in offers), key=lambda f: (-f.score, f.park))
    return fits if top is None else fits[:top]
