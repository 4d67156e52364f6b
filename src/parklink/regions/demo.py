"""The regions app's demo step: index the region table so later steps find regions by adcode."""

from __future__ import annotations

from parklink.core.registry import DemoContext
from parklink.regions.models import Region

NAMESPACE = "regions"


def index_regions(ctx: DemoContext) -> None:
    """Remember every region under its adcode (one query instead of one per demo record)."""
    for region in Region.objects.all():
        ctx.remember(NAMESPACE, region.adcode, region)
