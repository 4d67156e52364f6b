"""The matching demo step (data/demo/matching.yaml): the 成都都市圈 supply–demand programme
with illustrative listings, meetings and deals, and 金什合作产业园's two shared policies.

Everything this step invents is marked illustrative (`illustrative=True`, 示例 in enterprise
names). Listings are posted by the 四川省同城化办 officer through the services, so they are
tagged as any listing is; one listing is a repost and stays open to show duplicate merging.
Running it twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from parklink.cobuild.models import SharedPolicy
from parklink.core import demo
from parklink.core.registry import DemoContext
from parklink.enterprises.models import Enterprise, EnterpriseSite, SiteRole
from parklink.matching.models import EnterpriseFigures, Event, Listing, Meeting, Policy
from parklink.matching.services import listings as listing_services

FILE = "matching"


def load(ctx: DemoContext) -> None:
    records = demo.read(FILE)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        by_kind.setdefault(rec["kind"], []).append(rec)
    for rec in by_kind.get("event", []):
        _event(ctx, rec)
    for rec in by_kind.get("enterprise", []):
        _enterprise(ctx, rec)
    for rec in by_kind.get("listing", []):
        _listing(ctx, rec)
    for rec in by_kind.get("meeting", []):
        _meeting(ctx, rec)
    for rec in by_kind.get("policy", []):
        _policy(ctx, rec)
    for rec in by_kind.get("figures", []):
        _figures(ctx, rec)


def _event(ctx: DemoContext, rec: dict[str, Any]) -> None:
    owner = demo.require(ctx, "organizations", rec["owner"])
    event, made = Event.objects.get_or_create(
        owner=owner,
        name=rec["name"],
        defaults={
            "held_on": demo.to_date(rec.get("held_on")),
            "place": demo.text(rec, "place"),
            "description": demo.text(rec, "description"),
            "metro": ctx.lookup("metro areas", "chengdu_metro"),
            "illustrative": True,
        },
    )
    if made:
        demo.created(ctx, "matching events", event, rec)
    ctx.remember("matching events", rec["key"], event)


def _enterprise(ctx: DemoContext, rec: dict[str, Any]) -> None:
    owner = demo.require(ctx, "organizations", "sc_tongchenghua")
    enterprise, made = Enterprise.objects.get_or_create(
        name=rec["name"],
        region_id=rec["region"],
        defaults={
            "owner": owner,
            "industry_code": rec.get("industry_code", ""),
            "description": "示例数据:演示供需对接的虚构企业。",
        },
    )
    if made:
        ctx.count("matching enterprises")
    if rec.get("park"):
        park = demo.require(ctx, "parks", rec["park"])
        EnterpriseSite.objects.get_or_create(
            enterprise=enterprise,
            park=park,
            defaults={"role": SiteRole.MANUFACTURING, "region_id": rec["region"]},
        )
    ctx.remember("matching enterprises", rec["key"], enterprise)


def _listing(ctx: DemoContext, rec: dict[str, Any]) -> None:
    officer = demo.require(ctx, "officers", "sc_tongchenghua")
    enterprise = demo.require(ctx, "matching enterprises", rec["enterprise"])
    found = Listing.objects.filter(enterprise=enterprise, title=rec["name"]).first()
    if found is None:
        found = listing_services.create_listing(
            officer,
            enterprise,
            {
                "side": rec["side"],
                "kind": rec["listing_kind"],
                "title": rec["name"],
                "description": demo.text(rec, "description"),
                "quantity": demo.to_decimal(rec.get("quantity")),
                "unit": demo.text(rec, "unit"),
                "period": demo.text(rec, "period"),
                "region_preference": "metro",
                "contact_name": "示例联系人",
                "contact_phone": "028-00000000",
            },
        )
        found.illustrative = True
        found.save(update_fields=["illustrative"])
        ctx.count("matching listings")
    event = demo.require(ctx, "matching events", "programme")
    event.listings.add(found)
    ctx.remember("matching listings", rec["key"], found)


def _meeting(ctx: DemoContext, rec: dict[str, Any]) -> None:
    event = demo.require(ctx, "matching events", rec["event"])
    supply = demo.require(ctx, "matching listings", rec["supply"])
    need = demo.require(ctx, "matching listings", rec["need"])
    _meeting, made = Meeting.objects.get_or_create(
        event=event,
        supply=supply,
        need=need,
        defaults={
            "outcome": rec["outcome"],
            "amount": demo.to_decimal(rec.get("amount")),
            "signed_on": demo.to_date(rec.get("signed_on")),
            "note": "示例数据",
        },
    )
    if made:
        ctx.count("matching meetings")


def _policy(ctx: DemoContext, rec: dict[str, Any]) -> None:
    owner = demo.require(ctx, "organizations", rec["owner"])
    policy, made = Policy.objects.get_or_create(
        owner=owner,
        title=rec["name"],
        defaults={
            "issuer_region_id": rec["region"],
            "valid_from": demo.to_date(rec.get("valid_from")),
            "valid_to": demo.to_date(rec.get("valid_to")),
            "status": "published",
            "text": demo.text(rec, "text"),
            "conditions": rec.get("conditions", []),
            "benefit_kind": rec.get("benefit_kind", "other"),
            "benefit_amount": demo.to_decimal(rec.get("benefit_amount")),
            "benefit_rate": demo.to_decimal(rec.get("benefit_rate")),
            "benefit_base": demo.text(rec, "benefit_base"),
            "benefit_cap": demo.to_decimal(rec.get("benefit_cap")),
            "benefit_note": demo.text(rec, "benefit_note"),
            "documents": rec.get("documents", []),
            "illustrative": True,
        },
    )
    shared = rec.get("shared_as")
    if shared:
        agreement = demo.require(ctx, "agreements", shared["agreement"])
        row = SharedPolicy.objects.filter(agreement=agreement, name=shared["name"]).first()
        if row is None:
            raise demo.DemoDataError(f"demo data: no shared policy {shared['name']!r}")
        policy.shared_as.add(row)
    if made:
        demo.created(ctx, "matching policies", policy, rec)


def _figures(ctx: DemoContext, rec: dict[str, Any]) -> None:
    enterprise = demo.require(ctx, "matching enterprises", rec["enterprise"])
    _row, made = EnterpriseFigures.objects.get_or_create(
        enterprise=enterprise,
        year=rec["year"],
        defaults={
            "revenue": demo.to_decimal(rec.get("revenue")),
            "headcount": rec.get("headcount"),
            "illustrative": True,
        },
    )
    if rec.get("above_scale") and not enterprise.is_above_scale:
        enterprise.is_above_scale = True
        enterprise.save(update_fields=["is_above_scale"])
    if made:
        ctx.count("matching figures")
