"""The dashboard's monthly bars in a real browser: hovering this month's bar, whose sum holds a
lead accepted as 超11亿元, shows 超14亿元 in the tooltip; the month before, with an estimate,
shows 约2亿元."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.support import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YI = Decimal(100_000_000)

# Moves the mouse's target onto a bar: the pixel of (month index, value) in the chart.
BAR_PIXEL = """
([index, value]) => {
  const element = document.querySelector('.pl-chart[data-options="chart-monthly"]');
  const chart = window.echarts.getInstanceByDom(element);
  const [x, y] = chart.convertToPixel({seriesIndex: 0}, [index, value / 2]);
  const box = element.getBoundingClientRect();
  return [box.left + x, box.top + y];
}
"""


def _hover(page: Any, months: list[str], bars: list[dict[str, Any]], month: str) -> str:
    index = months.index(month)
    x, y = page.evaluate(BAR_PIXEL, [index, bars[index]["value"]])
    page.mouse.move(x, y)
    chart = page.locator('.pl-chart[data-options="chart-monthly"]')
    page.wait_for_function(
        "(month) => document.querySelector('.pl-chart[data-options=\"chart-monthly\"]')"
        ".innerText.includes(month)",
        arg=month,
    )
    return str(chart.inner_text())


def test_hovering_a_month_shows_its_qualified_sum(
    page: Any, live_server: Any, login: Callable[..., Any]
) -> None:
    orgs = factories.nested_organizations()
    officer = factories.user("bars_officer", orgs["zhangye"])
    today = timezone.localdate()
    factories.project(
        officer,
        "龙源碳中和产业基地",
        on=today,
        total_investment=11 * YI,
        total_investment_qualifier="at_least",
    )
    factories.project(officer, "黑河水电硅系新材料项目", on=today, total_investment=3 * YI)
    earlier = today.replace(day=1) - timedelta(days=1)
    factories.project(
        officer,
        "张掖数据中心项目",
        on=earlier,
        total_investment=2 * YI,
        total_investment_qualifier="about",
    )
    login(page, officer)
    page.goto(f"{live_server.url}/")
    chart = page.locator('.pl-chart[data-options="chart-monthly"]')
    chart.scroll_into_view_if_needed()
    page.wait_for_selector('.pl-chart[data-options="chart-monthly"][data-rendered="true"]')
    options = page.evaluate("JSON.parse(document.getElementById('chart-monthly').textContent)")
    months, bars = options["xAxis"]["data"], options["series"][0]["data"]

    now = f"{today.year}.{today.month:02d}"
    text = _hover(page, months, bars, now)
    assert "超14亿元" in text, text
    before = f"{earlier.year}.{earlier.month:02d}"
    text = _hover(page, months, bars, before)
    assert "约2亿元" in text and "超14亿元" not in text, text
