"""Matching API (/api/v1/matching/): listings, their matches and duplicates, events' figures.

Contacts are blanked unless the user may see them (queries.can_see_contacts); amounts are
decimal strings of 元.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from parklink.accounts.apitools import current_user
from parklink.core.errors import Invalid, NotFound
from parklink.enterprises.models import Enterprise
from parklink.matching import queries
from parklink.matching.models import Listing
from parklink.matching.services import events, listings, policies
from parklink.regions.models import Region

router = Router(tags=["matching"])


class ListingOut(Schema):
    id: int
    side: str
    kind: str
    title: str
    description: str
    enterprise: int
    enterprise_name: str
    region: str
    quantity: Decimal | None
    unit: str
    period: str
    chain: str
    segment: str
    segment_label: str
    industry_code: str
    tags_corrected: bool
    status: str
    illustrative: bool
    contact_name: str
    contact_phone: str
    contact_email: str
    contacts_hidden: bool


class ListingIn(Schema):
    enterprise: int
    side: str = Field(pattern="^(supply|need)$")
    kind: str
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    quantity: Decimal | None = Field(None, gt=0, max_digits=16, decimal_places=2)
    unit: str = Field("", max_length=16)
    period: str = Field("", max_length=64)
    region_preference: str = "any"
    contact_name: str = Field("", max_length=64)
    contact_phone: str = Field("", max_length=32)
    contact_email: str = Field("", max_length=254)


class TagsIn(Schema):
    chain: str = ""
    segment: str = ""
    industry_code: str = ""


class MatchOut(Schema):
    listing: ListingOut
    score: float
    parts: dict[str, float]
    reasons: list[str]


class ListingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ListingOut]


class ListingQuery(Schema):
    side: str | None = Field(None, pattern="^(supply|need)$")
    q: str | None = Field(None, max_length=100)
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class FiguresOut(Schema):
    listings: int
    supply: int
    need: int
    enterprises: int
    cities: int
    meetings: int
    contacts: int
    deals: int
    amount: Decimal
    cross_city_enterprises: int
    cross_city_deals: int
    illustrative: bool


def out(user: Any, listing: Listing) -> dict[str, Any]:
    shown = queries.can_see_contacts(user, listing)
    return {
        "id": listing.pk,
        "side": listing.side,
        "kind": listing.kind,
        "title": listing.title,
        "description": listing.description,
        "enterprise": listing.enterprise_id,
        "enterprise_name": listing.enterprise.name,
        "region": listing.region_id,
        "quantity": listing.quantity,
        "unit": listing.unit,
        "period": listing.period,
        "chain": listing.chain,
        "segment": listing.segment,
        "segment_label": listings.tag_label(listing),
        "industry_code": listing.industry_code,
        "tags_corrected": listing.tags_corrected,
        "status": listing.status,
        "illustrative": listing.illustrative,
        "contact_name": listing.contact_name if shown else "",
        "contact_phone": listing.contact_phone if shown else "",
        "contact_email": listing.contact_email if shown else "",
        "contacts_hidden": not shown,
    }


@router.get("/listings", response=ListingPage, summary="Supply–demand listings")
def list_listings(request: HttpRequest, query: Query[ListingQuery]) -> dict[str, Any]:
    user = current_user(request)
    qs = queries.visible_listings(user).select_related("enterprise").order_by("-id")
    qs = qs.filter(status="open")
    if query.side:
        qs = qs.filter(side=query.side)
    if query.q:
        qs = qs.filter(title__icontains=query.q)
    items = [out(user, x) for x in qs[query.offset : query.offset + query.limit]]
    return {"count": qs.count(), "limit": query.limit, "offset": query.offset, "items": items}


@router.post("/listings", response={201: ListingOut}, summary="Post a listing")
def create_listing(request: HttpRequest, payload: ListingIn) -> Status:
    user = current_user(request)
    enterprise = Enterprise.objects.filter(pk=payload.enterprise).first()
    if enterprise is None:
        raise NotFound("企业不存在。")
    data = payload.model_dump(exclude={"enterprise"})
    made = listings.create_listing(user, enterprise, data)
    return Status(201, out(user, listings.get_visible(user, made.pk)))


@router.get("/listings/{listing_id}", response=ListingOut, summary="One listing")
def read_listing(request: HttpRequest, listing_id: int) -> dict[str, Any]:
    user = current_user(request)
    return out(user, listings.get_visible(user, listing_id))


@router.put("/listings/{listing_id}/tags", response=ListingOut, summary="Correct the tags")
def correct_tags(request: HttpRequest, listing_id: int, payload: TagsIn) -> dict[str, Any]:
    user = current_user(request)
    listing = listings.get_visible(user, listing_id)
    listings.correct_tags(user, listing, payload.chain, payload.segment, payload.industry_code)
    return out(user, listings.get_visible(user, listing_id))


@router.get(
    "/listings/{listing_id}/matches",
    response=list[MatchOut],
    summary="The other side's listings ranked, with reasons",
)
def listing_matches(
    request: HttpRequest, listing_id: int, top: int = Query(20, ge=1, le=100)
) -> list[dict[str, Any]]:
    user = current_user(request)
    listing = listings.get_visible(user, listing_id)
    return [
        {
            "listing": out(user, m.listing),
            "score": m.match.score,
            "parts": m.match.parts,
            "reasons": m.match.reasons,
        }
        for m in listings.matches(user, listing, top)
    ]


@router.get("/events/{event_id}/figures", response=FiguresOut, summary="An event's figures")
def event_figures(request: HttpRequest, event_id: int) -> Any:
    user = current_user(request)
    event = events.get_visible(user, event_id)
    return events.figures(type(event).objects.filter(pk=event.pk))


class ConditionStateOut(Schema):
    key: str
    label: str
    clause: str
    state: str


class PolicyOut(Schema):
    id: int
    title: str
    issuer_region: str
    owner: int
    status: str
    valid_from: str | None
    valid_to: str | None
    mode: str
    problems: list[str]
    documents: list[str]
    conditions: list[dict[str, Any]]
    illustrative: bool


class EnterprisePolicyOut(Schema):
    policy: PolicyOut
    qualifies: bool
    estimate: Decimal | None
    via: list[str]
    states: list[ConditionStateOut]


class CandidateOut(Schema):
    enterprise: int
    name: str
    qualifies: bool
    estimate: Decimal | None
    missing: str
    missing_state: str


def policy_out(policy: Any) -> dict[str, Any]:
    ready = policies.readiness(policy)
    return {
        "id": policy.pk,
        "title": policy.title,
        "issuer_region": policy.issuer_region_id,
        "owner": policy.owner_id,
        "status": policy.status,
        "valid_from": policy.valid_from.isoformat() if policy.valid_from else None,
        "valid_to": policy.valid_to.isoformat() if policy.valid_to else None,
        "mode": ready.mode,
        "problems": ready.problems,
        "documents": ready.documents,
        "conditions": policy.conditions,
        "illustrative": policy.illustrative,
    }


@router.get("/policies", response=list[PolicyOut], summary="Policies the user may see")
def list_policies(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    return [policy_out(p) for p in queries.visible_policies(user).order_by("-id")[:500]]


@router.get("/policies/{policy_id}", response=PolicyOut, summary="One policy and its readiness")
def read_policy(request: HttpRequest, policy_id: int) -> dict[str, Any]:
    return policy_out(policies.get_visible(current_user(request), policy_id))


class PolicyIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    issuer_region: str = Field(pattern=r"^\d{6}$", description="adcode of the region it applies to")
    document_number: str = Field("", max_length=100)
    valid_from: date | None = None
    valid_to: date | None = None
    text: str = Field("", max_length=20000)
    conditions: list[Any] = Field(default_factory=list)
    benefit_kind: str = Field("other", pattern="^(fixed|rate|other)$")
    benefit_amount: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    benefit_rate: Decimal | None = Field(None, gt=0, le=1, max_digits=8, decimal_places=6)
    benefit_base: str = Field("", max_length=32)
    benefit_cap: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    benefit_note: str = Field("", max_length=255)
    documents: list[str] = Field(default_factory=list)


class PolicyPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    issuer_region: str | None = Field(None, pattern=r"^\d{6}$")
    document_number: str | None = Field(None, max_length=100)
    valid_from: date | None = None
    valid_to: date | None = None
    text: str | None = Field(None, max_length=20000)
    conditions: list[Any] | None = None
    benefit_kind: str | None = Field(None, pattern="^(fixed|rate|other)$")
    benefit_amount: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    benefit_rate: Decimal | None = Field(None, gt=0, le=1, max_digits=8, decimal_places=6)
    benefit_base: str | None = Field(None, max_length=32)
    benefit_cap: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    benefit_note: str | None = Field(None, max_length=255)
    documents: list[str] | None = None


def _policy_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Schema fields → model fields: the region by its adcode (an unknown one is refused)."""
    if "issuer_region" in data:
        code = data.pop("issuer_region")
        region = Region.objects.filter(adcode=code).first()
        if region is None:
            raise Invalid.on("issuer_region", _("行政区划代码“%(code)s”不存在") % {"code": code})
        data["issuer_region"] = region
    return data


