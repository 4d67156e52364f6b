"""The ledger, the brief and the map in a real browser, over the demo set (read only).

The ledger is downloaded from the project list and opened with openpyxl; the column choice
made on the picker page comes back on the next export; the brief opens as a PDF whose text
names the project; on a phone-sized screen the map draws its points, the page does not
scroll sideways, and a click on a point opens that record.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Count
from openpyxl import load_workbook
from pypdf import PdfReader

from parklink.accounts.models import User
from parklink.projects.models import Project
from parklink.projects.queries import ProjectFilters, apply_filters, visible_projects
from tests.browser.conftest import DemoReader, World

pytestmark = [pytest.mark.browser]
HEADER_ROW = 3


@pytest.fixture(autouse=True)
def patient(page: Any) -> None:
    """A first page of the demo set may take seconds on a loaded machine (templates, caches)."""
    page.set_default_timeout(60_000)


def busiest_officer() -> User:
    """The officer whose organisation owns the most demo projects."""
    owner = Project.objects.values("owner").annotate(n=Count("pk")).order_by("-n", "owner").first()
    assert owner is not None, "the demo set has projects"
    officer = (
        User.objects.filter(
            organization_id=owner["owner"], is_superuser=False, role__in=["officer", "admin"]
        )
        .order_by("pk")
        .first()
    )
    assert officer is not None
    return officer


def header(data: bytes) -> list[Any]:
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return [cell.value for cell in ws[HEADER_ROW]]


def names(data: bytes) -> set[str]:
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    column = header(data).index("项目名称")
    return {row[column] for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}


class TestLedger(DemoReader):
    def test_export_from_the_list_opens_with_every_visible_project(
        self, page: Any, server: Any, login: Callable[..., None], demo_world: World, tmp_path: Path
    ) -> None:
        officer = busiest_officer()
        login(page, officer)
        page.goto(f"{server.url}/projects/")
        with page.expect_download() as info:
            page.locator("[data-ledger-export]").click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        assert target.name.startswith("项目台账-") and target.suffix == ".xlsx"
        data = target.read_bytes()
        expected = set(
            apply_filters(visible_projects(officer), ProjectFilters()).values_list(
                "name", flat=True
            )
        )
        assert names(data) == expected
        ws = load_workbook(io.BytesIO(data)).worksheets[0]
        assert officer.organization is not None
        assert ws["A1"].value.startswith(officer.organization.name)
        assert ws.freeze_panes == "B4"

    def test_the_column_choice_is_remembered_for_the_next_export(
        self, page: Any, server: Any, login: Callable[..., None], demo_world: World
    ) -> None:
        login(page, busiest_officer())
        page.goto(f"{server.url}/projects/ledger/")
        page.evaluate(
            "document.querySelectorAll('input[name=col]').forEach(b => b.checked = false)"
        )
        page.locator("#col-name").check()
        page.locator("#col-colour_reason").check()
        page.locator("#col-stage").check()
        page.fill("input[name=order-stage]", "1")
        page.fill("input[name=order-name]", "2")
        page.fill("input[name=order-colour_reason]", "3")
        page.locator("input[name=unit][value=元]").check()
        with page.expect_download() as first:
            page.locator("[data-ledger-export]").click()
        chosen = ["阶段", "项目名称", "预警原因"]
        assert header(Path(first.value.path()).read_bytes()) == chosen
        page.goto(f"{server.url}/projects/?stage=signed")
        with page.expect_download() as again:
            page.locator("[data-ledger-export]").click()
        assert header(Path(again.value.path()).read_bytes()) == chosen
        page.goto(f"{server.url}/projects/ledger/")
        assert page.locator("input[name=unit][value=元]").is_checked()
        assert not page.locator("#col-investor").is_checked()


class TestBrief(DemoReader):
    def test_the_project_page_opens_its_one_page_brief(
        self, page: Any, server: Any, login: Callable[..., None], demo_world: World
    ) -> None:
        officer = busiest_officer()
        project = (
            visible_projects(officer)
            .filter(owner_id=officer.organization_id)
            .order_by("pk")
            .first()
        )
        assert project is not None
        login(page, officer)
        page.goto(f"{server.url}/projects/{project.pk}/")
        link = page.locator("[data-brief]")
        assert link.is_visible()
        response = page.context.request.get(server.url + link.get_attribute("href"))
        assert response.ok
        assert response.headers["content-type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.body()))
        assert len(reader.pages) == 1
        text = "".join(reader.pages[0].extract_text().split())
        assert "项目简报" in text
        assert "".join(project.name.split())[:20] in text


class TestMap(DemoReader):
    def test_on_a_phone_a_click_on_a_point_opens_the_record(
        self, page: Any, server: Any, login: Callable[..., None], demo_world: World
    ) -> None:
        login(page, busiest_officer())
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{server.url}/projects/map/?parks=0")
        chart = page.locator("[data-map]")
        page.wait_for_selector("[data-map][data-rendered=true]")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the map page scrolls sideways ({width}px)"
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box is not None and box["width"] <= 390 and box["height"] >= 200
        # A point ECharts drew with no other point within 12 px (so the click is unambiguous),
        # in the chart's own pixels.
        spot = page.evaluate(
            """(element) => {
                const chart = echarts.getInstanceByDom(element);
                const drawn = [];
                chart.getOption().series.forEach((series, index) => {
                    series.data.forEach((item) => {
                        const [x, y] = chart.convertToPixel({seriesIndex: index}, item.value);
                        drawn.push({x, y, url: item.url});
                    });
                });
                const alone = drawn.find((p) => drawn.every(
                    (q) => q === p || Math.hypot(p.x - q.x, p.y - q.y) > 12));
                return alone || null;
            }""",
            chart.element_handle(),
        )
        assert spot is not None, "every point overlaps another"
        assert spot["url"].startswith("/projects/")
        with page.expect_navigation():
            page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
        assert page.url.endswith(spot["url"])
