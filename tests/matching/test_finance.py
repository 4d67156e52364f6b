"""Financing matchmaking on a real database: products, needs, matching, lifecycle, figures,
and who may see and change a need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from parklink.accounts.models import Organization, Role, User
from parklink.core.errors import Forbidden, IllegalTransition, Invalid, NotFound
from parklink.core.registry import registry
from parklink.enterprises.models import Enterprise
from parklink.matching.models import (
    Bank,
    Event,
    FinanceProduct,
    FinancingNeed,
    NeedEvent,
    NeedMatch,
    Programme,
)
from parklink.matching.services import finance
from tests.support import factories

HIGH_TECH = [
    {
        "key": "ht",
        "label": "高新技术企业",
        "clause": "申请条件第一款",
        "rule": {"==": [{"var": "is_high_tech"}, True]},
    }
]


@dataclass
class Fin:
    orgs: dict[str, Organization]
    users: dict[str, User]
    firms: dict[str, Enterprise]
    banks: dict[str, Bank]
    products: dict[str, FinanceProduct]
    event: Event


def product_values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "成长贷",
        "kind": "credit",
        "amount_min": 1_000_000,
        "amount_max": 10_000_000,
        "term_min": 6,
        "term_max": 36,
        "rate_min": Decimal("3.450"),
        "rate_max": Decimal("4.350"),
        "conditions": HIGH_TECH,
    }
    values.update(changes)
    return values


@pytest.fixture
def fin(db: Any) -> Fin:
    orgs = {
        "gaoxin": factories.organization("成都高新区金融局", "510107"),
        "meishan": factories.organization("眉山市经济合作局", "511400"),
        "bank_a": factories.organization("示例银行甲成都分行", "510100", "other"),
        "bank_b": factories.organization("示例银行乙成都分行", "510100", "other"),
    }
    users = {key: factories.user(f"{key}_officer", org) for key, org in orgs.items()}
    users["gaoxin_viewer"] = factories.user("gaoxin_viewer", orgs["gaoxin"], role=Role.VIEWER)
    users["root"] = factories.superuser()
    firms = {
        "chip": factories.enterprise(
            orgs["gaoxin"], "成都示例芯片有限公司", "510107", is_high_tech=True
        ),
        "plain": factories.enterprise(orgs["gaoxin"], "成都示例贸易有限公司", "510107"),
        "gas": factories.enterprise(orgs["meishan"], "眉山示例特种气体有限公司", "511402"),
    }
    banks = {
        "a": Bank.objects.create(name="示例银行甲", organization=orgs["bank_a"]),
        "b": Bank.objects.create(name="示例银行乙", organization=orgs["bank_b"]),
    }
    programme = Programme.objects.create(name="盈创动力", region_id="510107", owner=orgs["gaoxin"])
    products = {
        "growth": finance.save_product(
            users["bank_a"], banks["a"], product_values(programme=programme)
        ),
        "park": finance.save_product(
            users["bank_b"],
            banks["b"],
            product_values(
                name="园保贷",
                kind="guarantee",
                conditions=[],
                rate_min=Decimal("4.000"),
                rate_max=Decimal("5.000"),
            ),
        ),
    }
    event = Event.objects.create(name="银企对接日", held_on=date(2026, 5, 20), owner=orgs["gaoxin"])
    return Fin(orgs, users, firms, banks, products, event)


def need(fin: Fin, firm: str = "chip", by: str = "gaoxin", **changes: Any) -> FinancingNeed:
    values: dict[str, Any] = {
        "amount": 5_000_000,
        "term": 12,
        "purpose": "采购设备",
        "urgency": "urgent",
        "event": fin.event,
        "registered_on": date(2026, 5, 20),
    }
    values.update(changes)
    return finance.create_need(fin.users[by], fin.firms[firm], values)


def test_products_are_validated_field_by_field_and_only_the_banks_staff_keep_them(fin: Fin) -> None:
    bank = fin.banks["a"]
    with pytest.raises(Invalid) as bad:
        finance.save_product(fin.users["bank_a"], bank, product_values(amount_max=10))
    assert bad.value.detail == {"amount_max": "最高额度不能低于最低额度。"}
    with pytest.raises(Invalid) as bad:
        finance.save_product(fin.users["bank_a"], bank, product_values(amount_min=1.5))
    assert "amount_min" in bad.value.detail
    with pytest.raises(Invalid) as bad:
        finance.save_product(
            fin.users["bank_a"], bank, product_values(conditions=[{"key": "x", "label": "x"}])
        )
    assert "clause" in bad.value.detail["conditions"]
    with pytest.raises(Forbidden):
        finance.save_product(fin.users["bank_b"], bank, product_values(name="新创贷"))
    with pytest.raises(Forbidden):
        finance.save_product(fin.users["gaoxin"], bank, product_values(name="新创贷"))
    assert FinanceProduct.objects.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        FinanceProduct.objects.filter(pk=fin.products["growth"].pk).update(rate_max=Decimal("1"))


def test_a_need_is_matched_with_reasons_and_condition_states(fin: Fin) -> None:
    chip = need(fin)
    rows = finance.match(fin.users["gaoxin"], chip)
    chip.refresh_from_db()
    assert chip.status == "matched"
    assert [r.product.name for r in rows] == ["成长贷", "园保贷"]
    assert rows[0].score > rows[1].score
    assert rows[0].conditions == [
        {"key": "ht", "label": "高新技术企业", "clause": "申请条件第一款", "state": "met"}
    ]
    assert "信用贷款,无需抵押" in rows[0].reasons
    plain = need(fin, "plain")
    rows = finance.match(fin.users["gaoxin"], plain)
    assert [r.product.name for r in rows] == ["园保贷"]  # not high-tech: 成长贷 not met
    too_big = need(fin, "plain", amount=50_000_000)
    with pytest.raises(Invalid, match="没有符合该需求"):
        finance.match(fin.users["gaoxin"], too_big)
    too_big.refresh_from_db()
    assert too_big.status == "registered" and not too_big.matches.exists()


def test_the_lifecycle_records_amounts_dates_and_history(fin: Fin) -> None:
    chip = need(fin)
    bank_a = fin.users["bank_a"]
    finance.match(fin.users["gaoxin"], chip)
    with pytest.raises(IllegalTransition, match="已匹配"):
        finance.transition(bank_a, chip, "approve", amount=1)
    with pytest.raises(Invalid) as bad:
        finance.transition(fin.users["gaoxin"], chip, "contact")
    assert "product" in bad.value.detail
    finance.transition(fin.users["gaoxin"], chip, "contact", product=fin.products["growth"])
    with pytest.raises(Forbidden):
        finance.transition(fin.users["bank_b"], chip, "approve", amount=1, on=date(2026, 5, 25))
    with pytest.raises(Invalid) as bad:
        finance.transition(bank_a, chip, "approve", amount=6_000_000, on=date(2026, 5, 25))
    assert "超过申请金额" in bad.value.detail["amount"]
    finance.transition(bank_a, chip, "approve", amount=4_000_000, on=date(2026, 5, 25))
    with pytest.raises(Invalid) as bad:
        finance.transition(bank_a, chip, "disburse", amount=4_000_000, on=date(2026, 5, 24))
    assert "on" in bad.value.detail
    finance.transition(bank_a, chip, "disburse", amount=3_500_000, on=date(2026, 6, 2))
    chip.refresh_from_db()
    assert (chip.status, chip.approved_amount, chip.disbursed_amount) == (
        "disbursed",
        4_000_000,
        3_500_000,
    )
    assert chip.disbursed_on == date(2026, 6, 2)
    steps = list(NeedEvent.objects.filter(need=chip).values_list("action", "source", "target"))
    assert steps == [
        ("register", "registered", "registered"),
        ("match", "registered", "matched"),
        ("contact", "matched", "contacted"),
        ("approve", "contacted", "approved"),
        ("disburse", "approved", "disbursed"),
    ]
    with pytest.raises(IllegalTransition):
        finance.transition(fin.users["gaoxin"], chip, "withdraw")


def test_figures_are_computed_per_day_event_and_programme(fin: Fin) -> None:
    officer = fin.users["gaoxin"]
    first = need(fin)
    second = need(fin, "plain", amount=2_000_000, registered_on=date(2026, 5, 21), event=None)
    need(fin, "chip", amount=1_500_000)
    finance.match(officer, first)
    finance.transition(officer, first, "contact", product=fin.products["growth"])
    finance.transition(officer, first, "approve", amount=5_000_000, on=date(2026, 5, 22))
    finance.transition(officer, first, "disburse", amount=5_000_000, on=date(2026, 5, 30))
    finance.match(officer, second)
    finance.transition(officer, second, "contact", product=fin.products["park"])
    finance.transition(officer, second, "decline", on=date(2026, 5, 23))
    report = finance.figures(FinancingNeed.objects.all())
    assert report.total.as_dict() == {
        "needs": 3,
        "needs_amount": 8_500_000,
        "enterprises_registered": 2,
        "enterprises_financed": 1,
        "approved_amount": 5_000_000,
        "disbursed_amount": 5_000_000,
    }
    assert report.by_day[date(2026, 5, 20)].needs == 2
    assert report.by_day[date(2026, 5, 20)].needs_amount == 6_500_000
    assert report.by_day[date(2026, 5, 21)].enterprises_financed == 0
    assert report.by_event["银企对接日"].disbursed_amount == 5_000_000
    assert report.by_programme["盈创动力"].enterprises_financed == 1
    assert isinstance(report.total.disbursed_amount, int)


def test_needs_are_seen_by_the_regions_officers_and_the_matched_banks_only(fin: Fin) -> None:
    chip = need(fin)
    gas = need(fin, "gas", by="meishan", event=None)
    with pytest.raises(Forbidden):
        need(fin, "gas", by="gaoxin")  # another region's enterprise
    assert set(finance.visible_needs(fin.users["gaoxin"])) == {chip}
    assert set(finance.visible_needs(fin.users["meishan"])) == {gas}
    assert set(finance.visible_needs(fin.users["gaoxin_viewer"])) == {chip}
    # before matching, no bank sees the need
    assert not finance.visible_needs(fin.users["bank_a"]).exists()
    finance.match(fin.users["gaoxin"], chip)  # 成长贷 (bank a) and 园保贷 (bank b)
    finance.match(fin.users["meishan"], gas)  # not high-tech: 园保贷 only
    assert set(finance.visible_needs(fin.users["bank_a"])) == {chip}
    assert set(finance.visible_needs(fin.users["bank_b"])) == {chip, gas}
    # a bank's staff see their own bank's matches only
    assert {m.product.bank for m in finance.visible_matches(fin.users["bank_b"])} == {
        fin.banks["b"]
    }
    with pytest.raises(NotFound):
        finance.get_need(fin.users["bank_a"], gas.pk)
    with pytest.raises(NotFound):
        finance.get_need(fin.users["meishan"], chip.pk)
    with pytest.raises(NotFound):
        finance.transition(fin.users["meishan"], chip, "withdraw")
    with pytest.raises(Forbidden):
        finance.update_need(fin.users["meishan"], chip, {"amount": 1})
    with pytest.raises(Forbidden):
        finance.update_need(fin.users["gaoxin_viewer"], chip, {"amount": 1})
    with pytest.raises(Forbidden):  # a bank cannot edit the need itself
        finance.update_need(fin.users["bank_a"], chip, {"amount": 1})
    scope = registry.scopes.get("matching.financingneed")
    assert set(scope.visible(fin.users["meishan"])) == {gas}
    assert set(finance.visible_needs(fin.users["root"])) == {chip, gas}


def test_need_input_errors_name_the_field(fin: Fin) -> None:
    for changes, field_name in (
        ({"amount": 0}, "amount"),
        ({"amount": Decimal("1.5")}, "amount"),
        ({"term": 400}, "term"),
        ({"purpose": " "}, "purpose"),
        ({"urgency": "asap"}, "urgency"),
    ):
        with pytest.raises(Invalid) as bad:
            need(fin, **changes)
        assert field_name in bad.value.detail
    assert not FinancingNeed.objects.exists()
    assert not NeedMatch.objects.exists()
