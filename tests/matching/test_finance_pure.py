"""The financing lifecycle table and the product fit, on plain data (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parklink.matching.finance import fit as fitting
from parklink.matching.finance import lifecycle
from parklink.matching.scoring import eligibility as el

HIGH_TECH = el.parse_conditions(
    [
        {
            "key": "ht",
            "label": "高新技术企业",
            "clause": "第三条(一)",
            "rule": {"==": [{"var": "is_high_tech"}, True]},
        }
    ]
)


def product(key: int = 1, kind: str = "credit", **changes: object) -> fitting.Product:
    values: dict[str, object] = {
        "key": key,
        "kind": kind,
        "amount_min": 1_000_000,
        "amount_max": 10_000_000,
        "term_min": 6,
        "term_max": 36,
        "rate_min": Decimal("3.450"),
        "rate_max": Decimal("4.350"),
        "conditions": tuple(HIGH_TECH),
    }
    values.update(changes)
    return fitting.Product(**values)  # type: ignore[arg-type]


NEED = fitting.Need(amount=5_000_000, term=12, has_collateral=False, urgent=True)


def test_the_lifecycle_runs_registered_to_disbursed_and_nothing_else() -> None:
    state = lifecycle.REGISTERED
    for action in ("match", "contact", "approve", "disburse"):
        state = lifecycle.find(state, action).target
    assert state == lifecycle.DISBURSED
    assert lifecycle.allowed(lifecycle.DISBURSED) == []
    with pytest.raises(lifecycle.IllegalMove, match="approve"):
        lifecycle.find(lifecycle.REGISTERED, "approve")
    with pytest.raises(lifecycle.IllegalMove):
        lifecycle.find(lifecycle.DECLINED, "disburse")
    assert {t.target for t in lifecycle.allowed(lifecycle.CONTACTED)} == {
        lifecycle.APPROVED,
        lifecycle.DECLINED,
        lifecycle.WITHDRAWN,
    }


def test_amounts_are_checked_against_the_request_and_the_approval() -> None:
    approve = lifecycle.find(lifecycle.CONTACTED, "approve")
    disburse = lifecycle.find(lifecycle.APPROVED, "disburse")
    assert lifecycle.check_amounts(approve, 5_000_000, None, None) == "须填写金额(元)"
    assert "超过申请金额" in str(lifecycle.check_amounts(approve, 5_000_000, 5_000_001, None))
    assert lifecycle.check_amounts(approve, 5_000_000, 5_000_000, None) is None
    assert "超过审批金额" in str(lifecycle.check_amounts(disburse, 9, 4_000_001, 4_000_000))
    assert lifecycle.check_amounts(disburse, 9, 0, 4) == "金额须大于零"


def test_a_product_whose_condition_is_not_met_is_not_eligible_and_says_why() -> None:
    result = fitting.fit(NEED, product(), {"is_high_tech": False})
    assert not result.eligible
    assert result.blockers == ["不满足:高新技术企业(第三条(一))"]
    assert result.states[0][1] == el.NOT_MET


def test_unknown_conditions_are_shown_but_do_not_block() -> None:
    result = fitting.fit(NEED, product(), {})
    assert result.eligible
    assert result.states[0][1] == el.UNKNOWN
    assert "1 项待核实" in result.reasons[0]


def test_amount_term_and_collateral_block_with_figures() -> None:
    small = fitting.Need(amount=500_000, term=48, has_collateral=False, urgent=False)
    result = fitting.fit(small, product(kind="pledge"), {"is_high_tech": True})
    assert not result.eligible
    assert any("500000 元不在产品额度 1000000–10000000 元内" in b for b in result.blockers)
    assert any("48 个月" in b for b in result.blockers)
    assert "质押类产品须提供抵质押物" in result.blockers


def test_ranking_prefers_met_conditions_lower_rates_and_quick_products_when_urgent() -> None:
    facts = {"is_high_tech": True}
    cheap = product(1, rate_min=Decimal("3.000"))
    dear = product(2, rate_min=Decimal("6.000"), rate_max=Decimal("7.000"))
    guarantee = product(3, kind="guarantee", rate_min=Decimal("3.000"))
    blocked = product(4, amount_max=2_000_000)
    ranked = fitting.rank(NEED, [blocked, dear, guarantee, cheap], facts)
    assert [f.product for f in ranked] == [1, 2, 3, 4]
    assert not ranked[-1].eligible and all(f.eligible for f in ranked[:3])
    by_key = {f.product: f for f in ranked}
    assert by_key[1].score > by_key[2].score
    assert by_key[1].score > by_key[3].score  # urgent: a guarantee takes longer
    assert "需求紧急,该类产品审批较快" in by_key[1].reasons
