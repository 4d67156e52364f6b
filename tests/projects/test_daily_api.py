"""API of the daily work: progress log, problems and their status, annual plans, standing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from parklink.projects.models import Problem, ProgressEntry


@pytest.fixture
def signed(make_project, users):  # type: ignore[no-untyped-def]
    return make_project("光伏组件项目", days_ago=40, leader_user=users["jinniu"])


@pytest.fixture
def secret(make_project):  # type: ignore[no-untyped-def]
    return make_project("保密洽谈项目", stage="negotiating")


def _json(client, method: str, path: str, payload: dict | None = None):  # type: ignore[no-untyped-def]
    return getattr(client, method)(path, payload or {}, content_type="application/json")


def test_progress_log_round_trip(client_for, signed, today):  # type: ignore[no-untyped-def]
    api = client_for("jinniu")
    base = f"/api/v1/projects/{signed.pk}/progress"
    made = _json(api, "post", base, {"happened_on": today.isoformat(), "summary": "完成摘牌"})
    assert made.status_code == 201, made.content
    entry_id = made.json()["id"]
    assert made.json()["author"]["username"] == "jinniu_officer"
    changed = _json(api, "patch", f"{base}/{entry_id}", {"next_step": "办理规划许可"})
    assert changed.status_code == 200 and changed.json()["next_step"] == "办理规划许可"
    assert [e["summary"] for e in api.get(base).json()] == ["完成摘牌"]
    project = api.get(f"/api/v1/projects/{signed.pk}").json()
    assert project["last_progress_on"] == today.isoformat()
    assert api.delete(f"{base}/{entry_id}").status_code == 204
    assert not ProgressEntry.objects.exists()


def test_bad_progress_is_a_422_naming_the_field(client_for, signed, today):  # type: ignore[no-untyped-def]
    response = _json(
        client_for("jinniu"),
        "post",
        f"/api/v1/projects/{signed.pk}/progress",
        {"happened_on": (today + timedelta(days=3)).isoformat(), "summary": "将来"},
    )
    assert response.status_code in (400, 422)
    assert "happened_on" in response.content.decode()


def test_problems_raise_move_and_list(client_for, users, signed, today):  # type: ignore[no-untyped-def]
    api = client_for("jinniu")
    made = _json(
        api,
        "post",
        f"/api/v1/projects/{signed.pk}/problems",
        {
            "category": "land",
            "description": "用地指标不足",
            "deadline": (today - timedelta(days=1)).isoformat(),
            "raised_on": (today - timedelta(days=5)).isoformat(),
            "owner": users["jinniu"].pk,
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["overdue"] is True and body["leader"]["id"] == users["jinniu"].pk
    problem_id = body["id"]
    listed = api.get("/api/v1/projects/problems/all", {"overdue": "true"}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == problem_id
    refused = _json(api, "post", f"/api/v1/projects/problems/{problem_id}/status", {"to": "open"})
    assert refused.status_code == 409
    solved = _json(
        api,
        "post",
        f"/api/v1/projects/problems/{problem_id}/status",
        {"to": "solved", "note": "调剂用地指标"},
    )
    assert solved.status_code == 200, solved.content
    assert solved.json()["status"] == "solved" and solved.json()["overdue"] is False
    assert [e["to_status"] for e in solved.json()["events"]] == ["open", "solved"]


def test_another_organisation_cannot_read_or_change_confidential_problems(
    client_for, users, secret, today
):  # type: ignore[no-untyped-def]
    own = client_for("jinniu")
    made = _json(
        own,
        "post",
        f"/api/v1/projects/{secret.pk}/problems",
        {"category": "financing", "description": "融资缺口"},
    )
    problem_id = made.json()["id"]
    for outsider in ("qingbaijiang", "city"):
        api = client_for(outsider)
        assert api.get(f"/api/v1/projects/{secret.pk}/problems").status_code == 404
        assert api.get(f"/api/v1/projects/problems/{problem_id}").status_code == 404
        assert api.get("/api/v1/projects/problems/all").json()["count"] == 0
        moved = _json(
            api, "post", f"/api/v1/projects/problems/{problem_id}/status", {"to": "coordinating"}
        )
        assert moved.status_code == 404
        assert api.get(f"/api/v1/projects/{secret.pk}/progress").status_code == 404
    assert Problem.objects.get().status == "open"


def test_year_plans_and_standing(client_for, signed, today):  # type: ignore[no-untyped-def]
    api = client_for("jinniu")
    put = _json(
        api,
        "put",
        f"/api/v1/projects/{signed.pk}/year-plans/2025",
        {"planned": "50000000.00", "completed": "1000.50"},
    )
    assert put.status_code == 200, put.content
    [row] = api.get(f"/api/v1/projects/{signed.pk}/year-plans").json()
    assert row["year"] == 2025 and row["completed"] == "1000.50"
    gone = _json(api, "put", f"/api/v1/projects/{signed.pk}/year-plans/2025", {})
    assert gone.status_code == 204
    standing = api.get(f"/api/v1/projects/{signed.pk}/standing").json()
    assert standing["colour"] == "green" and standing["warnings"] == []
    assert standing["reasons"] == ["最近进展在40天前"]
