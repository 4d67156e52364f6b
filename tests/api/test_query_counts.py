"""List endpoints make a fixed number of SQL queries, pinned in tests/api_query_counts.json."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parklink.enterprises import services as enterprise_services
from parklink.parks import services as park_services
from parklink.projects.models import AgeingPolicy
from parklink.regions.models import Region

PINNED = json.loads((Path(__file__).parent.parent / "api_query_counts.json").read_text())
ROWS = (5, 25)


def _fill_parks(env: dict[str, Any], rows: int) -> str:
    jinniu = Region.objects.get(adcode="510106")
    for number in range(len(env["parks"]), rows):
        env["parks"].append(
            park_services.create_park(
                env["users"]["jinniu"],
                name=f"测试园区{number:02d}",
                kind="industrial_park",
                region=jinniu,
                parent=env["park"],
            )
        )
    return f"/api/v1/parks/?parent={env['park'].pk}&limit=50"


def _fill_enterprises(env: dict[str, Any], rows: int) -> str:
    for number in range(len(env["enterprises"]), rows):
        env["enterprises"].append(
            enterprise_services.create_enterprise(
                env["users"]["jinniu"],
                name=f"测试企业{number:02d}有限公司",
                region_id="510106",
                sites=[{"role": "manufacturing", "park_id": env["park"].pk}],
            )
        )
    return f"/api/v1/enterprises/?park={env['park'].pk}&q=测试企业&limit=50"


def _fill_projects(env: dict[str, Any], rows: int) -> str:
    for number in range(len(env["projects"]), rows):
        env["projects"].append(
            env["make_project"](
                f"测试项目{number:02d}",
                park=env["park"],
                investor=env["enterprise"],
                tags=["key", "aid"],
                days_ago=number * 5,
            )
        )
    return "/api/v1/projects/?limit=50"


def _fill_filtered_projects(env: dict[str, Any], rows: int) -> str:
    _fill_projects(env, rows)
    return (
        f"/api/v1/projects/?limit=50&region=510000&park={env['park'].pk}&tag=key"
        "&stage=signed&sort=-total_investment&q=测试"
    )


def _regions(env: dict[str, Any], rows: int) -> str:
    return f"/api/v1/regions/?level=county&limit={rows}"


FILLERS: dict[str, Callable[[dict[str, Any], int], str]] = {
    "regions": _regions,
    "parks": _fill_parks,
    "enterprises": _fill_enterprises,
    "projects": _fill_projects,
    "projects_filtered": _fill_filtered_projects,
}


@pytest.fixture
def env(users, orgs, park, enterprise, make_project):  # type: ignore[no-untyped-def]
    AgeingPolicy.objects.create(
        organization=orgs["jinniu"], yellow_months=1, red_months=2, removal_months=12
    )
    return {
        "users": users,
        "park": park,
        "enterprise": enterprise,
        "make_project": make_project,
        "parks": [],
        "enterprises": [],
        "projects": [],
    }


class TestListQueryCounts:
    def test_every_list_endpoint_is_pinned(self) -> None:
        assert set(PINNED) == set(FILLERS)

    @pytest.mark.parametrize("endpoint", sorted(FILLERS))
    def test_query_count_does_not_grow_with_rows(self, client_for, env, endpoint):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        counts = []
        for rows in ROWS:
            path = FILLERS[endpoint](env, rows)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            assert response.status_code == 200, response.content
            assert len(response.json()["items"]) == rows
            counts.append(len(captured))
        assert counts == [PINNED[endpoint]] * len(ROWS), [q["sql"] for q in captured]
