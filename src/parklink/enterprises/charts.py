"""The ECharts option of an enterprise's sites, built from plain data (no queries)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from parklink.core.charts import MUTED, PALETTE, label_text


@dataclass(frozen=True)
class SiteItem:
    """A place an enterprise works at (a park or a region) and what it does there."""

    key: str
    name: str
    role_label: str
    url: str = ""


def sites_graph(enterprise_name: str, sites: Sequence[SiteItem]) -> dict[str, Any]:
    """The enterprise in the middle, its sites around it, each edge labelled with the role."""
    centre = {
        "id": "enterprise",
        "name": enterprise_name,
        "value": [0, 0],
        "symbolSize": 52,
        "itemStyle": {"color": PALETTE[0]},
        "label": {"show": True, "position": "bottom", "fontWeight": "bold"},
    }
    nodes: list[dict[str, Any]] = [centre]
    links: list[dict[str, Any]] = []
    places: dict[str, dict[str, Any]] = {}
    for site in sites:
        if site.key not in places:
            places[site.key] = {
                "id": site.key,
                "name": site.name,
                "symbolSize": 34,
                "itemStyle": {"color": PALETTE[1]},
                "label": {"show": True, "position": "bottom"},
            }
            if site.url:
                places[site.key]["url"] = site.url
        links.append(
            {
                "source": "enterprise",
                "target": site.key,
                "label": {"show": True, "formatter": label_text(site.role_label)},
            }
        )
    count = len(places)
    for index, node in enumerate(places.values()):
        # Spread the sites on a circle around the enterprise, the first one straight above.
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        node["value"] = [round(math.cos(angle), 3), round(math.sin(angle), 3)]
        nodes.append(node)
    hidden = {"show": False}
    return {
        "tooltip": {"trigger": "item"},
        "grid": {"top": 36, "bottom": 40, "left": 90, "right": 90},
        "xAxis": {"type": "value", "min": -1.15, "max": 1.15, **hidden},
        "yAxis": {"type": "value", "min": -1.15, "max": 1.15, "inverse": True, **hidden},
        "series": [
            {
                "type": "graph",
                "coordinateSystem": "cartesian2d",
                "lineStyle": {"width": 2, "color": "#9aa8bd"},
                "edgeSymbol": ["none", "arrow"],
                "edgeSymbolSize": 9,
                "edgeLabel": {"fontSize": 12, "color": MUTED},
                "data": nodes,
                "links": links,
            }
        ],
    }
