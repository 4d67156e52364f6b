"""The project list's results are rendered once per visibility scope, query, language and day,
kept until the library changes, and never shown to someone who sees other projects."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parklink.accounts.models import User
from parklink.projects.models import ProjectTag
from tests.projects import projectworld

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def world(users: dict[str, User], today: date) -> projectworld.ProjectWorld:
    return projectworld.build(users, today)


def client_for(user: User, language: str = "zh-hans") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def reads_projects(captured: CaptureQueriesContext) -> bool:
    """Whether a captured request read project rows (the results' own query)."""
    return any(
        'FROM "projects_project"' in query["sql"] and "LIMIT" in query["sql"]
        for query in captured.captured_queries
    )


def results_of(client: Client, **params: Any) -> tuple[str, bool]:
    """The htmx results fragment and whether rendering it read the projects."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("projects:list"), params, headers=HTMX)
    assert response.status_code == 200
    return response.content.decode(), reads_projects(captured)


class TestListResultsCache:
    def test_the_same_scope_gets_the_results_rendered_once(
        self, users: dict[str, User], world: projectworld.ProjectWorld
    ) -> None:
        first, read_first = results_of(client_for(users["jinniu"]), sort="-total_investment")
        second, read_second = results_of(
            client_for(users["jinniu_viewer"]), sort="-total_investment"
        )
        assert read_first and not read_second
        assert second == first
        assert "智能制造产业基地" in first and "保密洽谈项目" in first

    def test_the_whole_page_carries_the_cached_results(
        self, users: dict[str, User], world: projectworld.ProjectWorld
    ) -> None:
        fragment, _read = results_of(client_for(users["jinniu"]))
        page = client_for(users["jinniu_viewer"]).get(reverse("projects:list"))
        assert fragment in page.content.decode()

    def test_another_organisation_never_gets_them(
        self, users: dict[str, User], world: projectworld.ProjectWorld
    ) -> None:
        results_of(client_for(users["jinniu"]))
        theirs, read = results_of(client_for(users["qingbaijiang"]))
        assert read
        assert "中欧班列物流枢纽" in theirs
        assert "保密洽谈项目" not in theirs and "新材料研发中心" not in theirs

    def test_a_query_string_or_a_language_is_a_result_of_its_own(
        self, users: dict[str, User], world: projectworld.ProjectWorld
    ) -> None:
        chinese, _read = results_of(client_for(users["jinniu"]))
        english, read = results_of(client_for(users["jinniu"], "en"))
        assert read and english != chinese
        assert "项目名称" in chinese and "项目名称" not in english
        filtered, read = results_of(client_for(users["jinniu"]), sector="新材料")
        assert read
        assert "新材料研发中心" in filtered and "智能制造产业基地" not in filtered

    def test_a_project_written_shows_at_once(
        self, users: dict[str, User], world: projectworld.ProjectWorld
    ) -> None:
        client = client_for(users["jinniu"])
        results_of(client)
        project = world.projects["started"]
        project.name = "新材料研发中心二期"
        project.save()
        shown, read = results_of(client)
        assert read and "新材料研发中心二期" in shown

    def test_an_investor_renamed_or_a_tag_added_shows_at_once(
        self, users: dict[str, User], world: projectworld.ProjectWorld
    ) -> None:
        client = client_for(users["jinniu"])
        results_of(client)
        investor = world.investor
        assert investor is not None
        investor.name = "成都高新发展集团股份有限公司"
        investor.save()
        shown, read = results_of(client)
        assert read and "成都高新发展集团股份有限公司" in shown
        world.projects["started"].tags.add(ProjectTag.objects.get(code="aid"))
        shown, read = results_of(client)
        assert read and shown.count("托底性帮扶") == 1


class TestApiPageCache:
    def page(self, client: Client, **params: Any) -> tuple[dict[str, Any], bool]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/projects/", params)
        assert response.status_code == 200
        return response.json(), reads_projects(captured)

    def test_kept_for_the_scope_and_never_shown_to_another(
        self, users: dict[str, User], world: projectworld.ProjectWorld, api_client: Any
    ) -> None:
        first, read_first = self.page(api_client(users["jinniu"]), limit=10)
        again, read_again = self.page(api_client(users["jinniu_viewer"]), limit=10)
        assert read_first and not read_again and again == first
        names = {item["name"] for item in first["items"]}
        assert {"智能制造产业基地", "保密洽谈项目"} <= names
        theirs, read = self.page(api_client(users["qingbaijiang"]), limit=10)
        assert read
        assert {item["name"] for item in theirs["items"]} == {"中欧班列物流枢纽"}

    def test_a_write_or_another_language_reads_again(
        self, users: dict[str, User], world: projectworld.ProjectWorld, api_client: Any
    ) -> None:
        client = api_client(users["jinniu"])
        self.page(client)
        project = world.projects["started"]
        project.name = "新材料研发中心二期"
        project.save()
        shown, read = self.page(client)
        assert read and "新材料研发中心二期" in {item["name"] for item in shown["items"]}
        english = api_client(users["jinniu"])
        english.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        labels, read = self.page(english)
        assert read
        assert {item["stage_label"] for item in labels["items"]} != {
            item["stage_label"] for item in shown["items"]
        }
