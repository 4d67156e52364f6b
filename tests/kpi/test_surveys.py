"""Surveys on a real database: audiences, officers' answers, one-time links, rates, 诉求,
the overdue reminder, visibility, and the pages (with query-count pins)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parklink.accounts.models import Organization
from parklink.core.errors import Forbidden, Invalid, NotFound
from parklink.core.registry import registry
from parklink.kpi.models import HelpRequest, HelpStatus, Survey, SurveyRecipient
from parklink.kpi.services import surveys as service
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(orgs: dict[str, Organization]) -> dict[str, Any]:
    officer = factories.user("qbj_s", orgs["qingbaijiang"])
    park = factories.park(orgs["qingbaijiang"], "青白江示例园区")
    sub = factories.park(orgs["qingbaijiang"], "青白江示例分园", parent=park)
    site = {"park": park, "region_id": park.region_id, "role": "manufacturing"}
    above = factories.enterprise(
        orgs["qingbaijiang"], "规上甲公司", sites=[site], is_above_scale=True
    )
    leader = factories.enterprise(
        orgs["qingbaijiang"],
        "链主乙公司",
        sites=[{**site, "park": sub}],
        is_chain_leader=True,
    )
    small = factories.enterprise(orgs["qingbaijiang"], "小微丙公司", sites=[site])
    investor = factories.enterprise(orgs["qingbaijiang"], "投资丁公司")
    project = factories.project(
        officer, "丁公司重点项目", "signed", park=park, investor=investor, tags=["key"]
    )
    elsewhere = factories.enterprise(orgs["jinniu"], "金牛规上戊公司", is_above_scale=True)
    survey = service.create_survey(
        officer,
        title="青白江复工复产调查",
        period="2025-04",
        closes_on=timezone.localdate() + timedelta(days=10),
        park=park,
    )
    return {
        "officer": officer,
        "park": park,
        "survey": survey,
        "above": above,
        "leader": leader,
        "small": small,
        "investor": investor,
        "project": project,
        "elsewhere": elsewhere,
    }


def names(survey: Survey) -> set[str]:
    return set(survey.recipients.values_list("name", flat=True))


def test_audiences_pick_the_right_enterprises(setup: dict[str, Any]) -> None:
    survey, officer = setup["survey"], setup["officer"]
    added = service.add_recipients(officer, survey, "park_key", setup["park"])
    # 规上 and 链主 of the park and its sub-park, and the key project's investor.
    assert added == 3
    assert names(survey) == {"规上甲公司", "链主乙公司", "投资丁公司"}
    investor = survey.recipients.get(enterprise=setup["investor"])
    assert investor.key_project and investor.project == setup["project"]
    assert survey.recipients.get(enterprise=setup["above"]).above_scale
    # Adding again adds nothing; 规上 of the owner's region only (not 金牛区's).
    assert service.add_recipients(officer, survey, "park_key", setup["park"]) == 0
    assert service.add_recipients(officer, survey, "above_scale") == 0
    assert service.add_recipients(officer, survey, "picked", picked=[setup["small"].pk]) == 1
    with pytest.raises(Invalid):
        service.add_recipients(officer, survey, "picked", picked=[])
    with pytest.raises(Invalid):
        service.add_recipients(officer, survey, "park_key", None)


def test_questions_are_data_and_checked_on_creation(setup: dict[str, Any]) -> None:
    with pytest.raises(Invalid) as caught:
        service.create_survey(
            setup["officer"],
            title="坏问题",
            period="2025-04",
            closes_on=date(2025, 5, 1),
            questions="- {key: x, type: capacity, label: 产能}",
        )
    assert "status" in str(caught.value.detail["questions"])
    with pytest.raises(Invalid) as caught:
        service.create_survey(
            setup["officer"], title="", period="2025-13", closes_on=date(2025, 5, 1)
        )
    assert set(caught.value.detail) == {"title", "period"}


def answer_raw(status: str, capacity: str = "", problems: list | None = None) -> dict:
    return {
        "status": status,
        "capacity": capacity,
        "workforce": {"on_duty": "", "usual": ""},
        "problems": problems or [],
    }


def test_officer_answers_give_the_rates_and_raise_requests(setup: dict[str, Any]) -> None:
    survey, officer = setup["survey"], setup["officer"]
    service.add_recipients(officer, survey, "park_key", setup["park"])
    by_name = {r.name: r for r in survey.recipients.all()}
    service.answer_by_officer(officer, by_name["规上甲公司"], answer_raw("resumed", "90"))
    service.answer_by_officer(
        officer,
        by_name["链主乙公司"],
        answer_raw("not_resumed", "0", [{"category": "labour", "text": "返岗人员不足"}]),
    )
    found = service.rates(survey)
    assert found[("all", "resumption")].value == Decimal("0.5000")
    assert found[("all", "response")].value == Decimal("0.6667")
    assert found[("above_scale", "resumption")].value == 1
    assert found[("key_projects", "resumption")].value is None  # the investor has not answered
    assert list(service.behind(survey, "all", "resumption").values_list("name", flat=True)) == [
        "规上甲公司"
    ]
    request = HelpRequest.objects.get()
    assert request.category == "labour" and request.assignee == officer
    assert request.due_on == service.today() + timedelta(days=survey.help_due_days)
    # Correcting the answer keeps the request once, not twice.
    service.answer_by_officer(
        officer,
        by_name["链主乙公司"],
        answer_raw("partial", "30", [{"category": "labour", "text": "返岗人员不足"}]),
    )
    assert HelpRequest.objects.count() == 1
    assert service.rates(survey)[("all", "resumption")].value == 1


def test_one_time_link_is_signed_expires_and_works_once(setup: dict[str, Any]) -> None:
    survey, officer = setup["survey"], setup["officer"]
    service.add_recipients(officer, survey, "picked", picked=[setup["small"].pk])
    recipient = survey.recipients.get()
    token = service.issue_link(officer, recipient)
    client = Client()
    url = service.link_url(token)
    page = client.get(url)
    assert page.status_code == 200 and "小微丙公司" in page.content.decode()
    assert 'name="viewport"' in page.content.decode()
    bad = client.post(url, {"status": "", "capacity": "150"})
    assert bad.status_code == 200 and "请填写" in bad.content.decode()
    done = client.post(
        url,
        {
            "status": "partial",
            "capacity": "40",
            "workforce_on_duty": "12",
            "workforce_usual": "30",
            "problems_category": ["funding"],
            "problems_text": ["需要贷款贴息"],
        },
    )
    assert done.status_code == 200 and "提交成功" in done.content.decode()
    recipient.refresh_from_db()
    assert recipient.status == "partial" and recipient.answered_via_link
    assert recipient.answered_by is None and (recipient.on_duty, recipient.usual) == (12, 30)
    assert HelpRequest.objects.get().text == "需要贷款贴息"
    # Used: refused, and the answer stays.
    again = client.post(url, {"status": "halted"})
    assert again.status_code == 410 and "已使用" in again.content.decode()
    with pytest.raises(service.LinkRefused) as caught:
        service.read_link(token)
    assert caught.value.reason == "used"
    recipient.refresh_from_db()
    assert recipient.status == "partial"
    # An enterprise that answered through its link gets no second link.
    with pytest.raises(Invalid):
        service.issue_link(officer, recipient)


def test_expired_forged_and_replaced_links_are_refused(setup: dict[str, Any]) -> None:
    survey, officer = setup["survey"], setup["officer"]
    service.add_recipients(officer, survey, "picked", picked=[setup["small"].pk])
    recipient = survey.recipients.get()
    first = service.issue_link(officer, recipient)
    second = service.issue_link(officer, recipient)
    with pytest.raises(service.LinkRefused) as caught:
        service.read_link(first)
    assert caught.value.reason == "replaced"
    assert service.read_link(second).pk == recipient.pk
    # Forged: a token signed with another salt, or altered by one character.
    forged = signing.dumps({"r": recipient.pk, "n": recipient.link_nonce, "e": 9999999999})
    for token in (forged, second[:-2] + ("A" if second[-2] != "A" else "B") + second[-1]):
        with pytest.raises(service.LinkRefused) as caught:
            service.read_link(token)
        assert caught.value.reason == "forged"
    response = Client().get(service.link_url(forged))
    assert response.status_code == 410 and "链接无效" in response.content.decode()
    # Expired: the survey closed.
    SurveyRecipient.objects.filter(pk=recipient.pk).update(
        link_expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(service.LinkRefused) as caught:
        service.read_link(second)
    assert caught.value.reason == "expired"
    assert Client().post(service.link_url(second), {"status": "resumed"}).status_code == 410
    recipient.refresh_from_db()
    assert recipient.answered_at is None
    # No link once the survey has closed.
    Survey.objects.filter(pk=survey.pk).update(closes_on=date(2020, 1, 1))
    recipient.refresh_from_db()
    with pytest.raises(Invalid):
        service.issue_link(officer, recipient)


def test_other_organisations_cannot_read_or_change_answers(
    setup: dict[str, Any], orgs: dict[str, Organization]
) -> None:
    survey, officer = setup["survey"], setup["officer"]
    service.add_recipients(officer, survey, "park_key", setup["park"])
    recipient = survey.recipients.first()
    assert recipient is not None
    service.answer_by_officer(
        officer, recipient, answer_raw("resumed", "80", [{"category": "other", "text": "机密"}])
    )
    help_request = HelpRequest.objects.get()
    outsider = factories.user("zy_s", orgs["zhangye"])
    sibling = factories.user("jn_s", orgs["jinniu"])
    city = factories.user("city_s", orgs["city"])
    for user in (outsider, sibling):
        with pytest.raises(NotFound):
            service.get_survey(user, survey.pk)
        with pytest.raises(NotFound):
            service.get_help(user, help_request.pk)
        with pytest.raises(Forbidden):
            service.answer_by_officer(user, recipient, answer_raw("halted", "0"))
        assert not registry.visible(SurveyRecipient, user).exists()
        client = Client()
        client.force_login(user)
        assert client.get(reverse("kpi:survey", args=[survey.pk])).status_code == 404
        assert client.get(reverse("kpi:help", args=[help_request.pk])).status_code == 404
        assert "机密" not in client.get(reverse("kpi:helps")).content.decode()
    # The city above reads it but may not change it.
    assert service.get_survey(city, survey.pk) == survey
    with pytest.raises(Forbidden):
        service.update_help(
            city,
            help_request,
            assignee=None,
            due_on=date(2025, 5, 1),
            status="resolved",
            resolution="x",
        )


def test_requests_are_tracked_and_overdue_ones_remind(setup: dict[str, Any]) -> None:
    survey, officer = setup["survey"], setup["officer"]
    service.add_recipients(officer, survey, "park_key", setup["park"])
    recipient = survey.recipients.first()
    assert recipient is not None
    service.answer_by_officer(
        officer,
        recipient,
        answer_raw("resumed", "80", [{"category": "energy", "text": "用电增容"}]),
    )
    help_request = HelpRequest.objects.get()
    source = registry.reminders["kpi-help-requests"]
    assert list(source.collect(help_request.due_on)) == []
    later = help_request.due_on + timedelta(days=3)
    (item,) = list(source.collect(later))
    assert item.key == str(help_request.pk) and item.responsible == (officer.pk,)
    assert "3" in item.reason and item.organization_id == survey.owner_id
    with pytest.raises(Invalid) as caught:
        service.update_help(
            officer, help_request, assignee=None, due_on=later, status="resolved", resolution=""
        )
    assert "resolution" in caught.value.detail
    stranger = factories.user("zy_t", setup["elsewhere"].owner)
    with pytest.raises(Invalid):
        service.update_help(officer, help_request, assignee=stranger, due_on=later, status="open")
    service.update_help(
        officer,
        help_request,
        assignee=officer,
        due_on=later,
        status=HelpStatus.RESOLVED,
        resolution="已协调供电公司增容",
    )
    assert list(source.collect(later + timedelta(days=30))) == []


def test_pages_render_with_pinned_query_counts(
    setup: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    survey, officer = setup["survey"], setup["officer"]
    service.add_recipients(officer, survey, "park_key", setup["park"])
    for r in survey.recipients.all():
        service.answer_by_officer(
            officer, r, answer_raw("resumed", "70", [{"category": "other", "text": r.name}])
        )
    client = Client()
    client.force_login(officer)
    help_request = HelpRequest.objects.first()
    assert help_request is not None
    recipient = survey.recipients.first()
    assert recipient is not None
    urls = [
        reverse("kpi:surveys"),
        reverse("kpi:survey", args=[survey.pk]),
        reverse("kpi:survey_rate", args=[survey.pk, "all", "resumption"]) + "?side=base",
        reverse("kpi:survey_answer", args=[survey.pk, recipient.pk]),
        reverse("kpi:survey_new"),
        reverse("kpi:helps"),
        reverse("kpi:help", args=[help_request.pk]),
    ]
    for url in urls:
        with django_assert_max_num_queries(14):
            response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("kpi:survey", args=[survey.pk])).content.decode()
    assert "100.0%" in page and "规上甲公司" in page


def test_pages_define_a_survey_and_enter_an_answer(setup: dict[str, Any]) -> None:
    officer = setup["officer"]
    client = Client()
    client.force_login(officer)
    bad = client.post(
        reverse("kpi:survey_new"),
        {
            "title": "页面调查",
            "kind": "resumption",
            "period": "2025-5",
            "closes_on": "2025-13-01",
            "help_due_days": "7",
            "questions": "- {key: status, type: status, label: 状态}",
        },
    )
    assert bad.status_code == 200 and "有效的日期" in bad.content.decode()
    made = client.post(
        reverse("kpi:survey_new"),
        {
            "title": "页面调查",
            "kind": "resumption",
            "period": "2025-5",
            "closes_on": "2030-01-01",
            "help_due_days": "7",
            "questions": "- {key: status, type: status, label: 状态}",
        },
    )
    survey = Survey.objects.get(title="页面调查")
    assert made.status_code == 302 and survey.period == "2025-05"
    response = client.post(
        reverse("kpi:survey_recipients", args=[survey.pk]),
        {"audience": "picked", "enterprises": "小微丙公司\n不存在的公司"},
    )
    assert response.status_code == 400 and "不存在的公司" in response.content.decode()
    client.post(
        reverse("kpi:survey_recipients", args=[survey.pk]),
        {"audience": "picked", "enterprises": "小微丙公司"},
    )
    recipient = survey.recipients.get()
    url = reverse("kpi:survey_answer", args=[survey.pk, recipient.pk])
    assert client.post(url, {"status": "resumed"}).status_code == 302
    recipient.refresh_from_db()
    assert recipient.status == "resumed" and recipient.answered_by == officer
    link = client.post(reverse("kpi:survey_issue_link", args=[survey.pk, recipient.pk]))
    assert link.status_code == 302
    shown = client.get(reverse("kpi:survey", args=[survey.pk])).content.decode()
    assert "/kpi/s/" in shown
    viewer = factories.user("qbj_v", officer.organization, role="viewer")
    client.force_login(viewer)
    assert client.post(url, {"status": "halted"}).status_code == 403
