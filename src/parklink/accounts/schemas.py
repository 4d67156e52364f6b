"""JSON shapes of organisations as other records reference them."""

from __future__ import annotations

from ninja import Schema


class OrgRef(Schema):
    """The organisation that owns a record (and alone may change it)."""

    id: int
    name: str
