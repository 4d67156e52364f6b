"""The positioning page's ECharts option (no ORM): the place's industries by density and PCI.

Each quadrant is a series; a point's name is the industry's code and standard name (ECharts
escapes data names where they reach HTML), its value [density, PCI, COG]. The medians over the
place's candidates are drawn as lines, so the quadrants read off the chart.
"""

from __future__ import annotations

import math
from typing import Any

from parklink.core.charts import MUTED, PALETTE, label_text
from parklink.positioning.recommend import PlaceRecommendations

SERIES = (
    ("opportunity", 1),
    ("entrant", 0),
    ("threat", 3),
    ("none", None),
    ("strength", 4),
    ("weakness", 2),
)


def scatter(
    found: PlaceRecommendations, names: dict[str, str], labels: dict[str, str]
) -> dict[str, Any]:
    candidates = [i for i in found.items if not i.present]
    density_median = pci_median = math.nan
    if candidates:
        first = candidates[0].reasons
        values = dict(first)
        density_median = values.get("density_median", math.nan)
        pci_median = values.get("pci_median", math.nan)
    series = []
    for quadrant, colour in SERIES:
        points = [
            {
                "name": f"{i.industry} {names.get(i.industry, '')}".strip(),
                "value": [round(i.density, 6), round(i.pci, 6), round(i.cog, 6)],
            }
            for i in found.items
            if i.quadrant == quadrant and math.isfinite(i.density) and math.isfinite(i.pci)
        ]
        if not points:
            continue
        entry: dict[str, Any] = {
            "type": "scatter",
            "name": label_text(labels[quadrant]),
            "data": points,
            "symbolSize": 11 if quadrant in ("strength", "weakness") else 9,
            "symbol": "diamond" if quadrant in ("strength", "weakness") else "circle",
            "itemStyle": {"color": PALETTE[colour] if colour is not None else MUTED},
        }
        series.append(entry)
    if series and math.isfinite(density_median) and math.isfinite(pci_median):
        series[0]["markLine"] = {
            "silent": True,
            "symbol": "none",
            "lineStyle": {"type": "dashed", "color": MUTED},
            "label": {"show": False},
            "data": [{"xAxis": round(density_median, 6)}, {"yAxis": round(pci_median, 6)}],
        }
    return {
        "legend": {"top": 0},
        "grid": {"left": 56, "right": 24, "top": 40, "bottom": 48},
        "tooltip": {"trigger": "item"},
        "xAxis": {"type": "value", "name": "density", "nameLocation": "middle", "nameGap": 28},
        "yAxis": {"type": "value", "name": "PCI", "nameLocation": "middle", "nameGap": 40},
        "series": series,
    }
