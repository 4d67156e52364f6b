"""The dashboard's ageing chart in English: every category is labelled, on a desktop and a phone.

English labels are longer than Chinese ones ("Propose removal" for 建议出库); ECharts hides a
category label that would touch its neighbour, so two of the five once went missing.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

import pytest

from parklink.accounts.models import User
from parklink.core.money import YI
from tests.browser.test_every_page import AXIS_LABELS
from tests.support import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CATEGORIES = ["Green", "Yellow", "Red", "Propose removal", "Stalled"]
AGEING_READY = """() => document.querySelector('[data-options=chart-ageing]')
  .getAttribute('data-rendered') === 'true'"""


def _labels(page: Any) -> list[str]:
    """The ageing chart's category labels as drawn (a wrapped label's lines joined)."""
    for axis in page.evaluate(AXIS_LABELS):
        if axis["chart"] == "chart-ageing":
            return [" ".join(box["text"].split()) for box in axis["labels"]]
    raise AssertionError("no ageing chart")


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return min(a["x"] + a["width"], b["x"] + b["width"]) > max(a["x"], b["x"]) and min(
        a["y"] + a["height"], b["y"] + b["height"]
    ) > max(a["y"], b["y"])


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1440, "height": 900}, {"width": 390, "height": 844}],
    ids=["desktop", "phone"],
)
def test_every_ageing_category_is_labelled_in_english(
    browser: Any,
    live_server: Any,
    login: Callable[..., Any],
    users: dict[str, User],
    viewport: dict[str, int],
) -> None:
    for number in range(3):
        factories.project(users["jinniu"], f"测试项目{number}", total_investment=(number + 1) * YI)
    context = browser.new_context(locale="en-US", viewport=viewport, base_url=live_server.url)
    context.set_default_timeout(30_000)  # the home page with its six charts on a busy machine
    try:
        page = context.new_page()
        login(page, users["jinniu"])
        page.goto(f"{live_server.url}/")
        assert page.locator("html").get_attribute("lang") == "en"
        page.locator("[data-options=chart-ageing]").scroll_into_view_if_needed()
        page.wait_for_function(AGEING_READY)
        assert _labels(page) == CATEGORIES
        boxes = next(
            a["labels"] for a in page.evaluate(AXIS_LABELS) if a["chart"] == "chart-ageing"
        )
        for left, right in pairwise(boxes):
            assert not _overlap(left, right), (left, right)
    finally:
        context.close()
