"""The financing demo step (data/demo/matching_finance.yaml): 成都高新区's financing day.

The programmes, the event, the banks and the product names come from the article (seed 004);
every product parameter, enterprise, need, match and amount is illustrative (示例数据) and
marked so. Needs go through the services (match, contact, approve, disburse) so their history
is recorded as for any need: the region officer registers and matches, the bank's staff
approve and disburse. The article's own figures stay quoted text. Running it twice changes
nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parklink.accounts.demo import officer
from parklink.accounts.models import Organization, OrganizationKind
from parklink.chains.services import classification
from parklink.core import demo
from parklink.core.registry import DemoContext
from parklink.enterprises.models import Enterprise
from parklink.matching.models import EnterpriseFigures
from parklink.matching.models_finance import Bank, FinanceProduct, FinancingNeed, Programme
from parklink.matching.services import finance

FILE = "matching_finance"
FINANCING_DAY = "2020-03-20"  # illustrative: the article gives no date


def load(ctx: DemoContext) -> None:
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for rec in demo.read(FILE):
        by_kind.setdefault(rec["kind"], []).append(rec)
    for kind in ("programme", "bank", "product", "enterprise", "need"):
        for rec in by_kind.get(kind, []):
            globals()[f"_{kind}"](ctx, rec)
    # Enterprises added after the chains step are placed on the chains now, as the chains step
    # would on the next load; a second load then finds nothing pending and changes nothing.
    if classification.pending():
        summary = classification.classify_registry(changed_only=True)
        ctx.count("chain assignments", summary.assignments)


def _programme(ctx: DemoContext, rec: dict[str, Any]) -> None:
    programme, made = Programme.objects.get_or_create(
        name=rec["name"],
        defaults={
            "owner": demo.require(ctx, "organizations", rec["owner"]),
            "region_id": rec["region"],
            "description": demo.text(rec, "description"),
            "source_note": demo.text(rec, "quote"),
        },
    )
    if made:
        demo.created(ctx, "financing programmes", programme, rec)
    ctx.remember("financing programmes", rec["key"], programme)


def _bank(ctx: DemoContext, rec: dict[str, Any]) -> None:
    org = Organization.objects.filter(name=rec["org"]).first()
    if org is None:
        org = Organization.objects.create(
            name=rec["org"],
            kind=OrganizationKind.OTHER,
            region=demo.require(ctx, "regions", "510100"),
            description="示例数据:演示银企对接的银行对接团队(银行员工账号所属机构)。",
        )
        ctx.count("organizations")
    bank, made = Bank.objects.get_or_create(
        name=rec["name"], defaults={"organization": org, "illustrative": True}
    )
    if made:
        ctx.count("banks")
    ctx.remember("banks", rec["key"], bank)
    ctx.remember("officers", f"bank_{rec['key']}", officer(ctx, f"bank_{rec['key']}", org))


def _product(ctx: DemoContext, rec: dict[str, Any]) -> None:
    bank = demo.require(ctx, "banks", rec["bank"])
    if FinanceProduct.objects.filter(bank=bank, name=rec["name"]).exists():
        product = FinanceProduct.objects.get(bank=bank, name=rec["name"])
    else:
        staff = demo.require(ctx, "officers", f"bank_{rec['bank']}")
        product = finance.save_product(
            staff,
            bank,
            {
                "name": rec["name"],
                "kind": rec["product_kind"],
                "amount_min": int(rec["amount"][0]),
                "amount_max": int(rec["amount"][1]),
                "term_min": int(rec["term"][0]),
                "term_max": int(rec["term"][1]),
                "rate_min": Decimal(rec["rate"][0]),
                "rate_max": Decimal(rec["rate"][1]),
                "conditions": rec.get("conditions", []),
                "programme": demo.require(ctx, "financing programmes", rec["programme"]),
                "illustrative": True,
            },
        )
        ctx.count("financing products")
    ctx.remember("financing products", rec["key"], product)


def _enterprise(ctx: DemoContext, rec: dict[str, Any]) -> None:
    owner = demo.require(ctx, "organizations", "cdht_committee")
    enterprise, made = Enterprise.objects.get_or_create(
        name=rec["name"],
        region_id=rec["region"],
        defaults={
            "owner": owner,
            "is_high_tech": bool(rec.get("high_tech")),
            "description": "示例数据:演示银企对接的虚构企业。",
        },
    )
    if made:
        ctx.count("financing enterprises")
    EnterpriseFigures.objects.get_or_create(
        enterprise=enterprise,
        year=2019,
        defaults={
            "revenue": Decimal(rec["revenue"]),
            "founded_on": demo.to_date(rec.get("founded_on")),
            "illustrative": True,
        },
    )
    ctx.remember("financing enterprises", rec["key"], enterprise)


def _need(ctx: DemoContext, rec: dict[str, Any]) -> None:
    enterprise = demo.require(ctx, "financing enterprises", rec["enterprise"])
    day = demo.to_date(FINANCING_DAY)
    purpose = rec["purpose"]
    if FinancingNeed.objects.filter(enterprise=enterprise, purpose=purpose).exists():
        return
    region_officer = demo.require(ctx, "officers", "cdht_committee")
    need = finance.create_need(
        region_officer,
        enterprise,
        {
            "amount": int(rec["amount"]),
            "term": int(rec["term"]),
            "purpose": purpose,
            "collateral": demo.text(rec, "collateral"),
            "urgency": rec.get("urgency", "normal"),
            "registered_on": day,
            "illustrative": True,
        },
    )
    ctx.count("financing needs")
    for step in rec.get("steps", []):
        action = step[0]
        if action == "match":
            finance.match(region_officer, need)
        elif action == "contact":
            product = demo.require(ctx, "financing products", step[1])
            finance.transition(region_officer, need, "contact", product=product)
        else:
            need.refresh_from_db()
            assert need.product is not None
            staff = demo.require(ctx, "officers", f"bank_{_bank_key(ctx, need.product.bank)}")
            amount = int(step[1]) if step[1] is not None else None
            finance.transition(staff, need, action, amount=amount, on=demo.to_date(step[2]))
        need.refresh_from_db()


def _bank_key(ctx: DemoContext, bank: Bank) -> str:
    for rec in demo.read(FILE):
        if rec["kind"] == "bank" and rec["name"] == bank.name:
            return str(rec["key"])
    raise demo.DemoDataError(f"demo data: no bank {bank.name!r}")
