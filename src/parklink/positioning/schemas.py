"""JSON shapes of the positioning API. Undefined figures (NaN inside) are null."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

Adcode = Annotated[str, Field(pattern=r"^\d{6}$", examples=["510682"])]


class RecommendQuery(Schema):
    place: Adcode | None = Field(None, description="a region's adcode; not needed with park")
    park: Annotated[int, Field(ge=1, description="a park's id: the park as the place")] | None = (
        None
    )
    chain: (
        Annotated[int, Field(ge=1, description="a chain template's id: its segments as products")]
        | None
    ) = None
    compare: (
        Annotated[int, Field(ge=1, description="an earlier year's dataset of the same measure")]
        | None
    ) = None
    metro: (
        Annotated[str, Field(max_length=64, description="compare within a metro area (its key)")]
        | None
    ) = None
    dataset: (
        Annotated[int, Field(ge=1, description="a dataset's id; absent: the registry")] | None
    ) = None
    measure: Literal["count", "capital"] = "count"
    digits: Literal[2, 3, 4] = 2
    level: Literal["province", "city", "county"] | None = None
    within: Adcode | None = None
    min_enterprises: Annotated[int, Field(ge=1, le=100_000)] = 20
    min_classified: Annotated[float, Field(ge=0, le=1)] = 0.5
    min_places: Annotated[int, Field(ge=1, le=10_000)] = 2
    convention: Literal["pyecomplexity", "stata"] = "pyecomplexity"
    threshold: Annotated[float, Field(gt=0, le=1000)] = 1.0
    exclude_tags: Annotated[
        str,
        Field(
            max_length=200,
            description="comma separated: energy_intensive, two_high, water_intensive, "
            "chemical_park",
        ),
    ] = ""
    whole_only: bool = False
    require_resources: bool = False
    exclude: Annotated[
        str, Field(max_length=2000, description="industry codes, comma separated")
    ] = ""
    top: Annotated[int, Field(ge=1, le=2000)] = 50


class QualityOut(Schema):
    enterprises: int
    classified: int
    classified_share: float
    grade: str


class ReasonOut(Schema):
    code: str
    value: float | None


class IndustryChangeOut(Schema):
    industry: str
    rca_from: float | None
    rca_to: float | None
    rca_change: float | None
    growth_elsewhere: float | None


class ChangeOut(Schema):
    compare: int
    year_from: int | None
    year_to: int | None
    eci_from: float | None
    eci_to: float | None
    eci_change: float | None
    industries: list[IndustryChangeOut]


class SegmentOut(Schema):
    chain: int
    chain_key: str
    chain_name: str
    segment: str
    segment_name: str
    targets_url: str


class IndustryOut(Schema):
    industry: str
    name: str
    quadrant: str
    present: bool
    rank: int
    score: float | None
    rca: float | None
    density: float | None
    pci: float | None
    cog: float | None
    reasons: list[ReasonOut]
    segments: list[SegmentOut] = []
    growth_elsewhere: float | None = None


class ExcludedOut(Schema):
    industry: str
    name: str
    reasons: list[str]


class VerdictOut(Schema):
    name: str
    role: str
    codes: list[str]
    status: str
    industries: list[str]
    best: str | None


class SystemOut(Schema):
    id: int
    name: str
    declared_by: str
    source: str
    industries: list[VerdictOut]
    missing: list[str]


class RecommendOut(Schema):
    dataset: int | None
    illustrative: bool
    change: ChangeOut | None = None
    place: str  # the adcode, or park:<id>
    place_name: str
    park: int | None
    metro: str | None
    compared_with: str
    level: str
    within: str | None
    places_compared: int
    industries: int
    measure: str
    digits: int
    chain: int | None = None
    convention: str
    eci: float | None
    quality: QualityOut
    eigenvalues: list[float]
    eigen_gap: float | None
    warnings: list[str]
    candidates: list[IndustryOut]
    present: list[IndustryOut]
    resources: list[str]
    resource_needs_missing: dict[str, list[str]]
    resource_uses: dict[str, list[str]]
    excluded: list[ExcludedOut]
    systems: list[SystemOut]
