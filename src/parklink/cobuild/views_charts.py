"""The run page's chart: each party's share of every indicator, as an ECharts bar option.

Party and indicator names reach a formatter only through `core.charts` (`tooltip_html`); the
percentages are rounded floats for drawing (the figures themselves stay integer fen).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from parklink.cobuild.services.overview import IndicatorTotals
from parklink.core.charts import BR, PALETTE, Markup, tooltip_html


def percent(share: Any) -> float:
    return round(float(share) * 100, 2) if share is not None else 0.0


def share_chart(
    totals: Sequence[IndicatorTotals], amount_text: Callable[[int, str], str]
) -> dict[str, Any]:
    """One bar per party and indicator: the party's share (%) of what the run split."""
    if not totals:
        return {}
    parties = [item.party for item in totals[0].parties]
    series = []
    for index, party in enumerate(parties):
        name = party.organization.name
        data = []
        for indicator in totals:
            part = indicator.parties[index]
            value = percent(part.share)
            data.append(
                {
                    "value": value,
                    "tooltip": {
                        "formatter": tooltip_html(
                            name,
                            BR,
                            indicator.label,
                            ":",
                            amount_text(part.amount, indicator.indicator),
                            BR,
                            _("占比"),
                            f" {value}%",
                        )
                    },
                }
            )
        series.append(
            {
                "type": "bar",
                "name": name,
                "data": data,
                "itemStyle": {"color": PALETTE[index % len(PALETTE)]},
                "label": {"show": True, "position": "top", "formatter": Markup("{c}%")},
                "barMaxWidth": 36,
            }
        )
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"top": 0},
        "grid": {"left": 48, "right": 16, "top": 40, "bottom": 40},
        "xAxis": {"type": "category", "data": [item.label for item in totals]},
        "yAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "series": series,
    }
