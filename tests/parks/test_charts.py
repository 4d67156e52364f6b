"""ECharts option builders: plain data in, option dicts out."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from parklink.parks import charts
from parklink.parks.charts import LinkageItem, MemberItem, TreeItem
from tests.support.charts import HOSTILE, assert_no_payload_in_formatters


def _walk(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = [node]
    for child in node.get("children", []):
        found.extend(_walk(child))
    return found


GAODE = [
    TreeItem(1, "高德产业园", None, "/parks/1/"),
    TreeItem(2, "成都未来科技城", 1, "/parks/2/"),
    TreeItem(3, "成都天府国际生物城", 1, "/parks/3/"),
    TreeItem(4, "成都高新南区", 1, "/parks/4/"),
    TreeItem(5, "成都高新西区", 1, "/parks/5/"),
]


class TestHierarchyTree:
    def test_the_top_park_is_the_root_with_its_sub_parks_below(self) -> None:
        option = charts.hierarchy_tree(GAODE, current_id=3)
        root = option["series"][0]["data"][0]
        assert root["name"] == "高德产业园"
        assert [child["name"] for child in root["children"]] == [
            "成都未来科技城",
            "成都天府国际生物城",
            "成都高新南区",
            "成都高新西区",
        ]

    def test_the_current_park_is_highlighted_and_not_a_link(self) -> None:
        option = charts.hierarchy_tree(GAODE, current_id=3)
        nodes = {node["name"]: node for node in _walk(option["series"][0]["data"][0])}
        assert nodes["成都天府国际生物城"]["label"]["fontWeight"] == "bold"
        assert "url" not in nodes["成都天府国际生物城"]
        assert "itemStyle" not in nodes["成都未来科技城"]

    def test_every_other_node_carries_the_url_of_its_page(self) -> None:
        option = charts.hierarchy_tree(GAODE, current_id=3)
        urls = {node["name"]: node.get("url") for node in _walk(option["series"][0]["data"][0])}
        assert urls["高德产业园"] == "/parks/1/"
        assert urls["成都高新西区"] == "/parks/5/"

    def test_grandchildren_nest_under_their_parent(self) -> None:
        items = [
            TreeItem(1, "张掖经开区", None),
            TreeItem(2, "氢能零碳产业园", 1),
            TreeItem(3, "一心", 2),
        ]
        root = charts.hierarchy_tree(items, current_id=1)["series"][0]["data"][0]
        assert root["children"][0]["children"][0]["name"] == "一心"

    def test_two_unrelated_tops_share_an_unnamed_root(self) -> None:
        items = [TreeItem(1, "甲园", None), TreeItem(2, "乙园", None)]
        root = charts.hierarchy_tree(items, current_id=1)["series"][0]["data"][0]
        assert root["name"] == ""
        assert {child["name"] for child in root["children"]} == {"甲园", "乙园"}

    def test_leaf_count_sizes_the_chart(self) -> None:
        assert charts.leaf_count(GAODE) == 4
        assert charts.leaf_count([TreeItem(1, "独立园区", None)]) == 1

    def test_the_option_is_json_serialisable(self) -> None:
        json.dumps(charts.hierarchy_tree(GAODE, current_id=1), ensure_ascii=False)

    def test_park_names_stay_data_names_outside_every_formatter(self) -> None:
        items = [TreeItem(1, HOSTILE, None, "/parks/1/"), TreeItem(2, HOSTILE + "2", 1)]
        option = charts.hierarchy_tree(items, current_id=2)
        assert_no_payload_in_formatters(option)
        assert option["series"][0]["data"][0]["name"] == HOSTILE  # ECharts escapes names


SANYUAN = LinkageItem(
    "“三园联动”(高德—甘眉—德格)",
    [
        MemberItem(1, "高德产业园", "研发孵化", "/parks/1/"),
        MemberItem(7, "甘眉工业园", "配套制造", "/parks/7/"),
        MemberItem(8, "马尼干戈产业园", "本地落地", "/parks/8/"),
    ],
)


class TestLinkageGraph:
    def test_each_member_is_a_node_and_consecutive_members_are_linked(self) -> None:
        series = charts.linkage_graph([SANYUAN], current_id=7)["series"][0]
        assert [node["name"] for node in series["data"]] == [
            "高德产业园",
            "甘眉工业园",
            "马尼干戈产业园",
        ]
        assert [(link["source"], link["target"]) for link in series["links"]] == [
            ("1", "7"),
            ("7", "8"),
        ]

    def test_roles_become_categories_and_node_labels(self) -> None:
        option = charts.linkage_graph([SANYUAN], current_id=7)
        series = option["series"][0]
        assert [c["name"] for c in series["categories"]] == ["研发孵化", "配套制造", "本地落地"]
        assert option["legend"]["data"] == ["研发孵化", "配套制造", "本地落地"]
        ganmei = series["data"][1]
        assert ganmei["category"] == 1
        assert "配套制造" in ganmei["label"]["formatter"]

    def test_the_current_park_is_emphasised_and_the_others_link_to_their_pages(self) -> None:
        nodes = charts.linkage_graph([SANYUAN], current_id=7)["series"][0]["data"]
        assert nodes[1]["symbolSize"] > nodes[0].get("symbolSize", 44)
        assert "url" not in nodes[1]
        assert nodes[0]["url"] == "/parks/1/" and nodes[2]["url"] == "/parks/8/"

    def test_members_flow_left_to_right_in_their_agreed_order(self) -> None:
        nodes = charts.linkage_graph([SANYUAN], current_id=None)["series"][0]["data"]
        assert [node["value"][0] for node in nodes] == [0, 1, 2]
        assert {node["value"][1] for node in nodes} == {0}

    def test_each_linkage_has_its_own_row(self) -> None:
        other = LinkageItem("科创飞地", [MemberItem(9, "上海飞地", "研发孵化")])
        option = charts.linkage_graph([SANYUAN, other], current_id=None)
        nodes = {node["name"]: node for node in option["series"][0]["data"]}
        assert nodes["上海飞地"]["value"] == [0, 1]
        assert option["yAxis"]["max"] == 1.5

    def test_a_park_in_two_linkages_is_one_node_listing_both_roles(self) -> None:
        other = LinkageItem(
            "科创飞地",
            [MemberItem(9, "上海飞地", "研发孵化"), MemberItem(1, "高德产业园", "本地落地")],
        )
        series = charts.linkage_graph([SANYUAN, other], current_id=1)["series"][0]
        gaode = [node for node in series["data"] if node["id"] == "1"]
        assert len(gaode) == 1
        assert "{role|研发孵化、本地落地}" in gaode[0]["label"]["formatter"]
        assert all(link["label"]["show"] for link in series["links"])

    def test_rich_text_markers_in_names_are_neutralised(self) -> None:
        odd = LinkageItem("x", [MemberItem(1, "A{b}|c", "r")])
        label = charts.linkage_graph([odd], None)["series"][0]["data"][0]["label"]["formatter"]
        assert "A(b)/c" in label

    def test_a_park_name_with_markup_is_text_in_the_node_tooltip(self) -> None:
        hostile = LinkageItem(HOSTILE, [MemberItem(1, HOSTILE, HOSTILE), MemberItem(2, "乙", "r")])
        node = charts.linkage_graph([hostile], None)["series"][0]["data"][0]
        tooltip = node["tooltip"]["formatter"]
        assert tooltip.startswith("金&lt;img src=x onerror=&quot;")
        assert "&lt;script&gt;" in tooltip and "&#123;b&#125;" in tooltip
        assert "<" not in tooltip

    def test_user_text_never_reaches_a_formatter_as_it_is(self) -> None:
        hostile = LinkageItem(HOSTILE, [MemberItem(1, HOSTILE, HOSTILE), MemberItem(2, "乙", "r")])
        other = LinkageItem("丙", [MemberItem(3, "丙园", HOSTILE)])
        option = charts.linkage_graph([hostile, other], current_id=2)
        assert_no_payload_in_formatters(option)
        assert option["series"][0]["links"][0]["label"]["formatter"].startswith("金<img")


class TestOccupancyGauge:
    def test_occupancy_is_occupied_over_built_in_percent(self) -> None:
        option = charts.occupancy_gauge(Decimal("745000"), Decimal("558750"))
        assert option is not None
        assert option["series"][0]["data"][0]["value"] == 75.0

    def test_no_gauge_without_both_figures(self) -> None:
        assert charts.occupancy_gauge(Decimal("745000"), None) is None
        assert charts.occupancy_gauge(None, Decimal(1)) is None
        assert charts.occupancy_gauge(Decimal(0), Decimal(0)) is None

    def test_a_full_park_is_green_and_a_sparse_one_red(self) -> None:
        full = charts.occupancy_gauge(Decimal(100), Decimal(95))
        sparse = charts.occupancy_gauge(Decimal(100), Decimal(20))
        assert full is not None and sparse is not None
        assert full["series"][0]["progress"]["itemStyle"]["color"] == charts.PALETTE[1]
        assert sparse["series"][0]["progress"]["itemStyle"]["color"] == charts.ACCENT


class TestIndicatorCharts:
    def test_money_is_drawn_in_yi_yuan_by_year(self) -> None:
        option = charts.money_bars(
            {
                "地区生产总值": {2023: Decimal("17625000000")},
                "税收": {2022: Decimal("1200000000"), 2023: Decimal("1460000000")},
            }
        )
        assert option["xAxis"]["data"] == ["2022", "2023"]
        gdp, tax = option["series"]
        assert gdp["data"] == [None, 176.25]
        assert tax["data"] == [12.0, 14.6]
        assert option["yAxis"]["name"] == "亿元"

    def test_shares_are_percent_up_to_one_hundred(self) -> None:
        option = charts.share_bars(
            {"GDP占全市比重": {2023: Decimal(29)}, "税收占全市比重": {2023: Decimal("42.8")}}
        )
        assert [s["data"] for s in option["series"]] == [[29.0], [42.8]]
        assert option["yAxis"]["max"] == 100
        assert option["series"][0]["label"]["formatter"].endswith("%")

    def test_rank_runs_on_an_inverted_axis_up_to_the_number_ranked(self) -> None:
        option = charts.rank_line({2021: 190, 2023: 131}, {2023: 230})
        assert option["yAxis"]["inverse"] is True
        assert option["yAxis"]["max"] == 230
        assert option["xAxis"]["data"] == ["2021", "2023"]
        assert [point["value"] for point in option["series"][0]["data"]] == [190, 131]
        assert "230" in option["series"][0]["data"][1]["name"]

    def test_rank_without_totals_has_no_upper_bound(self) -> None:
        assert "max" not in charts.rank_line({2023: 131}, {})["yAxis"]
