"""JSON shapes of co-built park agreements; amounts are integers in the indicator's smallest unit.

Money is in fen (分, `unit: "fen"`), jobs in persons (`unit: "person"`): integers, never
floats, so that a settlement adds up exactly; `amount_display` gives 元 with two places.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeAlias

from ninja import Schema
from pydantic import ConfigDict, Field

from parklink.accounts.schemas import OrgRef
from parklink.cobuild.exports import yuan
from parklink.cobuild.models import (
    HEADCOUNT_INDICATORS,
    Agreement,
    AgreementStatus,
    DivisionMode,
    Indicator,
    PartyRole,
    Rule,
    ScopeKind,
)
from parklink.cobuild.services.lifecycle import allowed_next
from parklink.cobuild.services.runs import allocation_terms
from parklink.core.apitools import MAX_OFFSET, NOT_BLANK, IsoDate, Position, RecordId
from parklink.enterprises.schemas import EnterpriseRef
from parklink.parks.schemas import ParkRef

PERIOD = r"^[0-9]{4}([Qq][1-4]|-[0-9]{2})?$"
KEY = r"^[a-z][a-z0-9_-]{0,31}$"
PeriodLabel = Annotated[
    str, Field(pattern=PERIOD, max_length=7, description="2025, 2025Q1 or 2025-03")
]
Key = Annotated[str, Field(pattern=KEY, max_length=32)]


def unit_of(indicator: str) -> str:
    return "person" if indicator in HEADCOUNT_INDICATORS else "fen"


class AgreementPartyOut(Schema):
    id: int
    key: str
    organization: OrgRef
    roles: list[str]
    order: int


class AgreementVersionOut(Schema):
    id: int
    number: int
    effective_from: date
    note: str
    created_at: datetime


class AgreementOut(Schema):
    id: int
    title: str
    status: str
    status_label: str
    owner: OrgRef
    division_mode: str
    term_start: date | None = None
    term_end: date | None = None
    signed_on: date | None = None

    @staticmethod
    def resolve_status_label(obj: Agreement) -> str:
        return str(obj.get_status_display())


class AgreementDetailOut(AgreementOut):
    division_note: str
    description: str
    parks: list[ParkRef]
    parties: list[AgreementPartyOut]
    versions: list[AgreementVersionOut]
    allowed_next: list[str]

    @staticmethod
    def resolve_allowed_next(obj: Agreement) -> list[str]:
        return allowed_next(obj)


class AgreementPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AgreementOut]


class AgreementPartyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    organization: RecordId = Field(description="organisation id")
    key: Key = Field(description="how rules name the party, e.g. jinniu")
    roles: list[PartyRole] = Field(default_factory=list, max_length=5)
    order: Position = Field(description="rounding ties go to the lower order first")


class AgreementPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(None, min_length=1, max_length=200, pattern=NOT_BLANK)  # type: ignore[assignment]
    division_mode: DivisionMode | None = None
    division_note: str | None = Field(None, max_length=5000)
    term_start: IsoDate | None = None
    term_end: IsoDate | None = None
    description: str | None = None
    parks: list[RecordId] | None = Field(None, max_length=50, description="park ids")


class AgreementIn(AgreementPatch):
    title: str = Field(min_length=1, max_length=200, pattern=NOT_BLANK)
    effective_from: IsoDate = Field(description="when version 1's rules take effect")
    parties: list[AgreementPartyIn] = Field(default_factory=list, max_length=20)
    owner: RecordId | None = Field(None, description="organisation id; installation admins only")


class AgreementPartiesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    parties: list[AgreementPartyIn] = Field(max_length=20)


class AgreementTransitionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to: AgreementStatus
    date: IsoDate | None = Field(None, description="effective date, default today")
    note: str = Field("", max_length=2000)


class AgreementAmendIn(Schema):
    model_config = ConfigDict(extra="forbid")

    effective_from: IsoDate
    note: str = Field("", max_length=2000)


class SharingRuleOut(Schema):
    id: int
    version: int
    key: str
    indicator: str
    scope_kind: str
    scope_party: str | None = None
    enterprises: list[EnterpriseRef]
    kind: str
    params: dict[str, Any]
    order: int
    note: str
    illustrative: bool = Field(description="示例数据: the parameters are illustrative")

    @staticmethod
    def resolve_version(obj: Rule) -> int:
        return obj.version.number

    @staticmethod
    def resolve_scope_party(obj: Rule) -> str | None:
        return obj.scope_party.key if obj.scope_party else None


class SharingRulePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    key: Key = Field(None)  # type: ignore[assignment]
    indicator: Indicator = Field(None)  # type: ignore[assignment]
    scope_kind: ScopeKind = Field(None)  # type: ignore[assignment]
    scope_party: Key | None = Field(None, description="party key, for introduced_by")
    enterprises: list[RecordId] | None = Field(None, max_length=1000)
    kind: str = Field(None, min_length=1, max_length=32)  # type: ignore[assignment]
    params: dict[str, Any] = Field(None)  # type: ignore[arg-type]
    order: Position | None = None
    note: str | None = Field(None, max_length=2000)
    illustrative: bool | None = Field(None, description="示例数据: illustrative parameters")


class SharingRuleIn(SharingRulePatch):
    version: int = Field(ge=1, le=32767, description="the version's number")
    key: Key
    indicator: Indicator
    kind: str = Field(min_length=1, max_length=32, description="a registered rule kind")
    params: dict[str, Any] = Field(default_factory=dict)


class LedgerRecordOut(Schema):
    id: int
    period: str
    enterprise: EnterpriseRef
    indicator: str
    amount: int
    unit: str
    contributed_by: str
    replaced: bool
    illustrative: bool = Field(description="示例数据: the batch it came in is illustrative")

    @staticmethod
    def resolve_period(obj: Any) -> str:
        return str(obj.period_label)

    @staticmethod
    def resolve_illustrative(obj: Any) -> bool:
        return bool(obj.batch.illustrative)

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return unit_of(obj.indicator)

    @staticmethod
    def resolve_contributed_by(obj: Any) -> str:
        return str(obj.contributed_by.key)


class LedgerRecordPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LedgerRecordOut]


class LedgerRecordQuery(Schema):
    period: PeriodLabel | None = None
    replaced: bool = Field(False, description="true: the replaced figures instead")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class LedgerRunIn(Schema):
    model_config = ConfigDict(extra="forbid")

    period: PeriodLabel
    background: bool = Field(
        False, description="run as a background job: 202 with the job (GET /jobs/{id})"
    )


class LedgerJobOut(Schema):
    """A background run's progress (rows read, split, written) and outcome: `result` holds
    `run`, `allocations`, `unmatched` and `allocations_digest`, or `error` (`zh`, `en`)."""

    id: int
    kind: str
    status: str
    done: int
    total: int
    percent: int
    result: dict[str, Any]
    created_at: datetime
    finished_at: datetime | None = None


class LedgerConfirmationOut(Schema):
    party: str
    user: str
    at: datetime

    @staticmethod
    def resolve_party(obj: Any) -> str:
        return str(obj.party.key)

    @staticmethod
    def resolve_user(obj: Any) -> str:
        return str(obj.user.username)


class LedgerRunOut(Schema):
    id: int
    period: str
    period_start: date
    period_end: date
    version: int
    status: str
    inputs_digest: str
    allocations_digest: str
    unmatched: list[dict[str, Any]]
    confirmations: list[LedgerConfirmationOut]
    created_at: datetime
    confirmed_at: datetime | None = None

    @staticmethod
    def resolve_period(obj: Any) -> str:
        return str(obj.period_label)

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return int(obj.version.number)

    @staticmethod
    def resolve_confirmations(obj: Any) -> list[Any]:
        return list(obj.confirmations.all())


class LedgerAllocationOut(Schema):
    position: int
    record: int
    enterprise: int
    indicator: str
    party: str
    amount: int
    unit: str
    amount_display: str
    rule: str
    step: str
    share: str
    cap_used: int | None = None
    cap_left: int | None = None
    terms: dict[str, Any]

    @staticmethod
    def resolve_record(obj: Any) -> int:
        return int(obj.record_id)

    @staticmethod
    def resolve_enterprise(obj: Any) -> int:
        return int(obj.record.enterprise_id)

    @staticmethod
    def resolve_indicator(obj: Any) -> str:
        return str(obj.record.indicator)

    @staticmethod
    def resolve_party(obj: Any) -> str:
        return str(obj.party.key)

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return unit_of(obj.record.indicator)

    @staticmethod
    def resolve_amount_display(obj: Any) -> str:
        return yuan(obj.amount, obj.record.indicator)

    @staticmethod
    def resolve_rule(obj: Any) -> str:
        return str(obj.rule.key)

    @staticmethod
    def resolve_terms(obj: Any) -> dict[str, Any]:
        return allocation_terms(obj)


# Set by the detail endpoint: the page of allocations and its bounds.
PAGE_ATTR = "_api_allocation_page"


class LedgerRunDetailOut(LedgerRunOut):
    allocation_count: int
    limit: int
    offset: int
    allocations: list[LedgerAllocationOut]

    @staticmethod
    def resolve_allocation_count(obj: Any) -> int:
        return int(obj.__dict__[PAGE_ATTR]["count"])

    @staticmethod
    def resolve_limit(obj: Any) -> int:
        return int(obj.__dict__[PAGE_ATTR]["limit"])

    @staticmethod
    def resolve_offset(obj: Any) -> int:
        return int(obj.__dict__[PAGE_ATTR]["offset"])

    @staticmethod
    def resolve_allocations(obj: Any) -> list[Any]:
        return list(obj.__dict__[PAGE_ATTR]["items"])


class LedgerPageQuery(Schema):
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class LedgerReconcileQuery(Schema):
    other: int | None = Field(
        None,
        description="the run to compare with (same agreement); default: the latest other run "
        "of the period, else the previous period's confirmed run",
    )


class LedgerReconcileOut(Schema):
    """Two runs compared: the earlier is `before`. Per party and indicator the totals and the
    difference per cause; per (enterprise, indicator, party) each cause with its amount, its
    text in both languages and its details. Amounts are integers (fen, or persons)."""

    agreement: dict[str, Any]
    before: dict[str, Any]
    after: dict[str, Any]
    same_period: bool
    recorded: list[dict[str, Any]]
    totals: list[dict[str, Any]]
    lines: list[dict[str, Any]]


class LedgerStatementOut(Schema):
    agreement: dict[str, Any]
    period: str
    run: dict[str, Any]
    party: dict[str, Any]
    by_indicator: list[dict[str, Any]]
    by_enterprise: list[dict[str, Any]]
    assessment_notice: str | None = Field(
        None, description="仅用于考核,不得对外公布 when output, value added or FAI is in it"
    )


class TwoViewsQuery(Schema):
    period: PeriodLabel | None = None


class TwoViewsPartyOut(Schema):
    party: str | None = Field(..., description="the party key; null: no single host to credit")
    organization: str | None
    in_place: int = Field(..., description="在地统计: counted where it arises (the host side)")
    split: int = Field(..., description="分成后: the party's allocations of the run")
    difference: int = Field(..., description="split − in place")


class TwoViewsIndicatorOut(Schema):
    indicator: str
    label: str
    unit: str
    assessment: bool
    notice: str | None = Field(..., description="the assessment label where it applies")
    recorded: int
    unsplit: int = Field(..., description="figures no rule split (in place, in nobody's split)")
    parties: list[TwoViewsPartyOut]


class TwoViewsPeriodOut(Schema):
    period: str
    host: str | None
    indicators: list[TwoViewsIndicatorOut]


class TwoViewsOut(Schema):
    """The two statistical views per settled period (integers in fen, persons for jobs)."""

    agreement: dict[str, Any]
    notice: str
    periods: list[TwoViewsPeriodOut]


class ForecastQuestionIn(Schema):
    """What ratio (or cap, or window) gives `party` at least `amount` fen over `years` years?"""

    family: str = Field(..., pattern=r"^(ratio|cap|window)$")
    rule: str = Field(..., max_length=32, description="the key of the rule the solver varies")
    party: str = Field(..., max_length=32)
    amount: int = Field(..., ge=0, le=10**17, description="fen")
    years: int = Field(..., ge=1, le=50)
    enterprise: str | None = Field(None, max_length=32, description="cap: one enterprise's id")
    measure: str = Field("total", pattern=r"^(total|present_value)$")


class ForecastIn(Schema):
    """Assumptions of a forecast (预测); shares and rates as exact text: "30%", "3/10", "0.3"."""

    first_year: int | None = Field(None, ge=1900, le=2200)
    years: int | None = Field(None, ge=1, le=50)
    ramp: list[str] | None = Field(None, max_length=50, description="factor per production year")
    tax_mix: dict[str, str] | None = Field(None, description="indicator: share of expected tax")
    discount_rate: str = Field("0", max_length=32)
    alternatives: Any = Field(
        None, description="[{label, rules: [rules as in an agreement document]}]"
    )
    question: ForecastQuestionIn | None = None
    scenario: int = Field(0, ge=0, le=5, description="the solver's scenario: 0 the current rules")


class ForecastOut(Schema):
    """Each party's forecast share per scenario and year (fen), totals, present values (fen,
    and exact fractions), the solver's answer. Always a forecast: `illustrative` is true."""

    agreement: int
    forecast: bool
    illustrative: bool
    notice: dict[str, str]
    assessment_notice: str = Field(
        "", description="the parties' shares of output value are the assessment view (考核口径)"
    )
    unit: str
    assumptions: dict[str, Any]
    parties: list[dict[str, Any]]
    projects: list[dict[str, Any]]
    skipped: list[dict[str, Any]]
    scenarios: list[dict[str, Any]]
    answer: dict[str, Any] | None


