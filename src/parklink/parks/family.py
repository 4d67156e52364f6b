"""A park's 一区多园 family: its top-most ancestor and everything under it, read once per park.

The park page walks it for the hierarchy tree; panels other apps show on the page (the
projects and the enterprise sites of the park and its sub-parks) ask `family_of(park)` for the
same family, which is kept on the park instance, so the page reads it once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parklink.parks.models import Park
from parklink.parks.services import ancestors

MAX_DEPTH = 12  # a hierarchy deeper than this is a data error; stop walking it
_CACHE = "_parklink_family"


@dataclass
class Family:
    """The park's 一区多园 family: everything under its top-most ancestor."""

    top: Park
    parks: dict[int, Park]
    descendants: list[int] = field(default_factory=list)

    def children_of(self, park: Park) -> list[Park]:
        """The park's own sub-parks (one level down), by name."""
        return [self.parks[i] for i in self.descendants if self.parks[i].parent_id == park.pk]


def family_of(park: Park) -> Family:
    """The park's family, walked on the first call for this instance."""
    found = getattr(park, _CACHE, None)
    if found is None:
        found = _walk(park)
        setattr(park, _CACHE, found)
    return found


def _walk(park: Park) -> Family:
    lineage = ancestors(park)
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
