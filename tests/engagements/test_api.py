"""The engagements API: record, read, change and delete engagements, follow-ups, contacts."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from parklink.accounts.services import create_token
from parklink.engagements.models import Engagement


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {create_token(user)}"})


def test_engagement_round_trip(world) -> None:
    api = _api(world.jinniu_officer)
    made = api.post(
        "/api/v1/engagements/",
        {
            "kind": "aftercare",
            "held_on": world.today.isoformat(),
            "title": "走访示例科技",
            "enterprises": [world.firm.pk],
            "contacts": [world.jinniu_contact.pk],
            "requests": "用电增容",
            "participants": [world.dege_officer.pk],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["contacts"] == [world.jinniu_contact.pk] and body["owner"] == world.jinniu.pk
    follow = api.post(
        f"/api/v1/engagements/{body['id']}/follow-ups",
        {"task": "协调供电", "assignee": world.dege_officer.pk, "due_on": world.today.isoformat()},
        content_type="application/json",
    )
    assert follow.status_code == 201
    mine = _api(world.dege_officer).get("/api/v1/engagements/follow-ups/mine").json()
    assert [f["task"] for f in mine] == ["协调供电"]
    done = _api(world.dege_officer).patch(
        f"/api/v1/engagements/follow-ups/{mine[0]['id']}",
        {"status": "done"},
        content_type="application/json",
    )
    assert done.json()["status"] == "done" and done.json()["done_on"] == world.today.isoformat()
    changed = api.patch(
        f"/api/v1/engagements/{body['id']}", {"title": "走访(改)"}, content_type="application/json"
    )
    assert changed.json()["title"] == "走访(改)" and changed.json()["contacts"]
    listed = api.get("/api/v1/engagements/?kind=aftercare").json()
    assert listed["count"] == 1
    assert api.get(f"/api/v1/engagements/?enterprise={world.other_firm.pk}").json()["count"] == 0
    assert api.delete(f"/api/v1/engagements/{body['id']}").status_code == 204
    assert not Engagement.objects.exists()


def test_errors_name_the_field(world) -> None:
    api = _api(world.jinniu_officer)
    answer = api.post(
        "/api/v1/engagements/",
        {"kind": "call", "held_on": world.today.isoformat(), "title": "电话"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["detail"] == {"enterprises": "请至少选择一家对接企业"}
    unknown = api.post(
        "/api/v1/engagements/",
        {"kind": "call", "held_on": "2025-1-1", "title": "x", "enterprises": [world.firm.pk]},
        content_type="application/json",
    )
    assert unknown.status_code == 422
    bad_range = api.get(
        f"/api/v1/engagements/?since={world.today}&until={world.today - timedelta(days=1)}"
    )
    assert bad_range.status_code == 400


def test_viewer_reads_but_cannot_write(world) -> None:
    world.engagement()
    viewer = _api(world.jinniu_viewer)
    assert viewer.get("/api/v1/engagements/").json()["count"] == 1
    answer = viewer.post(
        "/api/v1/engagements/",
        {
            "kind": "call",
            "held_on": world.today.isoformat(),
            "title": "x",
            "enterprises": [world.firm.pk],
        },
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert viewer.get("/api/v1/engagements/contacts").json()["count"] == 0


def test_contacts_crud(world) -> None:
    api = _api(world.jinniu_officer)
    made = api.post(
        "/api/v1/engagements/contacts",
        {"enterprise": world.firm.pk, "name": "孙总", "wechat": "sun"},
        content_type="application/json",
    ).json()
    assert made["owner"] == world.jinniu.pk
    patched = api.patch(
        f"/api/v1/engagements/contacts/{made['id']}",
        {"title": "董事长"},
        content_type="application/json",
    ).json()
    assert patched["title"] == "董事长" and patched["wechat"] == "sun"
    assert api.delete(f"/api/v1/engagements/contacts/{made['id']}").status_code == 204


def test_list_query_count_does_not_grow(world, django_assert_max_num_queries) -> None:
    for n in range(6):
        world.engagement(
            title=f"记录{n}", contacts=[world.jinniu_contact.pk], projects=[world.jinniu_project.pk]
        )
    api = _api(world.jinniu_officer)
    api.get("/api/v1/engagements/")  # token lookup warmed
    with django_assert_max_num_queries(16):
        assert api.get("/api/v1/engagements/").json()["count"] == 6
