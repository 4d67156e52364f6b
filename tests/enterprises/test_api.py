"""Enterprise API: registry reads, filters, writes with sites, USCC errors and duplicates."""

from __future__ import annotations

from parklink.enterprises import services
from parklink.enterprises.uscc import check_character
from tests.support.api_world import valid_uscc


def _with_wrong_check_character(code: str) -> tuple[str, str]:
    """The code with another 18th character, and the character GB 32100 expects."""
    expected = check_character(code[:17])
    wrong = "0" if expected != "0" else "1"
    return code[:17] + wrong, expected


class TestEnterpriseList:
    def test_everyone_reads_the_registry(self, client_for, enterprise):  # type: ignore[no-untyped-def]
        body = client_for("zhangye").get("/api/v1/enterprises/").json()
        assert body["count"] == 1
        item = body["items"][0]
        assert item["uscc"] == enterprise.uscc
        assert item["registered_capital"] == "50000000.00"
        assert item["registered_capital_display"] == "5,000万元"

    def test_filters_region_industry_flags_park_and_query(  # type: ignore[no-untyped-def]
        self, client_for, users, enterprise, park, sub_park
    ):
        other = services.create_enterprise(
            users["zhangye"],
            name="张掖风电装备有限公司",
            region_id="620702",
            industry_code="3415",
            is_chain_leader=True,
        )
        client = client_for("jinniu")

        def ids(query: str) -> list[int]:
            return [e["id"] for e in client.get(f"/api/v1/enterprises/?{query}").json()["items"]]

        assert ids("region=510100") == [enterprise.pk]
        assert ids("region=620000") == [other.pk]
        assert ids("industry_code=38") == [enterprise.pk]
        assert ids("is_chain_leader=true") == [other.pk]
        assert ids("is_high_tech=true&is_chain_leader=false") == [enterprise.pk]
        assert ids(f"park={park.pk}") == [enterprise.pk]
        assert ids(f"park={sub_park.pk}") == []
        assert ids("q=星河") == [enterprise.pk]
        assert ids("q=zyfd") == [other.pk]
        assert ids(f"q={enterprise.uscc[:12]}") == [enterprise.pk]


class TestEnterpriseRead:
    def test_detail_lists_sites_with_their_park(self, client_for, enterprise, park):  # type: ignore[no-untyped-def]
        body = client_for("zhangye").get(f"/api/v1/enterprises/{enterprise.pk}").json()
        assert body["sites"][0]["role"] == "manufacturing"
        assert body["sites"][0]["park"]["id"] == park.pk
        assert body["sites"][0]["region"]["adcode"] == "510106"

    def test_missing_enterprise_is_404(self, client_for):  # type: ignore[no-untyped-def]
        assert client_for("jinniu").get("/api/v1/enterprises/424242").status_code == 404


class TestEnterpriseWrite:
    def test_create_with_sites_and_capital_in_wan(self, client_for, orgs, park):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/enterprises/",
            {
                "name": "成都锂电新材料有限公司",
                "region": "510106",
                "uscc": valid_uscc(7),
                "registered_capital_wan": 3000,
                "is_specialised_sme": True,
                "sites": [
                    {"role": "headquarters", "region": "510106", "address": "金牛大道1号"},
                    {"role": "manufacturing", "park": park.pk},
                ],
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["owner"]["id"] == orgs["jinniu"].pk
        assert body["registered_capital"] == "30000000.00"
        assert body["registered_capital_display"] == "3,000万元"
        assert sorted(s["role"] for s in body["sites"]) == ["headquarters", "manufacturing"]

    def test_invalid_uscc_is_400_with_the_check_character(self, client_for):  # type: ignore[no-untyped-def]
        wrong, expected = _with_wrong_check_character(valid_uscc(8))
        response = client_for("jinniu").post(
            "/api/v1/enterprises/",
            {"name": "校验码错误公司", "region": "510106", "uscc": wrong},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["error"] == "invalid"
        assert f"第18位应为“{expected}”" in response.json()["detail"]["uscc"]

    def test_duplicate_uscc_is_409_naming_the_existing_record(self, client_for, enterprise):  # type: ignore[no-untyped-def]
        response = client_for("zhangye").post(
            "/api/v1/enterprises/",
            {"name": "另一个名字", "region": "620702", "uscc": enterprise.uscc},
            content_type="application/json",
        )
        assert response.status_code == 409
        body = response.json()
        assert body["error"] == "duplicate"
        assert body["detail"]["existing_id"] == enterprise.pk
        assert str(enterprise.pk) in body["message"]

    def test_duplicate_name_in_region_is_409(self, client_for, enterprise):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/enterprises/",
            {"name": "成都星河光伏科技有限公司", "region": "510106"},
            content_type="application/json",
        )
        assert response.status_code == 409
        assert response.json()["detail"]["existing_id"] == enterprise.pk

    def test_owner_updates_flags_and_capital(self, client_for, enterprise):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").patch(
            f"/api/v1/enterprises/{enterprise.pk}",
            {"is_listed": True, "registered_capital": "120000000"},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        assert response.json()["is_listed"] is True
        assert response.json()["registered_capital_display"] == "1.2亿元"

    def test_invalid_uscc_on_update_is_400(self, client_for, enterprise):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").patch(
            f"/api/v1/enterprises/{enterprise.pk}",
            {"uscc": "91510106ABC"},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert "18位" in response.json()["detail"]["uscc"]

    def test_other_organisation_and_viewer_get_403(self, client_for, enterprise):  # type: ignore[no-untyped-def]
        for who in ("zhangye", "jinniu_viewer", "city"):
            response = client_for(who).patch(
                f"/api/v1/enterprises/{enterprise.pk}",
                {"is_listed": True},
                content_type="application/json",
            )
            assert response.status_code == 403, who

    def test_capital_in_both_units_is_422(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/enterprises/",
            {
                "name": "两种单位公司",
                "region": "510106",
                "registered_capital": 1,
                "registered_capital_wan": 1,
            },
            content_type="application/json",
        )
        assert response.status_code == 422


class TestPatchSites:
    def test_patch_with_sites_replaces_them(self, users, api_client):  # type: ignore[no-untyped-def]
        client = api_client(users["jinniu"])
        created = client.post(
            "/api/v1/enterprises/",
            {"name": "金什测试企业", "region": "510106", "sites": [{"role": "headquarters"}]},
            content_type="application/json",
        ).json()
        patched = client.patch(
            f"/api/v1/enterprises/{created['id']}",
            {"sites": [{"role": "manufacturing", "region": "什邡市"}]},
            content_type="application/json",
        )
        assert patched.status_code == 200, patched.content
        assert [s["role"] for s in patched.json()["sites"]] == ["manufacturing"]
        untouched = client.patch(
            f"/api/v1/enterprises/{created['id']}",
            {"short_name": "金什"},
            content_type="application/json",
        )
        assert [s["role"] for s in untouched.json()["sites"]] == ["manufacturing"]


class TestOversizedValues:
    def test_a_capital_too_wide_is_422_and_the_registry_stays_readable(self, client_for):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        response = client.post(
            "/api/v1/enterprises/",
            {"name": "注册资本过大公司", "region": "510106", "registered_capital": "1e17"},
            content_type="application/json",
        )
        assert response.status_code == 422  # declared in the OpenAPI document: plain decimals
        assert any("registered_capital" in e["loc"] for e in response.json()["detail"])
        assert client.get("/api/v1/enterprises/").status_code == 200
