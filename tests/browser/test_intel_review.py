"""Reviewing in a real browser: paste an article, open an item with its highlighted sentence,
correct the figure's qualifier and accept it; the lead appears in the library with its source."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from parklink.accounts.models import Organization, User
from parklink.intel.models import Item
from parklink.projects.models import Project
from parklink.regions.models import Region
from tests.intel.conftest import ARTICLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _officer() -> User:
    org = Organization.objects.create(
        name="张掖经开区管委会(浏览器测试)",
        kind="park_committee",
        region=Region.objects.get(adcode="620702"),
    )
    return User.objects.create_user(
        username="intel_reviewer", password="pw-browser", organization=org, role="officer"
    )


def test_paste_review_and_accept_an_item(
    page: Any, live_server: Any, login: Callable[..., Any]
) -> None:
    officer = _officer()
    login(page, officer)
    page.goto(f"{live_server.url}/intel/ingest/")
    page.fill("#paste-form textarea[name=text]", ARTICLE)
    page.fill("#paste-form input[name=title]", "张掖经开区重点项目集中签约")
    with page.expect_navigation():
        page.click("#paste-submit")
    assert "/intel/documents/" in page.url
    assert page.locator("#article mark.pl-evidence").count() >= 1

    item = Item.objects.get(name__contains="储能电池")
    page.click(f'tr[data-item="{item.pk}"] a')
    page.wait_for_url(f"**/intel/items/{item.pk}/")
    highlighted = page.locator("#article mark.pl-evidence").all_inner_texts()
    assert any("投资约3亿元" in text for text in highlighted)
    assert page.input_value("select[name=qualifier]") == "about"
    page.fill("input[name=adcode]", "620702")
    page.select_option("select[name=qualifier]", "at_least")
    page.fill("input[name=reason]", "核实原文:超3亿元")
    with page.expect_navigation():
        page.click("#item-accept")

    item.refresh_from_db()
    assert item.status == "accepted" and item.project_id is not None
    project = Project.objects.get(pk=item.project_id)
    assert project.owner_id == officer.organization_id
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    assert "超3亿元" in page.locator('[data-figure="total"]').inner_text()
    assert "投资约3亿元" in page.content()  # the article's sentence, cited as its source
