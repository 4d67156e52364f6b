"""地图: parks and projects by their coordinates, on a plain longitude/latitude plane.

No outline of China or of its provinces is drawn: a published map of China needs an approved
map number (审图号), which an open-source project cannot carry. The chart is an ECharts
scatter on a value × value grid (longitude across, latitude up) whose shape keeps the ground's
proportions: one degree of longitude is drawn cos(latitude) as wide as a degree of latitude
(a local equirectangular view), by sizing both the axes and the chart box (`Frame`).

A point's place is the record's own coordinates, else its park's (projects), else its
region's centre from the regions registry; a point placed at a region's centre says so in its
tooltip, and records sharing one place are spread on a small spiral around it so each can be
hovered and clicked. `points` reads the database (scoped to what the user sees); `frame`,
`spread` and `map_options` are plain computations.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.core.charts import BR, MUTED, tooltip_html
from parklink.core.registry import registry
from parklink.parks.models import Park
from parklink.projects.ageing import Colour
from parklink.projects.amounts import format_qualified
from parklink.projects.models import ProjectStage
from parklink.projects.queries import ProjectFilters, apply_filters, visible_projects

OWN, PARK, REGION = "own", "park", "region"
PARKS = "parks"
NO_COLOUR = "none"
# Series of the chart: parks, then projects by their warning colour.
SERIES_COLOURS = {
    PARKS: "#0a3069",
    Colour.GREEN.value: "#2ea043",
    Colour.YELLOW.value: "#d29922",
    Colour.RED.value: "#cf222e",
    Colour.REMOVAL.value: "#8250df",
    Colour.STALLED.value: "#57606a",
    NO_COLOUR: "#1f6feb",
}
# Degrees between records that share one place (about 1 km).
SPREAD_STEP = 0.01


@dataclass(frozen=True)
class Point:
    kind: str  # "park" or "project"
    pk: int
    name: str
    longitude: float
    latitude: float
    source: str  # OWN, PARK or REGION
    series: str  # PARKS or a colour value
    lines: tuple[str, ...] = ()  # the tooltip's further lines
    url: str = ""


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def place(
    own: tuple[Any, Any], park: tuple[Any, Any] | None, region: tuple[Any, Any]
) -> tuple[float, float, str] | None:
    """(longitude, latitude, source) from the first of own, park, region that has both."""
    for (longitude, latitude), source in (
        (own, OWN),
        (park or (None, None), PARK),
        (region, REGION),
    ):
        if longitude is not None and latitude is not None:
            return float(longitude), float(latitude), source
    return None


def spread(points: Sequence[Point]) -> list[Point]:
    """Records at exactly one place moved apart on a golden-angle spiral (the first stays)."""
    groups: dict[tuple[float, float], list[int]] = defaultdict(list)
    for index, point in enumerate(points):
        groups[(round(point.longitude, 6), round(point.latitude, 6))].append(index)
    moved = list(points)
    golden = math.pi * (3 - math.sqrt(5))
    for indices in groups.values():
        for n, index in enumerate(indices[1:], start=1):
            radius = SPREAD_STEP * math.sqrt(n)
            angle = n * golden
            point = moved[index]
            moved[index] = replace(
                point,
                longitude=round(point.longitude + radius * math.cos(angle), 6),
                latitude=round(point.latitude + radius * math.sin(angle), 6),
            )
    return moved


@dataclass(frozen=True)
class Frame:
    """The axes' ranges and the chart box's width/height ratio that keep one shape."""

    west: float
    east: float
    south: float
    north: float
    aspect: float  # width / height of the chart box


# The grid's margins, as fractions of the chart box (fixed, so the plot's shape is known).
GRID = {"left": 0.12, "right": 0.04, "top": 0.1, "bottom": 0.1}
ASPECT_RANGE = (0.75, 2.0)
MIN_SPAN = 0.2  # degrees: a single place still gets a readable neighbourhood


def frame(points: Sequence[Point]) -> Frame:
    """Axes and box for `points`: padded, at least MIN_SPAN wide, with equal ground scale."""
    if not points:
        return Frame(73.0, 135.0, 18.0, 54.0, 1.4)
    west = min(p.longitude for p in points)
    east = max(p.longitude for p in points)
    south = min(p.latitude for p in points)
    north = max(p.latitude for p in points)
    lon_span = max(east - west, MIN_SPAN) * 1.1
    lat_span = max(north - south, MIN_SPAN) * 1.1
    middle_lon, middle_lat = (west + east) / 2, (south + north) / 2
    scale = math.cos(math.radians(middle_lat))  # ground width of a degree of longitude
    plot = (1 - GRID["left"] - GRID["right"]) / (1 - GRID["top"] - GRID["bottom"])
    # The box's ratio follows the data's shape within bounds; the axes take up the rest.
    wanted = (lon_span * scale) / lat_span
    aspect = min(max(wanted / plot, ASPECT_RANGE[0]), ASPECT_RANGE[1])
    plot_ratio = aspect * plot  # width / height of the plotting area
    if lon_span * scale / lat_span < plot_ratio:
        lon_span = lat_span * plot_ratio / scale
    else:
        lat_span = lon_span * scale / plot_ratio
    return Frame(
        round(middle_lon - lon_span / 2, 4),
        round(middle_lon + lon_span / 2, 4),
        round(middle_lat - lat_span / 2, 4),
        round(middle_lat + lat_span / 2, 4),
        round(aspect, 4),
    )


def series_labels() -> dict[str, str]:
    return {
        PARKS: _("园区"),
        Colour.GREEN.value: _("项目·绿"),
        Colour.YELLOW.value: _("项目·黄"),
        Colour.RED.value: _("项目·红"),
        Colour.REMOVAL.value: _("项目·建议出库"),
        Colour.STALLED.value: _("项目·停滞"),
        NO_COLOUR: _("项目·不预警"),
    }


def source_text(source: str) -> str:
    return {
        OWN: _("坐标:本记录"),
        PARK: _("坐标:所在园区"),
        REGION: _("坐标:行政区中心(近似)"),
    }[source]


def map_options(points: Sequence[Point], box: Frame) -> dict[str, Any]:
    """The ECharts option: one scatter series per kind, tooltips escaped, clicks to the record."""
    labels = series_labels()
    by_series: dict[str, list[Point]] = defaultdict(list)
    for point in points:
        by_series[point.series].append(point)
    series = []
    for key, colour in SERIES_COLOURS.items():
        members = by_series.get(key, [])
        if not members:
            continue
        series.append(
            {
                "name": labels[key],
                "type": "scatter",
                "symbol": "diamond" if key == PARKS else "circle",
                "symbolSize": 14 if key == PARKS else 10,
                "itemStyle": {"color": colour, "borderColor": "#ffffff", "borderWidth": 1},
                "emphasis": {"scale": 1.6},
                "data": [
                    {
                        "name": point.name,
                        "value": [point.longitude, point.latitude],
                        "url": point.url,
                        "tooltip": {
                            "formatter": tooltip_html(
                                point.name,
                                *(part for line in point.lines for part in (BR, line)),
                                BR,
                                source_text(point.source),
                            )
                        },
                    }
                    for point in members
                ],
            }
        )
    axis = {
        "type": "value",
        "scale": True,
        "splitLine": {"lineStyle": {"color": "#eaeef2"}},
        # The ends of the range are not round numbers: only the ticks between them are labelled.
        "axisLabel": {
            "color": MUTED,
            "formatter": "{value}°",
            "showMinLabel": False,
            "showMaxLabel": False,
        },
        "nameTextStyle": {"color": MUTED},
    }
    return {
        "title": {
            "text": _("暂无可画出的园区或项目"),
            "left": "center",
            "top": "middle",
            "textStyle": {"color": MUTED, "fontSize": 14},
            "show": not points,
        },
        "legend": {"top": 0, "left": "center", "type": "scroll"},
        "tooltip": {"trigger": "item", "confine": True},
        "grid": {key: f"{value * 100:.0f}%" for key, value in GRID.items()},
        "xAxis": {**axis, "name": _("经度"), "min": box.west, "max": box.east},
        "yAxis": {**axis, "name": _("纬度"), "min": box.south, "max": box.north},
        "series": series,
    }


# ---------------------------------------------------------------- reading the records


@dataclass(frozen=True)
class MapData:
    points: list[Point]
    unplaced_projects: int
    unplaced_parks: int
    frame: Frame

    @property
    def options(self) -> dict[str, Any]:
        return map_options(self.points, self.frame)


def map_data(user: User, filters: ProjectFilters, *, parks: bool = True) -> MapData:
    """The points the user may see: visible projects under `filters`, and (when `parks`) the
    visible parks those filters leave in view (all visible parks when no project filter on
    stage, sector or colour is set, else the parks of the projects shown)."""
    from parklink.projects.services import colours_of

    projects = list(
        apply_filters(visible_projects(user), filters)
        .select_related("park", "region", "investor")
        .only(
            "pk",
            "name",
            "stage",
            "stalled_from",
            "owner_id",
            "last_progress_on",
            "sector",
            "total_investment",
            "total_investment_qualifier",
            "longitude",
            "latitude",
            "park__longitude",
            "park__latitude",
            "park__name",
            "region__longitude",
            "region__latitude",
            "region__name",
            "investor__name",
        )
    )
    colours = colours_of(projects)
    stages = dict(ProjectStage.choices)
    found: list[Point] = []
    unplaced_projects = 0
    for project in projects:
        park = project.park
        spot = place(
            (project.longitude, project.latitude),
            (park.longitude, park.latitude) if park is not None else None,
            (project.region.longitude, project.region.latitude),
        )
        if spot is None:
            unplaced_projects += 1
            continue
        colour = colours[project.pk]
        lines = [f"{_('阶段')}:{stages.get(project.stage, project.stage)}"]
        if project.sector:
            lines.append(f"{_('产业领域')}:{project.sector}")
        if project.total_investment is not None:
            lines.append(
                f"{_('总投资')}:"
                + format_qualified(project.total_investment, project.total_investment_qualifier)
            )
        if project.investor is not None:
            lines.append(f"{_('投资企业')}:{project.investor.name}")
        found.append(
            Point(
                "project",
                project.pk,
                project.name,
                spot[0],
                spot[1],
                spot[2],
                colour.value if colour is not None else NO_COLOUR,
                tuple(lines),
                reverse("projects:detail", args=[project.pk]),
            )
        )
    unplaced_parks = 0
    if parks:
        narrowed = bool(filters.stage or filters.sector or filters.colour)
        park_qs = registry.visible(Park, user).select_related("region")
        if narrowed or filters.park:
            park_qs = park_qs.filter(pk__in={p.park_id for p in projects if p.park_id})
        for park in park_qs.order_by("name"):
            spot = place(
                (park.longitude, park.latitude), None, (park.region.longitude, park.region.latitude)
            )
            if spot is None:
                unplaced_parks += 1
                continue
            found.append(
                Point(
                    "park",
                    park.pk,
                    park.name,
                    spot[0],
                    spot[1],
                    spot[2],
                    PARKS,
                    (f"{_('园区')} · {park.region.name}",),
                    reverse("parks:detail", args=[park.pk]),
                )
            )
    placed = spread(found)
    return MapData(placed, unplaced_projects, unplaced_parks, frame(placed))


def as_json(data: MapData) -> dict[str, Any]:
    """The points as plain data (the map's JSON endpoint)."""
    return {
        "points": [
            {
                "kind": p.kind,
                "id": p.pk,
                "name": p.name,
                "longitude": p.longitude,
                "latitude": p.latitude,
                "source": p.source,
                "series": p.series,
                "url": p.url,
            }
            for p in data.points
        ],
        "unplaced": {"projects": data.unplaced_projects, "parks": data.unplaced_parks},
        "frame": {
            "west": data.frame.west,
            "east": data.frame.east,
            "south": data.frame.south,
            "north": data.frame.north,
            "aspect": data.frame.aspect,
        },
    }
