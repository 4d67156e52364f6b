"""The project list, the API list and the dashboard as the library grows.

What they cost must not grow with the rows: the number of queries stays the same from a few
projects to hundreds (a cold dashboard, the cache emptied, included), and on PostgreSQL a
county user's list is read through an index, never a scan of every project.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parklink.accounts.models import Organization, User
from parklink.projects.models import Project, ProjectTag
from parklink.projects.queries import ProjectFilters, apply_filters, visible_projects
from tests.perf.conftest import county_organisations, insert_projects
from tests.support import factories

pytestmark = pytest.mark.django_db

PAGES = {
    "list": "/projects/?sort=-total_investment",
    "list default order": "/projects/",
    "list filtered": "/projects/?stage=signed&stage=started&sector=新能源&tag=key",
    "api list": "/api/v1/projects/?limit=25",
    "dashboard": "/",
}


def queries(user: User, url: str, cold: bool) -> int:
    client = Client()
    client.force_login(user)
    assert client.get(url).status_code == 200  # warm-up: caches filled once per process
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("cold", [False, True], ids=["warm", "cold"])
@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("who", ["province", "jinniu"])
def test_queries_do_not_grow_with_the_library(
    users: dict[str, User],
    orgs: dict[str, Organization],
    today: date,
    page: str,
    who: str,
    cold: bool,
) -> None:
    owners = [orgs["province"], orgs["city"], orgs["jinniu"], orgs["qingbaijiang"]]
    ProjectTag.objects.get_or_create(code="key", defaults={"name": "重点项目"})
    counts = []
    for size in (20, 400):
        insert_projects(owners, size - Project.objects.count(), today, seed=size)
        counts.append(queries(users[who], PAGES[page], cold))
    assert counts[0] == counts[1], counts


def test_tag_filter_gives_each_project_once_without_distinct(
    users: dict[str, User], today: date
) -> None:
    key, aid = (ProjectTag.objects.create(code=code, name=code) for code in ("key-x", "aid-x"))
    jinniu = users["jinniu"]
    both = factories.project(jinniu, "两个标签的项目", on=today, tags=["key-x", "aid-x"])
    one = factories.project(jinniu, "一个标签的项目", on=today, tags=["key-x"])
    factories.project(jinniu, "没有标签的项目", on=today)
    assert {key.code, aid.code} == {"key-x", "aid-x"}
    qs = apply_filters(visible_projects(jinniu), ProjectFilters(tag="key-x", sort="name"))
    assert "DISTINCT" not in str(qs.query)
    assert sorted(p.pk for p in qs) == sorted([both.pk, one.pk])
    assert qs.count() == 2


def test_list_total_follows_a_new_project(users: dict[str, User], today: date) -> None:
    """The total is kept in the cache; a project added makes the next page count again."""
    jinniu = users["jinniu"]
    client = Client()
    client.force_login(jinniu)
    factories.project(jinniu, "第一个项目", on=today)
    first = client.get("/api/v1/projects/").json()["count"]
    factories.project(jinniu, "第二个项目", on=today)
    assert client.get("/api/v1/projects/").json()["count"] == first + 1


# ---------------------------------------------------------------- plans on PostgreSQL


def _plan(sql: str, params: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def province_library(orgs: dict[str, Organization], today: date) -> list[Organization]:
    counties = county_organisations(60)
    owners = [orgs["province"], orgs["city"], orgs["jinniu"], orgs["qingbaijiang"], *counties]
    insert_projects(owners, 12_000, today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return owners


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="query plans are PostgreSQL's (SQLite has no EXPLAIN of this kind)",
)
@pytest.mark.parametrize("sort", ["-signed_on", "-total_investment", "name"])
def test_a_county_users_list_reads_an_index_not_every_project(
    users: dict[str, User], province_library: list[Organization], sort: str
) -> None:
    qs = apply_filters(visible_projects(users["jinniu"]), ProjectFilters(sort=sort))
    page_sql, page_params = qs[:25].query.sql_with_params()
    count_sql, count_params = qs.order_by().query.sql_with_params()
    for plan in (_plan(page_sql, page_params), _plan(count_sql, count_params)):
        assert "Seq Scan on projects_project" not in plan, plan
        assert "Index" in plan and "projects_project" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_a_province_page_reads_the_sort_orders_index(
    users: dict[str, User], province_library: list[Organization]
) -> None:
    for sort, index in (
        ("-signed_on", "projects_project_signed_order"),
        ("-total_investment", "projects_project_investment_order"),
    ):
        qs = apply_filters(visible_projects(users["province"]), ProjectFilters(sort=sort))
        sql, params = qs[:25].query.sql_with_params()
        plan = _plan(sql, params)
        assert index in plan, plan
