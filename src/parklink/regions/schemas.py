"""JSON shapes of the region registry for the API."""

from __future__ import annotations

from ninja import Schema


class RegionRef(Schema):
    """A region as other records cite it."""

    adcode: str
    name: str
    full_name: str
    level: str


class RegionOut(RegionRef):
    parent: str | None = None
    path: str
    longitude: float | None = None
    latitude: float | None = None

    @staticmethod
    def resolve_parent(obj: object) -> str | None:
        return getattr(obj, "parent_id", None)


class RegionDetailOut(RegionOut):
    children: list[RegionRef]


class RegionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RegionOut]
