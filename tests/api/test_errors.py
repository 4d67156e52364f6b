"""Every API error is JSON {"error", "detail"}: 400 rule, 404 missing, 422 malformed."""

from __future__ import annotations


class TestMalformedPayloads:
    def test_missing_required_field_is_422_naming_it(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/projects/", {"region": "510106"}, content_type="application/json"
        )
        assert response.status_code == 422
        body = response.json()
        assert body["error"] == "validation_error"
        assert any(error["loc"][-1] == "name" for error in body["detail"])

    def test_wrong_type_is_422(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/projects/",
            {"name": "类型错误", "region": "510106", "jobs": "many"},
            content_type="application/json",
        )
        assert response.status_code == 422

    def test_unknown_field_is_422(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/parks/",
            {"name": "多余字段园", "kind": "industrial_park", "region": "510106", "colour": "blue"},
            content_type="application/json",
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["type"] == "extra_forbidden"

    def test_amount_in_both_units_is_422(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/projects/",
            {
                "name": "两种单位",
                "region": "510106",
                "total_investment": 1,
                "total_investment_wan": 1,
            },
            content_type="application/json",
        )
        assert response.status_code == 422
        assert "total_investment_wan" in response.json()["detail"][0]["msg"]

    def test_non_numeric_id_in_path_is_422_json(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").get("/api/v1/projects/abc")
        assert response.status_code == 422
        assert response.json()["error"] == "validation_error"

    def test_unparseable_json_is_400_json(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/projects/", "{not json", content_type="application/json"
        )
        assert response.status_code == 400
        assert set(response.json()) == {"error", "detail"}


class TestRuleErrors:
    def test_rule_violation_is_400_with_field_details(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/projects/",
            {"name": "无法落地", "region": "火星基地"},
            content_type="application/json",
        )
        assert response.status_code == 400
        body = response.json()
        assert body["error"] == "invalid"
        assert "火星基地" in body["detail"]["region"]

    def test_unknown_park_reference_is_400(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/projects/", {"name": "无园区", "park": 99999}, content_type="application/json"
        )
        assert response.status_code == 400
        assert "99999" in response.json()["detail"]["park"]


class TestOpenApi:
    def test_openapi_document_lists_the_transition_endpoint(self, db):  # type: ignore[no-untyped-def]
        from django.test import Client

        response = Client().get("/api/v1/openapi.json")
        assert response.status_code == 200
        paths = response.json()["paths"]
        assert "/api/v1/projects/{project_id}/transition" in paths
        assert "post" in paths["/api/v1/projects/{project_id}/transition"]
        assert {"/api/v1/regions/resolve", "/api/v1/parks/", "/api/v1/enterprises/"} <= set(paths)

    def test_openapi_declares_bearer_authentication(self, db):  # type: ignore[no-untyped-def]
        from django.test import Client

        schemes = Client().get("/api/v1/openapi.json").json()["components"]["securitySchemes"]
        assert any(scheme.get("scheme") == "bearer" for scheme in schemes.values())

    def test_interactive_docs_page_loads(self, db):  # type: ignore[no-untyped-def]
        from django.test import Client

        assert Client().get("/api/v1/docs").status_code == 200
