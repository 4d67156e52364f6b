"""How well a bank product fits a financing need (no Django import).

A product is *eligible* for a need when none of its eligibility conditions is not met (unknown
conditions are shown, not held against the enterprise), the requested amount lies inside the
product's amount range and the term inside its term range. Eligible products are ranked by a
score in [0, 1] built from: conditions met (share of known conditions), amount position,
collateral fit (a pledge product needs collateral; credit products need none), urgency
(policy-backed and credit products are quicker) and the rate (lower is better). Every part
becomes a reason in Chinese. Money is integer 元; rates are Decimal percentages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parklink.matching.scoring import eligibility as el

CREDIT, GUARANTEE, PLEDGE, POLICY = "credit", "guarantee", "pledge", "policy"
QUICK_KINDS = frozenset({CREDIT, POLICY})


@dataclass(frozen=True)
class Product:
    key: int
    kind: str
    amount_min: int
    amount_max: int
    term_min: int  # months
    term_max: int
    rate_min: Decimal
    rate_max: Decimal
    conditions: Sequence[el.Condition] = ()


@dataclass(frozen=True)
class Need:
    amount: int
    term: int
    has_collateral: bool
    urgent: bool


@dataclass
class Fit:
    product: int
    eligible: bool
    score: float
    states: list[tuple[el.Condition, str]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)


WEIGHTS = {"conditions": 0.4, "amount": 0.2, "collateral": 0.15, "urgency": 0.1, "rate": 0.15}


def fit(need: Need, product: Product, facts: Mapping[str, Any]) -> Fit:
    result = Fit(product.key, True, 0.0)
    met = unknown = 0
    for condition in product.conditions:
        state = el.evaluate(condition, facts)
        result.states.append((condition, state))
        if state == el.NOT_MET:
            result.blockers.append(f"不满足:{condition.label}({condition.clause})")
        elif state == el.MET:
            met += 1
        else:
            unknown += 1
    if not product.amount_min <= need.amount <= product.amount_max:
        result.blockers.append(
            f"申请金额 {need.amount} 元不在产品额度 {product.amount_min}–{product.amount_max} 元内"
        )
    if not product.term_min <= need.term <= product.term_max:
        result.blockers.append(
            f"期限 {need.term} 个月不在产品期限 {product.term_min}–{product.term_max} 个月内"
        )
    if product.kind == PLEDGE and not need.has_collateral:
        result.blockers.append("质押类产品须提供抵质押物")
    if result.blockers:
        result.eligible = False
        return result
    known = met + (len(product.conditions) - met - unknown)
    share = met / known if known else 1.0
    parts = {"conditions": share}
    if product.conditions:
        result.reasons.append(f"满足 {met} 项条件" + (f",{unknown} 项待核实" if unknown else ""))
    span = product.amount_max - product.amount_min
    position = 1.0 if span == 0 else 1 - abs((need.amount - product.amount_min) / span - 0.5)
    parts["amount"] = position
    result.reasons.append(f"申请金额在额度 {product.amount_min}–{product.amount_max} 元内")
    if product.kind == CREDIT:
        parts["collateral"] = 1.0
        result.reasons.append("信用贷款,无需抵押")
    elif product.kind == PLEDGE:
        parts["collateral"] = 1.0
        result.reasons.append("有抵质押物,适合质押贷款")
    else:
        parts["collateral"] = 0.6 if need.has_collateral else 0.8
    parts["urgency"] = 1.0 if (not need.urgent or product.kind in QUICK_KINDS) else 0.3
    if need.urgent and product.kind in QUICK_KINDS:
        result.reasons.append("需求紧急,该类产品审批较快")
    # 3% → 1.0, 10% → 0.0, clamped; the rate range's lower end counts.
    rate = float(product.rate_min)
    parts["rate"] = max(0.0, min(1.0, (10 - rate) / 7))
    result.reasons.append(f"利率 {product.rate_min}%–{product.rate_max}%")
    result.score = round(sum(WEIGHTS[k] * v for k, v in parts.items()), 4)
    return result


def rank(need: Need, products: Sequence[Product], facts: Mapping[str, Any]) -> list[Fit]:
    """Every product's fit; eligible first, by score, then by product key for stability."""
    fits = [fit(need, product, facts) for product in products]
    return sorted(fits, key=lambda f: (not f.eligible, -f.score, f.product))
