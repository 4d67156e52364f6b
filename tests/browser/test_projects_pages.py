"""Project pages in a real browser: htmx filters, a stage change with its confirmation, scoping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Count

from parklink.accounts.models import User
from parklink.projects.lifecycle import LABELS_ZH, Stage
from parklink.projects.models import FundsInPlace, Project, StageTransition
from parklink.projects.queries import (
    ProjectFilters,
    apply_filters,
    today,
    visible_projects,
)
from parklink.projects.services import allowed_next
from tests.browser.conftest import DemoReader, World

pytestmark = [pytest.mark.browser]


def officer_of(project: Project) -> User:
    return (
        User.objects.filter(
            organization_id=project.owner_id, is_superuser=False, role__in=["officer", "admin"]
        )
        .order_by("pk")
        .first()
    )  # type: ignore[return-value]


def movable_project() -> Project:
    """The largest signed project in a park: the page with the most to show."""
    project = (
        Project.objects.filter(stage="signed", park__isnull=False, total_investment__isnull=False)
        .order_by("-total_investment", "pk")
        .first()
    )
    assert project is not None, "the world needs a signed project in a park"
    return project


def names_in_table(page: Any) -> set[str]:
    return set(page.locator("#project-table tbody a.pl-table__primary").all_inner_texts())


def narrowing_filter() -> tuple[User, dict[str, Any], set[str]]:
    """An owner's officer, a (park, stage) of its projects, and the names that filter keeps.

    The biggest such group that is still a strict part of what the officer sees.
    """
    rows = (
        Project.objects.filter(park__isnull=False)
        .values("park", "stage", "owner")
        .annotate(n=Count("id"))
        .order_by("-n", "park", "stage")
    )
    for row in rows:
        officer = User.objects.filter(organization_id=row["owner"]).order_by("pk").first()
        assert officer is not None
        kept = set(
            apply_filters(
                visible_projects(officer),
                ProjectFilters(park=row["park"], stage=[row["stage"]]),
            ).values_list("name", flat=True)
        )
        if len(kept) < visible_projects(officer).count():
            return officer, row, kept
    raise AssertionError("the world needs an organisation with projects in several places")


class TestProjectList(DemoReader):
    def test_filtering_by_park_and_stage_shows_the_right_rows(
        self,
        page: Any,
        server: Any,
        login: Callable[..., None],
        demo_world: World,
    ) -> None:
        officer, row, expected = narrowing_filter()
        login(page, officer)
        page.goto(f"{server.url}/projects/")
        everything = int(page.locator("[data-result-count]").inner_text())
        with page.expect_response(lambda r: f"park={row['park']}" in r.url):
            page.select_option("select[name=park]", str(row["park"]))
        with page.expect_response(lambda r: f"stage={row['stage']}" in r.url):
            page.locator(f'[data-stage-chip="{row["stage"]}"] span').click()
        page.wait_for_function(
            "(n) => document.querySelector('[data-result-count]').textContent.trim() === n",
            arg=str(len(expected)),
        )
        assert names_in_table(page) == expected
        assert len(expected) < everything
        # The filters are in the address, so the URL can be shared and reloaded.
        assert f"park={row['park']}" in page.url and f"stage={row['stage']}" in page.url
        page.reload()
        assert names_in_table(page) == expected
        badges = page.locator("#project-table tbody [data-stage]").all()
        assert {badge.get_attribute("data-stage") for badge in badges} == {row["stage"]}


class TestProjectPage(DemoReader):
    def test_illegal_move_shows_the_reason_and_changes_nothing(
        self,
        page: Any,
        server: Any,
        login: Callable[..., None],
        demo_world: World,
    ) -> None:
        project = movable_project()
        login(page, officer_of(project))
        page.goto(f"{server.url}/projects/{project.pk}/")
        first = allowed_next(project)[0]
        page.locator(f'[data-next-stage="{first}"]').click()
        page.locator("#transition-form").wait_for()
        # Someone else moved the project meanwhile: this confirmation is now out of date.
        page.evaluate(
            "document.querySelector('#transition-form input[name=to]').value = 'full_production'"
        )
        page.locator("[data-confirm-transition]").click()
        error = page.locator("[data-transition-error]")
        error.wait_for()
        assert "达产" in error.inner_text()
        project.refresh_from_db()
        assert project.stage == "signed"

    def test_other_organisation_gets_404_for_a_confidential_project(
        self,
        page: Any,
        server: Any,
        login: Callable[..., None],
        demo_world: World,
    ) -> None:
        secret = Project.objects.filter(signed_on__isnull=True).order_by("pk").first()
        assert secret is not None, "the world needs a project that was never signed"
        outsider = (
            User.objects.filter(organization__isnull=False, is_superuser=False)
            .exclude(organization_id=secret.owner_id)
            .order_by("pk")
            .first()
        )
        assert outsider is not None
        login(page, outsider)
        response = page.goto(f"{server.url}/projects/{secret.pk}/")
        assert response is not None and response.status == 404
        assert secret.name not in page.content()
        page.goto(f"{server.url}/projects/?q={secret.name}")
        assert page.locator("[data-result-count]").inner_text() == "0"


@pytest.mark.django_db(transaction=True)
class TestProjectPageChanges:
    """Changes a project, so it runs on its own copy of the demo set (flushed after)."""

    def test_officer_moves_a_project_to_its_next_stage(
        self,
        page: Any,
        live_server: Any,
        login: Callable[..., None],
        fresh_demo_world: World,
        screenshot_dir: Path,
    ) -> None:
        project = movable_project()
        officer = officer_of(project)
        target = next(
            code for code in allowed_next(project) if code not in ("stalled", "terminated")
        )
        records = StageTransition.objects.filter(project=project).count()
        login(page, officer)
        page.goto(f"{live_server.url}/projects/{project.pk}/")

        # Funds first, through the small form: the chart appears with the share in place.
        page.locator("#funds summary").click()
        page.fill("#funds input[name=received_on]", (today() - timedelta(days=1)).isoformat())
        page.fill("#funds input[name=amount_wan]", "12000")
        page.locator("#funds button[type=submit]").click()
        page.locator('#funds .pl-chart[data-rendered="true"]').wait_for()
        assert FundsInPlace.objects.filter(project=project).count() == 1

        page.locator(f'[data-next-stage="{target}"]').click()
        page.locator("#transition-form textarea[name=note]").fill("浏览器测试:完成阶段变更")
        page.locator("[data-confirm-transition]").click()
        page.locator(f'#timeline li[data-transition="{target}"]').first.wait_for()

        assert page.locator("#project-stage").inner_text() == LABELS_ZH[Stage(target)]
        assert page.locator("#timeline li").count() == records + 1
        assert "浏览器测试:完成阶段变更" in page.locator("#timeline").inner_text()
        project.refresh_from_db()
        assert project.stage == target
        page.screenshot(path=str(screenshot_dir / "project-detail.png"), full_page=True)
