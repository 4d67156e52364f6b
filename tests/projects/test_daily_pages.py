"""The daily work's pages: the timeline and problems on a project's page (htmx and plain
posts), the problem list and its export, annual plans, warning badges and the rules page."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from parklink.accounts.models import Role, User
from parklink.projects import services
from parklink.projects.models import AgeingPolicy, Problem, ProgressEntry, ProjectYearPlan
from tests.support import factories

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def project(users, today):  # type: ignore[no-untyped-def]
    return factories.project(
        users["jinniu"], "智能制造产业基地", on=today, days_ago=30, leader_user=users["jinniu"]
    )


@pytest.fixture
def secret(users, today):  # type: ignore[no-untyped-def]
    return factories.project(users["jinniu"], "保密洽谈项目", stage="negotiating", on=today)


def detail(user: User, project) -> str:  # type: ignore[no-untyped-def]
    return client_for(user).get(reverse("projects:detail", args=[project.pk])).content.decode()


def test_logging_progress_shows_it_in_the_timeline(users, project, today):  # type: ignore[no-untyped-def]
    response = client_for(users["jinniu"]).post(
        reverse("projects:progress_add", args=[project.pk]),
        {"happened_on": today.isoformat(), "summary": "完成<b>土地</b>摘牌", "next_step": "办证"},
        headers=HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="timeline"' in body and "完成&lt;b&gt;土地&lt;/b&gt;摘牌" in body
    assert 'hx-swap-oob="true"' in body  # the status (colour) is refreshed too
    entry = ProgressEntry.objects.get()
    assert entry.summary == "完成<b>土地</b>摘牌" and entry.next_step == "办证"


def test_a_bad_entry_shows_the_error_on_its_field_and_writes_nothing(users, project, today):  # type: ignore[no-untyped-def]
    tomorrow = today + timedelta(days=1)
    response = client_for(users["jinniu"]).post(
        reverse("projects:progress_add", args=[project.pk]),
        {"happened_on": tomorrow.isoformat(), "summary": "将来的进展"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "进展日期不能晚于今天" in response.content.decode()
    assert not ProgressEntry.objects.exists()


def test_editing_and_deleting_an_entry(users, project, today):  # type: ignore[no-untyped-def]
    entry = services.add_entry(users["jinniu"], project, today, "初稿")
    client = client_for(users["jinniu"])
    prefix = f"entry-{entry.pk}"
    response = client.post(
        reverse("projects:progress_edit", args=[project.pk, entry.pk]),
        {f"{prefix}-happened_on": today.isoformat(), f"{prefix}-summary": "定稿"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.summary == "定稿"
    response = client.post(reverse("projects:progress_delete", args=[project.pk, entry.pk]))
    assert response.status_code == 302 and not ProgressEntry.objects.exists()


def test_readers_and_outsiders_cannot_write(users, project, secret, today):  # type: ignore[no-untyped-def]
    data = {"happened_on": today.isoformat(), "summary": "越权"}
    city = client_for(users["city"])  # sees the signed project, read only
    assert city.post(reverse("projects:progress_add", args=[project.pk]), data).status_code == 403
    assert "记录进展" not in detail(users["city"], project)
    # The confidential project is not there at all for another organisation.
    other = client_for(users["qingbaijiang"])
    assert other.post(reverse("projects:progress_add", args=[secret.pk]), data).status_code == 404
    problem_data = {"category": "land", "description": "越权", "deadline": today.isoformat()}
    assert (
        other.post(reverse("projects:problem_add", args=[secret.pk]), problem_data).status_code
        == 404
    )
    assert not ProgressEntry.objects.exists() and not Problem.objects.exists()


def test_raising_and_solving_a_problem_on_the_page(users, project, today):  # type: ignore[no-untyped-def]
    client = client_for(users["jinniu"])
    response = client.post(
        reverse("projects:problem_add", args=[project.pk]),
        {
            "category": "power",
            "description": "双回路供电待批复",
            "department": "区经信局",
            "owner": users["jinniu"].pk,
            "deadline": (today + timedelta(days=7)).isoformat(),
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    problem = Problem.objects.get()
    assert problem.leader == users["jinniu"]  # the project's 五个一 leader
    prefix = f"status-{problem.pk}"
    url = reverse("projects:problem_status", args=[project.pk, problem.pk])
    refused = client.post(url, {f"{prefix}-to": "solved", f"{prefix}-note": ""}, headers=HTMX)
    assert refused.status_code == 422 and "请说明问题是如何解决的" in refused.content.decode()
    solved = client.post(
        url, {f"{prefix}-to": "solved", f"{prefix}-note": "供电公司已批复"}, headers=HTMX
    )
    assert solved.status_code == 200
    body = solved.content.decode()
    assert 'data-problem-status="solved"' in body and "供电公司已批复" in body


def test_the_problem_list_filters_and_exports_what_the_user_may_see(users, project, secret, today):  # type: ignore[no-untyped-def]
    officer = users["jinniu"]
    kwargs = {"raised_on": today - timedelta(days=10)}
    late = services.raise_problem(
        officer,
        project,
        category="land",
        description='=HYPERLINK("x")',
        deadline=today - timedelta(days=1),
        **kwargs,
    )
    services.raise_problem(
        officer, secret, category="financing", description="保密项目融资", **kwargs
    )
    page = client_for(officer).get(reverse("projects:problems"), {"overdue": "1"})
    assert [p for p, _late in page.context["rows"]] == [late]
    city_page = client_for(users["city"]).get(reverse("projects:problems"))
    assert "保密项目融资" not in city_page.content.decode()
    assert [p for p, _late in city_page.context["rows"]] == [late]
    export = client_for(users["city"]).get(reverse("projects:problem_export"))
    sheet = load_workbook(io.BytesIO(export.content))["问题清单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "项目", "问题类别", "问题描述")
    assert len(rows) == 2 and rows[1][3] == '=HYPERLINK("x")'  # text, never a formula
    assert rows[1][10] == "是" and rows[1][11] == 1


def test_year_plans_are_set_on_the_page_in_wan(users, project, today):  # type: ignore[no-untyped-def]
    client = client_for(users["jinniu"])
    response = client.post(
        reverse("projects:year_plan_set", args=[project.pk]),
        {"year": today.year, "planned_wan": "5000", "completed_wan": "1234.5678"},
        headers=HTMX,
    )
    assert response.status_code == 200
    plan = ProjectYearPlan.objects.get()
    assert plan.planned == Decimal("50000000.00") and plan.completed == Decimal("12345678.00")
    assert "24.7%" in response.content.decode()


def test_contract_warnings_show_on_the_badge_with_their_reason(users, today):  # type: ignore[no-untyped-def]
    late = factories.project(
        users["jinniu"],
        "逾期未开工项目",
        on=today,
        days_ago=40,
        contract_start_date=today - timedelta(days=10),
    )
    body = detail(users["jinniu"], late)
    assert 'data-warning="start_overdue"' in body and "逾期未开工" in body
    assert "已逾期10天" in body
    listing = client_for(users["jinniu"]).get(reverse("projects:list")).content.decode()
    assert 'data-warning="start_overdue"' in listing


def test_only_an_organisation_admin_sets_the_warning_rules(users, orgs):  # type: ignore[no-untyped-def]
    url = reverse("projects:warning_rules")
    assert client_for(users["jinniu"]).get(url).status_code == 403  # an officer
    admin = factories.user("jinniu_admin", orgs["jinniu"], role=Role.ADMIN)
    client = client_for(admin)
    assert client.get(url).status_code == 200
    data = {
        "yellow_months": 2,
        "red_months": 3,
        "removal_months": 6,
        "unstarted_months": 4,
        "funds_percent": 70,
        "production_rule": "on",
    }
    assert client.post(url, data).status_code == 302
    policy = AgeingPolicy.objects.get(organization=orgs["jinniu"])
    assert (policy.unstarted_months, policy.funds_percent, policy.production_rule) == (4, 70, True)
    bad = client.post(url, {**data, "funds_percent": 120})
    assert bad.status_code == 422
