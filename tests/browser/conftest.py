"""Browser fixtures: one Debian Chromium per session, a fresh zh-CN page per test, login, a world.

Two kinds of browser test:

- Tests that write (and tests with their own small world) are marked
  `django_db(transaction=True)` and talk to pytest-django's `live_server`; every table is
  flushed after each of them.
- Tests that only read the demo set inherit `DemoReader`: their `server` is a second live
  server over the demo set, loaded once per session and never flushed. They are not marked
  `django_db` (so pytest-django runs them after the transactional ones and does not flush);
  `demo_world` opens the database for them. They must not change the demo set: a test that
  changes it uses `fresh_demo_world` (its own copy, loaded for that test) instead.

Playwright's sync API runs an event loop in the test thread, so Django's async-safety check is
relaxed for these tests only (they call the ORM from the same thread, never concurrently).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from parklink.accounts.models import Organization, User
from tests.support import reference

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("PARKLINK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless; a missing browser fails the run (never a skip)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
            "(`make browser-deps`) to run the browser tests.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def server(live_server: Any) -> Any:
    """The live server the test's page talks to (`DemoReader` tests get the demo server)."""
    return live_server


@pytest.fixture
def page(browser: Any, server: Any) -> Iterator[Any]:
    """A new page in a fresh context (own cookies), Chinese locale, 1440 px wide."""
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORT, base_url=server.url)
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def login(server: Any) -> Callable[..., None]:
    """login(page, user): give the page a logged-in session (no password needed).

    login(page, user, password="…") types the credentials into the login form instead.
    """

    def log_in(page: Any, user: User, password: str | None = None) -> None:
        if password is not None:
            page.goto(f"{server.url}/login/")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", password)
            with page.expect_navigation():
                page.click("#login-form button[type=submit]")
            return
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": server.url}]
        )

    return log_in


@dataclass
class World:
    """What a browser test needs to find its way around the data it runs against."""

    users: dict[str, User] = field(default_factory=dict)
    orgs: dict[str, Organization] = field(default_factory=dict)
    projects: dict[str, Any] = field(default_factory=dict)
    parks: dict[str, Any] = field(default_factory=dict)
    password: str = "pw-browser"  # every user of the world has it


def _on_test_database() -> bool:
    from django.db import connection

    return bool(connection.settings_dict["NAME"] == connection.creation._get_test_db_name())


@pytest.fixture(scope="session")
def _demo_database(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The test database for the demo readers, never the developer's.

    pytest-django creates only the databases that tests marked `django_db` (or using `db`,
    `transactional_db`, `live_server`) declare. Readers are unmarked, so a run of readers
    alone declares none: then the test database is set up (and destroyed) here.
    """
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        if _on_test_database():
            yield
            return
        created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        assert _on_test_database()
    yield
    with django_db_blocker.unblock():
        teardown_databases(created, verbosity=0)


@pytest.fixture(scope="session")
def demo_server(_demo_database: None, django_db_blocker: Any) -> Iterator[Any]:
    """A live server over the shared demo set, for `DemoReader` tests; one per session."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        started = LiveServer("localhost")  # a free port, like pytest-django's live_server
    started._live_server_modified_settings.enable()
    yield started
    started._live_server_modified_settings.disable()
    started.stop()


@pytest.fixture(scope="session")
def _shared_demo(_demo_database: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo set, committed once for the session's readers and emptied again at the end."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        _load_shared_demo()
        yield
        assert _on_test_database(), "refusing to flush a database that is not the test one"
        call_command("flush", interactive=False, verbosity=0)
        reference.remember()
        reference.restore()


def _load_shared_demo() -> None:
    from parklink.core.demo import load_demo
    from parklink.projects.models import Project

    if not Project.objects.exists():  # first use, or a transactional test flushed it
        reference.remember()
        reference.restore()
        load_demo()


@pytest.fixture
def demo_world(_shared_demo: None, django_db_blocker: Any) -> Iterator[World]:
    """The shared demo set, read only: the test may query it but must not change it."""
    with django_db_blocker.unblock():
        _load_shared_demo()
        yield _demo_world()


@pytest.fixture
def fresh_demo_world(transactional_db: Any) -> World:
    """A copy of the demo set for a test that changes it (marked transactional: flushed after)."""
    from parklink.core.demo import load_demo

    load_demo()
    return _demo_world()


class DemoReader:
    """Base of test classes that only read the demo set: their pages talk to the demo server."""

    @pytest.fixture
    def server(self, demo_server: Any, demo_world: World) -> Any:
        return demo_server


def _demo_world() -> World:
    from parklink.core.demo import DEMO_PASSWORD
    from parklink.parks.models import Park
    from parklink.projects.models import Project

    world = World(password=DEMO_PASSWORD)
    for user in User.objects.select_related("organization"):
        world.users[user.username] = user
        if user.organization is not None:
            world.orgs[user.username] = user.organization
    world.projects = {p.name: p for p in Project.objects.all()}
    world.parks = {p.name: p for p in Park.objects.all()}
    return world


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """Where screenshots go: docs/screenshots with `make screenshots`, else a temporary folder.

    Every run takes them (and the tests check them), but only `make screenshots`
    (PARKLINK_SCREENSHOTS=1) replaces the committed pictures, so a test run leaves the tree clean.
    """
    if os.environ.get("PARKLINK_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path
