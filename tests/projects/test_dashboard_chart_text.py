"""The dashboard charts' own text reads on what it is drawn on (WCAG 2 AA, 4.5:1)."""

from __future__ import annotations

from parklink.core.charts import contrast
from parklink.projects.dashboard_charts import empty_title, funnel_options

AA = 4.5


class TestDashboardChartText:
    def test_every_funnel_band_label_reads_on_its_band(self) -> None:
        series = funnel_options({})["series"][0]
        for band in series["data"]:
            colour = band["label"].get("color", series["label"]["color"])
            assert contrast(colour, band["itemStyle"]["color"]) >= AA, band["name"]

    def test_the_empty_message_reads_on_a_white_card(self) -> None:
        assert contrast(empty_title(True)["textStyle"]["color"], "#ffffff") >= AA
