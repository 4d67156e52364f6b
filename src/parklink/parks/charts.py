"""ECharts option dicts for a park's page, built from plain data (no queries).

The hierarchy (一区多园), linkages (三园联动), carrier occupancy and yearly indicators; the
enterprise and project charts other apps show live in those apps (`enterprises.charts`,
`projects.charts`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from parklink.core.charts import ACCENT, INK, MUTED, PALETTE, label_text, rich_text, tooltip_html
from parklink.core.money import YI


@dataclass(frozen=True)
class TreeItem:
    """One park in a hierarchy: its parent is another item's id (None at the top)."""

    id: int
    name: str
    parent_id: int | None
    url: str = ""


@dataclass(frozen=True)
class MemberItem:
    """One park of a linkage with its role there (e.g. 研发孵化)."""

    park_id: int
    park_name: str
    role_label: str
    url: str = ""


@dataclass(frozen=True)
class LinkageItem:
    """A linkage (三园联动) and its members in their agreed order."""

    name: str
    members: Sequence[MemberItem] = field(default_factory=tuple)


def _round(value: Decimal | float, places: int = 2) -> float:
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


# ---------------------------------------------------------------- hierarchy (一区多园)


def _children(items: Sequence[TreeItem]) -> tuple[list[TreeItem], dict[int, list[TreeItem]]]:
    ids = {item.id for item in items}
    roots: list[TreeItem] = []
    children: dict[int, list[TreeItem]] = {}
    for item in items:
        if item.parent_id is None or item.parent_id not in ids:
            roots.append(item)
        else:
            children.setdefault(item.parent_id, []).append(item)
    return roots, children


def leaf_count(items: Sequence[TreeItem]) -> int:
    """How many leaves the hierarchy has (the tree chart's height grows with it)."""
    _roots, children = _children(items)
    return sum(1 for item in items if item.id not in children) or 1


def hierarchy_tree(items: Sequence[TreeItem], current_id: int) -> dict[str, Any]:
    """A left-to-right tree of the hierarchy with `current_id` highlighted; nodes link out."""
    roots, children = _children(items)

    def node(item: TreeItem, seen: frozenset[int]) -> dict[str, Any]:
        data: dict[str, Any] = {"name": item.name, "id": str(item.id)}
        kids = [node(k, seen | {item.id}) for k in children.get(item.id, []) if k.id not in seen]
        if kids:
            data["children"] = kids
        if item.id == current_id:
            data["itemStyle"] = {"color": ACCENT, "borderColor": ACCENT}
            data["symbolSize"] = 16
            data["label"] = {"fontWeight": "bold", "color": ACCENT}
        elif item.url:
            data["url"] = item.url
        return data

    nodes = [node(root, frozenset()) for root in roots]
    root = nodes[0] if len(nodes) == 1 else {"name": "", "children": nodes}
    return {
        "tooltip": {"trigger": "item", "triggerOn": "mousemove"},
        "series": [
            {
                "type": "tree",
                "data": [root],
                "orient": "LR",
                "top": 16,
                "bottom": 16,
                "left": 150,
                "right": 190,
                "symbol": "circle",
                "symbolSize": 11,
                "initialTreeDepth": -1,
                "expandAndCollapse": False,
                "itemStyle": {"color": PALETTE[0], "borderColor": PALETTE[0]},
                "lineStyle": {"color": "#b8c4d6", "width": 1.5},
                "label": {
                    "position": "left",
                    "verticalAlign": "middle",
                    "align": "right",
                    "fontSize": 13,
                },
                "leaves": {
                    "label": {"position": "right", "verticalAlign": "middle", "align": "left"}
                },
                "emphasis": {"focus": "descendant"},
                "animationDuration": 300,
            }
        ],
    }


# ---------------------------------------------------------------- linkages (三园联动)


def linkage_graph(linkages: Sequence[LinkageItem], current_id: int | None) -> dict[str, Any]:
    """Linked parks as a left-to-right flow per linkage; roles are categories and labels.

    Nodes sit on a hidden grid (column = place in the linkage, row = linkage), so the drawing
    keeps its proportions whatever the number of members.
    """
    roles, nodes = _graph_nodes(linkages, current_id)
    columns = max((len(linkage.members) for linkage in linkages), default=1)
    return _graph_option(roles, nodes, _graph_links(linkages), columns, len(linkages))


