"""One place's positioning report from the registry: its figures, quadrants and ranked
candidates after ecological screening. The command, the API and the page all call
`place_report`, so they show the same numbers with the same words."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from parklink.chains.industry_codes import table as industry_table
from parklink.chains.models import ChainTemplate, MetroArea
from parklink.core.errors import Invalid, NotFound
from parklink.parks.models import Park, ParkResource
from parklink.positioning.change import PlaceChange, growth_elsewhere, place_change
from parklink.positioning.complexity import ComplexityResult, compute, convention
from parklink.positioning.models import Dataset
from parklink.positioning.recommend import PlaceRecommendations, recommend
from parklink.positioning.registry_matrix import PlaceQuality, RegistryMatrix
from parklink.positioning.resources import Fit, fit
from parklink.positioning.screening import TAGS, screen
from parklink.positioning.services.matrix import (
    PlacedMatrix,
    chain_segments,
    park_key,
    registry_matrix,
)
from parklink.regions.models import Region, RegionLevel

PLACE_REASONS = {
    "small_place": _lazy("企业数低于门槛"),
    "unclassified": _lazy("已分类企业占比低于门槛"),
    "empty_place": _lazy("度量合计为 0"),
}


@dataclass
class Options:
    measure: str = "count"
    digits: int = 2
    level: str | None = None  # default: the place's own level
    within: str | None = None  # default: the place's province (nationwide for a province)
    min_enterprises: int = 20
    min_classified: float = 0.5
    min_places: int = 2
    convention: str = "pyecomplexity"
    threshold: float = 1.0
    exclude_tags: list[str] = field(default_factory=list)
    whole_only: bool = False
    exclude: list[str] = field(default_factory=list)
    # A dataset the caller has already checked the user may see (queries.get_dataset);
    # None: the enterprise registry.
    dataset: Dataset | None = None
    # Exclude an industry that needs a resource the place's parks have not recorded.
    require_resources: bool = False
    # The place is this park (its id), compared with the regions at `level` (default county)
    # of its province, or of `metro`, and the other parks there with figures.
    park: int | None = None
    # Compare with a metro area's member regions (chains.MetroArea key) instead of `within`.
    metro: str | None = None
    # An earlier year's dataset of the same measure (checked visible by the caller): changes
    # per place and the industries' growth elsewhere, which then counts in the ranking.
    compare: Dataset | None = None
    # Chain segments instead of GB/T codes as the products: a template the caller has checked
    # the user may see (chains.services.templates.get_visible).
    chain: ChainTemplate | None = None


@dataclass
class PlaceReport:
    place: Region
    within: Region | None
    placed: PlacedMatrix
    result: ComplexityResult
    found: PlaceRecommendations
    quality: PlaceQuality
    resources: list[str] = field(default_factory=list)  # kinds recorded by the place's parks
    resource_fit: Fit | None = None
    park: Park | None = None
    metro: MetroArea | None = None
    change: PlaceChange | None = None
    compare: Dataset | None = None
    segments: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)

    def product_names(self) -> dict[str, str]:
        """Each product's name: the segment's on the chain axis, else the GB/T 4754 name."""
        if self.placed.chain is not None:
            return {key: name for key, name, _codes in self.segments}
        return {code: industry_name(code) for code in self.placed.matrix.industries}

    @property
    def key(self) -> str:
        """The place's key in the matrix: the adcode, or park:<id>."""
        return park_key(self.park.pk) if self.park else self.place.adcode

    @property
    def name(self) -> str:
        return self.park.name if self.park else self.place.full_name

    @property
    def compared_with(self) -> str:
        """Where the other places come from, in words."""
        if self.metro is not None:
            return self.metro.name
        return self.within.full_name if self.within else _("全国")


def industry_name(code: str) -> str:
    entry = industry_table().get(code)
    return entry.name.strip() if entry else ""


