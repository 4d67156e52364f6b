"""The place × industry matrix of the enterprise registry, at a region level.

Each enterprise counts in the region at `level` that contains its registered region (its
`Region.path` names every ancestor). An enterprise registered above that level (a province
when counties are asked for) cannot be placed and is counted apart (`unplaced`). The
registry is shared by every organisation (enterprises have no visibility scope), so the
matrix is the same for every user. A dataset (models.Dataset) is read the same way, after the
caller has checked that the user may see it (queries.get_dataset).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from parklink.chains.models import Assignment, ChainTemplate
from parklink.chains.services.classification import placements
from parklink.chains.services.templates import chain_of, current_version
from parklink.core.errors import Invalid
from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.positioning.links import segments_of_code, spread
from parklink.positioning.models import Dataset, DatasetFigure, DatasetMeasure
from parklink.positioning.registry_matrix import RegistryMatrix, assemble
from parklink.regions.models import Region, RegionLevel

Measure = Literal["count", "capital"]
MEASURES: tuple[str, ...] = ("count", "capital")
LEVELS: tuple[str, ...] = tuple(RegionLevel.values)


@dataclass
class PlacedMatrix:
    matrix: RegistryMatrix
    level: str
    measure: str
    digits: int
    names: dict[str, str]  # adcode → full name, for every place seen
    unplaced: int
    dataset: Dataset | None = None
    chain: ChainTemplate | None = None  # products are its segments, not GB/T codes
    cached: bool = False  # read from the cache, not computed now


PARK_PREFIX = "park:"


def park_key(park_id: int) -> str:
    """A park's place key in the matrix (regions are keyed by their adcode)."""
    return f"{PARK_PREFIX}{park_id}"


def park_id_of(key: str) -> int | None:
    return int(key[len(PARK_PREFIX) :]) if key.startswith(PARK_PREFIX) else None


def _inside(paths: list[str] | None, field: str) -> Q:
    """Rows whose region lies in one of `paths` (None: everywhere)."""
    if paths is None:
        return Q()
    found = Q(pk__in=[])
    for path in paths:
        found |= Q(**{f"{field}__startswith": path})
    return found


def _rows(
    level: str,
    measure: str,
    paths: list[str] | None,
    names: dict[str, str],
    unplaced: list[int],
    dataset: Dataset | None = None,
    parks: bool = False,
    by_enterprise: bool = False,
) -> Iterator[tuple[str, str, Decimal | int | None, int]]:
    """(place, GB/T code, measure, weight) rows; with `by_enterprise` the registry's rows carry
    the enterprise's id instead of its code (the chain-segment axis places it by id)."""
    regions = Region.objects.values_list("adcode", "level", "full_name")
    level_of = {adcode: lvl for adcode, lvl, _name in regions}
    full_name = {adcode: name for adcode, _lvl, name in regions}
    if dataset is not None:
        figures = DatasetFigure.objects.filter(dataset=dataset, region__isnull=False).filter(
            _inside(paths, "region__path")
        )
        counts = dataset.measure == DatasetMeasure.ENTERPRISES
        source: Iterator[tuple[str, str, Decimal | int | None, int]] = (
            (path, code, value, int(value) if counts else 1)
            for path, code, value in figures.values_list(
                "region__path", "industry_code", "value"
            ).iterator(chunk_size=5000)
        )
    else:
        query = Enterprise.objects.filter(_inside(paths, "region__path"))
        fields = ("region__path", "pk" if by_enterprise else "industry_code", "registered_capital")
        source = (
            (path, str(code), 1 if measure == "count" else capital, 1)
            for path, code, capital in query.values_list(*fields).iterator(chunk_size=5000)
        )
    for path, code, value, weight in source:
        place = next((a for a in path.split("/") if level_of.get(a) == level), None)
        if place is None:
            unplaced[0] += weight
            continue
        names.setdefault(place, full_name.get(place, place))
        yield place, code, value, weight
    if parks:
        yield from _park_rows(measure, paths, names, dataset, by_enterprise)


