"""The reminders tests' world: a throwaway reminder source whose items the test sets, users
with email addresses, and a group robot server on loopback that records what it receives."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import translation

from parklink.accounts.models import Organization, Role, User
from parklink.core.registry import DueItem, ReminderSource, registry
from tests.support import factories

KIND = "test-overdue"


@dataclass
class Source:
    """The items the throwaway source reports; each title carries the language it was worded
    in, as a real source's gettext would."""

    items: list[dict[str, Any]] = field(default_factory=list)
    days: list[date] = field(default_factory=list)

    def collect(self, today: date) -> Iterator[DueItem]:
        self.days.append(today)
        language = translation.get_language()
        for spec in self.items:
            yield DueItem(
                kind=spec.get("kind", KIND),
                key=str(spec["key"]),
                title=f"[{language}] {spec.get('title', '事项' + str(spec['key']))}",
                reason=spec.get("reason", "逾期3天"),
                url=f"/projects/{spec['key']}/",
                due=spec.get("due"),
                severity=spec.get("severity", "warning"),
                responsible=tuple(spec.get("to", ())),
                organization_id=spec.get("org"),
            )


@pytest.fixture
def source() -> Iterator[Source]:
    made = Source()
    registry.reminders.add(ReminderSource(KIND, "测试逾期事项", made.collect, order=999))
    registry.reminders.add(ReminderSource("test-other", "测试其他事项", lambda day: [], order=998))
    yield made
    registry.reminders.remove(KIND)
    registry.reminders.remove("test-other")


@pytest.fixture
def people(orgs: dict[str, Organization]) -> dict[str, User]:
    return {
        "amy": factories.user("amy", orgs["jinniu"], email="amy@example.org"),
        "bo": factories.user("bo", orgs["jinniu"], email="bo@example.org"),
        "admin": factories.user("jinniu_admin", orgs["jinniu"], role=Role.ADMIN),
        "other": factories.user("other", orgs["dege"], email="other@example.org"),
    }


@dataclass
class Robot:
    """A group robot on loopback: records each POST (path with query, JSON body)."""

    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    answer: dict[str, Any] = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    status: int = 200
    location: str = ""


@pytest.fixture
def robot(settings: Any) -> Iterator[Robot]:
    """The robot listens on loopback, which robot addresses may reach only when allowed."""
    settings.PARKLINK_WEBHOOK_INTERNAL_HOSTS = ["127.0.0.1"]
    state: dict[str, Robot] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length).decode())
            current = state["robot"]
            current.received.append({"path": self.path, "body": body})
            data = json.dumps(current.answer).encode()
            self.send_response(current.status)
            self.send_header("Content-Type", "application/json")
            if current.location:
                self.send_header("Location", current.location)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["robot"] = Robot(f"http://127.0.0.1:{server.server_address[1]}/send?key=abc")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state["robot"]
    server.shutdown()
    server.server_close()
    thread.join(5)
