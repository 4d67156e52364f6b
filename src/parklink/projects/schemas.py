"""JSON shapes of the project library; money is in 元, entered in 元 or in 万元 via `_wan`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, model_validator

from parklink.accounts.schemas import OrgRef
from parklink.core.apitools import (
    MAX_ID,
    MAX_OFFSET,
    NOT_BLANK,
    Headcount,
    IsoDate,
    Mu,
    PositiveWan,
    PositiveYuan,
    RecordId,
    SquareMetres,
    Wan,
    Yuan,
    one_unit_only,
    one_unit_required,
)
from parklink.core.money import format_amount, to_yuan
from parklink.core.sources import sources_of
from parklink.enterprises.schemas import EnterpriseRef
from parklink.parks.schemas import ParkRef
from parklink.projects import services
from parklink.projects.ageing import Colour
from parklink.projects.amounts import format_qualified
from parklink.projects.lifecycle import Stage
from parklink.projects.models import (
    AmountQualifier,
    Approval,
    ApprovalKind,
    ApprovalStatus,
    CapitalOrigin,
    FundsInPlace,
    LeadSource,
    Maturity,
    Project,
)
from parklink.projects.queries import today
from parklink.projects.services import AMOUNT_FIELDS as PROJECT_AMOUNTS
from parklink.regions.schemas import RegionRef

# Set by the list endpoint, which works out every row's colour in one go.
COLOUR_ATTR = "_api_colour"


def fold_wan(payload: Schema, names: tuple[str, ...]) -> None:
    """Set each `<name>` (元) from `<name>_wan` (万元) when given; giving both is an error.

    Callers leave the `_wan` fields out when they dump the payload (see `without_wan`).
    """
    for name in names:
        wan = getattr(payload, f"{name}_wan")
        if wan is None:
            continue
        if getattr(payload, name) is not None:
            raise ValueError(_("%(name)s 与 %(name)s_wan 只能填写一个") % {"name": name})
        setattr(payload, name, to_yuan(wan, "万元"))


def without_wan(names: tuple[str, ...]) -> set[str]:
    return {f"{name}_wan" for name in names}


def _display(amount: Decimal | None) -> str:
    return format_amount(amount)


class TagOut(Schema):
    code: str
    name: str


class UserRef(Schema):
    id: int
    username: str
    display_name: str


class ProjectOut(Schema):
    """A row of the project library."""

    id: int
    name: str
    code_name: str
    stage: str
    stage_label: str
    owner: OrgRef
    park: ParkRef | None = None
    region: RegionRef
    investor: EnterpriseRef | None = None
    sector: str
    maturity: str
    total_investment: Decimal | None = None
    total_investment_qualifier: str = Field(
        "exact", description="exact, at_least (超/以上/逾) or about (约/近/左右)"
    )
    total_investment_display: str = Field(description="with the qualifier: 超10亿元, 约2亿元")
    responsible_leader: str
    stage_since: date
    signed_on: date | None = None
    last_progress_on: date
    colour: Colour | None = None
    tags: list[TagOut]

    @staticmethod
    def resolve_stage_label(obj: Project) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_total_investment_display(obj: Project) -> str:
        return format_qualified(obj.total_investment, obj.total_investment_qualifier)

    @staticmethod
    def resolve_colour(obj: Project) -> Colour | None:
        if COLOUR_ATTR in obj.__dict__:
            return obj.__dict__[COLOUR_ATTR]
        return services.colour_of(obj)


class MilestoneOut(Schema):
    id: int
    name: str
    due_on: date
    done_on: date | None = None
    note: str
    overdue: bool

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return obj.done_on is None and obj.due_on < today()


class ApprovalOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    due_on: date | None = None
    submitted_on: date | None = None
    decided_on: date | None = None
    reference: str
    note: str

    @staticmethod
    def resolve_kind_label(obj: Approval) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: Approval) -> str:
        return str(obj.get_status_display())


class FundsOut(Schema):
    id: int
    received_on: date
    amount: Decimal
    amount_display: str
    evidence: str
    note: str

    @staticmethod
    def resolve_amount_display(obj: FundsInPlace) -> str:
        return _display(obj.amount)


class TransitionOut(Schema):
    """One recorded stage change: who moved the project, from where to where, when and why."""

    id: int
    from_stage: str
    to_stage: str
    effective_on: date
    actor: UserRef | None = None
    note: str
    recorded_at: datetime


class SourceOut(Schema):
    document: str
    quote: str
    url: str


class ProjectDetailOut(ProjectOut):
    description: str
    industry_code: str
    phase_investment: Decimal | None = None
    phase_investment_qualifier: str = "exact"
    phase_investment_display: str
    capital_origin: str
    expected_annual_revenue: Decimal | None = None
    expected_annual_revenue_display: str
    expected_annual_tax: Decimal | None = None
    expected_annual_tax_display: str
    jobs: int | None = None
    land_area_mu: Decimal | None = None
    floor_area_m2: Decimal | None = None
    remarks: str
    lead_source: str
    lead_source_detail: str
    leader_user: UserRef | None = None
    task_force: str
    mechanism: str
    stalled_from: str
    contract_start_date: date | None = None
    contract_production_date: date | None = None
    allowed_next: list[str]
    milestones: list[MilestoneOut]
    overdue_milestones: int
    approvals: list[ApprovalOut]
    funds: list[FundsOut]
    funds_total: Decimal
    funds_total_display: str
    transitions: list[TransitionOut]
    sources: list[SourceOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_phase_investment_display(obj: Project) -> str:
        return format_qualified(obj.phase_investment, obj.phase_investment_qualifier)

    @staticmethod
    def resolve_expected_annual_revenue_display(obj: Project) -> str:
        return _display(obj.expected_annual_revenue)

    @staticmethod
    def resolve_expected_annual_tax_display(obj: Project) -> str:
        return _display(obj.expected_annual_tax)

    @staticmethod
    def resolve_allowed_next(obj: Project) -> list[str]:
        return services.allowed_next(obj)

    @staticmethod
    def resolve_overdue_milestones(obj: Project) -> int:
        on = today()
        return sum(1 for m in obj.milestones.all() if m.done_on is None and m.due_on < on)

    @staticmethod
    def resolve_funds_total(obj: Project) -> Decimal:
        return sum((f.amount for f in obj.funds.all()), Decimal("0.00"))

    @staticmethod
    def resolve_funds_total_display(obj: Project) -> str:
        return _display(sum((f.amount for f in obj.funds.all()), Decimal("0.00")))

    @staticmethod
    def resolve_sources(obj: Project) -> list[Any]:
        return list(sources_of(obj))


class ProjectPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProjectOut]


class ProjectQuery(Schema):
    """Filters of the project list; `stage` may be repeated."""

    stage: list[Stage] = Field(default_factory=list)
    park: int | None = Field(None, ge=1, le=MAX_ID, description="park id; includes its sub-parks")
    region: str | None = Field(None, description="adcode; includes its sub-regions")
    sector: str | None = None
    maturity: Maturity | None = None
    colour: Colour | None = None
    tag: str | None = Field(None, description="tag code, e.g. key")
    leader: str | None = Field(None, description="part of the responsible leader's name")
    q: str | None = Field(
        None, description="name, code name, sector or investor; pinyin and initials too"
    )
    signed_from: IsoDate | None = Field(None, description="signed on or after (inclusive)")
    signed_to: IsoDate | None = Field(
        None, description="signed on or before (inclusive); not before signed_from (else 400)"
    )
    sort: str = Field("-signed_on", description="field, '-' for descending, e.g. -total_investment")
    limit: int = Field(20, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ProjectPatch(Schema):
    """Fields to change; amounts in 元 or, with the `_wan` suffix, in 万元."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=one_unit_only(*PROJECT_AMOUNTS))

    # A project keeps its name: it may be changed but not cleared (no null).
    name: str = Field(None, min_length=1, max_length=200, pattern=NOT_BLANK)  # type: ignore[assignment]
    code_name: str | None = Field(None, max_length=64)
    park: RecordId | None = Field(None, description="park id")
    region: str | None = Field(
        None, min_length=1, max_length=100, pattern=NOT_BLANK, description="adcode or place name"
    )
    investor: RecordId | None = Field(None, description="enterprise id")
    sector: str | None = Field(None, max_length=64)
    industry_code: str | None = Field(None, max_length=8)
    description: str | None = None
    total_investment: Yuan | None = Field(None, description="元")
    total_investment_wan: Wan | None = Field(None, description="万元, instead of the 元 field")
    total_investment_qualifier: AmountQualifier | None = Field(
        None, description="exact, at_least (超/以上/逾) or about (约/近/左右)"
    )
    phase_investment: Yuan | None = Field(None, description="元, not above the total")
    phase_investment_wan: Wan | None = Field(None, description="万元, instead of the 元 field")
    phase_investment_qualifier: AmountQualifier | None = None
    capital_origin: CapitalOrigin | None = None
    expected_annual_revenue: Yuan | None = Field(None, description="元")
    expected_annual_revenue_wan: Wan | None = Field(None, description="万元")
    expected_annual_tax: Yuan | None = Field(None, description="元")
    expected_annual_tax_wan: Wan | None = Field(None, description="万元")
    jobs: Headcount | None = None
    land_area_mu: Mu | None = Field(None, description="用地面积(亩)")
    floor_area_m2: SquareMetres | None = Field(None, description="建筑面积(平方米)")
    remarks: str | None = None
    maturity: Maturity | None = None
    tags: list[Annotated[str, Field(max_length=32)]] | None = Field(
        None, description="tag codes; replaces the project's tags"
    )
    lead_source: LeadSource | None = None
    contract_start_date: date | None = Field(None, description="合同约定开工日期")
    contract_production_date: date | None = Field(None, description="合同约定投产日期")
    lead_source_detail: str | None = Field(None, max_length=255)
    responsible_leader: str | None = Field(None, max_length=64)
    leader_user: RecordId | None = Field(
        None,
        description="user id of the responsible leader (a member of the owner organisation)",
    )
    task_force: str | None = Field(None, max_length=255)
    mechanism: str | None = None

    @model_validator(mode="after")
    def _amounts_in_yuan(self) -> Self:
        fold_wan(self, PROJECT_AMOUNTS)
        return self


