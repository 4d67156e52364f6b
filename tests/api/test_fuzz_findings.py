"""Defects that property-based fuzzing of the OpenAPI document found, each pinned by a test."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parklink.core.errors import Invalid
from parklink.parks.services import set_resources

# Far beyond the 64-bit integers a database column holds.
HUGE = 10**25

LISTS = (
    "/api/v1/regions/",
    "/api/v1/parks/",
    "/api/v1/parks/linkages/",
    "/api/v1/enterprises/",
    "/api/v1/projects/",
)


class TestListOffsets:
    @pytest.mark.parametrize("path", LISTS)
    def test_an_offset_too_large_for_the_database_is_a_422_not_a_server_error(  # type: ignore[no-untyped-def]
        self, client_for, path
    ):
        response = client_for("jinniu").get(path, {"offset": HUGE})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-1] == "offset"

    def test_a_large_offset_inside_the_range_is_an_empty_page(self, client_for, park):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").get("/api/v1/parks/", {"offset": 2**31 - 1})
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 1
        assert body["items"] == []


class TestRecordIdsOutOfRange:
    @pytest.mark.parametrize(
        ("path", "name"),
        [
            ("/api/v1/parks/", "parent"),
            ("/api/v1/parks/linkages/", "park"),
            ("/api/v1/enterprises/", "park"),
            ("/api/v1/projects/", "park"),
        ],
    )
    @pytest.mark.parametrize("value", [HUGE, -HUGE])
    def test_a_list_filter_id_beyond_64_bits_is_a_422_not_a_server_error(  # type: ignore[no-untyped-def]
        self, client_for, path, name, value
    ):
        response = client_for("jinniu").get(path, {name: value})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-1] == name

    def test_a_linkage_member_park_beyond_64_bits_is_a_422_not_a_server_error(  # type: ignore[no-untyped-def]
        self, client_for, park
    ):
        response = client_for("jinniu").post(
            "/api/v1/parks/linkages/",
            {"name": "越界联动", "members": [{"park": HUGE, "role": "local_landing"}]},
            content_type="application/json",
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-3:] == ["members", 0, "park"]


class TestTransitionTarget:
    def test_an_unknown_target_stage_is_a_422_like_any_unknown_choice(  # type: ignore[no-untyped-def]
        self, client_for, make_project
    ):
        project = make_project("阶段未知", stage="signed")
        response = client_for("jinniu").post(
            f"/api/v1/projects/{project.pk}/transition",
            {"to": "flying"},
            content_type="application/json",
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-1] == "to"

    def test_the_openapi_document_lists_the_stages_a_transition_may_name(self, client):  # type: ignore[no-untyped-def]
        document = client.get("/api/v1/openapi.json").json()
        target = document["components"]["schemas"]["TransitionIn"]["properties"]["to"]
        stage = document["components"]["schemas"][target["$ref"].rsplit("/", 1)[-1]]
        assert "started" in stage["enum"]


class TestDocumentedErrors:
    def operation(self, client, path: str, method: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
        document = client.get("/api/v1/openapi.json").json()
        return dict(document["paths"][f"/api/v1{path}"][method])

    def test_a_change_documents_every_error_status_it_can_answer(self, client):  # type: ignore[no-untyped-def]
        responses = self.operation(client, "/projects/{project_id}", "patch")["responses"]
        assert set(responses) == {"200", "400", "401", "403", "404", "409", "422", "429"}
        error = responses["404"]["content"]["application/json"]["schema"]["$ref"]
        document = client.get("/api/v1/openapi.json").json()
        shape = document["components"]["schemas"][error.rsplit("/", 1)[-1]]
        assert {"error", "detail"} <= set(shape["required"])

    def test_a_list_documents_rule_and_malformed_errors_but_no_404(self, client):  # type: ignore[no-untyped-def]
        responses = self.operation(client, "/projects/", "get")["responses"]
        assert set(responses) == {"200", "400", "401", "422", "429"}

    def test_resolving_a_place_name_documents_its_404(self, client):  # type: ignore[no-untyped-def]
        responses = self.operation(client, "/regions/resolve", "get")["responses"]
        assert "404" in responses


class TestSchemaValidRequestsTheServiceRefused:
    """Requests the OpenAPI document allowed but the server refused (400): now declared (422)."""

    def test_a_null_enterprise_flag_is_a_422(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/enterprises/",
            {"name": "空标记公司", "region": "510106", "is_listed": None},
            content_type="application/json",
        )
        assert response.status_code == 422

    def test_an_empty_linkage_name_is_a_422(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/parks/linkages/", {"name": " ", "members": []}, content_type="application/json"
        )
        assert response.status_code == 422

    def test_an_indicator_value_that_is_not_a_decimal_is_a_422(self, client_for, park):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").put(
            f"/api/v1/parks/{park.pk}/indicators",
            {"items": [{"year": 2024, "indicator": "gdp", "value": ""}]},
            content_type="application/json",
        )
        assert response.status_code == 422

    def test_the_document_declares_resource_values_as_decimals(self, client):  # type: ignore[no-untyped-def]
        schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
        value = schemas["ResourceIn"]["properties"]["value"]
        assert {"type": "string", "pattern": r"^-?[0-9]{1,13}(\.[0-9]{1,2})?$"} in value["anyOf"]


class TestFiguresSqliteCannotReadBack:
    """A resource of 99999999999999.99 was stored and then broke the park's pages (500)."""

    def test_a_resource_value_near_its_column_width_is_a_422(self, client_for, park):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").put(
            f"/api/v1/parks/{park.pk}/resources",
            {"items": [{"kind": "land", "value": "99999999999999.99"}]},
            content_type="application/json",
        )
        assert response.status_code == 422
        assert client_for("jinniu").get(f"/api/v1/parks/{park.pk}").status_code == 200

    def test_the_service_refuses_it_too(self, users, park):  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            set_resources(
                users["jinniu"], park, [{"kind": "land", "value": Decimal("99999999999999.99")}]
            )
        assert "items.0.value" in caught.value.detail

    def test_an_indicator_near_its_column_width_is_a_422(self, client_for, park):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").put(
            f"/api/v1/parks/{park.pk}/indicators",
            {"items": [{"year": 2024, "indicator": "gdp", "value": "999999999999999999.99"}]},
            content_type="application/json",
        )
        assert response.status_code == 422
        assert client_for("jinniu").get(f"/api/v1/parks/{park.pk}").status_code == 200


