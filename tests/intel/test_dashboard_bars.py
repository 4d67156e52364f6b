"""The dashboard's monthly signed-investment bars keep the qualifier of each month's sum.

A month whose sum holds a lower bound (an article's 10亿元以上, accepted from the queue) reads
超X亿元 in its bar's tooltip, one holding an estimate 约X亿元, an exact one X亿元: the chart's
options carry that text per bar (`valueTexts`), which web/charts.js makes the bars' tooltip
figure (the browser test hovers a bar: tests/browser/test_intel_dashboard_bars.py).
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parklink.accounts.models import User
from parklink.projects.amounts import Qualifier
from parklink.projects.dashboard_charts import Bucket, month_text, monthly_series
from tests.support import factories

YI = Decimal(100_000_000)

pytestmark = pytest.mark.django_db


def _monthly(user: User, language: str = "zh-hans") -> dict[str, Any]:
    client = Client()
    client.force_login(user)
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    match = re.search(r'<script id="chart-monthly" type="application/json">(.*?)</script>', html)
    assert match
    return dict(json.loads(match.group(1)))


def test_each_bar_says_its_sum_as_qualified_as_its_figures() -> None:
    buckets = [
        Bucket("2025-01", "2025.01", 2, 14 * YI, qualifier=Qualifier.AT_LEAST),
        Bucket("2025-02", "2025.02", 1, Decimal("250000000"), qualifier=Qualifier.ABOUT),
        Bucket("2025-03", "2025.03", 1, Decimal("1234567890000")),
        Bucket("2025-04", "2025.04", 0, Decimal(0)),
    ]
    bars = monthly_series(buckets)[0]
    assert bars["type"] == "bar"
    assert bars["valueTexts"] == ["超14亿元", "约2.5亿元", "12,345.68亿元", "0亿元"]
    assert [item["value"] for item in bars["data"]] == [14.0, 2.5, 12345.68, 0.0]
    assert month_text(buckets[0]) == "超14亿元"


def test_the_dashboard_month_with_a_lower_bound_reads_over(
    users: dict[str, User], today: date
) -> None:
    zhangye = users["zhangye"]
    factories.project(
        zhangye,
        "龙源碳中和产业基地",
        on=today,
        total_investment=11 * YI,
        total_investment_qualifier="at_least",
    )
    factories.project(zhangye, "黑河水电硅系新材料项目", on=today, total_investment=3 * YI)
    earlier = today.replace(day=1) - timedelta(days=1)  # the month before
    factories.project(
        zhangye,
        "张掖数据中心项目",
        on=earlier,
        total_investment=2 * YI,
        total_investment_qualifier="about",
    )
    monthly = _monthly(zhangye)
    now, before = f"{today.year}.{today.month:02d}", f"{earlier.year}.{earlier.month:02d}"
    texts = dict(zip(monthly["xAxis"]["data"], monthly["series"][0]["valueTexts"], strict=True))
    assert texts[now] == "超14亿元"
    assert texts[before] == "约2亿元"
    assert {text for month, text in texts.items() if month not in {now, before}} == {"0亿元"}
    # Another organisation (a county elsewhere) sees neither month's sum.
    dege = _monthly(users["dege"])
    assert set(dege["series"][0]["valueTexts"]) == {"0亿元"}
