"""JSON shapes of the chains API. Registered capital is in 元 as a decimal string (exact)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

PlaceRef = Annotated[
    str,
    Field(
        max_length=80,
        description="region:ADCODE, park:ID, cobuild:ID, linkage:ID or metro:KEY",
        examples=["region:510106"],
    ),
]
ChainRef = Annotated[
    str, Field(max_length=64, description="a template id or key", examples=["photovoltaics"])
]
SegmentKey = Annotated[str, Field(max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]


class TemplateOut(Schema):
    id: int
    key: str
    name: str
    owner: int | None = Field(None, description="the owning organisation; null: shipped")
    version: int = Field(description="the latest version's number")
    catalog_version: str
    segments: int
    classified_at: datetime | None = None


class SegmentOut(Schema):
    key: str
    name: str
    name_en: str
    stage: str
    role: str
    parent: str | None = None
    keywords: list[str]
    exclusions: list[str]
    industry_codes: list[str]
    products: list[str]


class TemplateDetailOut(TemplateOut):
    text: str = Field(description="the version's YAML")
    segment_list: list[SegmentOut]
    edges: list[list[str]]
    versions: list[int]


class TemplateVersionIn(Schema):
    text: str = Field(max_length=200_000, description="the whole template as YAML")
    note: str = Field("", max_length=255)


class AssignmentOut(Schema):
    template: int
    chain: str
    version: int
    segment: str
    score: float
    rank: int
    accepted: bool
    source: str
    evidence: list[str]
    corrected_by: str | None = None
    corrected_at: datetime | None = None


class CorrectionIn(Schema):
    template: int
    segments: list[SegmentKey] = Field(
        max_length=50, description="the enterprise's segments; empty: not in this chain"
    )
    note: str = Field("", max_length=200)


class SegmentCoverageOut(Schema):
    key: str
    name: str
    stage: str
    role: str
    label: str = Field(description="strong, present, weak or missing")
    enterprises: int
    registered_capital: Decimal = Field(description="元, exact")
    leaders: int
    listed: int
    high_tech: int
    specialised: int
    projects: dict[str, int] = Field(description="visible projects by stage")
    rnd_sites: int = 0
    manufacturing_sites: int = 0


class RulesOut(Schema):
    strong_enterprises: int
    strong_leader_enterprises: int
    strong_capital: Decimal
    present_enterprises: int


class CoverageOut(Schema):
    place: str
    place_name: str
    template: int
    chain: str
    version: int
    catalog_version: str
    rules: RulesOut
    enterprises: int
    segments: list[SegmentCoverageOut]


class CompareOut(Schema):
    places: list[CoverageOut]


class TargetOut(Schema):
    rank: int
    enterprise: int
    name: str
    region: str
    segment: str
    segment_name: str
    label: str
    score: float
    parts: dict[str, float]
    reasons: list[str]
    lead_project: int | None = None


class TargetsOut(Schema):
    place: str
    template: int
    version: int
    segments: list[str]
    targets: list[TargetOut]


class LeadIn(Schema):
    place: PlaceRef
    chain: ChainRef
    segment: SegmentKey
    enterprise: int = Field(ge=1, le=2**31 - 1)


class LeadOut(Schema):
    project: int
    name: str
    template: int
    version: int
    segment: str
    label: str
    place: str
    score: float
    reasons: list[str]
