"""Park editing in a real browser: rows are added and removed on the page, and saved whole."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from parklink.accounts.models import Organization, User
from parklink.parks.models import LinkageMember, Park, ParkIndicator, ParkIndustry, ParkLinkage
from parklink.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _committee() -> tuple[User, Park, Park]:
    """张掖经开区's committee officer, its park with one industry and one figure, a neighbour."""
    org = Organization.objects.create(
        name="张掖经开区管委会(测试)",
        kind="park_committee",
        region=Region.objects.get(adcode="620702"),
    )
    officer = User.objects.create_user(
        username="zhangye_editor", password="pw-browser", organization=org, role="officer"
    )
    park = Park.objects.create(
        owner=org, name="张掖经开区(测试)", region_id="620702", kind="national_etdz"
    )
    ParkIndustry.objects.create(park=park, name="旧产业", role="leading")
    ParkIndicator.objects.create(
        park=park, year=2023, indicator="gdp", value=Decimal("17625000000"), unit="元"
    )
    other = Organization.objects.create(
        name="甘州区人民政府(测试)", kind="government", region=Region.objects.get(adcode="620702")
    )
    neighbour = Park.objects.create(
        owner=other, name="甘州工业园(测试)", region_id="620702", kind="industrial_park"
    )
    return officer, park, neighbour


class TestParkEditingInTheBrowser:
    def test_rows_are_added_removed_and_saved_with_the_park(
        self,
        page: Any,
        live_server: Any,
        login: Callable[..., Any],
        screenshot_dir: Path,
        transactional_db: Any,
    ) -> None:
        officer, park, _neighbour = _committee()
        login(page, officer)
        page.goto(f"{live_server.url}/parks/{park.pk}/edit/")

        industries = page.locator("#industries-rows")
        industries.locator("[data-remove-row]").first.click()  # 旧产业
        assert industries.locator("tbody tr:visible").count() == 1  # the blank extra row
        industries.locator("[data-add-row]").click()
        assert industries.locator("tbody tr").count() == 3
        page.fill("input[name=industries-1-name]", "氢能零碳产业")
        page.select_option("select[name=industries-1-role]", "representative")
        page.fill("input[name=industries-2-name]", "国家玉米种子产业")
        page.select_option("select[name=industries-2-role]", "representative")

        indicators = page.locator("#indicators-rows")
        assert indicators.locator("tbody tr").first.locator("[data-unit]").inner_text() == "亿元"
        page.fill("input[name=indicators-1-year]", "2023")
        page.select_option("select[name=indicators-1-indicator]", "gdp_share_of_city")
        unit = indicators.locator("tbody tr").nth(1).locator("[data-unit]")
        assert unit.inner_text() == "%"
        page.fill("input[name=indicators-1-value]", "29")
        page.screenshot(path=str(screenshot_dir / "park-edit.png"), full_page=True)

        with page.expect_navigation():
            page.click("form.pl-form button[type=submit]")
        assert page.url == f"{live_server.url}/parks/{park.pk}/"
        assert "氢能零碳产业" in page.inner_text("#industries")
        assert "旧产业" not in page.inner_text("#industries")
        assert "29%" in page.inner_text("#indicator-table")
        assert "176.25亿元" in page.inner_text("#indicator-table")

    def test_a_bad_row_comes_back_marked_and_nothing_is_saved(
        self, page: Any, live_server: Any, login: Callable[..., Any], transactional_db: Any
    ) -> None:
        officer, park, _neighbour = _committee()
        login(page, officer)
        page.goto(f"{live_server.url}/parks/{park.pk}/edit/")
        page.fill("input[name=indicators-1-year]", "2023")
        page.select_option("select[name=indicators-1-indicator]", "resumption_rate")
        page.fill("input[name=indicators-1-value]", "120")
        page.fill("input[name=short_name]", "张掖经开")
        with page.expect_navigation():
            page.click("form.pl-form button[type=submit]")
        row = page.locator("#indicators-rows tbody tr").nth(1)
        assert "比重应在 0–100 之间" in row.inner_text()
        park.refresh_from_db()
        assert park.short_name == ""
        assert park.indicators.count() == 1

    def test_a_linkage_is_created_with_another_organisations_park(
        self, page: Any, live_server: Any, login: Callable[..., Any], transactional_db: Any
    ) -> None:
        officer, park, neighbour = _committee()
        login(page, officer)
        page.goto(f"{live_server.url}/parks/{park.pk}/")
        with page.expect_navigation():
            page.click("#new-linkage")
        page.fill("input[name=name]", "张掖两园联动(测试)")
        page.select_option("select[name=members-0-role]", "headquarters_rnd")
        page.locator("#members-rows [data-add-row]").click()
        page.select_option("select[name=members-1-park]", str(neighbour.pk))
        page.select_option("select[name=members-1-role]", "manufacturing")
        with page.expect_navigation():
            page.click("form.pl-form button[type=submit]")
        linkage = ParkLinkage.objects.get(name="张掖两园联动(测试)")
        assert page.url == f"{live_server.url}/parks/linkages/{linkage.pk}/"
        page.wait_for_function("() => document.querySelector('#linkage-chart.is-ready')")
        assert [m.park_id for m in LinkageMember.objects.filter(linkage=linkage)] == [
            park.pk,
            neighbour.pk,
        ]
        assert "生产制造" in page.inner_text("#member-table")