# ---------------------------------------------------------------- side details


class EquityShareOut(Schema):
    shareholder: str
    shareholder_name: str
    share: str = Field(description="an exact fraction, e.g. 3/5")
    effective_from: date | None = None

    @staticmethod
    def resolve_shareholder(obj: Any) -> str:
        return str(obj.shareholder.key)


class OperatingCompanyOut(Schema):
    id: int
    name: str
    enterprise: EnterpriseRef | None = None
    shares: list[EquityShareOut]

    @staticmethod
    def resolve_shares(obj: Any) -> list[Any]:
        return list(obj.shares.all())


class EquityShareIn(Schema):
    model_config = ConfigDict(extra="forbid")

    shareholder: Key = Field(description="the party's key")
    share: str = Field(min_length=1, max_length=32, description="3/5, 0.6 or 60%")
    shareholder_name: str = Field("", max_length=128, description="e.g. 金牛区城投集团")
    effective_from: IsoDate | None = None


class OperatingCompanyPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(None, min_length=1, max_length=128, pattern=NOT_BLANK)  # type: ignore[assignment]
    enterprise: RecordId | None = Field(None, description="enterprise id")
    shares: list[EquityShareIn] | None = Field(None, max_length=50, description="replaces all")


class OperatingCompanyIn(OperatingCompanyPatch):
    name: str = Field(min_length=1, max_length=128, pattern=NOT_BLANK)


