"""Park pages: the registry list and the park's profile (create/edit: park_form_views)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import (
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, NullIf
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.forms import cleaned
from parklink.core.money import format_amount
from parklink.core.registry import registry
from parklink.core.sources import sources_of
from parklink.core.views import authenticated, permitted
from parklink.parks import charts
from parklink.parks.family import Family, family_of
from parklink.parks.forms import ParkFilterForm
from parklink.parks.models import (
    IndicatorKind,
    IndustryRole,
    LinkageMember,
    Park,
    ParkIndicator,
    ParkLinkage,
    ResourceKind,
)
from parklink.regions.forms import region_choices
from parklink.regions.models import Region
from parklink.regions.services import within

PAGE_SIZE = 25
SHARE_KINDS = (
    IndicatorKind.GDP_SHARE_OF_CITY,
    IndicatorKind.TAX_SHARE_OF_CITY,
    IndicatorKind.RESUMPTION_RATE,
)
RANK_KINDS = (IndicatorKind.NATIONAL_RANK, IndicatorKind.NATIONAL_RANK_TOTAL)

# ---------------------------------------------------------------- helpers


def number(value: Decimal | None) -> str:
    """7400.00 → "7400", 5.50 → "5.5", None → "—"."""
    if value is None:
        return "—"
    text = format(Decimal(value).normalize(), "f")
    return text


# ---------------------------------------------------------------- list


PARK_ORDER = {
    "name": ("name_pinyin",),
    "kind": ("kind", "name_pinyin"),
    "region": ("region__path", "name_pinyin"),
    "carrier": ("carrier_built_m2",),
    "occupancy": ("occupancy",),
}


def _tree_order(rows: Sequence[tuple[int, int | None]]) -> list[tuple[int, int]]:
    """(id, depth) with every park followed by its sub-parks; `rows` come sorted by name."""
    ids = {pk for pk, _parent in rows}
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in rows:
        children[parent if parent in ids else None].append(pk)
    ordered: list[tuple[int, int]] = []
    stack = [(pk, 0) for pk in reversed(children[None])]
    seen: set[int] = set()
    while stack:
        pk, depth = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        ordered.append((pk, depth))
        stack.extend((child, depth + 1) for child in reversed(children[pk]))
    return ordered


def _park_rows(user: User) -> QuerySet[Park]:
    qs = (
        Park.objects.select_related("region", "parent", "owner")
        .prefetch_related("industries")
        .annotate(
            # Floats: SQLite would divide the stored numbers as integers.
            occupancy=Cast("carrier_occupied_m2", FloatField())
            / NullIf(Cast("carrier_built_m2", FloatField()), Value(0.0)),
        )
    )
    # Figures other apps add to each row (visible projects per park), sortable by their key.
    for column in registry.columns_for(Park):
        qs = column.apply(qs, user)
    return qs


def _filtered(form: ParkFilterForm) -> QuerySet[Park]:
    qs = Park.objects.all()
    data = cleaned(form)
    if kind := data.get("kind"):
        qs = qs.filter(kind=kind)
    if adcode := data.get("region"):
        region = Region.objects.filter(adcode=adcode).first()
        qs = qs.filter(**within(region)) if region else qs.none()
    text = (data.get("q") or "").strip()
    if text:
        key = text.lower().replace(" ", "")
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(short_name__icontains=text)
            | Q(name_pinyin__icontains=key)
            | Q(name_initials__icontains=key)
        )
    return qs


@login_required
def park_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    regions = region_choices(
        Park.objects.values_list("region__path", flat=True).distinct(),
        request.GET.get("region", ""),
    )
    form = ParkFilterForm(request.GET or None, regions=regions)
    matching = _filtered(form)
    sort = cleaned(form).get("sort") or ""
    rows = _park_rows(user)
    depth: dict[int, int] = {}
    page: Page[Any]
    if sort:
        key = sort.lstrip("-")
        descending = sort.startswith("-")
        ordering = [
            F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
            for name in PARK_ORDER.get(key) or (registry.column_sorts(Park)[key],)
        ]
        page = Paginator(
            rows.filter(pk__in=matching.values("pk")).order_by(*ordering, "pk"), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        parks = list(page.object_list)
    else:
        ordered = _tree_order(
            list(matching.order_by("name_pinyin", "pk").values_list("pk", "parent_id"))
        )
        page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
        depth = dict(page.object_list)
        found = {park.pk: park for park in rows.filter(pk__in=list(depth))}
        parks = [found[pk] for pk in depth if pk in found]
    shown = {park.pk for park in parks}
    for park in parks:
        park.depth = depth.get(park.pk, 0)  # type: ignore[attr-defined]
        park.parent_shown = park.parent_id in shown and not sort  # type: ignore[attr-defined]
        park.lead_industries = list(park.industries.all())  # type: ignore[attr-defined]
    return render(
        request,
        "parks/park_list.html",
        {
            "form": form,
            "parks": parks,
            "page": page,
            "sort": sort,
            "tree": not sort,
            "total": page.paginator.count,
            "can_create": user.can_write,
            "columns": registry.columns_for(Park),
        },
    )


# ---------------------------------------------------------------- detail


def _tree_option(family: Family, current: Park) -> tuple[dict[str, Any], int]:
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


def _linkages(park: Park) -> list[tuple[ParkLinkage, list[LinkageMember]]]:
    members = (
        LinkageMember.objects.filter(linkage__in=ParkLinkage.objects.filter(members__park=park))
        .select_related("linkage", "park", "park__region")
        .order_by("linkage__name", "order", "id")
    )
    grouped: dict[int, tuple[ParkLinkage, list[LinkageMember]]] = {}
    for member in members:
        grouped.setdefault(member.linkage_id, (member.linkage, []))[1].append(member)
    return list(grouped.values())


def _linkage_option(
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


def _industries(park: Park) -> list[dict[str, Any]]:
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


def _resources(park: Park) -> list[dict[str, str]]:
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


def _indicators(park: Park) -> Indicators:
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


@login_required
def park_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    park = get_object_or_404(Park.objects.select_related("region", "parent", "owner"), pk=pk)
    family = family_of(park)
    tree, tree_height = _tree_option(family, park)
    linkages = _linkages(park)
    return render(
        request,
        "parks/park_detail.html",
        {
            "park": park,
            "sub_parks": family.children_of(park),
            "family_size": len(family.parks),
            "tree": tree if len(family.parks) > 1 else None,
            "tree_height": tree_height,
            "linkages": linkages,
            "linkage_graph": _linkage_option(linkages, park) if linkages else None,
            "linkage_height": 110 + 110 * len(linkages),
            "gauge": charts.occupancy_gauge(park.carrier_built_m2, park.carrier_occupied_m2),
            "industries": _industries(park),
            "resources": _resources(park),
            "indicators": _indicators(park),
            "sources": list(sources_of(park)),
            "can_edit": permitted(ensure_can_write, user, park.owner_id),
            "can_link": user.can_write,
            "planned_area": number(park.planned_area_mu),
            "available_land": number(park.available_land_mu),
        },
    )