def _graph_nodes(
    linkages: Sequence[LinkageItem], current_id: int | None
) -> tuple[list[str], list[dict[str, Any]]]:
    """The roles in order of appearance, and one node per park labelled with all its roles."""
    roles: list[str] = []
    nodes: dict[int, dict[str, Any]] = {}
    node_roles: dict[int, list[str]] = {}
    for row, linkage in enumerate(linkages):
        for column, member in enumerate(linkage.members):
            if member.role_label not in roles:
                roles.append(member.role_label)
            node_roles.setdefault(member.park_id, [])
            if member.role_label not in node_roles[member.park_id]:
                node_roles[member.park_id].append(member.role_label)
            if member.park_id not in nodes:
                nodes[member.park_id] = _graph_node(member, column, row, current_id)
    for park_id, data in nodes.items():
        data["category"] = roles.index(node_roles[park_id][0])
        role_text = "、".join(node_roles[park_id])
        data["label"] = {
            "show": True,
            "position": "bottom",
            "formatter": rich_text("name", data["name"]) + "\n" + rich_text("role", role_text),
        }
        data["tooltip"] = {"formatter": tooltip_html(data["name"], ":", role_text)}
    return roles, list(nodes.values())


def _graph_links(linkages: Sequence[LinkageItem]) -> list[dict[str, Any]]:
    """An arrow from each member to the next; named on the line when there are several."""
    links: list[dict[str, Any]] = []
    for linkage in linkages:
        for before, after in zip(linkage.members, linkage.members[1:], strict=False):
            link: dict[str, Any] = {
                "source": str(before.park_id),
                "target": str(after.park_id),
                "name": linkage.name,
            }
            if len(linkages) > 1:
                link["label"] = {
                    "show": True,
                    "formatter": label_text(linkage.name),
                    "fontSize": 11,
                }
            links.append(link)
    return links


def _graph_option(
    roles: list[str],
    nodes: list[dict[str, Any]],
    links: list[dict[str, Any]],
    columns: int,
    rows: int,
) -> dict[str, Any]:
    """The ECharts option of the graph: nodes on a hidden grid, a legend of roles."""
    hidden = {"show": False}
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"data": roles, "top": 0},
        "color": PALETTE,
        "grid": {"top": 56, "bottom": 56, "left": 110, "right": 110},
        "xAxis": {
            "type": "value",
            "min": 0 if columns > 1 else -1,
            "max": max(columns - 1, 1),
            **hidden,
        },
        "yAxis": {
            "type": "value",
            "min": -0.5,
            "max": rows - 0.5,
            "inverse": True,
            **hidden,
        },
        "series": [
            {
                "type": "graph",
                "coordinateSystem": "cartesian2d",
                "symbolSize": 44,
                "edgeSymbol": ["circle", "arrow"],
                "edgeSymbolSize": [4, 12],
                "categories": [{"name": role} for role in roles],
                "lineStyle": {"width": 2, "color": "#9aa8bd", "curveness": 0},
                "label": {
                    "rich": {
                        "name": {
                            "fontSize": 13,
                            "fontWeight": "bold",
                            "color": INK,
                            "lineHeight": 20,
                        },
                        "role": {"fontSize": 12, "color": MUTED},
                    }
                },
                "edgeLabel": {"fontSize": 11, "color": MUTED},
                "emphasis": {"focus": "adjacency"},
                "data": nodes,
                "links": links,
            }
        ],
    }


def _graph_node(
    member: MemberItem, column: int, row: int, current_id: int | None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(member.park_id),
        "name": member.park_name,
        "value": [column, row],
    }
    if member.park_id == current_id:
        data["symbolSize"] = 58
        data["itemStyle"] = {"borderColor": ACCENT, "borderWidth": 4}
    elif member.url:
        data["url"] = member.url
    return data


# ---------------------------------------------------------------- carriers


