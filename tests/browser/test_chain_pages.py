"""The chain map in a real browser: 张掖经开区's hydrogen chain from the demo, drawn by ECharts;
a click on a segment opens its enterprises and projects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from parklink.chains.models import ChainTemplate
from tests.browser.conftest import DemoReader, World

# Readers of the shared demo set: not marked django_db (demo_world opens the database).
pytestmark = [pytest.mark.browser]

# The page position of a graph node, from the chart's own coordinate conversion.
NODE_POSITION = """
(key) => {
  const element = document.getElementById('chain-map');
  const chart = echarts.getInstanceByDom(element);
  const node = chart.getOption().series[0].data.find((item) => item.id === key);
  const [x, y] = chart.convertToPixel({seriesIndex: 0}, node.value);
  const box = element.getBoundingClientRect();
  return [box.left + x, box.top + y];
}
"""


class TestChainMap(DemoReader):
    def test_clicking_a_segment_shows_its_enterprises(
        self,
        page: Any,
        server: Any,
        login: Callable[..., None],
        demo_world: World,
        screenshot_dir: Path,
    ) -> None:
        officer = demo_world.users["zhangye_etdz_committee"]
        park = demo_world.parks["张掖经开区"]
        hydrogen = ChainTemplate.objects.get(owner=None, key="hydrogen")
        login(page, officer, password=demo_world.password)
        page.goto(f"{server.url}/chains/map/?place=park:{park.pk}&chain={hydrogen.pk}")
        assert "张掖经开区 · 氢能" in page.locator("h1").inner_text()
        page.locator('#chain-map[data-rendered="true"]').wait_for()
        assert (
            page.locator('#segment-table tr[data-segment="production"]').get_attribute("data-label")
            == "weak"
        )
        x, y = page.evaluate(NODE_POSITION, "production")
        page.mouse.click(x, y)
        page.wait_for_url("**segment=production**")
        section = page.locator("#segment")
        assert section.get_attribute("data-segment") == "production"
        assert "中能绿电" in page.locator("#segment-enterprises").inner_text()
        assert page.locator("#segment-projects tr[data-project]").count() >= 1
        page.screenshot(path=str(screenshot_dir / "chain-map.png"), full_page=True)