def _park_rows(
    measure: str,
    paths: list[str] | None,
    names: dict[str, str],
    dataset: Dataset | None,
    by_enterprise: bool = False,
) -> Iterator[tuple[str, str, Decimal | int | None, int]]:
    """Parks as places of their own: a dataset's park figures, or the registry's enterprises
    with a site in the park (each enterprise once per park, whatever its number of sites)."""
    inside = _inside(paths, "park__region__path")
    if dataset is not None:
        counts = dataset.measure == DatasetMeasure.ENTERPRISES
        figures = DatasetFigure.objects.filter(dataset=dataset, park__isnull=False).filter(inside)
        for park_id, park_name, code, value in figures.values_list(
            "park_id", "park__name", "industry_code", "value"
        ).iterator(chunk_size=5000):
            key = park_key(park_id)
            names.setdefault(key, park_name)
            yield key, code, value, int(value) if counts else 1
        return
    sites = (
        EnterpriseSite.objects.filter(park__isnull=False)
        .filter(inside)
        .values_list(
            "park_id",
            "park__name",
            "enterprise_id",
            "enterprise__industry_code",
            "enterprise__registered_capital",
        )
        .distinct()
        .order_by("park_id", "enterprise_id")
    )
    seen: set[tuple[int, int]] = set()
    for park_id, park_name, enterprise_id, code, capital in sites.iterator(chunk_size=5000):
        if (park_id, enterprise_id) in seen:
            continue
        seen.add((park_id, enterprise_id))
        key = park_key(park_id)
        names.setdefault(key, park_name)
        code = str(enterprise_id) if by_enterprise else code
        yield key, code, 1 if measure == "count" else capital, 1


def chain_segments(chain: ChainTemplate) -> list[tuple[str, str, tuple[str, ...]]]:
    """The template's current segments: (key, name, GB/T codes)."""
    found = chain_of(current_version(chain))
    return [(s.key, s.name, tuple(s.industry_codes)) for s in found.segments]


def _segment_rows(
    rows: Iterator[tuple[str, str, Decimal | int | None, int]],
    chain: ChainTemplate,
    dataset: Dataset | None,
) -> Iterator[tuple[str, str, Decimal | int | None, int]]:
    """Rows by chain segment: a dataset's figures by their codes (links.segments_of_code), the
    registry's enterprises by chains' effective placements (corrections win)."""
    if dataset is not None:
        segments = [(key, codes) for key, _name, codes in chain_segments(chain)]
        cache: dict[str, list[str]] = {}

        def of_code(code: str) -> list[str]:
            if code not in cache:
                cache[code] = segments_of_code(code, segments)
            return cache[code]

        yield from spread(rows, of_code)  # type: ignore[misc]
        return
    placed = placements([chain.pk])
    by_id = {
        str(enterprise_id): sorted({p.segment for p in found if p.segment})
        for (enterprise_id, _template), found in placed.items()
    }
    yield from spread(rows, lambda code: by_id.get(code, []))  # type: ignore[misc]


# The matrix is kept in Django's cache (the default backend) for a day, under a key made of the
# options and a fingerprint of the data it reads, so a change to that data gives a new key and
# the stale entry is never read (it expires). Saving or deleting an enterprise, a site, a chain
# placement or a figure also bumps a generation number that is part of every key (updates that
# change no timestamp and no count, e.g. a site moved to another park, are caught that way).
CACHE_SECONDS = 24 * 3600
GENERATION_KEY = "positioning:matrix-generation"


