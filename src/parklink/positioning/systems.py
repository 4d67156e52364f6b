"""A declared industry system against the numbers (no Django).

Each declared industry names GB/T 4754 codes; at the matrix's digit level they become the
industries it covers (a longer code is cut, a shorter one covers every industry under it).
Against the place's recommendations it is:

- `specialised`: the place already has one of them (RCA ≥ threshold);
- `near`: none yet, but one of them is a candidate with density ≥ the candidates' median;
- `far`: its industries are all candidates below the median density (far from capabilities);
- `excluded`: every industry it covers is excluded (screening, resources, by hand);
- `unknown`: none of its codes is among the matrix's industries (too rare, or absent).

`missing` lists the strongest candidates (best ranks) that no declared industry covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parklink.positioning.recommend import PlaceRecommendations, Recommendation


@dataclass(frozen=True)
class Declared:
    name: str
    role: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    declared: Declared
    status: str
    industries: tuple[str, ...]  # the matrix's industries it covers
    best: Recommendation | None  # its strongest item (present, else the best-ranked candidate)


def covered(codes: Sequence[str], industries: Sequence[str], digits: int) -> tuple[str, ...]:
    out = []
    for industry in industries:
        for code in codes:
            if len(code) >= digits and code[:digits] == industry:
                out.append(industry)
                break
            if len(code) < digits and industry.startswith(code):
                out.append(industry)
                break
    return tuple(out)


def compare(
    declared: Sequence[Declared],
    found: PlaceRecommendations,
    industries: Sequence[str],
    digits: int,
    missing_top: int = 5,
) -> tuple[list[Verdict], list[Recommendation]]:
    by_code = {item.industry: item for item in found.items}
    candidates = [i for i in found.items if not i.present]
    median = sorted(i.density for i in candidates)[len(candidates) // 2] if candidates else 0.0
    verdicts = []
    all_covered: set[str] = set()
    for entry in declared:
        mine = covered(entry.codes, industries, digits)
        all_covered.update(mine)
        items = [by_code[c] for c in mine if c in by_code]
        present = [i for i in items if i.present]
        open_ = sorted((i for i in items if not i.present), key=lambda i: i.rank)
        if present:
            status, best = "specialised", max(present, key=lambda i: i.rca)
        elif open_:
            best = open_[0]
            status = "near" if max(i.density for i in open_) >= median else "far"
        elif mine:
            status, best = "excluded", None
        else:
            status, best = "unknown", None
        verdicts.append(Verdict(entry, status, mine, best))
    missing = [c for c in found.candidates() if c.industry not in all_covered][:missing_top]
    return verdicts, missing
