"""projects.map: points by coordinates on a plain plane, scoped, filtered, escaped, clickable."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from parklink.accounts.models import User
from parklink.parks.coordinates import coordinate_problems
from parklink.parks.forms.park import ParkForm
from parklink.parks.models import Park
from parklink.projects import services
from parklink.projects.forms import ProjectForm
from parklink.projects.map import (
    GRID,
    OWN,
    PARK,
    REGION,
    SPREAD_STEP,
    Point,
    frame,
    map_data,
    map_options,
    place,
    spread,
)
from parklink.projects.queries import ProjectFilters
from tests.projects.test_ledger_world import LedgerWorld, build


def point(name: str, lon: float, lat: float, series: str = "green") -> Point:
    return Point("project", 1, name, lon, lat, OWN, series, (), "/projects/1/")


class TestPlacing:
    def test_own_then_park_then_region(self) -> None:
        assert place((1, 2), (3, 4), (5, 6)) == (1.0, 2.0, OWN)
        assert place((None, None), (3, 4), (5, 6)) == (3.0, 4.0, PARK)
        assert place((1, None), None, (5, 6)) == (5.0, 6.0, REGION)
        assert place((None, None), (None, None), (None, None)) is None

    def test_records_at_one_place_are_spread_and_the_first_stays(self) -> None:
        points = [point(f"p{n}", 104.0, 30.0) for n in range(4)]
        moved = spread(points)
        assert (moved[0].longitude, moved[0].latitude) == (104.0, 30.0)
        places = {(p.longitude, p.latitude) for p in moved}
        assert len(places) == 4
        for p in moved[1:]:
            distance = math.hypot(p.longitude - 104.0, p.latitude - 30.0)
            assert SPREAD_STEP * 0.99 <= distance <= SPREAD_STEP * 2.01
        assert spread(points) == moved  # the same every time

    def test_the_frame_keeps_the_ground_proportions(self) -> None:
        points = [point("a", 102.0, 30.0), point("b", 105.0, 31.0), point("c", 103.0, 28.5)]
        box = frame(points)
        middle = math.radians((box.south + box.north) / 2)
        ground = (box.east - box.west) * math.cos(middle) / (box.north - box.south)
        plot = (1 - GRID["left"] - GRID["right"]) / (1 - GRID["top"] - GRID["bottom"])
        assert ground == pytest.approx(box.aspect * plot, rel=1e-3)
        for p in points:
            assert box.west < p.longitude < box.east
            assert box.south < p.latitude < box.north

    def test_a_single_place_gets_a_neighbourhood(self) -> None:
        box = frame([point("a", 104.0, 30.0)])
        assert box.east - box.west >= 0.2
        assert box.north - box.south >= 0.2


class TestOptions:
    def test_no_map_outline_and_user_text_is_escaped(self) -> None:
        hostile = point("<img src=x onerror=alert(1)>{a|b}", 104.0, 30.0)
        options = map_options([hostile], frame([hostile]))
        assert "geo" not in options
        assert "registerMap" not in json.dumps(options)
        assert all(series["type"] == "scatter" for series in options["series"])
        assert options["xAxis"]["type"] == options["yAxis"]["type"] == "value"
        formatter = options["series"][0]["data"][0]["tooltip"]["formatter"]
        assert "<img" not in formatter
        assert "&lt;img" in formatter
        assert "{a|b}" not in formatter
        assert options["series"][0]["data"][0]["url"] == "/projects/1/"

    def test_an_empty_map_says_so(self) -> None:
        options = map_options([], frame([]))
        assert options["title"]["show"] is True
        assert options["series"] == []


@pytest.fixture
def world(users: dict[str, User], park: Park, today: date) -> LedgerWorld:
    return build(users, park, today)


def named(data: object) -> dict[str, Point]:
    return {p.name: p for p in data.points}  # type: ignore[attr-defined]


class TestData:
    def test_points_come_from_own_park_or_region_coordinates(
        self, users: dict[str, User], world: LedgerWorld, park: Park
    ) -> None:
        jinniu = users["jinniu"]
        services.update_project(
            jinniu,
            world.projects["stalled"],
            longitude=Decimal("104.100001"),
            latitude=Decimal("30.700002"),
        )
        Park.objects.filter(pk=park.pk).update(
            longitude=Decimal("104.05"), latitude=Decimal("30.72")
        )
        points = named(map_data(jinniu, ProjectFilters()))
        assert (points["停滞的物流园项目"].longitude, points["停滞的物流园项目"].source) == (
            104.100001,
            OWN,
        )
        assert points["智能制造产业基地"].source == PARK
        assert points["金牛高新技术产业园区"].kind == "park"
        assert points["保密线索项目"].source == REGION
        assert points["停滞的物流园项目"].series == "stalled"
        assert points["智能制造产业基地"].url == f"/projects/{world.projects['built'].pk}/"

    def test_another_organisation_never_sees_a_confidential_point(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        assert "保密线索项目" not in named(map_data(users["qingbaijiang"], ProjectFilters()))
        city = named(map_data(users["city"], ProjectFilters()))
        assert "保密线索项目" not in city
        assert {"智能制造产业基地", "中欧班列冷链物流中心"} <= set(city)

    def test_stage_sector_and_colour_filters(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        jinniu = users["jinniu"]
        by_stage = named(map_data(jinniu, ProjectFilters(stage=["under_construction"])))
        assert {p.name for p in by_stage.values() if p.kind == "project"} == {"智能制造产业基地"}
        # With a filter set, only the parks of the projects shown remain.
        assert {p.name for p in by_stage.values() if p.kind == "park"} == {"金牛高新技术产业园区"}
        by_sector = named(map_data(users["city"], ProjectFilters(sector="现代物流"), parks=False))
        assert set(by_sector) == {"停滞的物流园项目", "中欧班列冷链物流中心"}
        stalled = named(map_data(jinniu, ProjectFilters(colour="stalled"), parks=False))
        assert set(stalled) == {"停滞的物流园项目"}


class TestEndpoints:
    def test_the_page_draws_the_chart_and_filters_by_htmx(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        client = Client()
        client.force_login(users["jinniu"])
        page = client.get("/projects/map/")
        assert page.status_code == 200
        body = page.content.decode()
        assert 'data-options="chart-map"' in body
        assert 'id="chart-map"' in body
        assert "保密线索项目" in body  # the list beside the chart
        fragment = client.get(
            "/projects/map/?stage=stalled&parks=0", headers={"HX-Request": "true"}
        )
        text = fragment.content.decode()
        assert "<html" not in text
        assert "停滞的物流园项目" in text
        assert "智能制造产业基地" not in text

    def test_the_json_holds_only_what_the_user_may_see(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        client = Client()
        client.force_login(users["qingbaijiang"])
        data = client.get("/projects/map/data/").json()
        names = {p["name"] for p in data["points"] if p["kind"] == "project"}
        assert names == {"中欧班列冷链物流中心"}
        assert set(data["frame"]) == {"west", "east", "south", "north", "aspect"}

    def test_the_api_answers_the_same_points(
        self, client_for: Callable[[str], Client], world: LedgerWorld
    ) -> None:
        response = client_for("city").get("/api/v1/projects/map/points", {"sector": "现代物流"})
        assert response.status_code == 200
        names = {p["name"] for p in response.json()["points"] if p["kind"] == "project"}
        assert names == {"停滞的物流园项目", "中欧班列冷链物流中心"}

    def test_a_bad_filter_in_the_json_is_a_clear_400(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        client = Client()
        client.force_login(users["jinniu"])
        response = client.get("/projects/map/data/?signed_from=2025-05-01&signed_to=2025-01-01")
        assert response.status_code == 400
        assert "晚于截止日期" in response.json()["message"]


class TestCoordinateFields:
    def test_range_messages_are_chinese_and_specific(self) -> None:
        assert "-180到180" in coordinate_problems("200", "30")["longitude"]
        assert "填反" in coordinate_problems("30.6", "104.1")["latitude"]
        assert "同时填写" in coordinate_problems("104.1", None)["latitude"]
        assert "6位小数" in coordinate_problems("104.1234567", "30")["longitude"]
        assert coordinate_problems("104.065735", "30.659462") == {}
        assert coordinate_problems(None, None) == {}

    def test_the_project_form_refuses_out_of_range_coordinates(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        project = world.projects["built"]
        data = {"name": project.name, "region_text": project.region.full_name}
        form = ProjectForm({**data, "longitude": "200", "latitude": "30"}, instance=project)
        assert not form.is_valid()
        assert "经度应在-180到180之间" in form.errors["longitude"][0]

    def test_the_project_page_saves_coordinates(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        client = Client()
        client.force_login(users["jinniu"])
        project = world.projects["stalled"]
        form = ProjectForm(instance=project)
        data = {
            name: value
            for name, value in form.initial.items()
            if value is not None and not isinstance(value, list | tuple)
        }
        data.update(
            name=project.name,
            region_text=project.region.full_name,
            longitude="104.123456",
            latitude="30.654321",
        )
        response = client.post(f"/projects/{project.pk}/edit/", data)
        assert response.status_code in (200, 302)
        project.refresh_from_db()
        assert (project.longitude, project.latitude) == (
            Decimal("104.123456"),
            Decimal("30.654321"),
        )

    def test_the_park_form_refuses_swapped_coordinates(self, park: Park) -> None:
        form = ParkForm(
            {
                "name": park.name,
                "kind": park.kind,
                "region": "510106",
                "longitude": "30.6",
                "latitude": "104.1",
            },
            instance=park,
        )
        assert not form.is_valid()
        assert "填反" in form.errors["latitude"][0]
