"""Browser fixtures: one Debian Chromium per session, a fresh zh-CN page per test, login, a world.

Playwright's sync API runs an event loop in the test thread, so Django's async-safety check is
relaxed for these tests only (they call the ORM from the same thread, never concurrently).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
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
    from_demo: bool = False


@pytest.fixture
def demo_world(transactional_db: Any) -> World:
    """The demo data set when parklink.core.demo exists, else a small world built here."""
    try:
        from parklink.core import demo
    except ImportError:
        return _small_world()
    demo.load_demo()
    return _demo_world()


def _demo_world() -> World:
    from parklink.core.demo import DEMO_PASSWORD
    from parklink.parks.models import Park
    from parklink.projects.models import Project

    world = World(from_demo=True, password=DEMO_PASSWORD)
    for user in User.objects.select_related("organization"):
        world.users[user.username] = user
        if user.organization is not None:
            world.orgs[user.username] = user.organization
    world.projects = {p.name: p for p in Project.objects.all()}
    world.parks = {p.name: p for p in Park.objects.all()}
    return world


def _small_world() -> World:
    """Three organisations, two parks, an enterprise and projects at several stages."""
    from parklink.enterprises import services as enterprise_services
    from parklink.parks import services as park_services
    from parklink.projects import services as project_services
    from parklink.projects.queries import today
    from parklink.regions.models import Region

    world = World()
    for key, name, adcode, kind in (
        ("city", "成都市投资促进局", "510100", "investment_bureau"),
        ("jinniu", "金牛区投资促进局", "510106", "investment_bureau"),
        ("dege", "德格县人民政府", "513330", "government"),
    ):
        org = Organization.objects.create(
            name=name, kind=kind, region=Region.objects.get(adcode=adcode)
        )
        world.orgs[key] = org
        world.users[key] = User.objects.create_user(
            username=f"{key}_officer",
            password="pw-browser",
            organization=org,
            role="officer",
            display_name=f"{name}专员",
        )
    jinniu, dege = world.users["jinniu"], world.users["dege"]
    world.parks["jinniu"] = park_services.create_park(
        jinniu,
        name="金牛高新技术产业园区",
        short_name="金牛高新",
        kind="industrial_park",
        region=Region.objects.get(adcode="510106"),
    )
    world.parks["gaode"] = park_services.create_park(
        dege, name="高德产业园", kind="cobuilt_park", region=Region.objects.get(adcode="513330")
    )
    investor = enterprise_services.create_enterprise(
        jinniu, name="成都高新发展股份有限公司", region_id="510106"
    )
    on = today()
    specs = (
        ("智能制造产业基地", jinniu, "jinniu", "signed", "高端装备", Decimal("1200000000"), 200),
        ("工业互联网平台", jinniu, "jinniu", "negotiating", "数字经济", Decimal("300000000"), 20),
        ("新材料研发中心", jinniu, "jinniu", "started", "新材料", Decimal("500000000"), 400),
        ("保密线索项目", jinniu, "jinniu", "lead", "数字经济", Decimal("80000000"), 10),
        ("光伏及配套储能项目", dege, "gaode", "signed", "清洁能源", Decimal("1050000000"), 90),
        ("马麝养殖项目", dege, "gaode", "approvals", "有机农牧", Decimal("60000000"), 150),
    )
    for name, user, park, stage, sector, total, days_ago in specs:
        project = project_services.create_project(
            user,
            name=name,
            park=world.parks[park],
            region=world.parks[park].region,
            investor=investor if user == jinniu else None,
            sector=sector,
            total_investment=total,
            phase_investment=total / 2,
            jobs=300,
            maturity="B",
            responsible_leader="王主任",
            leader_user=user,
            task_force="项目推进专班",
            mechanism="周调度、月通报",
            stage=stage,
            stage_date=on - timedelta(days=days_ago),
        )
        world.projects[name] = project
    started = world.projects["新材料研发中心"]
    project_services.add_milestone(jinniu, started, "主体结构封顶", on - timedelta(days=20))
    project_services.add_funds(jinniu, started, on - timedelta(days=300), Decimal("100000000"))
    project_services.add_funds(jinniu, started, on - timedelta(days=100), Decimal("150000000"))
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
