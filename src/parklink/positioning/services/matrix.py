"""The place × industry matrix of the enterprise registry, at a region level.

Each enterprise counts in the region at `level` that contains its registered region (its
`Region.path` names every ancestor). An enterprise registered above that level (a province
when counties are asked for) cannot be placed and is counted apart (`unplaced`). The
registry is shared by every organisation (enterprises have no visibility scope), so the
matrix is the same for every user. A dataset (models.Dataset) is read the same way, after the
caller has checked that the user may see it (queries.get_dataset).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _

from parklink.core.errors import Invalid
from parklink.enterprises.models import Enterprise
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


def _rows(
    level: str,
    measure: str,
    within: Region | None,
    names: dict[str, str],
    unplaced: list[int],
    dataset: Dataset | None = None,
) -> Iterator[tuple[str, str, Decimal | int | None, int]]:
    regions = Region.objects.values_list("adcode", "level", "full_name")
    level_of = {adcode: lvl for adcode, lvl, _name in regions}
    full_name = {adcode: name for adcode, _lvl, name in regions}
    if dataset is not None:
        figures = DatasetFigure.objects.filter(dataset=dataset)
        if within is not None:
            figures = figures.filter(region__path__startswith=within.path)
        counts = dataset.measure == DatasetMeasure.ENTERPRISES
        source: Iterator[tuple[str, str, Decimal | int | None, int]] = (
            (path, code, value, int(value) if counts else 1)
            for path, code, value in figures.values_list(
                "region__path", "industry_code", "value"
            ).iterator(chunk_size=5000)
        )
    else:
        query = Enterprise.objects.all()
        if within is not None:
            query = query.filter(region__path__startswith=within.path)
        fields = ("region__path", "industry_code", "registered_capital")
        source = (
            (path, code, 1 if measure == "count" else capital, 1)
            for path, code, capital in query.values_list(*fields).iterator(chunk_size=5000)
        )
    for path, code, value, weight in source:
        place = next((a for a in path.split("/") if level_of.get(a) == level), None)
        if place is None:
            unplaced[0] += weight
            continue
        names.setdefault(place, full_name.get(place, place))
        yield place, code, value, weight


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
) -> PlacedMatrix:
    """The matrix of the registry's enterprises, or of a dataset's figures (its own measure),
    by the rules of `registry_matrix.assemble`."""
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
    matrix = assemble(
        _rows(level, measure, within, names, unplaced, dataset),
        digits=digits,
        min_enterprises=min_enterprises,
        min_classified=min_classified,
        min_places=min_places,
    )
    chosen_measure = dataset.measure if dataset is not None else measure
    return PlacedMatrix(matrix, level, chosen_measure, digits, names, unplaced[0], dataset)
