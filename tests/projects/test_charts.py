"""The project charts other apps' pages show: plain data in, option dicts out."""

from __future__ import annotations

from parklink.projects import charts


class TestStageBars:
    def test_each_stage_bar_links_to_the_filtered_list(self) -> None:
        option = charts.stage_bars(
            [
                ("签约", 3, "/projects/?stage=signed"),
                ("在建", 6, "/projects/?stage=under_construction"),
            ]
        )
        assert option["yAxis"]["data"] == ["签约", "在建"]
        assert option["series"][0]["data"][1] == {
            "value": 6,
            "name": "在建",
            "url": "/projects/?stage=under_construction",
        }
