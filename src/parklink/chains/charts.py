"""The chain map as an ECharts option: a graph laid out by chain order (no ORM).

Columns are the segments' supply depth (upstream left, downstream right), rows their order
within a column, placed on a hidden cartesian grid (so that symbols stay round); a node's
colour is its label, its size grows with its enterprise count, and a click opens the
segment's enterprises and projects (the node's `url`). Segment names reach the canvas only
through `core.charts` (`label_text`, `tooltip_html`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from parklink.chains.coverage import Label
from parklink.core.charts import BR, INK, label_text, tooltip_html

COLOURS = {
    Label.STRONG: "#1a7f37",
    Label.PRESENT: "#1f6feb",
    Label.WEAK: "#d29922",
    Label.MISSING: "#cf222e",
}
ROW = 110  # pixels per row of the tallest column


def label_colour(label: Label) -> str:
    return COLOURS[label]


def chain_map(
    found: Any,
    url_for: Callable[[str], str],
    names: dict[str, str],
    title: str = "",
    selected: str = "",
    stage_names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The graph option for a `services.coverage.Coverage`."""
    columns: dict[int, list[Any]] = defaultdict(list)
    for item in found.segments:
        columns[item.depth].append(item)
    nodes = []
    for depth, items in sorted(columns.items()):
        for row, item in enumerate(items):
            colour = COLOURS[item.label]
            size = 34 + 14 * math.sqrt(item.enterprises)
            stages = "、".join(
                f"{(stage_names or {}).get(stage, stage)} {count}"
                for stage, count in sorted(item.projects.items())
            )
            nodes.append(
                {
                    "id": item.key,
                    "name": label_text(item.segment.name),
                    # [column, row] on a hidden cartesian grid: symbols stay round.
                    "value": [depth, (len(items) - 1) / 2 - row],
                    "symbolSize": round(min(size, 110), 1),
                    "itemStyle": {
                        "color": colour,
                        "borderColor": "#0a3069" if item.key == selected else "#ffffff",
                        "borderWidth": 4 if item.key == selected else 1,
                    },
                    "url": url_for(item.key),
                    "tooltip": {
                        "formatter": tooltip_html(
                            item.segment.name,
                            BR,
                            names[item.label.code],
                            " · ",
                            _("企业 %(n)s 家") % {"n": item.enterprises},
                            BR,
                            _("链主 %(a)s · 上市 %(b)s · 高新 %(c)s")
                            % {"a": item.leaders, "b": item.listed, "c": item.high_tech},
                            BR,
                            _("可见项目 %(n)s 个") % {"n": item.project_total},
                            *([" (", stages, ")"] if stages else []),
                        )
                    },
                }
            )
    half = max((len(items) - 1) / 2 for items in columns.values()) if columns else 0
    links = [{"source": supplier, "target": buyer} for supplier, buyer in found.chain.edges]
    links += [
        {
            "source": segment.parent,
            "target": segment.key,
            "lineStyle": {"type": "dashed", "curveness": 0.2},
        }
        for segment in found.chain.segments
        if segment.parent
    ]
    return {
        "title": {"text": label_text(title), "left": 8, "top": 4, "show": bool(title)},
        "tooltip": {"trigger": "item"},
        "toolbox": {
            "right": 12,
            "feature": {
                "saveAsImage": {
                    "title": label_text(_("保存为图片")),
                    "name": label_text(title or "chain"),
                    "pixelRatio": 2,
                    "backgroundColor": "#ffffff",
                }
            },
        },
        "legend": {"show": False},
        "grid": {"left": 70, "right": 70, "top": 70, "bottom": 50},
        "xAxis": {"type": "value", "show": False, "min": -0.4, "max": max(columns) + 0.4},
        "yAxis": {"type": "value", "show": False, "min": -half - 0.6, "max": half + 0.6},
        "series": [
            {
                "type": "graph",
                "coordinateSystem": "cartesian2d",
                "label": {
                    "show": True,
                    "position": "bottom",
                    "fontSize": 12,
                    "width": 110,
                    "overflow": "break",
                    "color": INK,
                },
                "edgeSymbol": ["none", "arrow"],
                "edgeSymbolSize": 9,
                "lineStyle": {"color": "#8c959f", "width": 1.5, "curveness": 0.1},
                "emphasis": {"focus": "adjacency"},
                "data": nodes,
                "links": links,
            }
        ],
    }


def map_height(found: Any) -> int:
    per_column: dict[int, int] = defaultdict(int)
    for item in found.segments:
        per_column[item.depth] += 1
    return max(340, 140 + ROW * max(per_column.values(), default=1))


def division_heatmap(
    chains: list[str], cities: list[str], carried: list[list[int]], leads: list[int | None]
) -> dict[str, Any]:
    """Chains × member cities: how many segments each city carries; the lead city marked ★.

    `carried[i][j]` is chain i's segments labelled present or strong in city j; `leads[i]`
    the lead city's column (None: no lead city stated).
    """
    data = []
    for row, (name, counts) in enumerate(zip(chains, carried, strict=True)):
        for column, count in enumerate(counts):
            lead = leads[row] == column
            data.append(
                {
                    "value": [column, row, count],
                    "label": {"formatter": f"{'★ ' if lead else ''}{count}"},
                    "tooltip": {
                        "formatter": tooltip_html(
                            name,
                            " · ",
                            cities[column],
                            BR,
                            _("承载环节 %(n)s 个") % {"n": count},
                            *([BR, _("主导城市")] if lead else []),
                        )
                    },
                }
            )
    top = max((count for counts in carried for count in counts), default=0)
    return {
        "tooltip": {"trigger": "item"},
        "grid": {"left": 150, "right": 24, "top": 36, "bottom": 56},
        "xAxis": {
            "type": "category",
            "data": [label_text(city) for city in cities],
            "position": "top",
            "splitArea": {"show": True},
        },
        "yAxis": {
            "type": "category",
            "data": [label_text(name) for name in chains],
            "inverse": True,
            "splitArea": {"show": True},
        },
        "visualMap": {
            "min": 0,
            "max": max(top, 1),
            "orient": "horizontal",
            "left": "center",
            "bottom": 4,
            "calculable": False,
            "inRange": {"color": ["#f6f8fa", "#1f6feb"]},
            "text": [label_text(_("多")), label_text(_("少"))],
        },
        "series": [
            {
                "type": "heatmap",
                "data": data,
                "label": {"show": True},
                "emphasis": {"itemStyle": {"borderColor": INK, "borderWidth": 1}},
            }
        ],
    }
