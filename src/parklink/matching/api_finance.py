"""Financing API (/api/v1/matching/finance/): products, needs, matches, lifecycle, figures.

Amounts are integers of 元; rates are decimal strings of annual %. A need the user may not see
is answered 404, as on the pages (services/finance.py decides who sees what).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from parklink.accounts.apitools import current_user
from parklink.core.errors import NotFound
from parklink.enterprises.models import Enterprise
from parklink.matching.models_finance import FinanceProduct, FinancingNeed
from parklink.matching.services import finance

router = Router(tags=["matching-finance"])


class ProductOut(Schema):
    id: int
    bank: str
    name: str
    kind: str
    amount_min: int
    amount_max: int
    term_min: int
    term_max: int
    rate_min: Decimal
    rate_max: Decimal
    programme: str | None
    conditions: list[Any]
    active: bool
    illustrative: bool


class NeedIn(Schema):
    enterprise: int
    amount: int = Field(gt=0)
    term: int = Field(ge=1, le=360)
    purpose: str = Field(min_length=1, max_length=200)
    collateral: str = Field("", max_length=200)
    urgency: str = Field("normal", pattern="^(normal|urgent)$")
    registered_on: date | None = None


class NeedOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    amount: int
    term: int
    purpose: str
    collateral: str
    urgency: str
    status: str
    registered_on: date
    product: int | None
    approved_amount: int | None
    decided_on: date | None
    disbursed_amount: int | None
    disbursed_on: date | None
    illustrative: bool


class MatchOut(Schema):
    rank: int
    product: ProductOut
    score: float
    reasons: list[str]
    conditions: list[dict[str, str]]


class ActionIn(Schema):
    action: str
    product: int | None = None
    amount: int | None = None
    on: date | None = None
    note: str = Field("", max_length=500)


class FiguresOut(Schema):
    needs: int
    needs_amount: int
    enterprises_registered: int
    enterprises_financed: int
    approved_amount: int
    disbursed_amount: int


class ReportOut(Schema):
    total: FiguresOut
    by_day: dict[str, FiguresOut]
    by_event: dict[str, FiguresOut]
    by_programme: dict[str, FiguresOut]
    illustrative: bool


def product_out(p: FinanceProduct) -> dict[str, Any]:
    return {
        "id": p.pk,
        "bank": p.bank.name,
        "name": p.name,
        "kind": p.kind,
        "amount_min": p.amount_min,
        "amount_max": p.amount_max,
        "term_min": p.term_min,
        "term_max": p.term_max,
        "rate_min": p.rate_min,
        "rate_max": p.rate_max,
        "programme": p.programme.name if p.programme else None,
        "conditions": p.conditions,
        "active": p.active,
        "illustrative": p.illustrative,
    }


def need_out(n: FinancingNeed) -> dict[str, Any]:
    return {
        "id": n.pk,
        "enterprise": n.enterprise_id,
        "enterprise_name": n.enterprise.name,
        "amount": n.amount,
        "term": n.term,
        "purpose": n.purpose,
        "collateral": n.collateral,
        "urgency": n.urgency,
        "status": n.status,
        "registered_on": n.registered_on,
        "product": n.product_id,
        "approved_amount": n.approved_amount,
        "decided_on": n.decided_on,
        "disbursed_amount": n.disbursed_amount,
        "disbursed_on": n.disbursed_on,
        "illustrative": n.illustrative,
    }


@router.get("/products", response=list[ProductOut], summary="Bank products")
def list_products(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    rows = finance.visible_products(user).select_related("bank", "programme")
    return [product_out(p) for p in rows]


@router.get("/needs", response=list[NeedOut], summary="Financing needs the user may see")
def list_needs(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    return [need_out(n) for n in finance.visible_needs(user).select_related("enterprise")]


@router.post("/needs", response={201: NeedOut}, summary="Register a financing need")
def create_need(request: HttpRequest, payload: NeedIn) -> Status:
    user = current_user(request)
    enterprise = Enterprise.objects.select_related("region").filter(pk=payload.enterprise).first()
    if enterprise is None:
        raise NotFound("企业不存在。")
    data = payload.model_dump(exclude={"enterprise"})
    if data["registered_on"] is None:
        data.pop("registered_on")
    made = finance.create_need(user, enterprise, data)
    return Status(201, need_out(finance.get_need(user, made.pk)))


@router.get("/needs/{need_id}", response=NeedOut, summary="One financing need")
def read_need(request: HttpRequest, need_id: int) -> dict[str, Any]:
    return need_out(finance.get_need(current_user(request), need_id))


@router.get("/needs/{need_id}/matches", response=list[MatchOut], summary="Matched products")
def need_matches(request: HttpRequest, need_id: int) -> list[dict[str, Any]]:
    user = current_user(request)
    need = finance.get_need(user, need_id)
    rows = finance.visible_matches(user).filter(need=need).select_related("product__bank")
    return [
        {
            "rank": m.rank,
            "product": product_out(m.product),
            "score": m.score,
            "reasons": m.reasons,
            "conditions": m.conditions,
        }
        for m in rows.select_related("product__programme")
    ]


@router.post("/needs/{need_id}/actions", response=NeedOut, summary="Move a need on")
def need_action(request: HttpRequest, need_id: int, payload: ActionIn) -> dict[str, Any]:
    user = current_user(request)
    need = finance.get_need(user, need_id)
    product = finance.get_product(user, payload.product) if payload.product else None
    finance.transition(
        user,
        need,
        payload.action,
        product=product,
        amount=payload.amount,
        on=payload.on,
        note=payload.note,
    )
    return need_out(finance.get_need(user, need_id))


@router.get("/figures", response=ReportOut, summary="The programme's figures from the records")
def figures(request: HttpRequest, event: int | None = None) -> dict[str, Any]:
    user = current_user(request)
    needs = finance.visible_needs(user)
    if event is not None:
        needs = needs.filter(event_id=event)
    report = finance.figures(needs)
    return {
        "total": report.total.as_dict(),
        "by_day": {d.isoformat(): f.as_dict() for d, f in report.by_day.items()},
        "by_event": {k: f.as_dict() for k, f in report.by_event.items()},
        "by_programme": {k: f.as_dict() for k, f in report.by_programme.items()},
        "illustrative": report.illustrative,
    }
