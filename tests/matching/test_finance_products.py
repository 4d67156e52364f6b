"""Bank products kept on pages by their bank's staff (create, edit, retire, put back), and an
enterprise's financing needs on its page, shown only to those who may see them."""

from __future__ import annotations

import json
from typing import Any

from django.template import Context, Template
from django.test import Client, RequestFactory

from parklink.accounts.models import User
from parklink.matching.models import FinanceProduct
from parklink.matching.services import finance
from tests.matching.test_finance import HIGH_TECH, Fin, fin, need

__all__ = ["fin"]

FORM = {
    "name": "科创贷",
    "kind": "credit",
    "amount_min": "500000",
    "amount_max": "5000000",
    "term_min": "6",
    "term_max": "24",
    "rate_min": "3.200",
    "rate_max": "4.100",
    "programme": "",
    "conditions": json.dumps(HIGH_TECH, ensure_ascii=False),
}


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestProductPages:
    def test_bank_staff_create_edit_and_retire_a_product(self, fin: Fin) -> None:
        staff = _login(fin.users["bank_a"])
        assert 'id="create-product"' in staff.get("/matching/finance/").content.decode()
        made = staff.post("/matching/finance/products/new/", FORM)
        assert made.status_code == 302
        product = FinanceProduct.objects.get(name="科创贷")
        assert product.bank == fin.banks["a"] and product.conditions[0]["key"] == "ht"
        url = f"/matching/finance/products/{product.pk}/"
        edited = staff.post(url + "edit/", {**FORM, "name": "科创贷2", "amount_max": "8000000"})
        assert edited.status_code == 302
        product.refresh_from_db()
        assert (product.name, product.amount_max) == ("科创贷2", 8_000_000)
        staff.post(url + "active/", {"active": "0"})
        product.refresh_from_db()
        assert not product.active
        assert 'id="product-retired"' in staff.get(url).content.decode()
        chip = need(fin)
        assert product.pk not in {p.pk for p, _fit in finance.fit_need(chip)}
        staff.post(url + "active/", {"active": "1"})
        product.refresh_from_db()
        assert product.active

    def test_bad_terms_are_refused_on_their_field(self, fin: Fin) -> None:
        staff = _login(fin.users["bank_a"])
        for changes, words in (
            ({"amount_max": "100000"}, "最高额度不能低于最低额度"),
            ({"rate_max": "3.000"}, "最高利率不能低于最低利率"),
            ({"conditions": "[{"}, "条件不是合法的 JSON"),
            (
                {"conditions": '[{"key": "x", "label": "x", "rule": {"var": "is_high_tech"}}]'},
                "clause",
            ),
            ({"name": "成长贷"}, "本行已有名为“成长贷”的产品"),
        ):
            response = staff.post("/matching/finance/products/new/", {**FORM, **changes})
            assert response.status_code == 422, changes
            html = response.content.decode()
            assert words in html, (changes, words)
        assert not FinanceProduct.objects.filter(name="科创贷").exists()

    def test_only_the_banks_staff_keep_its_products(self, fin: Fin) -> None:
        product = fin.products["growth"]  # bank A's
        other_bank = _login(fin.users["bank_b"])
        url = f"/matching/finance/products/{product.pk}/"
        assert 'id="edit-product"' not in other_bank.get(url).content.decode()
        assert other_bank.post(url + "edit/", FORM).status_code == 403
        assert other_bank.post(url + "active/", {"active": "0"}).status_code == 403
        officer = _login(fin.users["gaoxin"])
        assert officer.get("/matching/finance/products/new/").status_code == 403
        product.refresh_from_db()
        assert product.active and product.name == "成长贷"


def _panel(user: User, enterprise: Any) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template('{% load panels %}{% panels enterprise "section" %}').render(
        Context({"request": request, "enterprise": enterprise})
    )


class TestEnterprisePanel:
    def test_needs_and_matches_show_to_those_who_may_see_them(self, fin: Fin) -> None:
        chip = need(fin)
        finance.match(fin.users["gaoxin"], chip)
        html = _panel(fin.users["gaoxin"], fin.firms["chip"])
        assert f'data-need="{chip.pk}"' in html and "成长贷" in html and "园保贷" in html
        # A matched bank's staff see the need with their own bank's offer only.
        bank = _panel(fin.users["bank_b"], fin.firms["chip"])
        assert f'data-need="{chip.pk}"' in bank and "园保贷" in bank and "成长贷" not in bank
        # Another region's officer sees nothing of it.
        assert 'id="financing-needs"' not in _panel(fin.users["meishan"], fin.firms["chip"])
