"""The project list and the dashboard make a fixed number of SQL queries, however many projects.

The counts are pinned in tests/web_query_counts_projects.json, so an N+1 regression fails here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parklink.accounts.models import User
from parklink.core.sources import cite
from parklink.projects import services
from parklink.projects.queries import changed
from tests.projects import projectworld

PINNED: dict[str, int] = json.loads(
    (Path(__file__).parent.parent / "web_query_counts_projects.json").read_text()
)
SIZES = (5, 25)
STAGES = ("lead", "negotiating", "signed", "approvals", "started", "under_construction")

pytestmark = pytest.mark.django_db


def fill(users: dict[str, User], world: projectworld.ProjectWorld, count: int, on: date) -> None:
    """Top the library up to `count` projects of every shape the pages show."""
    jinniu = users["jinniu"]
    have = len(world.projects)
    for number in range(have, count):
        project = services.create_project(
            jinniu,
            name=f"填充项目{number:02d}",
            park=world.parks["jinniu"],
            region=world.parks["jinniu"].region,
            investor=world.investor,
            sector=f"领域{number % 7}",
            total_investment=Decimal(number + 1) * 10_000_000,
            stage=STAGES[number % len(STAGES)],
            stage_date=on - timedelta(days=number * 11),
            tags=["key"] if number % 2 else ["aid", "key"],
            leader_user=jinniu,
            responsible_leader="王主任",
        )
        services.add_milestone(jinniu, project, "节点", on - timedelta(days=3))
        cite(project, [{"file": "seed.txt", "quote": f"第{number}句"}])
        world.projects[f"fill{number}"] = project


def queries(user: User, url: str, params: dict[str, Any] | None = None, *, afresh: str = "") -> int:
    client = Client()
    client.force_login(user)
    client.get(url, params)  # warm-up: caches that fill once per process are not the page's
    if afresh == "written":
        # The list's results are kept until the library changes: count the queries that
        # render them (as after any write), not the cached copy's.
        changed()
    elif afresh == "cold":
        # Nothing cached (a restart): every figure and the user's own lists read afresh.
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


PAGES: dict[str, Callable[[projectworld.ProjectWorld], tuple[str, dict[str, Any]]]] = {
    "projects:list": lambda world: (reverse("projects:list"), {}),
    "projects:list filtered": lambda world: (
        reverse("projects:list"),
        {
            "park": world.parks["jinniu"].pk,
            "stage": ["signed", "started", "lead"],
            "tag": "key",
            "sort": "-total_investment",
        },
    ),
    "home": lambda world: (reverse("home"), {}),
    "home cold": lambda world: (reverse("home"), {}),
}
AFRESH = {"projects:list": "written", "projects:list filtered": "written", "home cold": "cold"}


class TestQueryCounts:
    @pytest.mark.parametrize("page", sorted(PAGES))
    def test_page_makes_the_pinned_number_of_queries_for_5_and_25_projects(
        self, users: dict[str, User], today: date, page: str
    ) -> None:
        world = projectworld.build(users, today)
        url, params = PAGES[page](world)
        counts = []
        for size in SIZES:
            fill(users, world, size, today)
            counts.append(queries(users["jinniu"], url, params, afresh=AFRESH.get(page, "")))
        assert counts == [PINNED[page]] * len(SIZES), counts
