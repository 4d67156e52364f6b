"""The enterprise sites chart: plain data in, option dicts out."""

from __future__ import annotations

from parklink.enterprises import charts
from parklink.enterprises.charts import SiteItem
from tests.support.charts import HOSTILE, assert_no_payload_in_formatters


class TestSitesGraph:
    def test_the_enterprise_sits_in_the_middle_with_one_edge_per_site(self) -> None:
        option = charts.sites_graph(
            "沃飞长空",
            [
                SiteItem("park-1", "高德产业园", "总部", "/parks/1/"),
                SiteItem("park-7", "甘眉工业园", "生产制造", "/parks/7/"),
            ],
        )
        series = option["series"][0]
        assert series["data"][0]["name"] == "沃飞长空"
        assert [link["label"]["formatter"] for link in series["links"]] == ["总部", "生产制造"]
        assert series["data"][1]["url"] == "/parks/1/"

    def test_user_text_never_reaches_a_formatter_as_it_is(self) -> None:
        option = charts.sites_graph(
            HOSTILE,
            [SiteItem("park-1", HOSTILE, HOSTILE, "/parks/1/"), SiteItem("region-1", "区", "x")],
        )
        assert_no_payload_in_formatters(option)
        assert option["series"][0]["data"][1]["name"] == HOSTILE  # ECharts escapes names

    def test_two_roles_at_one_park_share_its_node(self) -> None:
        option = charts.sites_graph(
            "甲", [SiteItem("park-1", "园", "总部"), SiteItem("park-1", "园", "研发")]
        )
        series = option["series"][0]
        assert len(series["data"]) == 2
        assert len(series["links"]) == 2
