"""Engagements in a real browser: record a visit with a follow-up due today, see who else met
the enterprise while choosing it, then find the follow-up on 我的跟进 and in the reminders
(the attention list), and mark it done."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from parklink.engagements.models import Engagement, FollowUpStatus
from parklink.engagements.reminders import KIND
from parklink.engagements.services import create_engagement
from parklink.projects.queries import today
from tests.support import factories

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_record_an_engagement_and_follow_it_up(
    page: Any, live_server: Any, login: Callable[..., None]
) -> None:
    jinniu = factories.organization("金牛区投资促进局", "510106")
    dege = factories.organization("德格县人民政府", "513330", "government")
    officer = factories.user("jinniu_officer", jinniu, display_name="金牛专员")
    dege_officer = factories.user("dege_officer", dege)
    firm = factories.enterprise(jinniu, "示例航空科技有限公司")
    create_engagement(
        dege_officer,
        {"kind": "aftercare", "held_on": today(), "title": "德格走访", "enterprises": [firm.pk]},
    )
    login(page, officer)
    # The live server's first request imports and compiles what every page needs.
    page.goto(f"{live_server.url}/engagements/new/", timeout=60_000)
    page.select_option("#id_kind", "visit_out")
    page.fill("#id_title", "拜访示例航空")
    # The enterprise is found by typing (a province has too many to list), in pinyin here.
    page.fill("#id_enterprises", "shili")
    page.locator(f"#id_enterprises_results [data-pick='{firm.pk}']").click()
    assert page.locator("#id_enterprises_chosen option:checked").count() == 1
    box = page.locator("[data-who-met]")
    box.wait_for()
    assert "德格县人民政府" in box.inner_text() and "德格走访" not in box.inner_text()
    page.fill("#id_requests", "希望协调试飞空域")
    page.fill("#id_task", "联系空管部门")
    page.select_option("#id_assignee", str(officer.pk))
    page.fill("#id_due_on", today().isoformat())
    with page.expect_navigation():
        page.click("#engagement-form button[type=submit]")
    made = Engagement.objects.get(title="拜访示例航空")
    assert page.url.endswith(f"/engagements/{made.pk}/")
    assert "联系空管部门" in page.locator("#follow-ups").inner_text()

    page.goto(f"{live_server.url}/engagements/follow-ups/")
    row = page.locator("#follow-up-table tbody tr").first
    assert "联系空管部门" in row.inner_text() and "今天到期" in row.inner_text()

    page.goto(f"{live_server.url}/reminders/")
    reminder = page.locator(f"[data-reminder^='{KIND}:']")
    assert reminder.count() == 1 and "联系空管部门" in reminder.inner_text()

    page.goto(f"{live_server.url}/engagements/follow-ups/")
    with page.expect_navigation():
        page.locator("[data-mark-done]").first.click()
    assert made.follow_ups.get().status == FollowUpStatus.DONE
    assert page.locator("#follow-up-table").count() == 0
