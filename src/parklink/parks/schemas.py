"""JSON shapes of parks (and the organisation references every registry record carries)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from parklink.accounts.schemas import OrgRef
from parklink.core.apitools import (
    NOT_BLANK,
    IndicatorValue,
    IsoDate,
    Mu,
    Position,
    RecordId,
    ResourceValue,
    SquareMetres,
    Year,
)
from parklink.core.money import format_amount
from parklink.parks.models import (
    IndicatorKind,
    IndustryRole,
    LinkageMember,
    LinkageRole,
    Park,
    ParkIndicator,
    ParkKind,
    ParkLinkage,
    ResourceKind,
)
from parklink.regions.schemas import RegionRef


class ParkRef(Schema):
    id: int
    name: str
    kind: str


class ParkOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    region: RegionRef
    parent: ParkRef | None = None
    owner: OrgRef
    established: date | None = None
    planned_area_mu: Decimal | None = None
    carrier_built_m2: Decimal | None = None
    carrier_occupied_m2: Decimal | None = None
    available_land_mu: Decimal | None = None
    occupancy_rate: float | None = None

    @staticmethod
    def resolve_kind_label(obj: Park) -> str:
        return str(obj.get_kind_display())


class IndustryOut(Schema):
    name: str
    role: str
    industry_code: str
    order: int


class ResourceOut(Schema):
    kind: str
    kind_label: str
    value: Decimal | None = None
    value_max: Decimal | None = None
    unit: str
    note: str

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())


class IndicatorOut(Schema):
    """A yearly figure; money figures are in 元 and also given as a display string."""

    year: int
    indicator: str
    indicator_label: str
    value: Decimal
    unit: str
    display: str

    @staticmethod
    def resolve_indicator_label(obj: ParkIndicator) -> str:
        return str(obj.get_indicator_display())

    @staticmethod
    def resolve_unit(obj: ParkIndicator) -> str:
        return "元" if obj.indicator in IndicatorKind.money() else obj.unit

    @staticmethod
    def resolve_display(obj: ParkIndicator) -> str:
        if obj.indicator in IndicatorKind.money():
            return format_amount(obj.value)
        return f"{obj.value.normalize():f}{obj.unit}"


class LinkageMemberOut(Schema):
    park: ParkRef
    role: str
    role_label: str
    order: int

    @staticmethod
    def resolve_role_label(obj: LinkageMember) -> str:
        return str(obj.get_role_display())


class LinkageOut(Schema):
    """A 三园联动 group this park belongs to, with this park's role in it."""

    id: int
    name: str
    description: str
    role: str
    members: list[LinkageMemberOut]


class ParkDetailOut(ParkOut):
    description: str
    industries: list[IndustryOut]
    resources: list[ResourceOut]
    indicators: list[IndicatorOut]
    children: list[ParkRef]
    linkages: list[LinkageOut]

    @staticmethod
    def resolve_linkages(obj: Park) -> list[dict[str, Any]]:
        memberships: list[LinkageMember] = list(obj.linkage_memberships.all())
        return [
            {
                "id": m.linkage.pk,
                "name": m.linkage.name,
                "description": m.linkage.description,
                "role": m.role,
                "members": list(m.linkage.members.all()),
            }
            for m in memberships
        ]


class ParkPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ParkOut]


class ParkPatch(Schema):
    """Fields to change; `region` is an adcode or a place name, `parent` a park id."""

    model_config = ConfigDict(extra="forbid")

    # Name, kind and region may be changed but not cleared (no null).
    name: str = Field(None, min_length=1, max_length=128, pattern=NOT_BLANK)  # type: ignore[assignment]
    short_name: str | None = Field(None, max_length=64)
    kind: ParkKind = Field(None)  # type: ignore[assignment]
    region: str = Field(  # type: ignore[assignment]
        None, min_length=1, max_length=100, pattern=NOT_BLANK, description="adcode or place name"
    )
    parent: RecordId | None = Field(None, description="park id; null detaches")
    description: str | None = None
    established: IsoDate | None = Field(None, description="设立日期, not in the future")
    planned_area_mu: Mu | None = Field(None, description="亩")
    carrier_built_m2: SquareMetres | None = Field(None, description="平方米")
    carrier_occupied_m2: SquareMetres | None = Field(None, description="平方米, not above built")
    available_land_mu: Mu | None = Field(None, description="亩")


class ParkIn(ParkPatch):
    """A new park; `owner` (an organisation id) is only for installation admins."""

    name: str = Field(min_length=1, max_length=128, pattern=NOT_BLANK)
    kind: ParkKind
    region: str = Field(
        min_length=1, max_length=100, pattern=NOT_BLANK, description="adcode or place name"
    )
    owner: RecordId | None = None


# ---------------------------------------------------------------- replacing a park's lists


class IndustryIn(Schema):
    """One industry of the park ("2+6"); `order` defaults to its place in the list."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64, pattern=NOT_BLANK)
    role: IndustryRole = IndustryRole.LEADING
    industry_code: str = ""
    order: Position | None = Field(None, description="default: its place in the list")


class ResourceIn(Schema):
    """One resource; `value`–`value_max` may give a range."""

    model_config = ConfigDict(extra="forbid")

    kind: ResourceKind
    value: ResourceValue | None = None
    value_max: ResourceValue | None = None
    unit: str = ""
    note: str = ""


class IndicatorIn(Schema):
    """A yearly figure: money indicators (gdp, tax, output, revenue) in 元, others in `unit`."""

    model_config = ConfigDict(extra="forbid")

    year: Year = Field(description="from 1949 to next year")
    indicator: IndicatorKind
    value: IndicatorValue
    unit: str = ""


class IndustriesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    items: list[IndustryIn]


class ResourcesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    items: list[ResourceIn]


class IndicatorsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    items: list[IndicatorIn]


class IndustriesOut(Schema):
    items: list[IndustryOut]


class ResourcesOut(Schema):
    items: list[ResourceOut]


class IndicatorsOut(Schema):
    items: list[IndicatorOut]


# ---------------------------------------------------------------- linkages (三园联动)


class LinkageMemberIn(Schema):
    model_config = ConfigDict(extra="forbid")

    park: RecordId
    role: LinkageRole
    order: Position | None = Field(None, description="default: its place in the list")


class LinkagePatch(Schema):
    """Fields to change; `members`, when given, replaces every member."""

    model_config = ConfigDict(extra="forbid")

    # The name may be changed but not cleared; members may be replaced but not nulled.
    name: str = Field(None, min_length=1, max_length=128, pattern=NOT_BLANK)  # type: ignore[assignment]
    description: str | None = None
    members: list[LinkageMemberIn] = Field(None)  # type: ignore[arg-type]


class LinkageIn(LinkagePatch):
    """A new linkage; `owner` (an organisation id) is only for installation admins."""

    name: str = Field(min_length=1, max_length=128, pattern=NOT_BLANK)
    owner: RecordId | None = None


class LinkageDetailOut(Schema):
    id: int
    name: str
    description: str
    owner: OrgRef
    members: list[LinkageMemberOut]

    @staticmethod
    def resolve_members(obj: ParkLinkage) -> list[LinkageMember]:
        return list(obj.members.all())


class LinkagePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LinkageDetailOut]
