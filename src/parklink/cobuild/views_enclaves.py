"""Innovation enclave pages (科创飞地): the list with the 三园联动 flows, one enclave's figures.

Every figure is computed by `services.enclaves.figures` from the records; the article's own
figures are shown only as its cited quotes (文章所载), apart from what the system computes
(系统计算). An enclave the user may not see is a 404, like a missing one.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from parklink.accounts.services import ensure_can_write
from parklink.cobuild.services import enclaves
from parklink.core.charts import PALETTE
from parklink.core.errors import Forbidden
from parklink.core.sources import sources_of
from parklink.core.views import authenticated

FLOW_HEIGHT = 360


def _may_write(user: Any, owner_id: int) -> bool:
    try:
        ensure_can_write(user, owner_id)
    except Forbidden:
        return False
    return True


def exact_yuan(value: Decimal) -> str:
    """12345679.01 → "12,345,679.01" (元, exactly as summed)."""
    return f"{value:,.2f}"


def _unique(name: str, taken: set[str]) -> str:
    """A node name not used yet (ECharts' sankey tells nodes apart by name)."""
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} ({n})", n + 1
    taken.add(candidate)
    return candidate


def _sankey(nodes: list[dict[str, Any]], links: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "sankey",
                "left": 8,
                "right": 160,
                "top": 16,
                "bottom": 16,
                "nodeAlign": "left",
                "emphasis": {"focus": "adjacency"},
                "lineStyle": {"color": "gradient", "opacity": 0.35},
                "label": {"fontSize": 12},
                "data": nodes,
                "links": links,
            }
        ],
    }


def _node(name: str, column: int, url: str = "") -> dict[str, Any]:
    node: dict[str, Any] = {
        "name": name,
        "depth": column,
        "itemStyle": {"color": PALETTE[column % len(PALETTE)]},
    }
    if url:
        node["url"] = url
    return node


def enclave_flow(enclave: Any, found: enclaves.Figures) -> dict[str, Any]:
    """Enclave → tenants → their landing sites and projects in the home county (a sankey)."""
    if not found.rows:
        return {}
    taken: set[str] = set()
    root = _unique(enclave.name, taken)
    nodes = [_node(root, 0)]
    links: list[dict[str, Any]] = []
    waiting = ""
    for row in found.rows:
        firm = row.tenancy.enterprise
        tenant = _unique(firm.short_name or firm.name, taken)
        nodes.append(_node(tenant, 1, reverse("enterprises:detail", args=[firm.pk])))
        links.append({"source": root, "target": tenant, "value": 1})
        if not row.landings:
            if not waiting:
                waiting = _unique(_("尚未落地"), taken)
                nodes.append(_node(waiting, 2))
            links.append({"source": tenant, "target": waiting, "value": 1})
            continue
        share = round(1 / len(row.landings), 4)
        for item in row.landings:
            url = (
                reverse("projects:detail", args=[item.pk])
                if item.kind == "project"
                else reverse("enterprises:detail", args=[firm.pk])
            )
            target = _unique(f"{item.label}({item.place})" if item.place else item.label, taken)
            nodes.append(_node(target, 2, url))
            links.append({"source": tenant, "target": target, "value": share})
    return _sankey(nodes, links)


def linkage_flow(flow: enclaves.LinkageFlow) -> dict[str, Any]:
    """A linkage's parks by stage (研发孵化 → 配套制造 → 本地落地) as the same kind of sankey."""
    taken: set[str] = set()
    columns: list[list[str]] = []
    nodes: list[dict[str, Any]] = []
    for column, stage in enumerate(flow.stages):
        names = []
        for member in stage:
            park = member.park
            name = _unique(f"{park.short_name or park.name}·{member.get_role_display()}", taken)
            nodes.append(_node(name, column, reverse("parks:detail", args=[park.pk])))
            names.append(name)
        columns.append(names)
    links = [
        {"source": source, "target": target, "value": 1}
        for before, after in pairwise(columns)
        for source in before
        for target in after
    ]
    return _sankey(nodes, links)


@login_required
def enclave_list(request: HttpRequest) -> HttpResponse:
    """The enclaves the user may see with their computed figures; linkages shown as flows."""
    user = authenticated(request)
    visible = list(
        enclaves.visible_enclaves(user)
        .select_related("owner", "home_region", "host_region")
        .order_by("name", "pk")
    )
    computed = enclaves.figures_of(user, visible)
    rows = [(enclave, computed[enclave.pk]) for enclave in visible]
    flows = [
        (
            flow,
            linkage_flow(flow),
            f"linkage-flow-{flow.linkage.pk}",
            f"linkage-flow-{flow.linkage.pk}-options",
        )
        for flow in enclaves.linkage_flows()
    ]
    return render(
        request,
        "cobuild/enclave_list.html",
        {
            "rows": [(e, f, exact_yuan(f.investment)) for e, f in rows],
            "can_create": user.can_write,
            "flows": flows,
            "flow_height": FLOW_HEIGHT,
        },
    )


@login_required
def enclave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    enclave = enclaves.get_visible(user, pk)
    found = enclaves.figures(user, enclave)
    return render(
        request,
        "cobuild/enclave_detail.html",
        {
            "enclave": enclave,
            "figures": found,
            "investment": exact_yuan(found.investment),
            "flow": enclave_flow(enclave, found),
            "flow_height": max(FLOW_HEIGHT, 36 * len(found.rows)),
            "sources": list(sources_of(enclave)),
            "can_edit": _may_write(user, enclave.owner_id),
        },
    )
