"""Park API: replacing a park's industries, resources and indicators; linkages (三园联动)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parklink.parks import services
from parklink.parks.models import LinkageMember, Park, ParkIndustry, ParkLinkage
from parklink.regions.models import Region


def put(client: Client, url: str, body: Any) -> Any:
    return client.put(url, body, content_type="application/json")


@pytest.fixture
def dege_park(users: dict[str, Any]) -> Park:
    return services.create_park(
        users["dege"],
        name="马尼干戈产业园",
        kind="industrial_park",
        region=Region.objects.get(adcode="513330"),
    )


class TestPutIndustries:
    def test_the_owner_replaces_the_list(self, client_for, park) -> None:  # type: ignore[no-untyped-def]
        ParkIndustry.objects.create(park=park, name="旧产业")
        response = put(
            client_for("jinniu"),
            f"/api/v1/parks/{park.pk}/industries",
            {
                "items": [
                    {"name": "电子信息", "role": "representative"},
                    {"name": "光伏", "role": "foundational", "industry_code": "3825"},
                ]
            },
        )
        assert response.status_code == 200, response.content
        assert response.json()["items"] == [
            {"name": "电子信息", "role": "representative", "industry_code": "", "order": 0},
            {"name": "光伏", "role": "foundational", "industry_code": "3825", "order": 1},
        ]
        assert [i.name for i in park.industries.order_by("order")] == ["电子信息", "光伏"]

    def test_a_duplicate_name_is_400_naming_the_item(self, client_for, park) -> None:  # type: ignore[no-untyped-def]
        response = put(
            client_for("jinniu"),
            f"/api/v1/parks/{park.pk}/industries",
            {"items": [{"name": "光伏"}, {"name": "光伏"}]},
        )
        assert response.status_code == 400
        assert response.json()["error"] == "invalid"
        assert list(response.json()["detail"]) == ["items.1.name"]

    def test_an_unknown_role_is_a_malformed_payload(self, client_for, park) -> None:  # type: ignore[no-untyped-def]
        response = put(
            client_for("jinniu"),
            f"/api/v1/parks/{park.pk}/industries",
            {"items": [{"name": "光伏", "role": "boss"}]},
        )
        assert response.status_code == 422

    def test_another_organisation_gets_403(self, client_for, park) -> None:  # type: ignore[no-untyped-def]
        response = put(client_for("zhangye"), f"/api/v1/parks/{park.pk}/industries", {"items": []})
        assert response.status_code == 403
        assert response.json()["error"] == "forbidden"

    def test_a_missing_park_is_404(self, client_for) -> None:  # type: ignore[no-untyped-def]
        response = put(client_for("jinniu"), "/api/v1/parks/987654/industries", {"items": []})
        assert response.status_code == 404


class TestPutResources:
    def test_the_owner_replaces_the_list(self, client_for, park) -> None:  # type: ignore[no-untyped-def]
        response = put(
            client_for("jinniu"),
            f"/api/v1/parks/{park.pk}/resources",
            {
                "items": [
                    {"kind": "avg_temperature", "value": 6, "value_max": 8, "unit": "℃"},
                    {"kind": "green_power", "note": "水电富集"},
                ]
            },
        )
        assert response.status_code == 200, response.content
        items = response.json()["items"]
        assert [(i["kind"], i["value"], i["value_max"]) for i in items] == [
            ("avg_temperature", "6.00", "8.00"),
            ("green_power", None, None),
        ]

    def test_value_above_the_upper_bound_is_400(self, client_for, park) -> None:  # type: ignore[no-untyped-def]
        response = put(
            client_for("jinniu"),
            f"/api/v1/parks/{park.pk}/resources",
            {"items": [{"kind": "water", "value": 9, "value_max": 8}]},
        )
        assert response.status_code == 400
        assert response.json()["detail"] == {"items.0.value_max": "上限不能小于数值"}

    def test_another_organisation_gets_403(self, client_for, park) -> None:  # type: ignore[no-untyped-def]
        response = put(client_for("dege"), f"/api/v1/parks/{park.pk}/resources", {"items": []})
        assert response.status_code == 403


class TestPutIndicators:
    def test_money_is_given_and_returned_in_yuan(self, client_for, park) -> None:  # type: ignore[no-untyped-def]
        response = put(
            client_for("jinniu"),
            f"/api/v1/parks/{park.pk}/indicators",
            {
                "items": [
                    {"year": 2023, "indicator": "gdp", "value": 17625000000},
                    {"year": 2023, "indicator": "gdp_share_of_city", "value": "29"},
                ]
            },
        )
        assert response.status_code == 200, response.content
        gdp, share = response.json()["items"]
        assert (gdp["value"], gdp["unit"], gdp["display"]) == ("17625000000.00", "元", "176.25亿元")
        assert (share["unit"], share["display"]) == ("%", "29%")
        assert park.indicators.get(indicator="gdp").value == Decimal("17625000000")

    def test_a_year_out_of_range_and_a_share_above_100_are_400(self, client_for, park) -> None:  # type: ignore[no-untyped-def]
        response = put(
            client_for("jinniu"),
            f"/api/v1/parks/{park.pk}/indicators",
            {
                "items": [
                    {"year": 2999, "indicator": "tax", "value": 1},
                    {"year": 2023, "indicator": "resumption_rate", "value": 101},
                ]
            },
        )
        assert response.status_code == 400
        assert set(response.json()["detail"]) == {"items.0.year", "items.1.value"}
        assert not park.indicators.exists()

    def test_another_organisation_gets_403(self, client_for, park) -> None:  # type: ignore[no-untyped-def]
        response = put(client_for("city"), f"/api/v1/parks/{park.pk}/indicators", {"items": []})
        assert response.status_code == 403


def _members(*parks: Park) -> list[dict[str, Any]]:
    roles = ["rnd_incubation", "supporting_manufacturing", "local_landing"]
    return [{"park": p.pk, "role": role} for p, role in zip(parks, roles, strict=False)]


class TestLinkages:
    def test_an_officer_creates_a_linkage_with_another_organisations_park(  # type: ignore[no-untyped-def]
        self, client_for, orgs, park, dege_park
    ) -> None:
        response = client_for("jinniu").post(
            "/api/v1/parks/linkages/",
            {"name": "成甘三园联动", "members": _members(park, dege_park)},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["owner"]["id"] == orgs["jinniu"].pk
        assert [(m["park"]["id"], m["role"], m["order"]) for m in body["members"]] == [
            (park.pk, "rnd_incubation", 0),
            (dege_park.pk, "supporting_manufacturing", 1),
        ]
        assert body["members"][0]["role_label"] == "研发孵化"

    def test_a_park_twice_is_400_naming_the_member(self, client_for, park) -> None:  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/parks/linkages/",
            {"name": "联动", "members": _members(park, park)},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert list(response.json()["detail"]) == ["members.1.park"]
        assert not ParkLinkage.objects.exists()

    def test_a_viewer_gets_403(self, client_for) -> None:  # type: ignore[no-untyped-def]
        response = client_for("jinniu_viewer").post(
            "/api/v1/parks/linkages/", {"name": "联动"}, content_type="application/json"
        )
        assert response.status_code == 403

    def test_everyone_reads_linkages_and_filters_by_member_park(  # type: ignore[no-untyped-def]
        self, client_for, users, park, dege_park
    ) -> None:
        services.create_linkage(users["jinniu"], name="甲联动", members=_members(park, dege_park))
        services.create_linkage(users["dege"], name="乙联动", members=_members(dege_park))
        client = client_for("zhangye")
        everything = client.get("/api/v1/parks/linkages/").json()
        with_park = client.get(f"/api/v1/parks/linkages/?park={park.pk}").json()
        assert [item["name"] for item in everything["items"]] == ["乙联动", "甲联动"]
        assert [item["name"] for item in with_park["items"]] == ["甲联动"]
        one = client.get(f"/api/v1/parks/linkages/{with_park['items'][0]['id']}").json()
        assert len(one["members"]) == 2

    def test_a_missing_linkage_is_404(self, client_for) -> None:  # type: ignore[no-untyped-def]
        assert client_for("jinniu").get("/api/v1/parks/linkages/987654").status_code == 404

    def test_the_owner_patches_name_and_members(self, client_for, users, park, dege_park) -> None:  # type: ignore[no-untyped-def]
        linkage = services.create_linkage(
            users["jinniu"], name="联动", members=_members(park, dege_park)
        )
        client = client_for("jinniu")
        renamed = client.patch(
            f"/api/v1/parks/linkages/{linkage.pk}",
            {"name": "成甘联动"},
            content_type="application/json",
        )
        assert renamed.status_code == 200, renamed.content
        assert (renamed.json()["name"], len(renamed.json()["members"])) == ("成甘联动", 2)
        replaced = client.patch(
            f"/api/v1/parks/linkages/{linkage.pk}",
            {"members": [{"park": dege_park.pk, "role": "manufacturing"}]},
            content_type="application/json",
        )
        assert [m["park"]["id"] for m in replaced.json()["members"]] == [dege_park.pk]

    def test_an_unknown_member_park_is_400(self, client_for, users) -> None:  # type: ignore[no-untyped-def]
        linkage = services.create_linkage(users["jinniu"], name="联动")
        response = client_for("jinniu").patch(
            f"/api/v1/parks/linkages/{linkage.pk}",
            {"members": [{"park": 987654, "role": "other"}]},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert "members.0.park" in response.json()["detail"]

    def test_a_member_parks_owner_may_not_patch_it(
        self, client_for, users, park, dege_park
    ) -> None:  # type: ignore[no-untyped-def]
        linkage = services.create_linkage(
            users["jinniu"], name="联动", members=_members(park, dege_park)
        )
        response = client_for("dege").patch(
            f"/api/v1/parks/linkages/{linkage.pk}",
            {"name": "德格改名"},
            content_type="application/json",
        )
        assert response.status_code == 403
        assert LinkageMember.objects.filter(linkage=linkage).count() == 2


class TestLinkageListQueries:
    def test_queries_do_not_grow_with_the_number_of_linkages(  # type: ignore[no-untyped-def]
        self, client_for: Callable[[str], Client], users, park
    ) -> None:
        client = client_for("city")
        counts = []
        for size in (5, 25):
            for index in range(ParkLinkage.objects.count(), size):
                services.create_linkage(
                    users["jinniu"], name=f"联动{index:02d}", members=_members(park)
                )
            with CaptureQueriesContext(connection) as captured:
                body = client.get("/api/v1/parks/linkages/").json()
            assert body["count"] == size
            counts.append(len(captured))
        assert counts[0] == counts[1]
