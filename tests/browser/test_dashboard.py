"""The dashboard in a real browser: log in through the form, charts draw, a screenshot is kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Count

from parklink.accounts.models import User
from parklink.projects.queries import visible_projects
from parklink.projects.services import attention_list
from tests.browser.conftest import DemoReader, World

# Readers of the shared demo set: not marked django_db (demo_world opens the database).
pytestmark = [pytest.mark.browser]

# Counts, per chart, the pixels that are neither transparent nor (near) white.
COLOURED_PIXELS = """
() => Array.from(document.querySelectorAll('.pl-chart')).map((chart) => {
  const canvas = chart.querySelector('canvas');
  if (!canvas || !canvas.width) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let coloured = 0;
  for (let i = 0; i < data.length; i += 4) {
    const white = data[i] > 240 && data[i + 1] > 240 && data[i + 2] > 240;
    if (data[i + 3] > 0 && !white) coloured += 1;
  }
  return coloured;
})
"""


def busiest_officer(world: World) -> User:
    """The officer whose dashboard shows the most: stages in play, then projects to watch."""
    officers = (
        User.objects.filter(organization__isnull=False, is_superuser=False)
        .annotate(owned=Count("organization__projects"))
        .filter(owned__gt=0)
    )

    def richness(user: User) -> tuple[int, int]:
        stages = visible_projects(user).values("stage").distinct().count()
        return stages, attention_list(user).count()

    return max(officers, key=richness)


class TestDashboard(DemoReader):
    def test_logging_in_shows_the_dashboard_with_drawn_charts(
        self,
        page: Any,
        server: Any,
        login: Callable[..., None],
        demo_world: World,
        screenshot_dir: Path,
    ) -> None:
        officer = busiest_officer(demo_world)
        login(page, officer, password=demo_world.password)
        assert page.url == f"{server.url}/"
        assert page.locator("h1").inner_text() == "招商工作台"
        charts = page.locator(".pl-chart")
        assert charts.count() == 5
        page.locator('.pl-chart[data-rendered="true"]').nth(4).wait_for()
        assert all(n > 200 for n in page.evaluate(COLOURED_PIXELS))
        assert page.locator("#attention li").count() == min(10, attention_list(officer).count())
        page.screenshot(path=str(screenshot_dir / "dashboard.png"), full_page=True)

    def test_wrong_password_stays_on_the_login_page_with_a_message(
        self,
        page: Any,
        server: Any,
        login: Callable[..., None],
        demo_world: World,
    ) -> None:
        officer = busiest_officer(demo_world)
        login(page, officer, password="not-the-password")
        assert "/login/" in page.url
        assert page.locator(".pl-form-errors").is_visible()

    def test_clicking_a_funnel_band_opens_the_list_filtered_by_that_stage(
        self,
        page: Any,
        server: Any,
        login: Callable[..., None],
        demo_world: World,
    ) -> None:
        login(page, busiest_officer(demo_world))
        page.goto(f"{server.url}/")
        funnel = page.locator('.pl-chart[data-options="chart-funnel"]')
        page.wait_for_function(f"({COLOURED_PIXELS})()[0] > 200")
        # Cards above it (reminders, problems) may push it below the fold: the mouse clicks
        # in the viewport's coordinates.
        funnel.scroll_into_view_if_needed()
        box = funnel.bounding_box()
        options = page.evaluate("JSON.parse(document.getElementById('chart-funnel').textContent)")
        series = options["series"][0]
        bands = len(series["data"])
        # The bands share the height between the series' top and bottom margins, in order.
        band = (box["height"] - series["top"] - series["bottom"]) / bands
        third = series["data"][2]
        with page.expect_navigation():
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + series["top"] + band * 2.5)
        assert page.url == server.url + third["url"]
        stage = third["url"].rsplit("=", 1)[1]
        assert page.locator(f'input[name=stage][value="{stage}"]').is_checked()