def occupancy_gauge(built_m2: Decimal | None, occupied_m2: Decimal | None) -> dict[str, Any] | None:
    """A gauge of occupied / built carrier space in %, or None without both figures."""
    if not built_m2 or occupied_m2 is None:
        return None
    rate = _round(Decimal(occupied_m2) / Decimal(built_m2) * 100, 1)
    colour = PALETTE[1] if rate >= 80 else PALETTE[2] if rate >= 50 else ACCENT
    return {
        "series": [
            {
                "type": "gauge",
                "min": 0,
                "max": 100,
                "startAngle": 210,
                "endAngle": -30,
                "radius": "92%",
                "center": ["50%", "58%"],
                "progress": {"show": True, "width": 14, "itemStyle": {"color": colour}},
                "axisLine": {"lineStyle": {"width": 14, "color": [[1, "#e6ebf2"]]}},
                "pointer": {"show": False},
                "axisTick": {"show": False},
                "splitLine": {"show": False},
                "axisLabel": {"show": False},
                "title": {"offsetCenter": [0, "38%"], "fontSize": 13, "color": MUTED},
                "detail": {
                    "valueAnimation": True,
                    "offsetCenter": [0, "-4%"],
                    "fontSize": 26,
                    "fontWeight": "bold",
                    "formatter": "{value}%",
                    "color": INK,
                },
                "data": [{"value": rate, "name": _("载体入驻率")}],
            }
        ],
    }


# ---------------------------------------------------------------- yearly indicators


def _years(series: Mapping[str, Mapping[int, Any]]) -> list[int]:
    return sorted({year for values in series.values() for year in values})


def _bars(
    series: Mapping[str, Mapping[int, Decimal]],
    scale: Decimal,
    unit: str,
    label_suffix: str,
    y_max: float | None = None,
) -> dict[str, Any]:
    years = _years(series)
    y_axis: dict[str, Any] = {
        "type": "value",
        "name": unit,
        "axisLabel": {"formatter": "{value}" + label_suffix},
    }
    if y_max is not None:
        y_axis["max"] = y_max
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "color": PALETTE,
        "grid": {"top": 48, "left": 56, "right": 24, "bottom": 32},
        "xAxis": {"type": "category", "data": [str(year) for year in years]},
        "yAxis": y_axis,
        "series": [
            {
                "type": "bar",
                "name": name,
                "barMaxWidth": 42,
                "label": {"show": True, "position": "top", "formatter": "{c}" + label_suffix},
                "data": [
                    _round(values[year] / scale) if year in values else None for year in years
                ],
            }
            for name, values in series.items()
        ],
    }


def money_bars(series: Mapping[str, Mapping[int, Decimal]]) -> dict[str, Any]:
    """Bars per year of money indicators held in 元, drawn in 亿元."""
    return _bars(series, YI, _("亿元"), "")


def share_bars(series: Mapping[str, Mapping[int, Decimal]]) -> dict[str, Any]:
    """Bars per year of shares given in percent (0–100)."""
    return _bars(series, Decimal(1), "%", "%", y_max=100)


def rank_line(ranks: Mapping[int, int], totals: Mapping[int, int]) -> dict[str, Any]:
    """National rank by year on an inverted axis (1st at the top), out of the year's total."""
    years = sorted(ranks)
    y_axis: dict[str, Any] = {"type": "value", "inverse": True, "min": 1, "name": _("位次")}
    if totals:
        y_axis["max"] = max(totals.values())
    return {
        "tooltip": {"trigger": "axis"},
        "color": [PALETTE[4]],
        "grid": {"top": 40, "left": 56, "right": 32, "bottom": 32},
        "xAxis": {"type": "category", "data": [str(year) for year in years], "boundaryGap": True},
        "yAxis": y_axis,
        "series": [
            {
                "type": "line",
                "name": _("全国排名"),
                "symbolSize": 10,
                "label": {"show": True, "position": "top", "formatter": "{c}"},
                "data": [
                    {
                        "value": ranks[year],
                        "name": (
                            _("%(year)s年共%(total)s家") % {"year": year, "total": totals[year]}
                        )
                        if year in totals
                        else str(year),
                    }
                    for year in years
                ],
            }
        ],
    }
