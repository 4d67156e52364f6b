"""Siting API (/api/v1/matching/siting/): parks ranked for a project, with each part and its
reasons; a project's power and water needs; a park's spare capacity.

A project the user may not see is a 404 (projects' visibility); writes need an officer of the
project's (or the park's) organisation.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from parklink.accounts.apitools import current_user
from parklink.matching.services import siting

router = Router(tags=["matching-siting"])


class ReasonOut(Schema):
    part: str
    code: str
    text: str
    good: bool | None


class ParkFitOut(Schema):
    rank: int
    park: int
    park_name: str
    region: str
    score: float
    parts: dict[str, float]
    reasons: list[ReasonOut]


class SitingOut(Schema):
    project: int
    project_name: str
    chain: str
    segment: str
    segment_name: str
    segment_source: str
    land_mu: Decimal | None
    floor_m2: Decimal | None
    power_kva: Decimal | None
    water_tpd: Decimal | None
    weights: dict[str, float]
    parks: list[ParkFitOut]


class TopIn(Schema):
    top: int = Field(20, ge=1, le=500)


class NeedsIn(Schema):
    power_kva: Decimal | None = Field(None, gt=0, max_digits=12, decimal_places=2)
    water_tpd: Decimal | None = Field(None, gt=0, max_digits=12, decimal_places=2)
    chain: str = Field("", max_length=64)
    segment: str = Field("", max_length=64)
    note: str = Field("", max_length=2000)


class NeedsOut(Schema):
    project: int
    power_kva: Decimal | None
    water_tpd: Decimal | None
    chain: str
    segment: str
    note: str


class CapacityIn(Schema):
    power_kva: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    water_tpd: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    note: str = Field("", max_length=2000)


class CapacityOut(Schema):
    park: int
    power_kva: Decimal | None
    water_tpd: Decimal | None
    note: str


def siting_out(found: siting.Siting) -> dict[str, Any]:
    return {
        "project": found.project.pk,
        "project_name": found.project.name,
        "chain": found.segment.chain,
        "segment": found.segment.segment,
        "segment_name": found.segment.name,
        "segment_source": found.segment.source,
        "land_mu": found.wanted.land_mu,
        "floor_m2": found.wanted.floor_m2,
        "power_kva": found.wanted.power_kva,
        "water_tpd": found.wanted.water_tpd,
        "weights": dict(siting.score.WEIGHTS),
        "parks": [
            {
                "rank": position,
                "park": f.park.pk,
                "park_name": f.park.name,
                "region": f.park.region.full_name,
                "score": f.score,
                "parts": f.fit.parts,
                "reasons": [
                    {
                        "part": r.part,
                        "code": r.code,
                        "text": siting.describe(r),
                        "good": r.good,
                    }
                    for r in f.fit.reasons
                ],
            }
            for position, f in enumerate(found.fits, start=1)
        ],
    }


@router.get("/projects/{project_id}", response=SitingOut, summary="Parks ranked for a project")
def rank(request: HttpRequest, project_id: int, query: Query[TopIn]) -> dict[str, Any]:
    user = current_user(request)
    return siting_out(siting.rank(user, siting.get_project(user, project_id), query.top))


@router.put("/projects/{project_id}/needs", response=NeedsOut, summary="A project's siting needs")
def put_needs(request: HttpRequest, project_id: int, payload: NeedsIn) -> dict[str, Any]:
    user = current_user(request)
    project = siting.get_project(user, project_id)
    row = siting.save_needs(user, project, **payload.model_dump())
    return {
        "project": project.pk,
        "power_kva": row.power_kva,
        "water_tpd": row.water_tpd,
        "chain": row.chain,
        "segment": row.segment,
        "note": row.note,
    }


@router.put("/parks/{park_id}/capacity", response=CapacityOut, summary="A park's spare capacity")
def put_capacity(request: HttpRequest, park_id: int, payload: CapacityIn) -> dict[str, Any]:
    user = current_user(request)
    park = siting.get_park(park_id)
    row = siting.save_capacity(user, park, **payload.model_dump())
    return {
        "park": park.pk,
        "power_kva": row.power_kva,
        "water_tpd": row.water_tpd,
        "note": row.note,
    }
