"""Browser fixtures: one Debian Chromium per session, a fresh zh-CN page per test, login, a world.

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


_REFERENCE: dict[str, list[Any]] = {}


def _reference_models() -> list[Any]:
    """Tables filled by data migrations (regions, project tags), in dependency order."""
    from parklink.projects.models import ProjectTag
    from parklink.regions.models import Region

    return [Region, ProjectTag]


@pytest.fixture(autouse=True)
def _reference_data_survives_flushes(request: pytest.FixtureRequest) -> None:
    """Transactional tests empty every table afterwards, reference data too: put it back.

    Regions and tags come from data migrations, so only the first live-server test of a run
    would have them otherwise.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    for model in _reference_models():
        label = model._meta.label
        if model.objects.exists():
            _REFERENCE.setdefault(label, list(model.objects.order_by("pk")))
        elif label in _REFERENCE:
            model.objects.bulk_create(_REFERENCE[label], batch_size=500)


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
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A new page in a fresh context (own cookies), Chinese locale, 1440 px wide."""
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def login(live_server: Any) -> Callable[..., None]:
    """login(page, user): give the page a logged-in session (no password needed).

    login(page, user, password="…") types the credentials into the login form instead.
    """

    def log_in(page: Any, user: User, password: str | None = None) -> None:
        if password is not None:
            page.goto(f"{live_server.url}/login/")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", password)
            with page.expect_navigation():
                page.click("#login-form button[type=submit]")
            return
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
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


@pytest.fixture
def demo_world(transactional_db: Any) -> World:
    """The demo data set, loaded as `parklink demo` loads it."""
    from parklink.core.demo import load_demo

    load_demo()
    return _demo_world()


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
