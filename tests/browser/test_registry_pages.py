"""Park pages in a real browser: the hierarchy tree and linkage graph draw and click through."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from parklink.accounts.models import Organization, User
from parklink.parks.models import Park, ParkIndustry
from tests.browser.conftest import DemoReader
from tests.support import factories

pytestmark = [pytest.mark.browser]

# Counts the canvas pixels an ECharts chart has painted (anything not fully transparent).
PAINTED = """(selector) => {
  const canvas = document.querySelector(selector + ' canvas');
  if (!canvas) return -1;
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
  return painted;
}"""

# Where, in page coordinates, a chart has drawn the node named `name`.
NODE_AT = """([selector, name]) => {
  const element = document.querySelector(selector);
  const chart = echarts.getInstanceByDom(element);
  const data = chart.getModel().getSeriesByIndex(0).getData();
  for (let i = 0; i < data.count(); i++) {
    if (data.getName(i) !== name) continue;
    const shape = data.getItemGraphicEl(i);
    const [x, y] = shape.transformCoordToGlobal(0, 0);
    const box = element.getBoundingClientRect();
    return [box.left + window.scrollX + x, box.top + window.scrollY + y];
  }
  return null;
}"""


def _gaode_family() -> dict[str, Park]:
    """高德产业园 with two of its 一区四园 and the 三园联动, from article 000's figures."""
    committee = factories.organization("成都高新区管委会(测试)", "510100", kind="park_committee")
    dege = factories.organization("德格县人民政府(测试)", "513330", kind="government")
    gaode = factories.park(
        committee,
        "成都高新区—德格县共建产业园区(测试)",
        "510100",
        kind="cobuilt_park",
        short_name="高德产业园(测试)",
        carrier_built_m2=Decimal("745000"),
    )
    future = factories.park(committee, "成都未来科技城(测试)", "510100", parent=gaode)
    bio = factories.park(committee, "成都天府国际生物城(测试)", "510116", parent=gaode)
    ganmei = factories.park(dege, "甘眉工业园(测试)", "511400")
    manigange = factories.park(dege, "马尼干戈产业园(测试)", "513330")
    ParkIndustry.objects.create(park=future, name="新能源")
    factories.linkage(
        committee,
        "三园联动(测试)",
        [
            (gaode, "rnd_incubation"),
            (ganmei, "supporting_manufacturing"),
            (manigange, "local_landing"),
        ],
    )
    return {"gaode": gaode, "future": future, "bio": bio, "ganmei": ganmei, "manigange": manigange}


def _reader() -> User:
    org = Organization.objects.filter(parks__isnull=False).order_by("pk").first()
    return User.objects.create_user(
        username="park_reader", password="pw-browser", organization=org, role="viewer"
    )


def _wait_for_charts(page: Any) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.pl-chart')].every(el => el.classList.contains("
        "'is-ready'))"
    )
    page.wait_for_timeout(700)  # let the entry animations finish painting


@pytest.mark.django_db(transaction=True)
class TestParkDetailInTheBrowser:
    def test_tree_and_linkage_graph_draw_and_a_sub_park_opens_on_click(
        self, page: Any, live_server: Any, login: Callable[..., Any], transactional_db: Any
    ) -> None:
        parks = _gaode_family()
        login(page, _reader())
        page.goto(f"{live_server.url}/parks/{parks['bio'].pk}/")
        _wait_for_charts(page)
        # The sub-park's page: its parent link, and the whole family drawn as a tree.
        assert page.locator("#parent-link").inner_text() == "高德产业园(测试)"
        assert page.evaluate(PAINTED, "#tree-chart") > 500

        page.goto(f"{live_server.url}/parks/{parks['gaode'].pk}/")
        _wait_for_charts(page)
        assert page.evaluate(PAINTED, "#tree-chart") > 500
        assert page.evaluate(PAINTED, "#linkage-chart") > 500
        assert "研发孵化" in page.inner_text("#linkages")

        x, y = page.evaluate(NODE_AT, ["#tree-chart", "成都未来科技城(测试)"])
        with page.expect_navigation():
            page.mouse.click(x, y)
        assert page.url == f"{live_server.url}/parks/{parks['future'].pk}/"
        assert "成都未来科技城(测试)" in page.inner_text("h1")

    def test_a_linked_park_opens_from_the_graph(
        self, page: Any, live_server: Any, login: Callable[..., Any], transactional_db: Any
    ) -> None:
        parks = _gaode_family()
        login(page, _reader())
        page.goto(f"{live_server.url}/parks/{parks['ganmei'].pk}/")
        _wait_for_charts(page)
        x, y = page.evaluate(NODE_AT, ["#linkage-chart", "马尼干戈产业园(测试)"])
        with page.expect_navigation():
            page.mouse.click(x, y)
        assert page.url == f"{live_server.url}/parks/{parks['manigange'].pk}/"


class TestParkDetailScreenshot(DemoReader):
    def test_park_detail_screenshot_in_chinese(
        self,
        page: Any,
        server: Any,
        login: Callable[..., Any],
        demo_world: Any,
        screenshot_dir: Path,
    ) -> None:
        # 张掖经开区 (article 003) from the demo set, seen by its committee's officer.
        park = Park.objects.get(name="张掖经开区")
        owner = User.objects.filter(organization=park.owner, role="officer").first()
        assert owner is not None, "the demo set gives every organisation an officer"
        login(page, owner)
        page.goto(f"{server.url}/parks/{park.pk}/")
        _wait_for_charts(page)
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert page.evaluate(PAINTED, "#tree-chart") > 500
        assert park.name in page.inner_text("h1")
        page.screenshot(path=str(screenshot_dir / "park-detail.png"), full_page=True)
        assert (screenshot_dir / "park-detail.png").stat().st_size > 50_000