class TestBooleansAreNotNumbers:
    """`"order": false` was read as 0 (pydantic's lax int), so invalid data was accepted."""

    def test_a_boolean_order_is_a_422(self, client_for, park):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").put(
            f"/api/v1/parks/{park.pk}/industries",
            {"items": [{"name": "光伏", "order": False}]},
            content_type="application/json",
        )
        assert response.status_code == 422
        assert not park.industries.exists()

    def test_a_boolean_member_park_is_a_422(self, client_for, park):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/parks/linkages/",
            {"name": "布尔联动", "members": [{"park": True, "role": "local_landing"}]},
            content_type="application/json",
        )
        assert response.status_code == 422

    def test_an_integral_float_is_still_a_whole_number(self, client_for, park):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").put(
            f"/api/v1/parks/{park.pk}/industries",
            {"items": [{"name": "光伏", "order": 2.0}]},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content


class TestOneUnitPerAmount:
    """An amount in 元 and in 万元 at once was a 422 the document did not announce."""

    def test_the_document_forbids_both_units_of_an_amount(self, client):  # type: ignore[no-untyped-def]
        schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
        forbidden = [rule["not"]["allOf"] for rule in schemas["ProjectIn"]["allOf"]]
        first = [part["required"][0] for part in forbidden[0]]
        assert first == ["total_investment", "total_investment_wan"]
        assert len(forbidden) == 4
        assert len(schemas["EnterprisePatch"]["allOf"]) == 1

    def test_the_document_requires_one_unit_of_funds(self, client):  # type: ignore[no-untyped-def]
        schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
        assert [rule["required"] for rule in schemas["FundsIn"]["oneOf"]] == [
            ["amount"],
            ["amount_wan"],
        ]


class TestBoundsOfWholeNumbersAreDeclared:
    """Bounds given on a field of an optional custom integer type reached the document as
    pydantic's "ge"/"le", which no client reads; they are JSON Schema's minimum/maximum."""

    def test_no_pydantic_keywords_in_the_document(self, client):  # type: ignore[no-untyped-def]
        text = client.get("/api/v1/openapi.json").content.decode()
        assert '"ge":' not in text
        assert '"le":' not in text

    def test_an_owner_id_is_declared_positive(self, client):  # type: ignore[no-untyped-def]
        schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
        [number, _null] = schemas["ParkIn"]["properties"]["owner"]["anyOf"]
        assert (number["minimum"], number["maximum"]) == (1, 2**63 - 1)


@pytest.mark.django_db
class TestNulCharacters:
    """PostgreSQL cannot store a NUL character: the API refuses it as a 400 naming the field
    (as Django's forms do), never a server error, on every database."""

    def test_a_nul_in_a_json_body_is_a_400_naming_the_field(self, client_for):  # type: ignore[no-untyped-def]
        from parklink.projects.models import Project

        response = client_for("jinniu").post(
            "/api/v1/projects/",
            data={"name": "含\x00空字符的项目", "stage": "lead"},
            content_type="application/json",
        )
        assert response.status_code == 400, response.content
        assert "name" in response.json()["detail"] and "\\x00" in response.json()["detail"]["name"]
        assert not Project.objects.filter(name__startswith="含").exists()

    def test_a_nul_deep_in_a_list_is_named_by_its_path(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/projects/",
            data={"name": "项目", "stage": "lead", "tags": ["ok", "b\x00d"]},
            content_type="application/json",
        )
        assert response.status_code == 400 and "tags.1" in response.json()["detail"]

    def test_a_nul_in_a_query_string_is_a_400(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").get("/api/v1/projects/", {"q": "a\x00b"})
        assert response.status_code == 400 and "q" in response.json()["detail"]
