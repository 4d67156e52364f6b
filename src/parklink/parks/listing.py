"""The park list: its filters, its sort orders and, unsorted, the 一区多园 tree order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Cast, NullIf

from parklink.accounts.models import User
from parklink.core.forms import cleaned
from parklink.core.registry import registry
from parklink.parks.forms import ParkFilterForm
from parklink.parks.models import Park
from parklink.regions.models import Region
from parklink.regions.services import within

PAGE_SIZE = 25
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


def park_page(
    form: ParkFilterForm, user: User, sort: str, number: str | None
) -> tuple[Page[Any], list[Park]]:
    """Page `number` of the parks the form matches: sorted by `sort`, else as a tree.

    Each park carries `depth` (its level in the tree, 0 when sorted), `parent_shown` (its
    parent is on the page: drawn as a tree) and `lead_industries`.
    """
    matching = _filtered(form)
    rows = _park_rows(user)
    depth: dict[int, int] = {}
    page: Page[Any]
    if sort:
        page = Paginator(_sorted(rows, matching, sort), PAGE_SIZE).get_page(number)
        parks = list(page.object_list)
    else:
        ordered = _tree_order(
            list(matching.order_by("name_pinyin", "pk").values_list("pk", "parent_id"))
        )
        page = Paginator(ordered, PAGE_SIZE).get_page(number)
        depth = dict(page.object_list)
        found = {park.pk: park for park in rows.filter(pk__in=list(depth))}
        parks = [found[pk] for pk in depth if pk in found]
    shown = {park.pk for park in parks}
    for park in parks:
        park.depth = depth.get(park.pk, 0)  # type: ignore[attr-defined]
        park.parent_shown = park.parent_id in shown and not sort  # type: ignore[attr-defined]
        park.lead_industries = list(park.industries.all())  # type: ignore[attr-defined]
    return page, parks


def _sorted(rows: QuerySet[Park], matching: QuerySet[Park], sort: str) -> QuerySet[Park]:
    """The matching rows by a column of the list (`-` first: descending), blanks last."""
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    ordering = [
        F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        for name in PARK_ORDER.get(key) or (registry.column_sorts(Park)[key],)
    ]
    return rows.filter(pk__in=matching.values("pk")).order_by(*ordering, "pk")
