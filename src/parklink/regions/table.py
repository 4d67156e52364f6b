"""Read the adcode table shipped inside the cpca package into plain rows (no Django)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources

PROVINCE, CITY, COUNTY = "province", "city", "county"
# Placeholder rows under municipalities: named after the province they belong to.
PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class RegionRow:
    adcode: str
    name: str
    full_name: str
    level: str
    parent: str | None
    path: str
    longitude: float | None
    latitude: float | None


def level_of(adcode: str) -> str:
    if adcode.endswith("0000"):
        return PROVINCE
    if adcode.endswith("00"):
        return CITY
    return COUNTY


def _float(text: str) -> float | None:
    return float(text) if text.strip() else None


def read_raw() -> list[tuple[str, str, float | None, float | None]]:
    data = resources.files("cpca.resources").joinpath("adcodes.csv").read_text("utf-8")
    rows = []
    for record in csv.DictReader(io.StringIO(data)):
        rows.append(
            (
                record["adcode"][:6],
                record["name"],
                _float(record["longitude"]),
                _float(record["latitude"]),
            )
        )
    return rows


def build_rows() -> list[RegionRow]:
    """Every province, city and county with its parent and path, parents first."""
    raw = {code: (name, lng, lat) for code, name, lng, lat in read_raw()}
    # County-level "市辖区" rows are statistical placeholders with no place behind them.
    kept = {
        code: value
        for code, value in raw.items()
        if not (level_of(code) == COUNTY and value[0] == "市辖区")
    }

    def parent_of(code: str) -> str | None:
        level = level_of(code)
        if level == PROVINCE:
            return None
        if level == COUNTY and code[:4] + "00" in kept:
            return code[:4] + "00"
        return code[:2] + "0000" if code[:2] + "0000" in kept else None

    rows: dict[str, RegionRow] = {}
    for code in sorted(kept, key=lambda c: (["province", "city", "county"].index(level_of(c)), c)):
        name, lng, lat = kept[code]
        parent = parent_of(code)
        parent_row = rows.get(parent) if parent else None
        if parent_row and name in PLACEHOLDER_NAMES:
            full_name = f"{parent_row.full_name}{name}"
        else:
            full_name = f"{parent_row.full_name}{name}" if parent_row else name
        if parent_row and parent_row.name in PLACEHOLDER_NAMES and parent_row.parent:
            # 北京市市辖区东城区 reads better as 北京市东城区.
            full_name = f"{rows[parent_row.parent].full_name}{name}"
        rows[code] = RegionRow(
            adcode=code,
            name=name,
            full_name=full_name,
            level=level_of(code),
            parent=parent,
            path=f"{parent_row.path}/{code}" if parent_row else code,
            longitude=lng,
            latitude=lat,
        )
    return list(rows.values())
