"""Park pages: the registry list and the park's profile (create/edit: park_form_views)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.forms import cleaned
from parklink.core.money import format_amount
from parklink.core.sources import sources_of
from parklink.core.views import authenticated, permitted, url_or_blank
from parklink.enterprises.models import EnterpriseSite
from parklink.parks import charts, services
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
from parklink.projects.lifecycle import PIPELINE, Stage
from parklink.projects.models import Project, ProjectStage
from parklink.projects.queries import (
    visibility_q,
    visible_projects,
    with_relations,
)
from parklink.projects.services import colours_of
from parklink.regions.forms import region_choices
from parklink.regions.models import Region
from parklink.regions.services import within

PAGE_SIZE = 25
PROJECTS_SHOWN = 50
SHARE_KINDS = (
    IndicatorKind.GDP_SHARE_OF_CITY,
    IndicatorKind.TAX_SHARE_OF_CITY,
    IndicatorKind.RESUMPTION_RATE,
)
RANK_KINDS = (IndicatorKind.NATIONAL_RANK, IndicatorKind.NATIONAL_RANK_TOTAL)
MAX_DEPTH = 12  # a hierarchy deeper than this is a data error; stop walking it

# ---------------------------------------------------------------- helpers shared with enterprises


def prefixed(condition: Q, prefix: str) -> Q:
    """The same condition seen through a relation: Q(a=1) with "projects__" → Q(projects__a=1)."""
    copy = Q()
    copy.connector, copy.negated = condition.connector, condition.negated
    children: list[Any] = []
    for child in condition.children:
        if isinstance(child, Q):
            children.append(prefixed(child, prefix))
        else:
            lookup, value = cast(tuple[str, Any], child)
            children.append((prefix + lookup, value))
    copy.children = children
    return copy


def visible_project_count(user: User, relation: str = "projects") -> Count:
    """Count of the related projects `user` may see (others' confidential ones do not count)."""
    condition = visibility_q(user)
    if not condition.children:
        return Count(relation, distinct=True)
    return Count(relation, filter=prefixed(condition, relation + "__"), distinct=True)


def number(value: Decimal | None) -> str:
    """7400.00 → "7400", 5.50 → "5.5", None → "—"."""
    if value is None:
        return "—"
    text = format(Decimal(value).normalize(), "f")
    return text


@dataclass
class ProjectRow:
    project: Project
    colour: str | None
    via: Park | None = None  # the sub-park it belongs to, when listed on a parent


def project_rows(
    projects: Iterable[Project], parks: dict[int, Park] | None = None, home_id: int | None = None
) -> list[ProjectRow]:
    """Projects with their ageing colour, every owner's thresholds read in one query."""
    projects = list(projects)
    shades = colours_of(projects)
    rows = []
    for project in projects:
        shade = shades[project.pk]
        via = None
        if parks is not None and project.park_id is not None and project.park_id != home_id:
            via = parks.get(project.park_id)
        rows.append(ProjectRow(project, shade, via))
    return rows


# ---------------------------------------------------------------- list


PARK_ORDER = {
    "name": ("name_pinyin",),
    "kind": ("kind", "name_pinyin"),
    "region": ("region__path", "name_pinyin"),
    "carrier": ("carrier_built_m2",),
    "occupancy": ("occupancy",),
    "projects": ("project_total",),
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
    sub_parks = (
        visible_projects(user)
        .filter(park__parent_id=OuterRef("pk"))
        .order_by()
        .values("park__parent_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Park.objects.select_related("region", "parent", "owner")
        .prefetch_related("industries")
        .annotate(
            own_projects=visible_project_count(user),
            sub_projects=Coalesce(Subquery(sub_parks, output_field=IntegerField()), Value(0)),
            # Floats: SQLite would divide the stored numbers as integers.
            occupancy=Cast("carrier_occupied_m2", FloatField())
            / NullIf(Cast("carrier_built_m2", FloatField()), Value(0.0)),
        )
        .annotate(project_total=F("own_projects") + F("sub_projects"))
    )


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
            for name in PARK_ORDER[key]
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
            "projects_url": url_or_blank("projects:list"),
        },
    )


# ---------------------------------------------------------------- detail


@dataclass
class Family:
    """The park's 一区多园 family: everything under its top-most ancestor."""

    top: Park
    parks: dict[int, Park]
    descendants: list[int] = field(default_factory=list)


def _family(park: Park) -> Family:
    lineage = services.ancestors(park)
    top = lineage[-1] if lineage else park
    parks: dict[int, Park] = {top.pk: top}
    frontier = [top.pk]
    for _level in range(MAX_DEPTH):
        if not frontier:
            break
        level = [
            p
            for p in Park.objects.filter(parent_id__in=frontier).order_by("name_pinyin")
            if p.pk not in parks
        ]
        parks.update((p.pk, p) for p in level)
        frontier = [p.pk for p in level]
    parks[park.pk] = park
    under: list[int] = []
    frontier = [park.pk]
    while frontier:
        frontier = [
            p.pk
            for p in parks.values()
            if p.parent_id in frontier and p.pk not in under and p.pk != park.pk
        ]
        under.extend(frontier)
    return Family(top, parks, under)


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


def _projects(user: User, park: Park, family: Family) -> dict[str, Any]:
    ids = [park.pk, *family.descendants]
    qs = visible_projects(user).filter(park_id__in=ids)
    totals = qs.aggregate(n=Count("pk"), investment=Sum("total_investment"))
    counts = dict(qs.order_by().values_list("stage").annotate(n=Count("pk")))
    list_url = url_or_blank("projects:list")
    stages = [
        (
            str(ProjectStage(s.value).label),
            counts[s.value],
            f"{list_url}?park={park.pk}&stage={s.value}" if list_url else "",
        )
        for s in (*PIPELINE, Stage.STALLED, Stage.TERMINATED)
        if counts.get(s.value)
    ]
    shown = with_relations(qs).order_by(F("signed_on").desc(nulls_last=True), "-pk")
    return {
        "rows": project_rows(shown[:PROJECTS_SHOWN], family.parks, park.pk),
        "count": totals["n"],
        "investment": totals["investment"],
        "more": totals["n"] > PROJECTS_SHOWN,
        "stage_chart": charts.stage_bars(stages) if stages else None,
        "stage_chart_height": max(120, 30 * len(stages)),
        "list_url": f"{list_url}?park={park.pk}" if list_url else "",
    }


def _sites(park: Park, family: Family) -> list[EnterpriseSite]:
    return list(
        EnterpriseSite.objects.filter(park_id__in=[park.pk, *family.descendants])
        .select_related("enterprise", "park")
        .order_by("enterprise__name_pinyin", "role", "pk")
    )


@login_required
def park_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    park = get_object_or_404(Park.objects.select_related("region", "parent", "owner"), pk=pk)
    family = _family(park)
    tree, tree_height = _tree_option(family, park)
    linkages = _linkages(park)
    return render(
        request,
        "parks/park_detail.html",
        {
            "park": park,
            "sub_parks": [
                family.parks[i] for i in family.descendants if family.parks[i].parent_id == park.pk
            ],
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
            "projects": _projects(user, park, family),
            "sites": _sites(park, family),
            "sources": list(sources_of(park)),
            "can_edit": permitted(ensure_can_write, user, park.owner_id),
            "can_link": user.can_write,
            "planned_area": number(park.planned_area_mu),
            "available_land": number(park.available_land_mu),
        },
    )
