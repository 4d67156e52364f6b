"""The home dashboard: figures from visible projects only, charts that click through to lists."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parklink.projects import dashboard, dashboard_charts, services
from tests.projects import projectworld
from tests.support.charts import FITTING_HOSTILE, HOSTILE, assert_no_payload_in_formatters

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users, today):  # type: ignore[no-untyped-def]
    return projectworld.build(users, today)


def chart(response: Any, name: str) -> dict[str, Any]:
    match = re.search(
        rf'<script id="{name}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, name
    return dict(json.loads(match.group(1)))


def page(user) -> Any:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client.get(reverse("home"))


class TestDashboardPage:
    def test_anonymous_user_is_sent_to_login(self, db):  # type: ignore[no-untyped-def]
        response = Client().get(reverse("home"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_owner_sees_all_its_projects_in_the_funnel(self, users, world):  # type: ignore[no-untyped-def]
        response = page(users["jinniu"])
        assert response.status_code == 200
        data = {
            item["name"]: item["value"]
            for item in chart(response, "chart-funnel")["series"][0]["data"]
        }
        assert data["签约"] == 1 and data["开工"] == 1 and data["在谈"] == 1

    def test_confidential_project_is_not_counted_for_another_organisation(self, users, world):  # type: ignore[no-untyped-def]
        response = page(users["city"])
        data = {
            item["name"]: item["value"]
            for item in chart(response, "chart-funnel")["series"][0]["data"]
        }
        assert data["在谈"] == 0
        assert data["签约"] == 2  # both counties' signed projects are disclosed to the city
        assert "保密洽谈项目" not in response.content.decode()

    def test_other_province_sees_empty_charts(self, users, world):  # type: ignore[no-untyped-def]
        response = page(users["zhangye"])
        values = [item["value"] for item in chart(response, "chart-funnel")["series"][0]["data"]]
        assert values == [0] * 9
        assert chart(response, "chart-parks")["series"][0]["data"] == []

    def test_funnel_stages_open_the_list_filtered_by_stage(self, users, world):  # type: ignore[no-untyped-def]
        data = chart(page(users["jinniu"]), "chart-funnel")["series"][0]["data"]
        signed = next(item for item in data if item["name"] == "签约")
        assert signed["url"] == reverse("projects:list") + "?stage=signed"
        assert signed["label"]["formatter"] == "签约 1个"
        assert "12.00亿元" in signed["tooltip"]["formatter"]

    def test_park_bars_link_to_the_park_list(self, users, world):  # type: ignore[no-untyped-def]
        options = chart(page(users["city"]), "chart-parks")
        assert set(options["yAxis"]["data"]) == {"金牛高新", "铁路港"}
        urls = {item["url"] for item in options["series"][0]["data"]}
        assert reverse("projects:list") + f"?park={world.parks['qbj'].pk}" in urls

    def test_sector_ring_carries_amounts_in_yi_and_links(self, users, world):  # type: ignore[no-untyped-def]
        data = chart(page(users["jinniu"]), "chart-sectors")["series"][0]["data"]
        by_name = {item["name"]: item for item in data}
        assert by_name["高端装备"]["value"] == 12.0
        assert by_name["高端装备"]["url"].endswith("?sector=%E9%AB%98%E7%AB%AF%E8%A3%85%E5%A4%87")

    def test_ageing_cards_count_and_link_by_colour(self, users, world):  # type: ignore[no-untyped-def]
        body = page(users["jinniu"]).content.decode()
        cards = dict(
            re.findall(
                r'data-ageing="(\w+)"[^>]*>\s*<span class="pl-stat__label">[^<]*</span>\s*'
                r'<span class="pl-stat__value"[^>]*>(\d+)</span>',
                body,
            )
        )
        # Signed 10 days ago and in talks for 5: green; started 120 days ago and quiet since: red.
        assert cards == {"green": "2", "yellow": "0", "red": "1", "removal": "0", "stalled": "0"}
        assert f'href="{reverse("projects:list")}?colour=red" data-ageing="red"' in body

    def test_projects_in_the_library_include_stalled_ones_and_open_the_same_list(
        self, users, world
    ):  # type: ignore[no-untyped-def]
        services.transition(
            users["jinniu"], world.projects["started"], "stalled", note="资金未到位"
        )
        services.transition(
            users["jinniu"], world.projects["secret"], "terminated", note="企业放弃"
        )
        body = page(users["jinniu"]).content.decode()
        figure = re.search(r'data-stat="active">(\d+)<', body)
        assert figure and figure.group(1) == "2"  # signed and stalled; not the terminated one
        link = body[body.rindex("<a", 0, figure.start()) :]
        href = re.search(r'href="([^"]+)"', link)
        assert href
        client = Client()
        client.force_login(users["jinniu"])
        listed = client.get(href.group(1).replace("&amp;", "&")).content.decode()
        assert re.search(r"data-result-count>(\d+)<", listed).group(1) == "2"  # type: ignore[union-attr]

    def test_warned_figure_opens_the_three_colours_not_a_list_of_red_ones_only(
        self, users, world, today
    ):  # type: ignore[no-untyped-def]
        from parklink.projects.models import Project

        # One project quiet for three months (red) and one for two and a half (yellow).
        Project.objects.filter(pk=world.projects["signed"].pk).update(
            last_progress_on=today - timedelta(days=75)
        )
        body = page(users["jinniu"]).content.decode()
        card = body[body.rindex("<a", 0, body.index('data-stat="warned"')) :]
        card = card[: card.index(">")]
        summary = services.ageing_summary(users["jinniu"])
        assert summary.yellow >= 1 and summary.red >= 1
        assert "colour=red" not in card
        assert 'href="#ageing"' in card

    def test_a_configured_day_is_shown_as_the_data_date(self, users, world, settings):  # type: ignore[no-untyped-def]
        from datetime import date

        settings.PARKLINK_TODAY = date(2025, 3, 21)
        body = page(users["jinniu"]).content.decode()
        assert re.search(r"data-as-of[^>]*>\s*数据截至 2025-03-21", body)

    def test_the_real_day_is_not_announced(self, users, world):  # type: ignore[no-untyped-def]
        assert "data-as-of" not in page(users["jinniu"]).content.decode()

    def test_a_stalled_project_is_a_warning_not_green(self, users, world, today):  # type: ignore[no-untyped-def]
        # Signed ten days ago (green), then stalled: its own card, counted among the warnings.
        services.transition(users["jinniu"], world.projects["signed"], "stalled", note="资金未到位")
        response = page(users["jinniu"])
        body = response.content.decode()
        assert re.search(r'data-stat="warned">2<', body)  # the red one and the stalled one
        card = r'data-ageing="stalled"[^>]*>\s*<span[^>]*>停滞</span>\s*<span[^>]*>1<'
        assert re.search(card, body)
        bars = chart(response, "chart-ageing")["series"][0]["data"]
        assert [bar["value"] for bar in bars] == [1, 0, 1, 0, 1]
        assert bars[-1]["url"].endswith("?colour=stalled")
        attention = body[body.index('id="attention"') : body.index('id="ageing"')]
        assert "智能制造产业基地" in attention and 'data-colour="stalled"' in attention
        assert "已停滞" in attention

    def test_attention_list_names_the_quiet_project_and_why(self, users, world, today):  # type: ignore[no-untyped-def]
        services.add_milestone(
            users["jinniu"], world.projects["signed"], "完成供地", today - timedelta(days=3)
        )
        body = page(users["jinniu"]).content.decode()
        attention = body[body.index('id="attention"') : body.index('id="ageing"')]
        assert "新材料研发中心" in attention and "个月未见进展" in attention
        assert "智能制造产业基地" in attention and "1个节点逾期" in attention

    def test_monthly_chart_covers_24_months_of_signed_investment(self, users, world):  # type: ignore[no-untyped-def]
        options = chart(page(users["jinniu"]), "chart-monthly")
        assert len(options["xAxis"]["data"]) == 24
        bars = options["series"][0]["data"]
        # 12亿 signed 10 days ago and 5亿 entered as started (signed that day) 120 days ago.
        assert sum(bar["value"] for bar in bars) == pytest.approx(17.0)
        assert sum(options["series"][1]["data"]) == 2


class TestDashboardBuilders:
    def test_month_buckets_fill_empty_months(self, users, world, today):  # type: ignore[no-untyped-def]
        from parklink.projects.queries import visible_projects

        buckets = dashboard.month_buckets(visible_projects(users["city"]), today, months=3)
        assert [b.key for b in buckets][-1] == f"{today:%Y-%m}"
        assert sum(b.count for b in buckets) == 2

    def test_sector_options_fold_small_sectors_into_other(self):  # type: ignore[no-untyped-def]
        buckets = [
            dashboard_charts.Bucket(f"s{i}", f"领域{i}", 1, Decimal(100_000_000 * (10 - i)))
            for i in range(10)
        ]
        data = dashboard_charts.sector_options(buckets, top=3)["series"][0]["data"]
        assert [d["name"] for d in data] == ["领域0", "领域1", "领域2", "其他"]
        assert data[-1]["value"] == sum(10 - i for i in range(3, 10))
        assert "url" not in data[-1]

    def test_zero_and_undisclosed_sectors_stay_out_of_the_ring(self):  # type: ignore[no-untyped-def]
        buckets = [
            dashboard_charts.Bucket("装备", "装备", 1, Decimal(12 * 10**8), known=1),
            dashboard_charts.Bucket("物流", "物流", 1, Decimal(0), known=1),
            dashboard_charts.Bucket("材料", "材料", 2, Decimal(0), known=0),
        ]
        options = dashboard_charts.sector_options(buckets)
        assert [d["name"] for d in options["series"][0]["data"]] == ["装备"]
        assert options["title"]["show"] is False

    def test_a_ring_without_investment_says_no_data(self):  # type: ignore[no-untyped-def]
        buckets = [
            dashboard_charts.Bucket(f"s{i}", f"领域{i}", 1, Decimal(0), known=0) for i in range(5)
        ]
        options = dashboard_charts.sector_options(buckets)
        assert options["series"][0]["data"] == []
        assert options["title"]["show"] is True and options["title"]["text"] == "暂无数据"

    def test_a_park_without_disclosed_amounts_says_undisclosed(self):  # type: ignore[no-untyped-def]
        silent = dashboard_charts.Bucket("1", "园区", 8, Decimal(0), known=0)
        label = dashboard_charts.park_options([silent])["series"][0]["data"][0]["label"]
        assert label["formatter"] == "未披露 · 8个"

    @pytest.mark.parametrize("name", ["funnel", "monthly", "sectors", "parks", "ageing"])
    def test_every_empty_chart_says_no_data(self, users, name):  # type: ignore[no-untyped-def]
        options = chart(page(users["zhangye"]), f"chart-{name}")
        assert options["title"]["show"] is True and options["title"]["text"] == "暂无数据"

    def test_yi_rounds_to_two_places(self):  # type: ignore[no-untyped-def]
        assert dashboard_charts.yi(Decimal("123456789")) == 1.23
        assert dashboard_charts.yi(None) == 0.0


class TestUserTextInCharts:
    def test_sector_and_park_names_never_reach_a_formatter_as_they_are(self, users, world):  # type: ignore[no-untyped-def]
        from parklink.parks.models import Park
        from parklink.projects.models import Project

        Project.objects.filter(pk=world.projects["signed"].pk).update(sector=FITTING_HOSTILE)
        Park.objects.filter(pk=world.parks["jinniu"].pk).update(short_name=FITTING_HOSTILE)
        response = page(users["jinniu"])
        for name in ("chart-funnel", "chart-monthly", "chart-sectors", "chart-parks"):
            assert_no_payload_in_formatters(chart(response, name))
        assert FITTING_HOSTILE in chart(response, "chart-parks")["yAxis"]["data"]

    def test_funnel_tooltips_are_escaped_html(self, monkeypatch):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(dashboard_charts, "stage_name", lambda code: HOSTILE)
        option = dashboard_charts.funnel_options({})
        assert_no_payload_in_formatters(option)
        tooltip = option["series"][0]["data"][0]["tooltip"]["formatter"]
        assert tooltip.startswith("金&lt;img src=x onerror=&quot;")


class TestDashboardInEnglish:
    def test_page_and_charts_render_in_english(self, users, world):  # type: ignore[no-untyped-def]
        client = Client(headers={"Accept-Language": "en"})
        client.force_login(users["jinniu"])
        response = client.get(reverse("home"))
        assert response.status_code == 200
        assert '<html lang="en">' in response.content.decode()
        names = [item["name"] for item in chart(response, "chart-funnel")["series"][0]["data"]]
        assert "签约" not in names and len(names) == 9


class TestMonthWindow:
    def test_window_reaches_back_to_the_first_signing(self, db):  # type: ignore[no-untyped-def]
        from datetime import date

        from parklink.projects.dashboard import MONTHS, month_window
        from parklink.projects.models import Project

        on = date(2026, 11, 22)
        assert month_window(Project.objects.none(), on) == MONTHS

    def test_each_month_links_to_its_signings(self, db):  # type: ignore[no-untyped-def]
        from datetime import date

        from parklink.projects.dashboard import month_buckets
        from parklink.projects.models import Project

        buckets = month_buckets(Project.objects.none(), date(2026, 2, 10), 2)
        assert "signed_from=2026-01-01" in buckets[0].url
        assert "signed_to=2026-01-31" in buckets[0].url
        assert "signed_to=2026-02-28" in buckets[1].url


class TestZoomAndDisclosure:
    def test_zoom_shows_an_old_latest_signing(self) -> None:
        from decimal import Decimal

        from parklink.projects.dashboard_charts import MONTHS, Bucket, zoom_start

        empty = [Bucket(str(i), str(i), 0, Decimal(0)) for i in range(30)]
        assert zoom_start(empty) == 30 - MONTHS
        signed_early = [*empty]
        signed_early[2] = Bucket("2", "2", 1, Decimal(1))
        assert zoom_start(signed_early) == 1
        signed_late = [*empty]
        signed_late[29] = Bucket("29", "29", 1, Decimal(1))
        assert zoom_start(signed_late) == 30 - MONTHS

    def test_undisclosed_sectors_are_listed_beside_an_empty_ring(self, users, today):  # type: ignore[no-untyped-def]
        from parklink.projects.services import create_project

        for sector in ("新材料", "现代物流"):
            create_project(
                users["jinniu"], name=sector, region_id="510106", stage="signed", sector=sector
            )
        response = page(users["jinniu"])
        options = chart(response, "chart-sectors")
        assert options["series"][0]["data"] == [] and options["title"]["show"] is True
        body = response.content.decode()
        beside = body[body.index("data-sectors-off-ring") :].split("</p>")[0]
        assert "新材料" in beside and "现代物流" in beside and "未披露" in beside

    def test_funnel_says_undisclosed_instead_of_zero(self, users, today):  # type: ignore[no-untyped-def]
        from django.test import Client

        from parklink.projects.services import create_project

        create_project(users["jinniu"], name="未披露投资额", region_id="510106", stage="signed")
        client = Client()
        client.force_login(users["jinniu"])
        page = client.get("/").content.decode()
        row = page.split('data-stage-row="signed"')[1].split("</tr>")[0]
        assert "未披露" in row and "0元" not in row