def bump_generation(*_args: Any, **_kwargs: Any) -> None:
    """Signal receiver: every cached matrix is stale."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def _fingerprint(
    dataset: Dataset | None, parks: bool, chain: ChainTemplate | None
) -> tuple[Any, ...]:
    """What the matrix reads, in one aggregate per table: counts, largest ids, last changes."""
    if dataset is not None:
        figures = DatasetFigure.objects.filter(dataset=dataset).aggregate(
            n=Count("pk"), top=Max("pk")
        )
        parts: list[Any] = ["dataset", dataset.pk, dataset.updated_at, figures["n"], figures["top"]]
    else:
        found = Enterprise.objects.aggregate(
            n=Count("pk"), top=Max("pk"), changed=Max("updated_at")
        )
        parts = ["registry", found["n"], found["top"], found["changed"]]
        if parks:
            sites = EnterpriseSite.objects.filter(park__isnull=False).aggregate(
                n=Count("pk"), top=Max("pk")
            )
            parts += [sites["n"], sites["top"]]
    if chain is not None:
        rows = Assignment.objects.filter(template=chain).aggregate(
            n=Count("pk"), top=Max("pk"), corrected=Max("corrected_at")
        )
        parts += ["chain", chain.pk, rows["n"], rows["top"], rows["corrected"]]
    return tuple(parts)


def cache_key(**options: Any) -> str:
    text = repr(sorted(options.items()))
    return "positioning:matrix:" + hashlib.sha256(text.encode()).hexdigest()


def registry_matrix(
    *,
    level: str = RegionLevel.COUNTY,
    measure: str = "count",
    digits: int = 2,
    within: Region | None = None,
    min_enterprises: int = 20,
    min_classified: float = 0.5,
    min_places: int = 2,
    dataset: Dataset | None = None,
    areas: list[Region] | None = None,
    parks: bool = False,
    chain: ChainTemplate | None = None,
) -> PlacedMatrix:
    """The matrix of the registry's enterprises, or of a dataset's figures (its own measure),
    by the rules of `registry_matrix.assemble`. The places are the regions at `level` inside
    `within` (or inside any of `areas`: a metro area's member regions), plus, with `parks`, the
    parks located there as places of their own. With `chain` (a template the caller has checked
    the user may see) the products are its segments instead of GB/T codes."""
    problems = {}
    if level not in LEVELS:
        problems["level"] = _("地区级别应为 %(choices)s 之一") % {"choices": "、".join(LEVELS)}
    if measure not in MEASURES:
        problems["measure"] = _("度量应为 %(choices)s 之一") % {"choices": "、".join(MEASURES)}
    if digits not in (2, 3, 4):
        problems["digits"] = _("行业代码位数应为 2、3 或 4")
    if min_enterprises < 1 or min_places < 1 or not 0 <= min_classified <= 1:
        problems["thresholds"] = _("门槛应为正数,已分类占比在 0 与 1 之间")
    if problems:
        raise Invalid(_("参数有误"), detail=problems)
    names: dict[str, str] = {}
    unplaced = [0]
    if areas is not None:
        paths: list[str] | None = [area.path for area in areas]
    elif within is not None:
        paths = [within.path]
    else:
        paths = None
    key = cache_key(
        level=level,
        measure=measure,
        digits=digits,
        paths=paths,
        thresholds=(min_enterprises, min_classified, min_places),
        parks=parks,
        data=_fingerprint(dataset, parks, chain),
        generation=cache.get(GENERATION_KEY, 0),
    )
    kept = cache.get(key)
    if isinstance(kept, PlacedMatrix):
        kept.cached = True
        return kept
    rows = _rows(level, measure, paths, names, unplaced, dataset, parks, chain is not None)
    if chain is not None:
        rows = _segment_rows(rows, chain, dataset)
    matrix = assemble(
        rows,
        digits=digits,
        product=(lambda key: key or None) if chain is not None else None,
        min_enterprises=min_enterprises,
        min_classified=min_classified,
        min_places=min_places,
    )
    chosen_measure = dataset.measure if dataset is not None else measure
    placed = PlacedMatrix(matrix, level, chosen_measure, digits, names, unplaced[0], dataset, chain)
    cache.set(key, placed, CACHE_SECONDS)
    return placed
