"""Park API: every user reads the registry; only the owner organisation changes a park."""

from __future__ import annotations

from decimal import Decimal

from parklink.parks import services
from parklink.parks.models import (
    IndicatorKind,
    LinkageMember,
    ParkIndicator,
    ParkIndustry,
    ParkLinkage,
    ParkResource,
)
from parklink.regions.models import Region


class TestParkList:
    def test_other_organisations_see_the_registry(self, client_for, park):  # type: ignore[no-untyped-def]
        body = client_for("zhangye").get("/api/v1/parks/").json()
        assert body["count"] == 1
        assert body["items"][0]["name"] == park.name
        assert body["items"][0]["owner"]["name"] == "金牛区投资促进局"
        assert body["items"][0]["region"]["adcode"] == "510106"

    def test_region_filter_includes_sub_regions(self, client_for, users, park):  # type: ignore[no-untyped-def]
        services.create_park(
            users["zhangye"],
            name="张掖经济技术开发区",
            kind="national_etdz",
            region=Region.objects.get(adcode="620702"),
        )
        client = client_for("jinniu")
        in_sichuan = client.get("/api/v1/parks/?region=510000").json()
        in_gansu = client.get("/api/v1/parks/?region=620700").json()
        assert [p["name"] for p in in_sichuan["items"]] == [park.name]
        assert [p["name"] for p in in_gansu["items"]] == ["张掖经济技术开发区"]

    def test_kind_and_parent_filters(self, client_for, park, sub_park):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        assert [
            p["id"] for p in client.get(f"/api/v1/parks/?parent={park.pk}").json()["items"]
        ] == [sub_park.pk]
        assert [
            p["id"] for p in client.get("/api/v1/parks/?kind=high_tech_zone").json()["items"]
        ] == [park.pk]

    def test_search_by_pinyin_initials(self, client_for, park, sub_park):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        by_initials = client.get(f"/api/v1/parks/?q={sub_park.name_initials}").json()
        by_pinyin = client.get("/api/v1/parks/?q=shuzi").json()
        by_name = client.get("/api/v1/parks/?q=高新").json()
        assert [p["id"] for p in by_initials["items"]] == [sub_park.pk]
        assert [p["id"] for p in by_pinyin["items"]] == [sub_park.pk]
        assert [p["id"] for p in by_name["items"]] == [park.pk]

    def test_unknown_region_code_is_400(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").get("/api/v1/parks/?region=000000")
        assert response.status_code == 400
        assert "region" in response.json()["detail"]


class TestParkRead:
    def test_detail_has_industries_resources_indicators_children_linkages(  # type: ignore[no-untyped-def]
        self, client_for, orgs, park, sub_park
    ):
        ParkIndustry.objects.create(park=park, name="光伏", industry_code="3825")
        ParkResource.objects.create(
            park=park, kind="sunshine_hours", value=Decimal("3000"), unit="小时"
        )
        ParkIndicator.objects.create(
            park=park, year=2024, indicator=IndicatorKind.GDP, value=Decimal("12300000000")
        )
        linkage = ParkLinkage.objects.create(name="成甘三园联动", owner=orgs["jinniu"])
        LinkageMember.objects.create(linkage=linkage, park=park, role="rnd_incubation")
        LinkageMember.objects.create(linkage=linkage, park=sub_park, role="local_landing")

        body = client_for("zhangye").get(f"/api/v1/parks/{park.pk}").json()

        assert [i["name"] for i in body["industries"]] == ["光伏"]
        assert body["resources"][0]["kind"] == "sunshine_hours"
        assert body["indicators"][0]["value"] == "12300000000.00"
        assert body["indicators"][0]["display"] == "123亿元"
        assert [c["id"] for c in body["children"]] == [sub_park.pk]
        assert body["linkages"][0]["name"] == "成甘三园联动"
        assert body["linkages"][0]["role"] == "rnd_incubation"
        assert {m["park"]["id"] for m in body["linkages"][0]["members"]} == {park.pk, sub_park.pk}

    def test_missing_park_is_404(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").get("/api/v1/parks/987654")
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


class TestParkWrite:
    def test_officer_creates_a_park_owned_by_their_organisation(self, client_for, orgs):  # type: ignore[no-untyped-def]
        response = client_for("dege").post(
            "/api/v1/parks/",
            {
                "name": "德格县产业园",
                "kind": "industrial_park",
                "region": "甘孜州德格县",
                "planned_area_mu": 1200,
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["region"]["adcode"] == "513330"
        assert body["owner"]["id"] == orgs["dege"].pk
        assert body["planned_area_mu"] == "1200.00"

    def test_owner_patches_a_park(self, client_for, park, sub_park):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").patch(
            f"/api/v1/parks/{sub_park.pk}",
            {"short_name": "数经园", "parent": None},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        assert response.json()["short_name"] == "数经园"
        assert response.json()["parent"] is None

    def test_other_organisation_gets_403(self, client_for, park):  # type: ignore[no-untyped-def]
        response = client_for("zhangye").patch(
            f"/api/v1/parks/{park.pk}", {"name": "改名"}, content_type="application/json"
        )
        assert response.status_code == 403
        assert response.json()["error"] == "forbidden"

    def test_viewer_gets_403(self, client_for, park):  # type: ignore[no-untyped-def]
        response = client_for("jinniu_viewer").patch(
            f"/api/v1/parks/{park.pk}", {"name": "改名"}, content_type="application/json"
        )
        assert response.status_code == 403

    def test_installation_admin_may_change_any_park(self, client_for, park):  # type: ignore[no-untyped-def]
        response = client_for("root").patch(
            f"/api/v1/parks/{park.pk}",
            {"available_land_mu": "350.5"},
            content_type="application/json",
        )
        assert response.status_code == 200
        assert response.json()["available_land_mu"] == "350.50"

    def test_admin_without_organisation_must_name_the_owner(self, client_for, orgs):  # type: ignore[no-untyped-def]
        payload = {"name": "新园区", "kind": "industrial_park", "region": "510106"}
        refused = client_for("root").post(
            "/api/v1/parks/", payload, content_type="application/json"
        )
        created = client_for("root").post(
            "/api/v1/parks/",
            {**payload, "owner": orgs["jinniu"].pk},
            content_type="application/json",
        )
        assert refused.status_code == 400
        assert created.status_code == 201
        assert created.json()["owner"]["id"] == orgs["jinniu"].pk

    def test_same_name_in_same_region_is_409(self, client_for, park):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/parks/",
            {"name": park.name, "kind": "industrial_park", "region": "510106"},
            content_type="application/json",
        )
        assert response.status_code == 409
        assert response.json()["detail"]["existing_id"] == park.pk

    def test_occupied_above_built_carrier_is_400(self, client_for, park):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").patch(
            f"/api/v1/parks/{park.pk}",
            {"carrier_built_m2": 100, "carrier_occupied_m2": 200},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert "carrier_occupied_m2" in response.json()["detail"]


class TestOversizedValues:
    def test_an_area_too_wide_is_422_and_the_registry_stays_readable(self, client_for):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        response = client.post(
            "/api/v1/parks/",
            {
                "name": "规划面积过大园区",
                "kind": "industrial_park",
                "region": "510106",
                "planned_area_mu": "1e15",
            },
            content_type="application/json",
        )
        assert response.status_code == 422  # declared in the OpenAPI document: plain decimals
        assert any("planned_area_mu" in e["loc"] for e in response.json()["detail"])
        assert client.get("/api/v1/parks/").status_code == 200
