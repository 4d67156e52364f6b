"""JSON shapes of enterprises and their sites; capital is in 元, or in 万元 via `_wan`."""

from __future__ import annotations

from decimal import Decimal
from typing import Self

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, model_validator

from parklink.accounts.schemas import OrgRef
from parklink.core.apitools import NOT_BLANK, RecordId, Wan, Yuan, one_unit_only
from parklink.core.money import format_amount, to_yuan
from parklink.enterprises.models import (
    BUSINESS_SCOPE_MAX_LENGTH,
    Enterprise,
    EnterpriseSite,
    SiteRole,
)
from parklink.parks.schemas import ParkRef
from parklink.regions.schemas import RegionRef

FLAGS = ("is_chain_leader", "is_listed", "is_high_tech", "is_above_scale", "is_specialised_sme")


class EnterpriseRef(Schema):
    id: int
    name: str
    uscc: str | None = None


class EnterpriseOut(Schema):
    id: int
    name: str
    short_name: str
    uscc: str | None = None
    region: RegionRef
    owner: OrgRef
    industry_code: str
    is_chain_leader: bool
    is_listed: bool
    is_high_tech: bool
    is_above_scale: bool
    is_specialised_sme: bool
    registered_capital: Decimal | None = None
    registered_capital_display: str

    @staticmethod
    def resolve_registered_capital_display(obj: Enterprise) -> str:
        return format_amount(obj.registered_capital)


class SiteOut(Schema):
    id: int
    role: str
    role_label: str
    park: ParkRef | None = None
    region: RegionRef | None = None
    address: str

    @staticmethod
    def resolve_role_label(obj: EnterpriseSite) -> str:
        return str(obj.get_role_display())


class EnterpriseDetailOut(EnterpriseOut):
    description: str
    business_scope: str
    sites: list[SiteOut]


class EnterprisePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EnterpriseOut]


class SiteIn(Schema):
    """A base of the enterprise: in a park (id) and/or a region (adcode or place name)."""

    model_config = ConfigDict(extra="forbid")

    role: SiteRole
    park: RecordId | None = None
    region: str | None = Field(None, max_length=100)
    address: str = Field("", max_length=255)


class EnterprisePatch(Schema):
    """Fields to change; `region` is an adcode or a place name."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=one_unit_only("registered_capital"))

    # Name and region may be changed but not cleared (no null).
    name: str = Field(None, min_length=1, max_length=128, pattern=NOT_BLANK)  # type: ignore[assignment]
    short_name: str | None = Field(None, max_length=64)
    uscc: str | None = Field(None, max_length=64, description="统一社会信用代码 (18 characters)")
    region: str = Field(  # type: ignore[assignment]
        None, min_length=1, max_length=100, pattern=NOT_BLANK, description="adcode or place name"
    )
    industry_code: str | None = Field(None, max_length=8)
    description: str | None = None
    business_scope: str | None = Field(
        None, max_length=BUSINESS_SCOPE_MAX_LENGTH, description="经营范围 as registered"
    )
    is_chain_leader: bool = Field(None)  # type: ignore[assignment]  # no null
    is_listed: bool = Field(None)  # type: ignore[assignment]  # no null
    is_high_tech: bool = Field(None)  # type: ignore[assignment]  # no null
    is_above_scale: bool = Field(None)  # type: ignore[assignment]  # no null
    is_specialised_sme: bool = Field(None)  # type: ignore[assignment]  # no null
    registered_capital: Yuan | None = Field(None, description="元")
    registered_capital_wan: Wan | None = Field(None, description="万元, instead of the 元 field")
    sites: list[SiteIn] | None = Field(None, description="replaces every site when given")

    @model_validator(mode="after")
    def _capital_in_yuan(self) -> Self:
        """Set `registered_capital` (元) from `registered_capital_wan` (万元) when given."""
        if self.registered_capital_wan is not None:
            if self.registered_capital is not None:
                raise ValueError(
                    _("%(name)s 与 %(name)s_wan 只能填写一个") % {"name": "registered_capital"}
                )
            self.registered_capital = to_yuan(self.registered_capital_wan, "万元")
        return self


class EnterpriseIn(EnterprisePatch):
    """A new enterprise with its sites; `owner` (an organisation id) is for admins only."""

    name: str = Field(min_length=1, max_length=128, pattern=NOT_BLANK)
    region: str = Field(
        min_length=1, max_length=100, pattern=NOT_BLANK, description="adcode or place name"
    )
    owner: RecordId | None = None
    sites: list[SiteIn] | None = Field(default_factory=list)
