"""Project workflow endpoints: stage transitions, milestones, approvals and funds in place."""

from __future__ import annotations

from datetime import timedelta

import pytest

from parklink.projects.models import StageTransition


@pytest.fixture
def signed(make_project):  # type: ignore[no-untyped-def]
    return make_project("光伏组件项目", days_ago=10)


def _post(client, path: str, payload: dict):  # type: ignore[no-untyped-def]
    return client.post(path, payload, content_type="application/json")


class TestTransition:
    def test_legal_move_returns_the_updated_project(self, client_for, signed, today):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/transition",
            {"to": "approvals", "date": today.isoformat(), "note": "进入审批"},
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["stage"] == "approvals"
        assert body["stage_since"] == today.isoformat()
        assert body["allowed_next"] == ["started", "stalled", "terminated"]

    def test_history_records_actor_date_and_note(self, client_for, users, signed, today):  # type: ignore[no-untyped-def]
        day = today - timedelta(days=2)
        _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/transition",
            {"to": "started", "date": day.isoformat(), "note": "举行开工仪式"},
        )
        body = client_for("jinniu").get(f"/api/v1/projects/{signed.pk}").json()
        last = body["transitions"][-1]
        assert (last["from_stage"], last["to_stage"]) == ("signed", "started")
        assert last["effective_on"] == day.isoformat()
        assert last["note"] == "举行开工仪式"
        assert last["actor"]["id"] == users["jinniu"].pk
        assert StageTransition.objects.filter(project=signed, actor=users["jinniu"]).count() == 2

    def test_illegal_move_is_409_with_the_allowed_stages(self, client_for, signed):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/transition",
            {"to": "full_production"},
        )
        assert response.status_code == 409
        body = response.json()
        assert body["error"] == "illegal_transition"
        assert body["detail"]["allowed"] == ["approvals", "started", "stalled", "terminated"]
        assert StageTransition.objects.filter(project=signed).count() == 1

    def test_future_date_is_400(self, client_for, signed, today):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/transition",
            {"to": "approvals", "date": (today + timedelta(days=1)).isoformat()},
        )
        assert response.status_code == 400
        assert "date" in response.json()["detail"]

    def test_date_before_the_current_stage_is_400(self, client_for, signed, today):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/transition",
            {"to": "approvals", "date": (today - timedelta(days=30)).isoformat()},
        )
        assert response.status_code == 400

    def test_unreadable_date_is_422(self, client_for, signed):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/transition",
            {"to": "approvals", "date": "2024-13-45"},
        )
        assert response.status_code == 422

    def test_stalling_without_a_reason_is_400(self, client_for, signed):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"), f"/api/v1/projects/{signed.pk}/transition", {"to": "stalled"}
        )
        assert response.status_code == 400
        assert "note" in response.json()["detail"]


class TestMilestones:
    def test_add_then_complete_a_milestone(self, client_for, signed, today):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        added = _post(
            client,
            f"/api/v1/projects/{signed.pk}/milestones",
            {"name": "完成土地摘牌", "due_on": (today - timedelta(days=1)).isoformat()},
        )
        assert added.status_code == 201, added.content
        assert added.json()["overdue"] is True
        done = _post(
            client,
            f"/api/v1/projects/{signed.pk}/milestones/{added.json()['id']}/complete",
            {"date": today.isoformat()},
        )
        assert done.status_code == 200, done.content
        assert done.json()["done_on"] == today.isoformat()
        detail = client.get(f"/api/v1/projects/{signed.pk}").json()
        assert detail["overdue_milestones"] == 0
        assert detail["last_progress_on"] == today.isoformat()

    def test_complete_without_a_body_uses_today(self, client_for, signed, today):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        added = _post(
            client,
            f"/api/v1/projects/{signed.pk}/milestones",
            {"name": "签订供地协议", "due_on": today.isoformat()},
        )
        done = client.generic(
            "POST", f"/api/v1/projects/{signed.pk}/milestones/{added.json()['id']}/complete"
        )
        assert done.status_code == 200, done.content
        assert done.json()["done_on"] == today.isoformat()

    def test_milestone_of_another_project_is_404(self, client_for, signed, make_project, today):  # type: ignore[no-untyped-def]
        other = make_project("另一个项目")
        client = client_for("jinniu")
        added = _post(
            client,
            f"/api/v1/projects/{other.pk}/milestones",
            {"name": "节点", "due_on": today.isoformat()},
        )
        response = _post(
            client, f"/api/v1/projects/{signed.pk}/milestones/{added.json()['id']}/complete", {}
        )
        assert response.status_code == 404


class TestApprovals:
    def test_setting_an_approval_twice_updates_it(self, client_for, signed, today):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        path = f"/api/v1/projects/{signed.pk}/approvals"
        _post(
            client,
            path,
            {"kind": "environmental", "status": "submitted", "submitted_on": today.isoformat()},
        )
        response = _post(
            client,
            path,
            {
                "kind": "environmental",
                "status": "approved",
                "submitted_on": today.isoformat(),
                "decided_on": today.isoformat(),
                "reference": "川环审〔2024〕1号",
            },
        )
        assert response.status_code == 200, response.content
        assert response.json()["status_label"] == "已批复"
        approvals = client.get(f"/api/v1/projects/{signed.pk}").json()["approvals"]
        assert [(a["kind"], a["status"]) for a in approvals] == [("environmental", "approved")]

    def test_unknown_approval_kind_is_422(self, client_for, signed):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/approvals",
            {"kind": "astrology", "status": "approved"},
        )
        assert response.status_code == 422


class TestFunds:
    def test_funds_in_wan_are_stored_in_yuan(self, client_for, signed, today):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        response = _post(
            client,
            f"/api/v1/projects/{signed.pk}/funds",
            {"received_on": today.isoformat(), "amount_wan": 1500.5, "evidence": "银行回单"},
        )
        assert response.status_code == 201, response.content
        assert response.json()["amount"] == "15005000.00"
        assert response.json()["amount_display"] == "1,500.5万元"
        assert client.get(f"/api/v1/projects/{signed.pk}").json()["funds_total"] == "15005000.00"

    def test_funds_without_an_amount_is_422(self, client_for, signed, today):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/funds",
            {"received_on": today.isoformat()},
        )
        assert response.status_code == 422

    def test_zero_funds_are_422(self, client_for, signed, today):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/funds",
            {"received_on": today.isoformat(), "amount": 0},
        )
        assert response.status_code == 422  # the schema declares amount > 0


class TestLeaderUser:
    def test_leader_must_belong_to_the_owner_organisation(self, users, api_client):  # type: ignore[no-untyped-def]
        client = api_client(users["jinniu"])
        created = client.post(
            "/api/v1/projects/",
            {"name": "专班项目", "region": "510106", "leader_user": users["jinniu"].pk},
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
        assert created.json()["leader_user"]["id"] == users["jinniu"].pk
        refused = client.patch(
            f"/api/v1/projects/{created.json()['id']}",
            {"leader_user": users["dege"].pk},
            content_type="application/json",
        )
        assert refused.status_code == 400
        assert "leader_user" in refused.json()["detail"]
