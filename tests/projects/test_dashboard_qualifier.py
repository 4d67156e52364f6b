"""The dashboard's totals keep the figures' qualifier: a sum with a lower bound is a lower bound.

The signed-investment card, the library's total, the pipeline funnel, the sector ring and the
park bars read 超X亿元 (over ¥X) when one figure summed is 超/以上/逾, 约X亿元 when one is an
estimate and none a bound, and stay exact otherwise.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parklink.accounts.models import User
from parklink.core.money import YI
from parklink.projects.amounts import Qualifier, from_counts
from parklink.projects.dashboard_charts import Bucket, park_label
from tests.support import factories

pytestmark = pytest.mark.django_db


def _home(user: User, language: str = "zh-hans") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _stat(html: str, name: str) -> str:
    match = re.search(rf'data-stat="{name}">(.*?)</span>', html, re.S)
    assert match, name
    return match.group(1).strip()


def _chart(html: str, name: str) -> dict[str, Any]:
    match = re.search(
        rf'<script id="chart-{name}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, name
    return dict(json.loads(match.group(1)))


@pytest.fixture
def library(users: dict[str, User], today: date) -> dict[str, Any]:
    """张掖's projects: 11亿 at least and 3亿 exact signed this year, a 2亿 estimate in talks."""
    zhangye = users["zhangye"]
    assert zhangye.organization is not None
    park = factories.park(zhangye.organization, "张掖经开区")
    signed_on = date(today.year, 1, 1) if today.month > 1 else today
    days = (today - signed_on).days
    return {
        "bound": factories.project(
            zhangye,
            "龙源碳中和产业基地",
            days_ago=days,
            on=today,
            park=park,
            sector="新能源",
            total_investment=11 * YI,
            total_investment_qualifier="at_least",
        ),
        "exact": factories.project(
            zhangye,
            "黑河水电硅系新材料项目",
            days_ago=days,
            on=today,
            park=park,
            sector="新材料",
            total_investment=3 * YI,
        ),
        "about": factories.project(
            zhangye,
            "张掖数据中心项目",
            stage="negotiating",
            park=park,
            sector="数字经济",
            total_investment=2 * YI,
            total_investment_qualifier="about",
        ),
        "park": park,
    }


def test_a_sums_qualifier_from_its_counts() -> None:
    assert from_counts(1, 5) is Qualifier.AT_LEAST
    assert from_counts(0, 2) is Qualifier.ABOUT
    assert from_counts(0, 0) is Qualifier.EXACT
    assert from_counts(None, None) is Qualifier.EXACT


def test_the_signed_total_reads_over_when_it_includes_a_lower_bound(
    users: dict[str, User], library: dict[str, Any]
) -> None:
    html = _home(users["zhangye"])
    assert _stat(html, "signed").startswith("2<")
    assert _stat(html, "signed-amount") == "签约额 超14亿元"
    assert _stat(html, "active-amount") == "超16亿元"  # 11 at least + 3 + about 2: at least
    english = _home(users["zhangye"], "en")
    assert "over ¥1.4 bn" in _stat(english, "signed-amount")


def test_an_estimate_makes_the_total_approximate_and_exact_figures_stay_exact(
    users: dict[str, User], library: dict[str, Any]
) -> None:
    library["bound"].total_investment_qualifier = "exact"
    library["bound"].save(update_fields=["total_investment_qualifier"])
    html = _home(users["zhangye"])
    assert _stat(html, "signed-amount") == "签约额 14亿元"
    assert _stat(html, "active-amount") == "约16亿元"


def test_the_charts_carry_the_qualifier_of_each_sum(
    users: dict[str, User], library: dict[str, Any]
) -> None:
    html = _home(users["zhangye"])
    parks = _chart(html, "parks")["series"][0]["data"]
    assert [item["label"]["formatter"] for item in parks] == ["超16.00亿元 · 3个"]
    ring = {item["name"]: item for item in _chart(html, "sectors")["series"][0]["data"]}
    assert ring["新能源"]["tooltip"]["formatter"] == "{b}<br/>超{c}亿元({d}%)"
    assert ring["数字经济"]["tooltip"]["formatter"] == "{b}<br/>约{c}亿元({d}%)"
    assert "tooltip" not in ring["新材料"]  # exact: the ring's own tooltip
    funnel = {item["name"]: item for item in _chart(html, "funnel")["series"][0]["data"]}
    assert "总投资超14.00亿元" in funnel["签约"]["tooltip"]["formatter"]
    assert "总投资约2.00亿元" in funnel["在谈"]["tooltip"]["formatter"]
    assert "总投资0.00亿元" in funnel["开工"]["tooltip"]["formatter"]


def test_sectors_folded_into_others_keep_their_bound() -> None:
    from parklink.projects.dashboard_charts import sector_options

    buckets = [Bucket(f"s{i}", f"领域{i}", 1, (20 - i) * YI) for i in range(9)]
    buckets.append(Bucket("tail", "尾部", 1, YI, qualifier=Qualifier.AT_LEAST))
    data = sector_options(buckets, top=8)["series"][0]["data"]
    assert data[-1]["name"] == "其他"
    assert data[-1]["tooltip"]["formatter"] == "{b}<br/>超{c}亿元({d}%)"
    assert park_label(Bucket("p", "园", 2, YI, known=2, qualifier="about")) == "约1.00亿元 · 2个"