class CooperationFieldOut(Schema):
    id: int
    name: str
    order: int


class CooperationFieldPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(None, min_length=1, max_length=64, pattern=NOT_BLANK)  # type: ignore[assignment]
    order: Position | None = None


class CooperationFieldIn(CooperationFieldPatch):
    name: str = Field(min_length=1, max_length=64, pattern=NOT_BLANK)


class SharedPolicyOut(Schema):
    id: int
    name: str
    issued_by: str | None = None
    note: str

    @staticmethod
    def resolve_issued_by(obj: Any) -> str | None:
        return obj.issued_by.key if obj.issued_by else None


class SharedPolicyPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(None, min_length=1, max_length=200, pattern=NOT_BLANK)  # type: ignore[assignment]
    issued_by: Key | None = Field(None, description="the issuing party's key")
    note: str | None = Field(None, max_length=5000)


class SharedPolicyIn(SharedPolicyPatch):
    name: str = Field(min_length=1, max_length=200, pattern=NOT_BLANK)


class CoveredEnterpriseOut(Schema):
    id: int
    enterprise: EnterpriseRef
    introduced_by: str | None = None
    settled_on: date | None = None
    production_on: date | None = None
    full_production_on: date | None = None
    moved_on: date | None = None
    illustrative: bool

    @staticmethod
    def resolve_introduced_by(obj: Any) -> str | None:
        return obj.introduced_by.key if obj.introduced_by else None


class CoveredEnterprisePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    enterprise: RecordId = Field(None, description="enterprise id")
    introduced_by: Key | None = Field(None, description="the introducing party's key")
    settled_on: IsoDate | None = Field(None, description="入驻")
    production_on: IsoDate | None = Field(None, description="投产")
    full_production_on: IsoDate | None = Field(None, description="达产")
    moved_on: IsoDate | None = Field(None, description="迁入")
    illustrative: bool | None = Field(None, description="示例数据: illustrative facts")


class CoveredEnterpriseIn(CoveredEnterprisePatch):
    enterprise: RecordId = Field(description="enterprise id")


# ---------------------------------------------------------------- innovation enclaves


class EnclaveFiguresOut(Schema):
    """Computed from the records (never typed in): tenants now, landed, introduced, and the
    exact total investment (元) of the signed landing projects the caller may see."""

    tenants_now: int
    tenants_ever: int
    landed: int
    introduced: int
    investment: Decimal
    investment_projects: int
    projects_without_amount: int
    illustrative: bool


class EnclaveOut(Schema):
    id: int
    name: str
    owner: OrgRef
    home_region: str = Field(description="adcode of the home county")
    host_region: str = Field(description="adcode of the host city")
    park: ParkRef | None = None
    opened_on: date | None = None
    figures: EnclaveFiguresOut