# The stages a project may enter the library at (lifecycle.Stage without stalled/terminated).
EntryStage = Literal[
    "lead",
    "negotiating",
    "signed",
    "approvals",
    "started",
    "under_construction",
    "completed",
    "in_production",
    "full_production",
]


class ProjectIn(ProjectPatch):
    """A new project entering the library at `stage` (default lead) on `stage_date`."""

    name: str = Field(min_length=1, max_length=200, pattern=NOT_BLANK)
    stage: EntryStage = Field("lead", description="a project cannot enter as stalled or terminated")
    stage_date: IsoDate | None = Field(None, description="default today")
    note: str = ""
    owner: RecordId | None = Field(None, description="organisation id; installation admins only")


class TransitionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to: Stage
    date: IsoDate | None = Field(None, description="effective date, default today")
    note: str = ""


class MilestoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=128, pattern=NOT_BLANK)
    due_on: IsoDate
    note: str = ""


class CompleteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    date: IsoDate | None = Field(None, description="completion date, default today")


class ApprovalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: ApprovalKind
    status: ApprovalStatus
    due_on: IsoDate | None = None
    submitted_on: IsoDate | None = None
    decided_on: IsoDate | None = None
    reference: str = Field("", max_length=128)


class FundsIn(Schema):
    """Funds in place: `amount` in 元 or `amount_wan` in 万元."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=one_unit_required("amount"))

    received_on: IsoDate
    amount: PositiveYuan | None = Field(None, description="元")
    amount_wan: PositiveWan | None = Field(None, description="万元, instead of amount")
    evidence: str = Field("", max_length=255)
    note: str = Field("", max_length=255)
    confirm: bool = Field(
        False,
        description="true to record funds that take the total above the total investment "
        "(otherwise 409 confirmation_required)",
    )

    @model_validator(mode="after")
    def _amount_in_yuan(self) -> Self:
        fold_wan(self, ("amount",))
        if self.amount is None:
            raise ValueError(_("请填写 amount(元)或 amount_wan(万元)"))
        return self
