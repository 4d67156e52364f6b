"""The daily work in a real browser: log progress and see it in the timeline; raise a
problem, then solve it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from parklink.accounts.models import Organization, User
from parklink.projects import services
from parklink.projects.models import Problem, ProgressEntry, Project
from parklink.projects.queries import today
from parklink.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _officer_and_project() -> tuple[User, Project]:
    org = Organization.objects.create(
        name="金牛区投资促进局(测试)", kind="government", region=Region.objects.get(adcode="510106")
    )
    officer = User.objects.create_user(
        username="jinniu_daily",
        password="pw-browser",
        organization=org,
        role="officer",
        display_name="张专员",
    )
    project = services.create_project(
        officer,
        name="智能制造产业基地(测试)",
        region_id="510106",
        stage="signed",
        stage_date=today() - timedelta(days=120),
        responsible_leader="王主任",
        leader_user=officer,
    )
    return officer, project


class TestDailyWorkInTheBrowser:
    def test_log_progress_and_see_it_in_the_timeline(
        self, page: Any, live_server: Any, login: Callable[..., Any], transactional_db: Any
    ) -> None:
        officer, project = _officer_and_project()
        login(page, officer)
        # The first page a fresh live server renders may be slow on a busy machine.
        page.goto(f"{live_server.url}/projects/{project.pk}/", timeout=60_000)
        # Four months without progress: red.
        assert page.locator('#project-status [data-colour="red"]').count() == 1

        page.locator("#timeline #progress summary").click()
        page.fill("#timeline [data-progress-form] textarea[name=summary]", "完成土地摘牌")
        page.fill("#timeline [data-progress-form] textarea[name=next_step]", "办理规划许可")
        page.locator("#timeline [data-progress-form] button[type=submit]").click()

        item = page.locator("#timeline [data-timeline=progress]").first
        item.wait_for()
        assert "完成土地摘牌" in item.inner_text() and "办理规划许可" in item.inner_text()
        # The entry is progress: the badge (swapped in by htmx) turns green.
        page.locator('#project-status [data-colour="green"]').wait_for()
        # Stage records and the entry share one timeline, newest first.
        kinds = page.locator("#timeline .pl-timeline > li").evaluate_all(
            "items => items.map(li => li.dataset.timeline)"
        )
        assert kinds == ["progress", "stage"]
        assert ProgressEntry.objects.get().author == officer

    def test_raise_a_problem_then_solve_it(
        self, page: Any, live_server: Any, login: Callable[..., Any], transactional_db: Any
    ) -> None:
        officer, project = _officer_and_project()
        login(page, officer)
        # The first page a fresh live server renders may be slow on a busy machine.
        page.goto(f"{live_server.url}/projects/{project.pk}/", timeout=60_000)

        form = page.locator("#problems [data-problem-form]")
        page.locator("#problems > details > summary").last.click()
        form.locator("select[name=category]").select_option("power")
        form.locator("textarea[name=description]").fill("双回路供电接入待批复")
        form.locator("input[name=department]").fill("区经信局")
        form.locator("input[name=deadline]").fill((today() + timedelta(days=7)).isoformat())
        form.locator("button[type=submit]").click()

        row = page.locator("#problems [data-problem]").first
        row.wait_for()
        assert row.get_attribute("data-problem-status") == "open"
        assert "王主任" in row.inner_text()  # the 五个一 leader coordinates by default

        problem = Problem.objects.get()
        row.locator("details summary", has_text="更新状态").click()
        status = row.locator("[data-status-form]")
        status.locator("select").select_option("solved")
        status.locator("textarea").fill("供电公司已批复接入方案")
        status.locator("button[type=submit]").click()

        page.locator(f'#problem-{problem.pk}[data-problem-status="solved"]').wait_for()
        solved = page.locator(f"#problem-{problem.pk}")
        assert "供电公司已批复接入方案" in solved.locator("[data-resolution]").inner_text()
        problem.refresh_from_db()
        assert problem.status == "solved" and problem.solved_on == today()

        # The problem list across projects shows it as solved.
        page.goto(f"{live_server.url}/projects/problems/?status=solved")
        assert page.locator(f'[data-problem-row="{problem.pk}"]').count() == 1
