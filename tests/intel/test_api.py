"""/api/v1/intel/: documents, the queue and decisions, for the caller's organisation only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from parklink.accounts.models import User
from parklink.intel.models import Decision, Item
from parklink.projects.models import Project
from tests.intel.conftest import ARTICLE, World

pytestmark = pytest.mark.django_db
ApiClient = Callable[[User], Client]


def _ingest(client: Client, text: str = ARTICLE) -> dict:  # type: ignore[type-arg]
    response = client.post(
        "/api/v1/intel/documents/",
        {"text": text, "title": "集中签约", "url": "https://example.org/a"},
        content_type="application/json",
    )
    assert response.status_code in (200, 201), response.content
    return response.json()


def test_ingest_list_read_and_duplicate(world: World, api_client: ApiClient) -> None:
    client = api_client(world.users["zhangye"])
    made = _ingest(client)
    assert made["duplicate"] is False and made["items"] >= 2
    again = client.post(
        "/api/v1/intel/documents/",
        {"text": ARTICLE, "title": "转载"},
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json()["duplicate"] is True
    listing = client.get("/api/v1/intel/documents/").json()
    assert listing["count"] == 1
    assert listing["items"][0]["counts"] == {"pending": made["items"]}
    one = client.get(f"/api/v1/intel/documents/{made['document']['id']}").json()
    assert one["original"] == ARTICLE
    items = client.get("/api/v1/intel/items/?status=pending").json()
    assert items["count"] == made["items"]
    storage = next(i for i in items["items"] if "储能电池" in i["name"])
    assert storage["amount_display"] == "约3亿元"
    assert any("投资约3亿元" in e for e in storage["evidence"])


def test_edit_accept_merge_reject_and_the_decisions(world: World, api_client: ApiClient) -> None:
    client = api_client(world.users["zhangye"])
    document = _ingest(client)["document"]["id"]
    items = {i.name: i.pk for i in Item.objects.filter(document_id=document)}
    storage = next(pk for name, pk in items.items() if "储能电池" in name)
    silicon = next(pk for name, pk in items.items() if "17万吨" in name)
    patched = client.patch(
        f"/api/v1/intel/items/{storage}",
        {"adcode": "620702", "qualifier": "at_least", "reason": "原文为约数,核实为下限"},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["amount_display"] == "超3亿元"
    bad = client.patch(
        f"/api/v1/intel/items/{storage}",
        {"amount": "很多"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "amount" in bad.json()["detail"]
    accepted = client.post(
        f"/api/v1/intel/items/{storage}/accept", {}, content_type="application/json"
    )
    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    assert body["action"] == "accept" and body["item"]["status"] == "accepted"
    project = Project.objects.get(pk=body["project"])
    assert project.total_investment_text == "超3亿元"
    again = client.post(
        f"/api/v1/intel/items/{storage}/reject", {"reason": "x"}, content_type="application/json"
    )
    assert again.status_code == 409
    update = client.post(
        f"/api/v1/intel/items/{silicon}/accept", {}, content_type="application/json"
    ).json()
    assert update["action"] == "update" and update["project"] == world.projects["silicon"].pk
    others = [pk for pk in items.values() if pk not in (storage, silicon)]
    if others:
        rejected = client.post(
            f"/api/v1/intel/items/{others[0]}/reject",
            {"reason": "活动报道,非项目"},
            content_type="application/json",
        )
        assert rejected.json()["status"] == "rejected"
    decisions = client.get("/api/v1/intel/decisions/").json()
    assert decisions["count"] == Decision.objects.count() >= 3
    assert {d["action"] for d in decisions["items"]} >= {"edit", "accept", "update"}
    merge_missing = client.post(
        f"/api/v1/intel/items/{storage}/merge", {}, content_type="application/json"
    )
    assert merge_missing.status_code in (400, 409)


def test_another_organisation_sees_nothing_and_changes_nothing(
    world: World, api_client: ApiClient
) -> None:
    own = api_client(world.users["zhangye"])
    document = _ingest(own)["document"]["id"]
    item = Item.objects.filter(document_id=document).first()
    assert item is not None
    for outsider in ("jinniu", "city", "province"):
        client = api_client(world.users[outsider])
        assert client.get("/api/v1/intel/documents/").json()["count"] == 0
        assert client.get("/api/v1/intel/items/").json()["count"] == 0
        assert client.get("/api/v1/intel/decisions/").json()["count"] == 0
        assert client.get(f"/api/v1/intel/documents/{document}").status_code == 404
        assert client.get(f"/api/v1/intel/items/{item.pk}").status_code == 404
        for action, payload in (
            ("accept", {}),
            ("reject", {"reason": "x"}),
            ("merge", {"project": world.projects["silicon"].pk}),
        ):
            response = client.post(
                f"/api/v1/intel/items/{item.pk}/{action}", payload, content_type="application/json"
            )
            assert response.status_code == 404, (outsider, action)
        assert (
            client.patch(
                f"/api/v1/intel/items/{item.pk}", {"name": "改名"}, content_type="application/json"
            ).status_code
            == 404
        )
    item.refresh_from_db()
    assert item.status == "pending" and item.name != "改名"
    viewer = api_client(world.users["jinniu_viewer"])
    refused = viewer.post(
        "/api/v1/intel/documents/", {"text": ARTICLE}, content_type="application/json"
    )
    assert refused.status_code == 403
    root = api_client(world.users["root"])
    assert root.get("/api/v1/intel/items/").json()["count"] >= 1
