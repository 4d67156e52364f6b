"""Scoping through the API: hidden projects look missing; seeing a project is not changing it."""

from __future__ import annotations

from parklink.projects.models import Project


def _patch(client, path: str, payload: dict):  # type: ignore[no-untyped-def]
    return client.patch(path, payload, content_type="application/json")


def _post(client, path: str, payload: dict):  # type: ignore[no-untyped-def]
    return client.post(path, payload, content_type="application/json")


class TestConfidentialProjects:
    def test_other_organisation_gets_404_identical_to_a_missing_id(self, client_for, confidential):  # type: ignore[no-untyped-def]
        client = client_for("qingbaijiang")
        missing_id = Project.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
        for key in ("lead", "negotiating"):
            hidden = client.get(f"/api/v1/projects/{confidential[key].pk}")
            missing = client.get(f"/api/v1/projects/{missing_id}")
            assert hidden.status_code == missing.status_code == 404
            assert hidden.json() == missing.json()

    def test_city_above_does_not_see_leads_either(self, client_for, confidential):  # type: ignore[no-untyped-def]
        response = client_for("city").get(f"/api/v1/projects/{confidential['lead'].pk}")
        assert response.status_code == 404

    def test_list_and_total_leave_out_hidden_projects(self, client_for, confidential):  # type: ignore[no-untyped-def]
        city = client_for("city").get("/api/v1/projects/").json()
        sibling = client_for("qingbaijiang").get("/api/v1/projects/").json()
        owner = client_for("jinniu").get("/api/v1/projects/").json()
        assert [item["name"] for item in city["items"]] == ["已签约项目"]
        assert city["count"] == 1
        assert sibling == {"count": 0, "limit": 20, "offset": 0, "items": []}
        assert owner["count"] == 3

    def test_filtering_by_stage_does_not_reveal_hidden_ones(self, client_for, confidential):  # type: ignore[no-untyped-def]
        body = client_for("city").get("/api/v1/projects/?stage=lead&stage=negotiating").json()
        assert body["count"] == 0

    def test_writes_to_a_hidden_project_are_404_not_403(self, client_for, confidential, today):  # type: ignore[no-untyped-def]
        client = client_for("qingbaijiang")
        project_id = confidential["negotiating"].pk
        assert _patch(client, f"/api/v1/projects/{project_id}", {"name": "x"}).status_code == 404
        assert (
            _post(client, f"/api/v1/projects/{project_id}/transition", {"to": "signed"}).status_code
            == 404
        )
        assert (
            _post(
                client,
                f"/api/v1/projects/{project_id}/milestones",
                {"name": "节点", "due_on": today.isoformat()},
            ).status_code
            == 404
        )

    def test_installation_admin_sees_confidential_projects(self, client_for, confidential):  # type: ignore[no-untyped-def]
        response = client_for("root").get(f"/api/v1/projects/{confidential['lead'].pk}")
        assert response.status_code == 200


class TestDisclosedProjects:
    def test_city_bureau_reads_a_county_signed_project(self, client_for, confidential):  # type: ignore[no-untyped-def]
        response = client_for("city").get(f"/api/v1/projects/{confidential['signed'].pk}")
        assert response.status_code == 200
        assert response.json()["owner"]["name"] == "金牛区投资促进局"

    def test_city_bureau_may_not_patch_or_move_it(self, client_for, confidential, today):  # type: ignore[no-untyped-def]
        client = client_for("city")
        project_id = confidential["signed"].pk
        patched = _patch(client, f"/api/v1/projects/{project_id}", {"name": "改名"})
        moved = _post(client, f"/api/v1/projects/{project_id}/transition", {"to": "approvals"})
        funded = _post(
            client,
            f"/api/v1/projects/{project_id}/funds",
            {"received_on": today.isoformat(), "amount_wan": 10},
        )
        assert patched.status_code == moved.status_code == funded.status_code == 403
        assert patched.json()["error"] == "forbidden"
        assert Project.objects.get(pk=project_id).stage == "signed"

    def test_province_two_levels_up_reads_it_too(self, client_for, confidential):  # type: ignore[no-untyped-def]
        body = client_for("province").get("/api/v1/projects/").json()
        assert [item["name"] for item in body["items"]] == ["已签约项目"]

    def test_another_province_sees_nothing(self, client_for, confidential):  # type: ignore[no-untyped-def]
        assert client_for("zhangye").get("/api/v1/projects/").json()["count"] == 0


class TestViewerRole:
    def test_viewer_reads_but_every_write_is_403(self, client_for, confidential, today):  # type: ignore[no-untyped-def]
        client = client_for("jinniu_viewer")
        project_id = confidential["signed"].pk
        assert client.get(f"/api/v1/projects/{project_id}").status_code == 200
        writes = [
            _patch(client, f"/api/v1/projects/{project_id}", {"name": "改名"}),
            _post(client, f"/api/v1/projects/{project_id}/transition", {"to": "approvals"}),
            _post(
                client,
                f"/api/v1/projects/{project_id}/milestones",
                {"name": "节点", "due_on": today.isoformat()},
            ),
            _post(
                client,
                f"/api/v1/projects/{project_id}/approvals",
                {"kind": "fire", "status": "submitted"},
            ),
            _post(
                client,
                f"/api/v1/projects/{project_id}/funds",
                {"received_on": today.isoformat(), "amount": 100},
            ),
        ]
        assert [response.status_code for response in writes] == [403] * len(writes)
