"""ECharts options of the project figures shown on other apps' pages, from plain data.

The dashboard's own charts are in `dashboard_charts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parklink.core.charts import PALETTE


def stage_bars(stages: Sequence[tuple[str, int, str]]) -> dict[str, Any]:
    """Project counts per stage as horizontal bars; each bar links to the filtered list."""
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}:{c}"},
        "grid": {"top": 8, "left": 56, "right": 36, "bottom": 8, "containLabel": False},
        "xAxis": {"type": "value", "minInterval": 1, "show": False},
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [label for label, _count, _url in stages],
            "axisTick": {"show": False},
        },
        "series": [
            {
                "type": "bar",
                "barMaxWidth": 18,
                "itemStyle": {"color": PALETTE[0], "borderRadius": [0, 3, 3, 0]},
                "label": {"show": True, "position": "right"},
                "data": [
                    {"value": count, "name": label, "url": url} for label, count, url in stages
                ],
            }
        ],
    }
