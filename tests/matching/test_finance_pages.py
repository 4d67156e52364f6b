"""Financing pages and imports: lifecycle buttons, matches with reasons, figures, visibility,
and all-or-nothing Excel imports of bank products and needs."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from openpyxl import load_workbook

from parklink.matching.models import FinanceProduct, FinancingNeed
from parklink.matching.services import finance
from tests.matching.test_finance import Fin, fin, need

__all__ = ["fin"]


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_need_pages_walk_the_lifecycle_and_hide_needs_from_others(fin: Fin) -> None:
    officer = _login(fin.users["gaoxin"])
    page = officer.get("/matching/finance/needs/new/")
    assert page.status_code == 200
    html = page.content.decode()
    # The enterprise is found by typing (a picker lists no rows); one outside the officer's
    # region is refused by name.
    assert "成都示例芯片有限公司" not in html and 'hx-get="/search/pick/enterprise/"' in html
    elsewhere = officer.post(
        "/matching/finance/needs/new/",
        {"enterprise": fin.firms["gas"].pk, "amount": "5000000", "term": "12",
         "purpose": "x", "urgency": "normal"},
    )  # fmt: skip
    assert elsewhere.status_code == 422 and "只能为本辖区的企业登记融资需求" in elsewhere.text
    bad = officer.post(
        "/matching/finance/needs/new/",
        {"enterprise": fin.firms["chip"].pk, "amount": "0", "term": "12", "purpose": "x",
         "urgency": "normal"},
    )  # fmt: skip
    assert bad.status_code == 422 and not FinancingNeed.objects.exists()
    made = officer.post(
        "/matching/finance/needs/new/",
        {"enterprise": fin.firms["chip"].pk, "amount": "5000000", "term": "12",
         "purpose": "采购设备", "urgency": "urgent", "registered_on": "2026-05-20"},
    )  # fmt: skip
    chip = FinancingNeed.objects.get()
    assert made.status_code == 302 and made["Location"].endswith(f"/finance/needs/{chip.pk}/")
    url = f"/matching/finance/needs/{chip.pk}/"
    officer.post(url + "action/", {"action": "match"})
    html = officer.get(url).content.decode()
    assert "成长贷" in html and "信用贷款,无需抵押" in html and 'data-state="met"' in html
    officer.post(url + "action/", {"action": "contact", "product": fin.products["growth"].pk})
    bank = _login(fin.users["bank_a"])
    bank.post(url + "action/", {"action": "approve", "amount": "9000000", "on": "2026-05-25"})
    chip.refresh_from_db()
    assert chip.status == "contacted"  # refused: more than requested
    bank.post(url + "action/", {"action": "approve", "amount": "5000000", "on": "2026-05-25"})
    bank.post(url + "action/", {"action": "disburse", "amount": "5000000", "on": "2026-05-28"})
    chip.refresh_from_db()
    assert chip.status == "disbursed" and chip.disbursed_amount == 5_000_000
    figures = officer.get("/matching/finance/figures/").content.decode()
    assert 'data-figure="disbursed_amount">5000000<' in figures
    # another region's officer and an unmatched bank cannot read it
    assert _login(fin.users["meishan"]).get(url).status_code == 404
    gas = need(fin, "gas", by="meishan", event=None)
    assert _login(fin.users["gaoxin"]).get(f"/matching/finance/needs/{gas.pk}/").status_code == 404
    listing = _login(fin.users["meishan"]).get("/matching/finance/needs/").content.decode()
    assert "眉山示例特种气体有限公司" in listing and "成都示例芯片有限公司" not in listing
    assert _login(fin.users["bank_b"]).get(url).status_code == 200  # 园保贷 was matched too
    products = officer.get("/matching/finance/").content.decode()
    assert "成长贷" in products and "园保贷" in products


def _import(kind: str, path: Any, who: str) -> str:
    out = io.StringIO()
    call_command("import", kind, str(path), "--as", who, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_product_import_is_all_or_nothing_and_for_bank_staff_only(fin: Fin, xlsx: Any) -> None:
    header = ["产品名称", "类型", "最低额度(元)", "最高额度(元)", "最短期限(月)", "最长期限(月)",
              "最低年利率(%)", "最高年利率(%)", "政府金融服务项目", "准入条件(JSON)"]  # fmt: skip
    good = [
        "壮大贷",
        "抵质押贷款",
        "500万元",
        "3000万元",
        "12",
        "60",
        "3.45",
        "4.2",
        "盈创动力",
        "",
    ]
    bad_rate = ["新创贷", "信用贷款", "300000", "3000000", "6", "24", "4.6", "3.9", "", ""]
    bad_json = ["科创贷", "信用贷款", "300000", "3000000", "6", "24", "3.9", "4.6", "", "{oops"]
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import", "matching-finance-products", str(xlsx(header, [good, bad_rate, bad_json])),
            "--as", "bank_a_officer", stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    text = err.getvalue()
    assert "第3行" in text and "最高利率不能低于最低利率" in text
    assert "第4行" in text and "不是有效的 JSON" in text
    assert FinanceProduct.objects.count() == 2
    with pytest.raises(CommandError):
        _import("matching-finance-products", xlsx(header, [good]), "gaoxin_officer")
    assert "1" in _import("matching-finance-products", xlsx(header, [good]), "bank_a_officer")
    made = FinanceProduct.objects.get(name="壮大贷")
    assert (made.bank, made.amount_min, made.amount_max) == (fin.banks["a"], 5_000_000, 30_000_000)
    assert made.programme is not None and made.programme.name == "盈创动力"


def test_need_import_names_the_row_and_keeps_to_the_region(fin: Fin, xlsx: Any) -> None:
    header = ["企业", "融资金额(元)", "期限(月)", "用途", "紧急程度"]
    rows = [
        ["成都示例芯片有限公司", "500万元", "12", "采购设备", "紧急"],
        ["眉山示例特种气体有限公司", "100000", "12", "周转", "一般"],
        ["成都示例贸易有限公司", "12.5", "12", "周转", "一般"],
    ]
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import", "matching-finance-needs", str(xlsx(header, rows)), "--as", "gaoxin_officer",
            stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    text = err.getvalue()
    assert "第3行" in text and "不在本机构所辖地区" in text
    assert "第4行" in text and "整数元" in text
    assert not FinancingNeed.objects.exists()
    _import("matching-finance-needs", xlsx(header, [rows[0]]), "gaoxin_officer")
    made = FinancingNeed.objects.get()
    assert (made.amount, made.urgency, made.status) == (5_000_000, "urgent", "registered")
    assert made.history.count() == 1


def test_api_registers_matches_moves_and_hides_needs(fin: Fin, api_client: Any) -> None:
    officer = api_client(fin.users["gaoxin"])
    made = officer.post(
        "/api/v1/matching/finance/needs",
        data={"enterprise": fin.firms["chip"].pk, "amount": 5_000_000, "term": 12,
              "purpose": "采购设备", "urgency": "urgent"},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    bad = officer.post(
        "/api/v1/matching/finance/needs",
        data={"enterprise": fin.firms["gas"].pk, "amount": 1, "term": 12, "purpose": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 403
    moved = officer.post(
        f"/api/v1/matching/finance/needs/{pk}/actions",
        data={"action": "match"},
        content_type="application/json",
    )
    assert moved.json()["status"] == "matched"
    matches = officer.get(f"/api/v1/matching/finance/needs/{pk}/matches").json()
    assert matches[0]["product"]["name"] == "成长贷" and matches[0]["reasons"]
    assert matches[0]["product"]["rate_min"] == "3.450"
    assert matches[0]["conditions"][0]["state"] == "met"
    wrong = officer.post(
        f"/api/v1/matching/finance/needs/{pk}/actions",
        data={"action": "disburse", "amount": 1},
        content_type="application/json",
    )
    assert wrong.status_code == 409
    bank_b = api_client(fin.users["bank_b"]).get(f"/api/v1/matching/finance/needs/{pk}/matches")
    assert [m["product"]["name"] for m in bank_b.json()] == ["园保贷"]
    assert (
        api_client(fin.users["meishan"]).get(f"/api/v1/matching/finance/needs/{pk}").status_code
        == 404
    )
    assert api_client(fin.users["meishan"]).get("/api/v1/matching/finance/needs").json() == []
    report = officer.get("/api/v1/matching/finance/figures").json()
    assert report["total"]["needs"] == 1 and report["total"]["needs_amount"] == 5_000_000
    assert (
        len(api_client(fin.users["meishan"]).get("/api/v1/matching/finance/products").json()) == 2
    )


def test_export_lists_only_visible_needs_and_own_bank_matches(fin: Fin) -> None:
    chip = need(fin)
    finance.match(fin.users["gaoxin"], chip)
    need(fin, "gas", by="meishan", event=None)

    def rows(user: Any) -> list[tuple[Any, ...]]:
        response = _login(user).get("/matching/finance/needs.xlsx")
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return [tuple(r) for r in book.active.iter_rows(min_row=2, values_only=True)]

    officer = rows(fin.users["gaoxin"])
    assert [r[8] for r in officer] == ["成长贷", "园保贷"]
    assert officer[0][2] == 5_000_000 and "高新技术企业:满足" in officer[0][11]
    assert all(r[1] == "成都示例芯片有限公司" for r in officer)
    bank_b = rows(fin.users["bank_b"])
    assert [r[8] for r in bank_b] == ["园保贷"]


def test_admin_lists_only_the_staff_members_visible_needs_and_changes_nothing(fin: Fin) -> None:
    chip = need(fin)
    gas = need(fin, "gas", by="meishan", event=None)
    staff = fin.users["meishan"]
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="financingneed"))
    client = _login(staff)
    page = client.get("/admin/matching/financingneed/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/admin/matching/financingneed/{gas.pk}/" in html
    assert f"/admin/matching/financingneed/{chip.pk}/" not in html
    assert client.get(f"/admin/matching/financingneed/{chip.pk}/change/").status_code in (302, 404)
    client.post(f"/admin/matching/financingneed/{gas.pk}/delete/", {"post": "yes"})
    assert FinancingNeed.objects.filter(pk=gas.pk).exists()
