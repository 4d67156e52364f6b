"""The grouped navigation in a real browser: menus by mouse and keyboard, the phone menu, axe."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from parklink.accounts.models import User
from tests.browser.test_every_page import AXE, AXE_RUN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUP = ".pl-nav__group[data-nav-group='{}']"


@pytest.fixture
def phone(browser: Any, server: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        base_url=server.url,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings in the header (the rest of each page is the
    every-page test's), with the same rules."""
    page.add_script_tag(path=str(AXE))
    return list(page.evaluate(AXE_RUN.replace("axe.run(document,", "axe.run('header.pl-nav',")))


def _open_menu_count(page: Any) -> int:
    return int(page.locator(".pl-nav__group > details[open]").count())


class TestDesktop:
    def test_menus_open_by_keyboard_one_at_a_time_and_close_with_escape(
        self, page: Any, live_server: Any, login: Callable[..., Any], users: dict[str, User]
    ) -> None:
        page.set_default_timeout(30_000)  # a busy machine
        login(page, users["jinniu"])
        page.goto(f"{live_server.url}/projects/map/")
        assert page.locator(".pl-nav__toggle").is_hidden()  # wide enough: no 菜单 button
        projects = page.locator(GROUP.format("projects"))
        assert "is-active" in (projects.get_attribute("class") or "")
        menu = projects.locator(".pl-nav__menu")
        assert menu.is_hidden()
        summary = projects.locator("summary")
        summary.focus()
        page.keyboard.press("Enter")
        assert menu.is_visible()
        current = menu.locator("a[aria-current=page]")
        assert current.inner_text() == "地图"
        # Tab walks into the open menu's links.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('.pl-nav__menu') !== null")
        # Escape closes it and gives the focus back to its summary.
        page.keyboard.press("Escape")
        assert menu.is_hidden()
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
        # Opening a second menu closes the first.
        page.keyboard.press("Space")
        assert _open_menu_count(page) == 1
        page.locator(GROUP.format("parks") + " summary").click()
        assert _open_menu_count(page) == 1
        assert page.locator(GROUP.format("parks") + " .pl-nav__menu").is_visible()
        # A click elsewhere closes it; the menu's links lead to their pages.
        page.locator("main").click()
        assert _open_menu_count(page) == 0
        page.locator(GROUP.format("parks") + " summary").click()
        with page.expect_navigation():
            page.locator(GROUP.format("parks") + " a[data-nav-item=chains]").click()
        assert "/chains/" in page.url
        assert "is-active" in (page.locator(GROUP.format("parks")).get_attribute("class") or "")

    def test_the_bar_fits_and_an_open_menu_passes_axe(
        self, page: Any, live_server: Any, login: Callable[..., Any], users: dict[str, User]
    ) -> None:
        page.set_default_timeout(30_000)
        login(page, users["jinniu"])
        for width in (1440, 1280, 1101):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}/")
            bar = page.locator(".pl-nav").bounding_box()
            assert bar["height"] <= 60, width  # one row: nothing wraps or scrolls
            assert page.evaluate("document.scrollingElement.scrollWidth") <= width
            user = page.locator(".pl-nav__user").bounding_box()
            assert user["x"] + user["width"] <= width
        page.locator(GROUP.format("projects") + " summary").click()
        menu = page.locator(GROUP.format("projects") + " .pl-nav__menu").bounding_box()
        assert menu["height"] > 0 and menu["y"] >= 40  # below the bar, not clipped inside it
        results = serious_violations(page)
        assert not results, json.dumps(results, ensure_ascii=False, indent=1)


class TestPhone:
    def test_the_menu_button_folds_the_navigation_at_390_px(
        self, phone: Any, live_server: Any, login: Callable[..., Any], users: dict[str, User]
    ) -> None:
        login(phone, users["jinniu"])
        phone.goto(f"{live_server.url}/projects/map/")
        toggle = phone.locator(".pl-nav__toggle")
        nav = phone.locator("#pl-nav-links")
        assert toggle.is_visible() and nav.is_hidden()
        assert toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert nav.is_visible()
        assert phone.evaluate("document.scrollingElement.scrollWidth") <= 390
        # The groups are sections of the list: opening one shows its links in the flow.
        projects = phone.locator(GROUP.format("projects"))
        projects.locator("summary").click()
        link = projects.locator("a[data-nav-item=map]")
        assert link.is_visible() and link.get_attribute("aria-current") == "page"
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        parks = phone.locator(GROUP.format("parks"))
        parks.locator("summary").click()
        assert _open_menu_count(phone) == 2  # sections stay open together on a phone
        results = serious_violations(phone)
        assert not results, json.dumps(results, ensure_ascii=False, indent=1)
        # Escape folds the menu back and returns to the button.
        phone.keyboard.press("Escape")
        phone.keyboard.press("Escape")
        assert nav.is_hidden()
        assert toggle.get_attribute("aria-expanded") == "false"