@router.post("/policies", response={201: PolicyOut}, summary="Draft a policy (officers)")
def create_policy(request: HttpRequest, payload: PolicyIn) -> Status:
    user = current_user(request)
    made = policies.create_policy(user, **_policy_fields(payload.model_dump()))
    return Status(201, policy_out(policies.get_visible(user, made.pk)))


@router.put("/policies/{policy_id}", response=PolicyOut, summary="Change a policy (its owner)")
def update_policy(request: HttpRequest, policy_id: int, payload: PolicyPatch) -> dict[str, Any]:
    user = current_user(request)
    policy = policies.get_visible(user, policy_id)
    changes = _policy_fields(payload.model_dump(exclude_unset=True))
    if "title" in changes and changes["title"] is None:
        changes.pop("title")  # a policy keeps its title; null means "unchanged"
    for name in ("document_number", "text", "benefit_base", "benefit_note"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    for name in ("conditions", "documents"):
        if name in changes and changes[name] is None:
            changes[name] = []
    if changes.get("benefit_kind") is None:
        changes.pop("benefit_kind", None)
    policies.update_policy(user, policy, **changes)
    return policy_out(policies.get_visible(user, policy_id))


@router.post(
    "/policies/{policy_id}/publish", response=PolicyOut, summary="Publish a policy (its owner)"
)
def publish_policy(request: HttpRequest, policy_id: int) -> dict[str, Any]:
    user = current_user(request)
    policies.publish(user, policies.get_visible(user, policy_id))
    return policy_out(policies.get_visible(user, policy_id))


@router.get(
    "/policies/{policy_id}/candidates",
    response=list[CandidateOut],
    summary="Enterprises that qualify, and those one condition away",
)
def policy_candidates(request: HttpRequest, policy_id: int) -> list[dict[str, Any]]:
    found = policies.enterprises_for(policies.get_visible(current_user(request), policy_id))
    rows = [
        {
            "enterprise": e.pk,
            "name": e.name,
            "qualifies": True,
            "estimate": amount,
            "missing": "",
            "missing_state": "",
        }
        for e, amount in found.qualifying
    ]
    rows += [
        {
            "enterprise": e.pk,
            "name": e.name,
            "qualifies": False,
            "estimate": None,
            "missing": condition.key,
            "missing_state": state,
        }
        for e, condition, state in found.one_away
    ]
    return rows


@router.get(
    "/enterprises/{enterprise_id}/policies",
    response=list[EnterprisePolicyOut],
    summary="The published policies reaching an enterprise, condition by condition",
)
def enterprise_policies(request: HttpRequest, enterprise_id: int) -> list[dict[str, Any]]:
    user = current_user(request)
    enterprise = Enterprise.objects.select_related("region").filter(pk=enterprise_id).first()
    if enterprise is None:
        raise NotFound("企业不存在。")
    return [
        {
            "policy": policy_out(row.policy),
            "qualifies": row.qualifies,
            "estimate": row.estimate,
            "via": row.via,
            "states": [
                {
                    "key": s.condition.key,
                    "label": s.condition.label,
                    "clause": s.condition.clause,
                    "state": s.state,
                }
                for s in row.states
            ],
        }
        for row in policies.for_enterprise(user, enterprise)
    ]


# Financing matchmaking (银企对接): /api/v1/matching/finance/...
from parklink.matching.api_finance import router as finance_router  # noqa: E402

router.add_router("/finance", finance_router)

# Park siting (项目选址): /api/v1/matching/siting/...
from parklink.matching.api_siting import router as siting_router  # noqa: E402

router.add_router("/siting", siting_router)
