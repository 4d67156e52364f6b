"""Positioning API (/api/v1/positioning/): a place's recommended industries from the registry.

The registry is shared by every organisation, so every signed-in caller gets the same figures
from it; a dataset (`dataset=ID`) must be one the caller may see (shared, or its
organisation's), else it is a 404 like a missing one. An unknown place is a 404, a place below
the thresholds or bad options a 400 naming the field.
"""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from parklink.accounts.apitools import current_user
from parklink.chains.services.templates import get_visible
from parklink.positioning.queries import get_dataset
from parklink.positioning.recommend import Recommendation
from parklink.positioning.schemas import RecommendOut, RecommendQuery
from parklink.positioning.services.links import links_for, targets_url
from parklink.positioning.services.report import Options, place_report
from parklink.positioning.services.systems import systems_for

router = Router(tags=["positioning"])


def _number(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _industry(item: Recommendation, names: dict[str, str]) -> dict[str, Any]:
    return {
        "industry": item.industry,
        "name": names.get(item.industry, ""),
        "quadrant": item.quadrant,
        "present": item.present,
        "rank": item.rank,
        "score": _number(item.score),
        "rca": _number(item.rca),
        "density": _number(item.density),
        "pci": _number(item.pci),
        "cog": _number(item.cog),
        "reasons": [{"code": code, "value": _number(value)} for code, value in item.reasons],
    }


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@router.get("/recommend", response=RecommendOut, summary="A place's recommended industries")
def recommend(request: HttpRequest, query: Query[RecommendQuery]) -> dict[str, Any]:
    user = current_user(request)
    dataset = get_dataset(user, query.dataset) if query.dataset is not None else None
    options = Options(
        dataset=dataset,
        measure=query.measure,
        digits=query.digits,
        level=query.level,
        within=query.within,
        min_enterprises=query.min_enterprises,
        min_classified=query.min_classified,
        min_places=query.min_places,
        convention=query.convention,
        threshold=query.threshold,
        exclude_tags=_split(query.exclude_tags),
        whole_only=query.whole_only,
        exclude=_split(query.exclude),
        require_resources=query.require_resources,
        park=query.park,
        metro=query.metro,
        compare=get_dataset(user, query.compare) if query.compare is not None else None,
        chain=get_visible(user, query.chain) if query.chain is not None else None,
    )
    report = place_report(query.place or "", options)
    found, m = report.found, report.placed.matrix
    shown = found.candidates()[: query.top]
    links = links_for(user, report, [item.industry for item in shown])
    names = report.product_names()
    growth = report.change.growth() if report.change else {}
    change = None
    if report.change is not None and report.compare is not None:
        change = {
            "compare": report.compare.pk,
            "year_from": report.compare.year,
            "year_to": dataset.year if dataset else None,
            "eci_from": _number(report.change.eci_from),
            "eci_to": _number(report.change.eci_to),
            "eci_change": _number(report.change.eci_change),
            "industries": [
                {
                    "industry": c.industry,
                    "rca_from": _number(c.rca_from),
                    "rca_to": _number(c.rca_to),
                    "rca_change": _number(c.rca_change),
                    "growth_elsewhere": _number(c.growth_elsewhere),
                }
                for c in report.change.industries
            ],
        }
    return {
        "dataset": dataset.pk if dataset else None,
        "illustrative": bool(dataset and dataset.illustrative),
        "change": change,
        "place": report.key,
        "place_name": report.name,
        "park": report.park.pk if report.park else None,
        "metro": report.metro.key if report.metro else None,
        "compared_with": report.compared_with,
        "level": report.placed.level,
        "within": report.within.adcode if report.within else None,
        "places_compared": len(m.places),
        "industries": len(m.industries),
        "measure": query.measure,
        "digits": query.digits,
        "chain": report.placed.chain.pk if report.placed.chain else None,
        "convention": query.convention,
        "eci": _number(found.eci),
        "quality": {
            "enterprises": report.quality.enterprises,
            "classified": report.quality.classified,
            "classified_share": report.quality.classified_share,
            "grade": report.quality.grade,
        },
        "eigenvalues": list(report.result.eigenvalues),
        "eigen_gap": _number(report.result.eigen_gap),
        "warnings": sorted(report.result.codes() & {"weak_structure", "disconnected"}),
        "candidates": [
            {
                **_industry(i, names),
                "growth_elsewhere": _number(growth.get(i.industry, math.nan)),
                "segments": [
                    {
                        "chain": ref.chain,
                        "chain_key": ref.chain_key,
                        "chain_name": ref.chain_name,
                        "segment": ref.segment,
                        "segment_name": ref.segment_name,
                        "targets_url": targets_url(report, ref),
                    }
                    for ref in links.get(i.industry, [])
                ],
            }
            for i in shown
        ],
        "present": [_industry(i, names) for i in found.items if i.present],
        "resources": report.resources,
        "resource_needs_missing": report.resource_fit.missing if report.resource_fit else {},
        "resource_uses": report.resource_fit.favoured if report.resource_fit else {},
        "excluded": [
            {"industry": code, "name": names.get(code, ""), "reasons": reasons}
            for code, reasons in sorted(found.excluded.items())
        ],
        "systems": [
            {
                "id": entry.system.pk,
                "name": entry.system.name,
                "declared_by": entry.system.declared_by,
                "source": entry.system.source,
                "industries": [
                    {
                        "name": v.declared.name,
                        "role": v.declared.role,
                        "codes": list(v.declared.codes),
                        "status": v.status,
                        "industries": list(v.industries),
                        "best": v.best.industry if v.best else None,
                    }
                    for v in entry.verdicts
                ],
                "missing": [m.industry for m in entry.missing],
            }
            for entry in systems_for(report)
        ],
    }