def region(adcode: str, field_name: str = "place") -> Region:
    found = Region.objects.filter(adcode=(adcode or "").strip()).first()
    if found is None:
        message = _("行政区划代码“%(code)s”不存在") % {"code": adcode}
        raise NotFound(message, detail={field_name: message})
    return found


def figures(
    placed_options: Options,
    level: str,
    within: Region | None,
    areas: list[Region] | None = None,
) -> tuple[PlacedMatrix, ComplexityResult]:
    placed = registry_matrix(
        level=level,
        measure=placed_options.measure,
        digits=placed_options.digits,
        within=within,
        min_enterprises=placed_options.min_enterprises,
        min_classified=placed_options.min_classified,
        min_places=placed_options.min_places,
        dataset=placed_options.dataset,
        areas=areas,
        parks=placed_options.park is not None,
        chain=placed_options.chain,
    )
    m = placed.matrix
    if len(m.places) < 2 or len(m.industries) < 2:
        raise Invalid.on(
            "places",
            _("达到门槛的地区(%(places)s 个)或产业(%(industries)s 个)少于 2 个,无法计算")
            % {"places": len(m.places), "industries": len(m.industries)},
        )
    try:
        chosen = convention(placed_options.convention)
    except ValueError as error:
        raise Invalid.on("convention", str(error)) from error
    return placed, compute(m.values, threshold=placed_options.threshold, convention=chosen)


def park(pk: int) -> Park:
    found = Park.objects.select_related("region").filter(pk=pk).first()
    if found is None:
        message = _("园区不存在")
        raise NotFound(message, detail={"park": message})
    return found


def metro_area(key: str) -> tuple[MetroArea, list[Region]]:
    found = MetroArea.objects.filter(key=(key or "").strip()).first()
    if found is None:
        message = _("都市圈“%(key)s”不存在") % {"key": key}
        raise NotFound(message, detail={"metro": message})
    members = [m.region for m in found.members.select_related("region")]
    return found, members


def place_report(adcode: str, options: Options) -> PlaceReport:
    """The report of the region `adcode`, or of the park `options.park` (adcode then unused)."""
    if options.park is None and not (adcode or "").strip():
        raise Invalid.on("place", _("请填写地区或选择园区"))
    chosen_park = park(options.park) if options.park is not None else None
    place = chosen_park.region if chosen_park else region(adcode)
    level = options.level or (RegionLevel.COUNTY if chosen_park else place.level)
    metro, areas = (None, None)
    if options.metro:
        metro, areas = metro_area(options.metro)
        if not any(place.path.startswith(member.path) for member in areas):
            raise Invalid.on(
                "metro",
                _("%(name)s 不在%(metro)s内")
                % {"name": chosen_park.name if chosen_park else place.full_name, "metro": metro},
            )
    if options.within:
        within: Region | None = region(options.within, "within")
    elif level != "province" and metro is None:
        within = region(place.path.split("/")[0], "within")
    else:
        within = None
    unknown = sorted(set(options.exclude_tags) - set(TAGS))
    if unknown:
        raise Invalid.on(
            "exclude_tags",
            _("未知的生态筛选标签:%(tags)s(可选:%(known)s)")
            % {"tags": "、".join(unknown), "known": "、".join(TAGS)},
        )
    _check_compare(options)
    placed, result = figures(options, level, within, areas)
    m = placed.matrix
    key = park_key(chosen_park.pk) if chosen_park else place.adcode
    name = chosen_park.name if chosen_park else place.full_name
    quality = m.quality.get(key)
    if key not in m.places:
        why = str(PLACE_REASONS[quality.reason]) if quality else _("数据中没有该地区")
        raise Invalid.on(
            "park" if chosen_park else "place",
            _("%(name)s 未参与计算:%(why)s") % {"name": name, "why": why},
        )
    assert quality is not None
    segments = chain_segments(options.chain) if options.chain is not None else []
    if options.chain is None:
        exclusions = screen(
            m.industries,
            options.exclude_tags,
            partly=not options.whole_only,
            by_hand=options.exclude,
        )
    else:
        exclusions = _screen_segments(m.industries, segments, options)
    resources = (
        ParkResource.objects.filter(park=chosen_park)
        if chosen_park
        else ParkResource.objects.filter(park__region__path__startswith=place.path)
    )
    recorded = sorted(set(resources.values_list("kind", flat=True)))
    resource_fit = None
    if options.chain is None:  # resource needs are keyed by GB/T codes
        resource_fit = fit(m.industries, recorded, require=options.require_resources)
        for code, reasons in resource_fit.excluded.items():
            exclusions.setdefault(code, []).extend(reasons)
    change = None
    if options.compare is not None:
        change = _change(options, level, within, areas, key, m, result)
    found = recommend(
        result,
        m.places.index(key),
        m.industries,
        key,
        exclusions,
        growth=change.growth() if change else None,
    )
    return PlaceReport(
        place,
        within,
        placed,
        result,
        found,
        quality,
        recorded,
        resource_fit,
        chosen_park,
        metro,
        change,
        options.compare,
        segments,
    )


