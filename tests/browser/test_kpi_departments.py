"""KPI departments and background reports in a real browser: an officer adds a department,
picks its member, gives it a target, sees the member's signed project counted (超 kept) and the
departments ranked; then asks for the monthly report, which is made in the background and
listed ready with a download link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from parklink.accounts.models import Organization, User
from parklink.projects import services as project_services
from parklink.projects.models import Project
from parklink.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world() -> tuple[User, User, Organization]:
    org = Organization.objects.create(
        name="金牛区投资促进局(部门浏览器测试)",
        kind="investment_bureau",
        region=Region.objects.get(adcode="510106"),
    )
    officer = User.objects.create_user(
        username="jn_dept", password="pw-browser", organization=org, role="officer"
    )
    leader = User.objects.create_user(
        username="jn_leader", password="pw-browser", organization=org, role="officer"
    )
    project = project_services.create_project(
        officer,
        name="部门测试新材料项目",
        stage="signed",
        stage_date=date(2025, 2, 10),
        region_id="510106",
        total_investment=Decimal(500_000_000),
        total_investment_qualifier="at_least",
        leader_user=leader,
    )
    # On the monthly ledger since it was signed (else it would be 突击上报 and count nowhere).
    Project.objects.filter(pk=project.pk).update(
        created_at=timezone.make_aware(datetime(2025, 2, 10, 10))
    )
    return officer, leader, org


def test_department_target_ranking_and_a_background_report(
    page: Any, server: Any, login: Callable[..., None], settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    officer, leader, org = _world()
    login(page, officer)
    page.goto("/kpi/departments/")
    page.fill("#id_d_name", "招商一局")
    page.click("#department-form button[type=submit]")
    page.wait_for_selector("#department-members-form")
    page.select_option("#id_members", [str(leader.pk)])
    page.click("#department-members-form button[type=submit]")
    page.wait_for_selector("#department-target-form")
    page.fill("#id_t_period", "2025Q1")
    page.select_option("#id_t_kind", "signed_count")
    page.fill("#id_t_value", "2")
    page.click("#department-target-form button[type=submit]")
    page.wait_for_selector('#department-result-table tr[data-kind="signed_count"]')
    row = page.locator('#department-result-table tr[data-kind="signed_count"]')
    assert row.locator("[data-actual]").inner_text() == "1"
    assert "50.0%" in row.inner_text()
    amount = page.locator('#department-result-table tr[data-kind="signed_amount"] [data-actual]')
    assert amount.inner_text() == "超5亿元"
    assert "部门测试新材料项目" in page.locator("#department-project-table").inner_text()
    # The ranking of the organisation's departments: preview, then stored with a derivation.
    page.goto(f"/kpi/?scheme=city-districts&period=2025Q1&subject=department&org={org.pk}")
    assert "招商一局" in page.locator("#ranking-table").inner_text()
    page.click("#assess-form button[type=submit]")
    page.wait_for_selector("text=已保存的考核结果")
    page.locator("#ranking-table a", has_text="得分推导").first.click()
    page.wait_for_selector("#items")
    assert "招商一局" in page.locator("h1").inner_text()
    # A report asked for on the page is made in the background and listed ready.
    page.goto("/kpi/reports/")
    page.fill('#report-form input[name="period"]', "2025-02")
    page.click("#download-report")
    status = page.locator("#generated-table [data-status]").first
    status.wait_for()
    assert status.get_attribute("data-status") == "ready"
    with page.expect_download() as download:
        status.locator("a").click()
    assert download.value.suggested_filename.endswith(".xlsx")
