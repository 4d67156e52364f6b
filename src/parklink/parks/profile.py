"""What a park's page shows, as template data: its place in the 一区多园 hierarchy, its
linkages, industries, resources and yearly indicators (the charts: parks.charts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse

from parklink.core.money import format_amount
from parklink.parks import charts
from parklink.parks.family import Family
from parklink.parks.models import (
    IndicatorKind,
    IndustryRole,
    LinkageMember,
    Park,
    ParkIndicator,
    ParkLinkage,
    ResourceKind,
)

SHARE_KINDS = (
    IndicatorKind.GDP_SHARE_OF_CITY,
    IndicatorKind.TAX_SHARE_OF_CITY,
    IndicatorKind.RESUMPTION_RATE,
)
RANK_KINDS = (IndicatorKind.NATIONAL_RANK, IndicatorKind.NATIONAL_RANK_TOTAL)


def number(value: Decimal | None) -> str:
    """7400.00 → "7400", 5.50 → "5.5", None → "—"."""
    if value is None:
        return "—"
    text = format(Decimal(value).normalize(), "f")
    return text


def tree_option(family: Family, current: Park) -> tuple[dict[str, Any], int]:
    items = [
        charts.TreeItem(
            p.pk,
            p.short_name or p.name,
            p.parent_id if p.pk != family.top.pk else None,
            reverse("parks:detail", args=[p.pk]),
        )
        for p in family.parks.values()
    ]
    height = max(160, 46 * charts.leaf_count(items))
    return charts.hierarchy_tree(items, current.pk), height


def linkages_of(park: Park) -> list[tuple[ParkLinkage, list[LinkageMember]]]:
    members = (
        LinkageMember.objects.filter(linkage__in=ParkLinkage.objects.filter(members__park=park))
        .select_related("linkage", "park", "park__region")
        .order_by("linkage__name", "order", "id")
    )
    grouped: dict[int, tuple[ParkLinkage, list[LinkageMember]]] = {}
    for member in members:
        grouped.setdefault(member.linkage_id, (member.linkage, []))[1].append(member)
    return list(grouped.values())


def linkage_option(
    groups: list[tuple[ParkLinkage, list[LinkageMember]]], park: Park
) -> dict[str, Any]:
    items = [
        charts.LinkageItem(
            linkage.name,
            [
                charts.MemberItem(
                    m.park_id,
                    m.park.short_name or m.park.name,
                    m.get_role_display(),
                    reverse("parks:detail", args=[m.park_id]),
                )
                for m in members
            ],
        )
        for linkage, members in groups
    ]
    return charts.linkage_graph(items, park.pk)


INDUSTRY_TONES = {
    IndustryRole.REPRESENTATIVE: "blue",
    IndustryRole.FOUNDATIONAL: "green",
    IndustryRole.LEADING: "blue",
}


def industries(park: Park) -> list[dict[str, Any]]:
    """The park's industries by role, "2+6" style: representative, foundational, leading."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for industry in park.industries.all():
        grouped[industry.role].append(industry.name)
    return [
        {
            "role": role.value,
            "label": str(role.label),
            "names": grouped[role.value],
            "tone": INDUSTRY_TONES[role],
        }
        for role in IndustryRole
        if grouped.get(role.value)
    ]


def resources(park: Park) -> list[dict[str, str]]:
    order = list(ResourceKind.values)
    rows = []
    resources = sorted(park.resources.all(), key=lambda r: (order.index(r.kind), r.pk))
    for resource in resources:
        value = number(resource.value)
        if resource.value_max is not None:
            value = f"{value}–{number(resource.value_max)}"
        rows.append(
            {
                "kind": resource.get_kind_display(),
                "value": value,
                "unit": resource.unit,
                "note": resource.note,
            }
        )
    return rows


@dataclass
class Indicators:
    years: list[int]
    table: list[dict[str, Any]]
    money: dict[str, Any] | None
    shares: dict[str, Any] | None
    rank: dict[str, Any] | None


def _indicator_text(item: ParkIndicator) -> str:
    if item.indicator in IndicatorKind.money():
        return format_amount(item.value)
    if item.indicator in SHARE_KINDS:
        return f"{number(item.value)}%"
    return f"{number(item.value)}{item.unit}"


def indicators(park: Park) -> Indicators:
    items = list(park.indicators.all())
    years = sorted({item.year for item in items})
    by_kind: dict[str, dict[int, ParkIndicator]] = defaultdict(dict)
    for item in items:
        by_kind[item.indicator][item.year] = item
    table = [
        {
            "label": str(kind.label),
            "cells": [
                _indicator_text(by_kind[kind][y]) if y in by_kind[kind] else "" for y in years
            ],
        }
        for kind in IndicatorKind
        if kind.value in by_kind
    ]

    def series(kinds: Iterable[str]) -> dict[str, dict[int, Decimal]]:
        return {
            str(IndicatorKind(kind).label): {y: i.value for y, i in by_kind[kind].items()}
            for kind in kinds
            if kind in by_kind
        }

    money = series(k for k in IndicatorKind if k in IndicatorKind.money())
    shares = series(SHARE_KINDS)
    ranks = {y: int(i.value) for y, i in by_kind.get(IndicatorKind.NATIONAL_RANK, {}).items()}
    totals = {
        y: int(i.value) for y, i in by_kind.get(IndicatorKind.NATIONAL_RANK_TOTAL, {}).items()
    }
    return Indicators(
        years,
        table,
        charts.money_bars(money) if money else None,
        charts.share_bars(shares) if shares else None,
        charts.rank_line(ranks, totals) if ranks else None,
    )
