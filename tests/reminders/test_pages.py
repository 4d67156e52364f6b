"""我的提醒, 提醒设置, 群机器人 and the home page's card."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from parklink.accounts.models import User
from parklink.reminders import services
from parklink.reminders.models import Webhook
from tests.reminders.conftest import KIND, Source

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_my_reminders_and_the_dashboard_card_show_the_users_items(
    source: Source, people: dict[str, User]
) -> None:
    amy = people["amy"]
    source.items = [{"key": 7, "to": [amy.pk], "title": "节点逾期"}]
    client = logged_in(amy)
    page = client.get("/reminders/").content.decode()
    assert "节点逾期" in page and 'data-reminder="test-overdue:7"' in page
    home = client.get("/").content.decode()
    assert 'id="my-reminders"' in home and "节点逾期" in home
    other = logged_in(people["bo"]).get("/").content.decode()
    assert "节点逾期" not in other


def test_settings_mute_a_kind(source: Source, people: dict[str, User]) -> None:
    amy = people["amy"]
    source.items = [{"key": 7, "to": [amy.pk], "title": "节点逾期"}]
    client = logged_in(amy)
    form = client.get("/reminders/settings/").content.decode()
    assert "测试逾期事项" in form
    response = client.post(
        "/reminders/settings/", {"muted": [KIND], "email_digest": "on", "language": "en"}
    )
    assert response.status_code == 302
    assert services.preference(amy).muted == [KIND]
    page = client.get("/reminders/").content.decode()
    assert "节点逾期" not in page and "data-muted" in page


def test_robots_page_is_for_organisation_admins(people: dict[str, User]) -> None:
    assert logged_in(people["amy"]).get("/reminders/webhooks/").status_code == 403
    admin = logged_in(people["admin"])
    assert admin.get("/reminders/webhooks/").status_code == 200
    response = admin.post(
        "/reminders/webhooks/",
        {
            "name": "招商群",
            "kind": "dingtalk",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=x",
            "secret": "SECx",
            "language": "zh-hans",
        },
    )
    assert response.status_code == 302
    robot = Webhook.objects.get()
    assert robot.organization == people["admin"].organization
    page = admin.get("/reminders/webhooks/").content.decode()
    assert "招商群" in page and "SECx" not in page
    assert (
        logged_in(people["other"]).post(f"/reminders/webhooks/{robot.pk}/delete/").status_code
        == 403
    )
    assert admin.post(f"/reminders/webhooks/{robot.pk}/delete/").status_code == 302
    assert not Webhook.objects.exists()


def test_the_api_lists_the_users_reminders(
    source: Source, people: dict[str, User], api_client: Any
) -> None:
    source.items = [{"key": 7, "to": [people["amy"].pk], "title": "节点逾期"}]
    body = api_client(people["amy"]).get("/api/v1/reminders/").json()
    assert [item["key"] for item in body["items"]] == ["7"] and body["muted"] == 0
    assert api_client(people["bo"]).get("/api/v1/reminders/").json()["items"] == []


def test_scopes_keep_digests_and_robots_to_their_owners(people: dict[str, User]) -> None:
    from parklink.core.registry import registry
    from parklink.reminders.models import Digest

    Digest.objects.create(user=people["amy"], day="2025-06-02", status="sent")
    services.add_webhook(people["admin"], name="群", kind="wecom", url="https://q.example/x")
    assert registry.visible(Digest, people["amy"]).count() == 1
    assert registry.visible(Digest, people["bo"]).count() == 0
    assert registry.visible(Webhook, people["admin"]).count() == 1
    assert registry.visible(Webhook, people["amy"]).count() == 0


def test_the_admin_lists_digests_deliveries_and_robots(people: dict[str, User]) -> None:
    from tests.support import factories

    services.add_webhook(people["admin"], name="招商群", kind="wecom", url="https://q.example/x")
    client = logged_in(factories.superuser())
    for model in ("webhook", "digest", "delivery"):
        assert client.get(f"/admin/reminders/{model}/").status_code == 200
    page = client.get(f"/admin/reminders/webhook/{Webhook.objects.get().pk}/change/")
    assert page.status_code == 200 and "q.example" in page.content.decode()


def test_installation_admins_see_every_organisations_robots(people: dict[str, User]) -> None:
    from tests.support import factories

    services.add_webhook(
        people["admin"], name="金牛招商群", kind="wecom", url="https://q.example/x"
    )
    root = logged_in(factories.superuser())
    page = root.get("/reminders/webhooks/")
    html = page.content.decode()
    assert page.status_code == 200 and "金牛招商群" in html and "金牛区投资促进局" in html
    assert 'id="robot-form"' not in html
    refused = root.post("/reminders/webhooks/", {"kind": "wecom", "url": "https://q.example/y"})
    assert refused.status_code == 403 and Webhook.objects.count() == 1
