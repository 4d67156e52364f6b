"""KPI surveys in a real browser: an officer issues a one-time link, the enterprise answers
on a phone-sized page without logging in, the survey's resumption rate changes, and the
link cannot be used twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from parklink.accounts.models import Organization, User
from parklink.enterprises.models import Enterprise
from parklink.kpi.models import SurveyRecipient
from parklink.kpi.services import surveys
from parklink.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _survey() -> tuple[User, Any]:
    org = Organization.objects.create(
        name="青白江区投资促进局(浏览器测试)",
        kind="investment_bureau",
        region=Region.objects.get(adcode="510113"),
    )
    officer = User.objects.create_user(
        username="qbj_survey", password="pw-browser", organization=org, role="officer"
    )
    firms = [
        Enterprise.objects.create(owner=org, name=f"调查企业{n}有限公司", region_id="510113")
        for n in range(2)
    ]
    survey = surveys.create_survey(
        officer,
        title="浏览器复工调查",
        period="2025-04",
        closes_on=timezone.localdate() + timedelta(days=7),
    )
    surveys.add_recipients(officer, survey, "picked", picked=[f.pk for f in firms])
    first = survey.recipients.get(enterprise=firms[0])
    surveys.answer_by_officer(officer, first, {"status": "not_resumed", "capacity": "0"})
    return officer, survey


def test_answer_through_the_one_time_link(
    browser: Any, page: Any, server: Any, login: Callable[..., None]
) -> None:
    officer, survey = _survey()
    login(page, officer)
    page.goto(f"/kpi/surveys/{survey.pk}/")
    rate = page.locator('#rate-table tr[data-group="all"] td[data-rate="resumption"] a')
    assert rate.inner_text() == "0.0%"
    second = SurveyRecipient.objects.get(survey=survey, name="调查企业1有限公司")
    page.locator(f'tr[data-recipient="{second.pk}"] [data-issue-link]').click()
    link = page.locator("#issued-link-url").input_value()
    assert "/kpi/s/" in link
    # The enterprise, on a phone, with no session.
    phone = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, base_url=server.url
    )
    try:
        mobile = phone.new_page()
        mobile.goto(link)
        assert "调查企业1有限公司" in mobile.content()
        width = mobile.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1  # nothing wider than the phone
        mobile.check('input[name="status"][value="resumed"]')
        mobile.fill("#q-capacity", "85")
        mobile.fill("#q-workforce-on", "40")
        mobile.fill("#q-workforce-usual", "50")
        mobile.select_option("#q-problems-c1", "labour")
        mobile.fill("#q-problems-t1", "需要协调招工")
        mobile.click("#submit-answer")
        mobile.wait_for_selector("#answer-thanks")
        mobile.goto(link)
        assert "已使用" in mobile.locator("#link-refused").inner_text()
    finally:
        phone.close()
    page.reload()
    assert rate.inner_text() == "50.0%"
    assert "1 条待办诉求" in page.locator("#survey-helps").inner_text()
