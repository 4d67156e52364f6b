"""Region cells of an import: a 6-digit adcode or a place name, resolved once per text."""

from __future__ import annotations

import re
from typing import Any

from parklink.core.cells import CellError, cell_text, fold
from parklink.regions.models import Region
from parklink.regions.services import resolve_region


class RegionLookup:
    """Every region preloaded once; free text is resolved once per distinct text."""

    def __init__(self) -> None:
        regions = list(Region.objects.all())
        self.by_adcode = {region.adcode: region for region in regions}
        self.by_full_name = {fold(region.full_name): region for region in regions}
        self._resolved: dict[str, Region | None] = {}

    def find(self, value: Any) -> Region | None:
        key = fold(cell_text(value))
        if re.fullmatch(r"\d{6}", key):
            return self.by_adcode.get(key)
        if key in self.by_full_name:
            return self.by_full_name[key]
        if key not in self._resolved:
            self._resolved[key] = resolve_region(key)
        return self._resolved[key]

    def parse(self, value: Any) -> Region:
        region = self.find(value)
        if region is None:
            raise CellError(
                "无法识别的行政区划:请填写6位行政区划代码或地名(如“成都市金牛区”)",
                "unknown region: give a 6-digit adcode or a place name",
            )
        return region
