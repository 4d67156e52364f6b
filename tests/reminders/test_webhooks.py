"""Group robots: WeCom and DingTalk markdown payloads received by a real HTTP server on
loopback, DingTalk's signature, once a day, failures logged and retried."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest
from django.core import mail

from parklink.accounts.models import User
from parklink.reminders import services, webhooks
from parklink.reminders.models import Delivery, Status, Webhook
from tests.reminders.conftest import Robot, Source

pytestmark = pytest.mark.django_db
DAY = date(2025, 6, 2)


def add(people: dict[str, User], robot: Robot, kind: str, secret: str = "") -> Webhook:
    return services.add_webhook(
        people["admin"], name="招商群", kind=kind, url=robot.url, secret=secret
    )


def test_wecom_gets_a_markdown_message_of_its_organisations_items_once_a_day(
    source: Source, people: dict[str, User], robot: Robot
) -> None:
    add(people, robot, "wecom")
    jinniu = people["amy"].organization_id
    source.items = [
        {
            "key": 1,
            "to": [people["amy"].pk],
            "org": jinniu,
            "title": "光伏项目[一期]",
            "severity": "danger",
        },
        {"key": 2, "to": [people["other"].pk], "org": people["other"].organization_id},
    ]
    report = services.send_daily(DAY)
    assert report.robots_sent == 1
    (received,) = robot.received
    assert received["path"] == "/send?key=abc"
    body = received["body"]
    assert body["msgtype"] == "markdown" and set(body["markdown"]) == {"content"}
    content = body["markdown"]["content"]
    assert "金牛区投资促进局" in content and "共 1 项" in content
    assert "[🔴 " not in content and "光伏项目【一期】" in content
    assert "(http://127.0.0.1:8000/projects/1/)" in content and "事项2" not in content
    assert services.send_daily(DAY).robots_already == 1
    assert len(robot.received) == 1


def test_dingtalk_is_signed_with_its_secret(
    source: Source, people: dict[str, User], robot: Robot
) -> None:
    add(people, robot, "dingtalk", secret="SECabc123")
    source.items = [{"key": 1, "to": [], "org": people["amy"].organization_id}]
    services.send_daily(DAY)
    (received,) = robot.received
    body = received["body"]
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "金牛区投资促进局 每日提醒"
    assert "事项1" in body["markdown"]["text"]
    query = parse_qs(urlsplit(received["path"]).query)
    timestamp = query["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(b"SECabc123", f"{timestamp}\nSECabc123".encode(), hashlib.sha256).digest()
    ).decode()
    assert unquote_plus(query["sign"][0]) == expected or query["sign"][0] == expected
    assert query["key"] == ["abc"]


def test_a_refusing_robot_is_recorded_and_tried_again_without_stopping_the_emails(
    source: Source, people: dict[str, User], robot: Robot
) -> None:
    add(people, robot, "wecom")
    source.items = [{"key": 1, "to": [people["amy"].pk], "org": people["amy"].organization_id}]
    robot.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
    report = services.send_daily(DAY)
    assert (report.robots_failed, report.emails_sent) == (1, 1)
    failed = Delivery.objects.get()
    assert failed.status == Status.FAILED and "93000" in failed.error
    robot.answer = {"errcode": 0, "errmsg": "ok"}
    assert services.send_daily(DAY).robots_sent == 1
    delivered = Delivery.objects.get()
    assert (delivered.status, delivered.attempts) == (Status.SENT, 2)
    assert len(robot.received) == 2 and len(mail.outbox) == 1


def test_an_unreachable_robot_fails_quietly(
    source: Source, people: dict[str, User], settings: Any
) -> None:
    settings.PARKLINK_WEBHOOK_INTERNAL_HOSTS = ["127.0.0.1"]
    services.add_webhook(
        people["admin"], name="x", kind="wecom", url="http://127.0.0.1:9/send?key=gone"
    )
    source.items = [{"key": 1, "to": [], "org": people["amy"].organization_id}]
    assert services.send_daily(DAY).robots_failed == 1
    assert Delivery.objects.get().status == Status.FAILED


def test_long_lists_fit_the_robots_limit() -> None:
    lines = [f"- 第{n}项:" + "很长的说明" * 20 for n in range(200)]
    text = webhooks.fit(lines, 4000, "…… 另有 %(n)s 项")
    assert len(text.encode()) <= 4000
    assert text.endswith("项") and "另有" in text
    assert webhooks.fit(lines[:2], 4000, "…… 另有 %(n)s 项") == "\n".join(lines[:2])


def test_only_an_organisations_admin_manages_its_robots(people: dict[str, User]) -> None:
    from parklink.core.errors import Forbidden, Invalid

    with pytest.raises(Forbidden):
        services.add_webhook(
            people["amy"], name="x", kind="wecom", url="https://qyapi.weixin.qq.com/x"
        )
    with pytest.raises(Invalid):
        services.add_webhook(people["admin"], name="x", kind="wecom", url="file:///etc/passwd")
    with pytest.raises(Invalid):
        services.add_webhook(
            people["admin"], name="x", kind="wecom", url="https://q.example/x", secret="SEC1"
        )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/admin/",
        "http://localhost/x",
        "http://[::1]/x",
        "http://169.254.169.254/latest/meta-data/",
        "https://10.1.2.3/send",
        "https://192.168.0.8/send",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/x",
    ],
)
def test_a_robot_address_may_not_point_into_the_servers_network(
    people: dict[str, User], url: str
) -> None:
    from parklink.core.errors import Invalid

    with pytest.raises(Invalid) as refused:
        services.add_webhook(people["admin"], name="x", kind="wecom", url=url)
    assert "内网" in str(refused.value)
    with pytest.raises(webhooks.DeliveryFailed, match="internal"):
        webhooks.post(url, {"msgtype": "text"}, 1)


def test_a_host_name_is_judged_by_the_addresses_it_resolves_to() -> None:
    def resolver(addresses: list[str]) -> Any:
        return lambda host: addresses

    webhooks.check_destination("https://qyapi.weixin.qq.com/x", resolve=resolver(["101.91.1.2"]))
    for inside in (["10.0.0.7"], ["101.91.1.2", "127.0.0.1"], ["fd00::1"], []):
        with pytest.raises(webhooks.DeliveryFailed):
            webhooks.check_destination("https://robot.example/x", resolve=resolver(inside))
    # An operator may allow one intranet gateway by name; it is then not resolved at all.
    webhooks.check_destination(
        "http://robot.intranet/x", allowed=["robot.intranet"], resolve=resolver(["10.0.0.7"])
    )


def test_a_robot_that_redirects_is_not_followed(
    source: Source, people: dict[str, User], robot: Robot
) -> None:
    robot.status, robot.location = 302, "http://169.254.169.254/latest/meta-data/"
    add(people, robot, "wecom")
    source.items = [{"key": 1, "to": [], "org": people["amy"].organization_id}]
    assert services.send_daily(DAY).robots_failed == 1
    assert "302" in Delivery.objects.get().error
    assert len(robot.received) == 1
