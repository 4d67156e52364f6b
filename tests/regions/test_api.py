"""Region registry API: list with filters, one region, free text resolved to a region."""

from __future__ import annotations

from parklink.regions.models import Region


class TestRegionList:
    def test_children_of_a_province_are_its_cities(self, client_for):  # type: ignore[no-untyped-def]
        body = client_for("jinniu").get("/api/v1/regions/?parent=510000&limit=500").json()
        expected = Region.objects.filter(parent_id="510000").count()
        assert body["count"] == expected
        assert len(body["items"]) == expected
        assert {item["parent"] for item in body["items"]} == {"510000"}
        assert "510100" in {item["adcode"] for item in body["items"]}

    def test_level_and_name_filter(self, client_for):  # type: ignore[no-untyped-def]
        body = client_for("jinniu").get("/api/v1/regions/?level=county&q=德格").json()
        assert [item["adcode"] for item in body["items"]] == ["513330"]

    def test_pagination_reports_the_total(self, client_for):  # type: ignore[no-untyped-def]
        body = client_for("jinniu").get("/api/v1/regions/?level=province&limit=5&offset=5").json()
        assert body["count"] == Region.objects.filter(level="province").count()
        assert len(body["items"]) == 5
        assert body["offset"] == 5

    def test_unknown_level_is_422(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").get("/api/v1/regions/?level=galaxy")
        assert response.status_code == 422
        assert response.json()["error"] == "validation_error"


class TestRegionRead:
    def test_region_lists_its_children(self, client_for):  # type: ignore[no-untyped-def]
        body = client_for("jinniu").get("/api/v1/regions/510100").json()
        assert body["name"] == Region.objects.get(adcode="510100").name
        assert "510106" in {child["adcode"] for child in body["children"]}

    def test_unknown_adcode_is_404_json(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").get("/api/v1/regions/999999")
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


class TestRegionResolve:
    def test_prefecture_and_county_text_resolves_to_the_county(self, client_for):  # type: ignore[no-untyped-def]
        body = client_for("jinniu").get("/api/v1/regions/resolve?text=甘孜州德格县").json()
        assert body["adcode"] == "513330"
        assert body["level"] == "county"

    def test_unresolvable_text_is_404_json(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").get("/api/v1/regions/resolve?text=不存在的地方")
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
