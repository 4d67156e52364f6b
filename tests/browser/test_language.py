"""Switching the interface language in a real browser, and back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from parklink.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class TestLanguageSwitcher:
    def test_switching_to_english_and_back_to_chinese(
        self, page: Any, live_server: Any, login: Callable[..., Any], users: dict[str, User]
    ) -> None:
        login(page, users["jinniu"])
        page.goto(f"{live_server.url}/search/")
        assert "请输入要查找的名称。" in page.inner_text("main")

        with page.expect_navigation():
            page.click("button[name=language][value=en]")
        assert page.url == f"{live_server.url}/search/"
        assert page.locator("html").get_attribute("lang") == "en"
        assert "Type a name to search for." in page.inner_text("main")
        assert "Log out" in page.inner_text("header")

        with page.expect_navigation():
            page.click("button[name=language][value=zh-hans]")
        assert page.url == f"{live_server.url}/search/"
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert "请输入要查找的名称。" in page.inner_text("main")
        assert "退出" in page.inner_text("header")
