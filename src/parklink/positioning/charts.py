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


def industry_space(
    proximity: Any,
    industries: list[str],
    present: set[str],
    names: dict[str, str],
    labels: tuple[str, str],
    extra_edges: int = 2,
) -> dict[str, Any]:
    """The proximity network (产业空间): the maximum spanning tree of φ plus each industry's
    `extra_edges` strongest other links, the place's industries highlighted, laid out by force."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import minimum_spanning_tree

    phi = np.array(proximity, dtype=float)
    n = len(industries)
    if n < 2:
        return {}
    np.fill_diagonal(phi, 0.0)
    # The maximum spanning tree is the minimum one on 1 − φ (links with φ = 0 are no links).
    distance = np.where(phi > 0, 1.0 + 1e-9 - phi, 0.0)
    tree = minimum_spanning_tree(csr_matrix(distance)).tocoo()
    edges = {
        (min(i, j), max(i, j)) for i, j in zip(tree.row.tolist(), tree.col.tolist(), strict=True)
    }
    for i in range(n):
        for j in np.argsort(-phi[i])[:extra_edges].tolist():
            if phi[i, j] > 0 and i != j:
                edges.add((min(i, j), max(i, j)))
    has, lacks = labels
    x, y = _spectral_layout(phi, edges)
    nodes = [
        {
            "name": f"{code} {names.get(code, '')}".strip(),
            "category": 0 if code in present else 1,
            "symbolSize": 14 if code in present else 8,
            "x": x[index],
            "y": y[index],
        }
        for index, code in enumerate(industries)
    ]
    links = [
        {
            "source": nodes[i]["name"],
            "target": nodes[j]["name"],
            "value": round(float(phi[i, j]), 4),
            "lineStyle": {"width": 0.5 + 2.5 * float(phi[i, j]), "opacity": 0.5},
        }
        for i, j in sorted(edges)
    ]
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"top": 0, "data": [label_text(has), label_text(lacks)]},
        "series": [
            {
                "type": "graph",
                # Positions computed here (deterministic, the same on every visit); ECharts fits
                # them into the box below the legend.
                "layout": "none",
                "top": 40,
                "bottom": 12,
                "left": 12,
                "right": 12,
                "roam": True,
                "categories": [
                    {"name": label_text(has), "itemStyle": {"color": PALETTE[1]}},
                    {"name": label_text(lacks), "itemStyle": {"color": MUTED}},
                ],
                "data": nodes,
                "links": links,
            }
        ],
    }


def _spectral_layout(phi: Any, edges: set[tuple[int, int]]) -> tuple[list[float], list[float]]:
    """Two coordinates per industry from the drawn network's Laplacian (its second and third
    eigenvectors): strongly linked industries sit close together; scaled to 0..1000."""
    import numpy as np
    from scipy.linalg import eigh

    n = phi.shape[0]
    weights = np.zeros((n, n))
    for i, j in edges:
        weights[i, j] = weights[j, i] = phi[i, j]
    laplacian = np.diag(weights.sum(axis=1)) - weights
    if n < 3:
        return [float(i) * 1000.0 for i in range(n)], [500.0] * n
    _values, vectors = eigh(laplacian, subset_by_index=[1, 2])
    coords = []
    for column in (vectors[:, 0], vectors[:, 1]):
        low, high = float(column.min()), float(column.max())
        span = high - low or 1.0
        coords.append([round((float(v) - low) / span * 1000.0, 2) for v in column])
    return coords[0], coords[1]