class EnclaveLandingOut(Schema):
    kind: str = Field(description="site or project")
    id: int
    label: str
    place: str
    on: date | None = Field(None, description="a project's signing date; sites carry none")
    total_investment: Decimal | None = None


class EnclaveTenantOut(Schema):
    id: int = Field(description="the stay's id (for PUT …/rows and DELETE …/tenancies/{id})")
    enterprise: EnterpriseRef
    moved_in: date
    moved_out: date | None = None
    current: bool
    landed: bool
    landed_on: date | None = None
    illustrative: bool
    note: str
    landings: list[EnclaveLandingOut]


class EnclaveIntroductionOut(Schema):
    id: int
    enterprise: EnterpriseRef
    introduced_on: date | None = None
    note: str
    illustrative: bool


class EnclaveDetailOut(EnclaveOut):
    description: str
    tenants: list[EnclaveTenantOut]
    introductions: list[EnclaveIntroductionOut]


# An enterprise as the enclave pages take it: its id, or its 统一社会信用代码 or full name.
EnterpriseChoice: TypeAlias = (
    RecordId | Annotated[str, Field(min_length=1, max_length=200, pattern=NOT_BLANK)]
)
Adcode = Annotated[str, Field(pattern=r"^\d{6}$", examples=["331024"])]


class EnclavePatch(Schema):
    """What the enclave's edit page changes; an omitted field keeps its value."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(None, min_length=1, max_length=200, pattern=NOT_BLANK)  # type: ignore[assignment]
    home_region: Adcode = Field(None, description="adcode of the home county")  # type: ignore[assignment]
    host_region: Adcode = Field(None, description="adcode of the host city")  # type: ignore[assignment]
    park: RecordId | None = Field(None, description="an innovation-enclave park's id, or null")
    opened_on: IsoDate | None = None
    description: str | None = None


class EnclaveIn(EnclavePatch):
    name: str = Field(min_length=1, max_length=200, pattern=NOT_BLANK)
    home_region: Adcode = Field(description="adcode of the home county")
    host_region: Adcode = Field(description="adcode of the host city")
    owner: RecordId | None = Field(
        None, description="the owning organisation (installation administrators only)"
    )


class EnclaveTenancyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    id: RecordId | None = Field(None, description="a stored stay's id (PUT …/rows); none: new")
    enterprise: EnterpriseChoice = Field(description="enterprise id, USCC or full name")
    moved_in: IsoDate
    moved_out: IsoDate | None = None
    note: str = Field("", max_length=1000)
    illustrative: bool = Field(False, description="示例数据: illustrative facts")


class EnclaveIntroductionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    id: RecordId | None = Field(None, description="a stored row's id (PUT …/rows); none: new")
    enterprise: EnterpriseChoice = Field(description="enterprise id, USCC or full name")
    introduced_on: IsoDate | None = None
    note: str = Field("", max_length=1000)
    illustrative: bool = Field(False, description="示例数据: illustrative facts")


class EnclaveRowsIn(Schema):
    """Every stay and introduction of the enclave, as its edit page saves them: stored rows
    absent from the lists are removed; all or nothing."""

    model_config = ConfigDict(extra="forbid")

    tenancies: list[EnclaveTenancyIn] = Field(default_factory=list, max_length=200)
    introductions: list[EnclaveIntroductionIn] = Field(default_factory=list, max_length=200)
