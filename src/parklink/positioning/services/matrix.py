"""The place × industry matrix of the enterprise registry, at a region level.

Each enterprise counts in the region at `level` that contains its registered region (its
`Region.path` names every ancestor). An enterprise registered above that level (a province
when counties are asked for) cannot be placed and is counted apart (`unplaced`). The
registry is shared by every organisation (enterprises have no visibility scope), so the
matrix is the same for every user.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _

from parklink.core.errors import Invalid
from parklink.enterprises.models import Enterprise
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


def _rows(
    level: str, measure: str, within: Region | None, names: dict[str, str], unplaced: list[int]
) -> Iterator[tuple[str, str, Decimal | int | None]]:
    regions = Region.objects.values_list("adcode", "level", "full_name")
    level_of = {adcode: lvl for adcode, lvl, _name in regions}
    full_name = {adcode: name for adcode, _lvl, name in regions}
    query = Enterprise.objects.all()
    if within is not None:
        query = query.filter(region__path__startswith=within.path)
    fields = ("region__path", "industry_code", "registered_capital")
    for path, code, capital in query.values_list(*fields).iterator(chunk_size=5000):
        place = next((a for a in path.split("/") if level_of.get(a) == level), None)
        if place is None:
            unplaced[0] += 1
            continue
        names.setdefault(place, full_name.get(place, place))
        yield place, code, (1 if measure == "count" else capital)


def registry_matrix(
    *,
    level: str = RegionLevel.COUNTY,
    measure: str = "count",
    digits: int = 2,
    within: Region | None = None,
    min_enterprises: int = 20,
    min_classified: float = 0.5,
    min_places: int = 2,
) -> PlacedMatrix:
    """The matrix of the registry's enterprises (see `registry_matrix.assemble` for the rules)."""
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
        _rows(level, measure, within, names, unplaced),
        digits=digits,
        min_enterprises=min_enterprises,
        min_classified=min_classified,
        min_places=min_places,
    )
    return PlacedMatrix(matrix, level, measure, digits, names, unplaced[0])
