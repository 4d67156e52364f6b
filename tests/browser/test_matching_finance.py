"""Financing and promotion in a real browser.

An officer registers an enterprise's financing need, has it matched and marks the bank
contacted; the bank's staff approve and disburse it; the programme's figures show the money.
Then an investor, not signed in, sends an enquiry from a park's public promotion page and it
arrives as a lead of the organisation that owns the park.

Each test builds its small world in the test thread before the browser makes its first
request, and reads the database only after a navigation has finished (the live server shares
the test thread's in-memory SQLite connection).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from parklink.accounts.models import OrganizationKind, User
from parklink.enterprises.models import Enterprise
from parklink.matching.models_finance import Bank, FinancingNeed, NeedStatus
from parklink.matching.models_promotion import Enquiry
from parklink.matching.services import finance, promotion
from parklink.projects.models import Project
from tests.support import factories

pytestmark = [pytest.mark.browser]


def _financing_world() -> tuple[User, User, Enterprise]:
    """A district's officer, a bank's staff member with one credit product, a local firm."""
    office = factories.organization("高新区金融局(测试)", "510107", OrganizationKind.GOVERNMENT)
    officer = factories.user("fin_officer", office, display_name="金融专员")
    bank_org = factories.organization("示例银行成都分行(测试)", "510100", OrganizationKind.OTHER)
    staff = factories.user("bank_staff", bank_org, display_name="银行客户经理")
    bank = Bank.objects.create(name="示例银行(测试)", organization=bank_org)
    finance.save_product(
        staff, bank,
        {"name": "成长贷", "kind": "credit", "amount_min": 1_000_000, "amount_max": 10_000_000,
         "term_min": 6, "term_max": 36, "rate_min": Decimal("3.450"),
         "rate_max": Decimal("4.350"), "conditions": []},
    )  # fmt: skip
    firm = factories.enterprise(office, "成都示例芯片有限公司(测试)", is_high_tech=True)
    return officer, staff, firm


def _act(page: Any, action: str, amount: str | None = None) -> None:
    """Press a lifecycle button on the need's page (typing the amount first) and wait."""
    form = page.locator(f"form[data-action={action}]")
    if amount is not None:
        form.locator(f"#amount-{action}").fill(amount)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


@pytest.mark.django_db(transaction=True)
def test_register_match_contact_approve_disburse(
    page: Any, live_server: Any, login: Callable[..., None]
) -> None:
    officer, staff, firm = _financing_world()

    login(page, officer)
    # The live server's first request imports and compiles what every page needs.
    page.goto(f"{live_server.url}/matching/finance/needs/new/", timeout=60_000)
    page.fill("#id_enterprise", firm.name[:4])
    page.locator(f"#id_enterprise_results [data-pick='{firm.pk}']").click()
    page.fill("#id_amount", "5000000")
    page.fill("#id_term", "12")
    page.fill("#id_purpose", "采购测试设备")
    with page.expect_navigation():
        page.click("#need-form button[type=submit]")
    need = FinancingNeed.objects.get(enterprise=firm)
    assert page.url.endswith(f"/matching/finance/needs/{need.pk}/")
    assert page.locator("#need-status").inner_text() == "已登记"

    _act(page, "match")
    assert page.locator("#need-status").inner_text() == "已匹配"
    assert "示例银行(测试) · 成长贷" in page.locator("#matches").inner_text()
    _act(page, "contact")  # the one matched product is preselected
    assert page.locator("#need-status").inner_text() == "银行已对接"

    page.context.clear_cookies()
    login(page, staff)
    page.goto(f"{live_server.url}/matching/finance/needs/{need.pk}/")
    _act(page, "approve", "4800000")
    assert page.locator("#need-status").inner_text() == "已审批"
    assert page.locator("[data-figure=approved]").inner_text().startswith("4800000")
    _act(page, "disburse", "5000000")  # more than approved: refused, nothing moves
    assert "放款金额 5000000 元超过审批金额 4800000 元" in page.locator("body").inner_text()
    assert page.locator("#need-status").inner_text() == "已审批"
    _act(page, "disburse", "4500000")
    assert page.locator("#need-status").inner_text() == "已放款"
    assert page.locator("[data-figure=disbursed]").inner_text().startswith("4500000")

    need.refresh_from_db()
    assert (need.status, need.approved_amount, need.disbursed_amount) == (
        NeedStatus.DISBURSED,
        4_800_000,
        4_500_000,
    )
    assert list(need.history.values_list("action", flat=True).order_by("pk")) == [
        "register",
        "match",
        "contact",
        "approve",
        "disburse",
    ]

    page.context.clear_cookies()
    login(page, officer)
    page.goto(f"{live_server.url}/matching/finance/figures/")
    figures = page.locator("#finance-figures")
    assert figures.locator("[data-figure=needs]").inner_text().startswith("1")
    assert figures.locator("[data-figure=enterprises_financed]").inner_text() == "1"
    assert figures.locator("[data-figure=approved_amount]").inner_text() == "4800000"
    assert figures.locator("[data-figure=disbursed_amount]").inner_text() == "4500000"


@pytest.mark.django_db(transaction=True)
def test_an_investor_enquires_on_a_promotion_page_without_signing_in(
    page: Any, live_server: Any
) -> None:
    owner = factories.organization("示例高新区管委会(测试)", "510107", "park_committee")
    officer = factories.user("promo_officer", owner)
    park = factories.park(owner, "示例电子信息产业园(测试)", available_land_mu=Decimal("300"))
    promotion.publish_park(officer, park)

    page.goto(f"{live_server.url}/matching/promote/parks/{park.pk}/", timeout=60_000)
    assert page.locator("#login-form").count() == 0
    assert "300亩" in page.locator("[data-section=park] [data-field=available_land]").inner_text()
    page.fill("#id_name", "王经理")
    page.fill("#id_company", "示例投资有限公司")
    page.fill("#id_contact", "wang@example.com")
    page.fill("#id_interest", "新建生产基地")
    with page.expect_navigation():
        page.click("#enquiry-form button[type=submit]")
    assert page.url.endswith(f"/matching/promote/parks/{park.pk}/#enquiry")
    assert "已收到您的咨询" in page.locator("body").inner_text()

    enquiry = Enquiry.objects.select_related("lead").get()
    assert (enquiry.organization_id, enquiry.park_id) == (owner.pk, park.pk)
    assert enquiry.lead is not None
    lead = Project.objects.get(pk=enquiry.lead.pk)
    assert (lead.owner_id, lead.park_id) == (owner.pk, park.pk)
    assert lead.name == "示例投资有限公司:新建生产基地"