def _screen_segments(
    products: list[str], segments: list[tuple[str, str, tuple[str, ...]]], options: Options
) -> dict[str, list[str]]:
    """Ecological screening of chain segments through their GB/T codes: a segment carries the
    reasons of any of its codes (so a segment with a 两高 code is excluded with that reason);
    `exclude` names segment keys or codes."""
    codes_of = {key: codes for key, _name, codes in segments}
    every = sorted({c for codes in codes_of.values() for c in codes})
    by_code = screen(every, options.exclude_tags, partly=not options.whole_only)
    out: dict[str, list[str]] = {}
    for key in products:
        reasons: list[str] = []
        for code in codes_of.get(key, ()):
            reasons += [r for r in by_code.get(code, []) if r not in reasons]
        if key in options.exclude or any(c in options.exclude for c in codes_of.get(key, ())):
            reasons.append("by_hand")
        if reasons:
            out[key] = reasons
    return out


def _check_compare(options: Options) -> None:
    earlier, later = options.compare, options.dataset
    if earlier is None:
        return
    if later is None:
        raise Invalid.on("compare", _("比较年份需要选择数据集(企业登记册没有历年快照)"))
    if earlier.measure != later.measure:
        raise Invalid.on("compare", _("两个数据集的度量不同,不能比较"))
    if earlier.year is None or later.year is None or earlier.year >= later.year:
        raise Invalid.on(
            "compare",
            _("比较的数据集应有年份且早于当前数据集(%(a)s 对 %(b)s)")
            % {"a": earlier.year or "?", "b": later.year or "?"},
        )


def _change(
    options: Options,
    level: str,
    within: Region | None,
    areas: list[Region] | None,
    key: str,
    later: RegistryMatrix,
    result: ComplexityResult,
) -> PlaceChange:
    """The earlier year by the same rules, against the later one."""
    assert options.compare is not None
    earlier_placed, earlier_result = figures(
        replace(options, dataset=options.compare, compare=None), level, within, areas
    )
    e = earlier_placed.matrix

    def rca_of(matrix: RegistryMatrix, found: ComplexityResult) -> tuple[float, dict[str, float]]:
        if key not in matrix.places:
            return math.nan, {}
        i = matrix.places.index(key)
        eci = float(found.eci[i]) if found.kept_places[i] else math.nan
        return eci, {code: float(found.rca[i, j]) for j, code in enumerate(matrix.industries)}

    eci_from, rca_from = rca_of(e, earlier_result)
    eci_to, rca_to = rca_of(later, result)
    growth = growth_elsewhere(
        key, (e.places, e.industries, e.values), (later.places, later.industries, later.values)
    )
    return place_change(key, eci_from, eci_to, rca_from, rca_to, growth)
