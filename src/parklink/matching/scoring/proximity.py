"""How near two places are: same county, city, metro area, province, then great-circle distance.

Adcodes (GB/T 2260) carry the hierarchy: 510106 is a county of city 5101 in province 51. The
centroids come from cpca's table (regions.Region.latitude/longitude); without them only the
hierarchy counts. Scores: same county 1.0, same city 0.85, same metro area 0.7, same province
0.5, else 0.4 × (1 - distance / 1,500 km), never below 0 (`DISTANCE_SCALE_KM`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

COUNTY = 1.0
CITY = 0.85
METRO = 0.7
PROVINCE = 0.5
FAR = 0.4
DISTANCE_SCALE_KM = 1500.0
EARTH_KM = 6371.0088

UNKNOWN = 0.3  # a listing without a region: neither near nor far


@dataclass(frozen=True)
class Place:
    adcode: str | None
    metro: int = -1  # the metro area id (-1: none)
    lat: float | None = None
    lon: float | None = None


def codes(adcode: str | None) -> tuple[int, int, int]:
    """(county, city, province) as integers; 0 where the level is absent."""
    if not adcode or len(adcode) != 6 or not adcode.isdigit():
        return 0, 0, 0
    province = int(adcode[:2])
    city = int(adcode[:4]) if adcode[2:4] != "00" else 0
    county = int(adcode) if adcode[4:] != "00" else 0
    return county, city, province


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: float, lon2: float) -> np.ndarray:
    p1, p2 = np.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlmb = math.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * math.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass
class PlaceColumns:
    """The places of many listings: each distinct place once, and each row's place index.

    Listings share a few thousand places (counties), so a query computes distances once per
    place and gathers them for a million rows (`scores`)."""

    county: np.ndarray  # int32, per distinct place
    city: np.ndarray  # int32
    province: np.ndarray  # int16
    metro: np.ndarray  # int32
    lat: np.ndarray  # float32 (NaN: unknown)
    lon: np.ndarray  # float32
    row_place: np.ndarray  # int32, per row: its index in the arrays above

    @classmethod
    def build(cls, places: list[Place]) -> PlaceColumns:
        index: dict[Place, int] = {}
        row_place = np.fromiter(
            (index.setdefault(p, len(index)) for p in places), dtype=np.int32, count=len(places)
        )
        unique = list(index)
        triples = np.array([codes(p.adcode) for p in unique], dtype=np.int64).reshape(-1, 3)
        return cls(
            county=triples[:, 0].astype(np.int32),
            city=triples[:, 1].astype(np.int32),
            province=triples[:, 2].astype(np.int16),
            metro=np.array([p.metro for p in unique], dtype=np.int32),
            lat=np.array([np.nan if p.lat is None else p.lat for p in unique], dtype=np.float32),
            lon=np.array([np.nan if p.lon is None else p.lon for p in unique], dtype=np.float32),
            row_place=row_place,
        )


def place_scores(place: Place, cols: PlaceColumns) -> tuple[np.ndarray, np.ndarray]:
    """(score, level) of every distinct place; level: 5 county … 1 distance, 0 none."""
    county, city, province = codes(place.adcode)
    n = len(cols.county)
    score = np.full(n, UNKNOWN, dtype=np.float32)
    level = np.zeros(n, dtype=np.int8)
    if not province:
        return score, level
    known = cols.province > 0
    if place.lat is not None and place.lon is not None:
        dist = haversine_km(cols.lat, cols.lon, place.lat, place.lon)
        far = np.clip(FAR * (1.0 - dist / DISTANCE_SCALE_KM), 0.0, FAR)
        far = np.where(np.isnan(far), 0.0, far).astype(np.float32)
        score = np.where(known, far, score)
        level = np.where(known, 1, level).astype(np.int8)
    else:
        score = np.where(known, 0.0, score).astype(np.float32)
    for mask, value, lvl in (
        (cols.province == province, PROVINCE, 2),
        ((cols.metro == place.metro) & (place.metro >= 0), METRO, 3),
        ((cols.city == city) & (city > 0), CITY, 4),
        ((cols.county == county) & (county > 0), COUNTY, 5),
    ):
        score = np.where(mask, np.float32(value), score)
        level = np.where(mask, np.int8(lvl), level)
    return score, level


def scores(place: Place, cols: PlaceColumns) -> tuple[np.ndarray, np.ndarray]:
    """(score, level) of every row for one place."""
    score, level = place_scores(place, cols)
    return score[cols.row_place], level[cols.row_place]


LEVEL_REASONS = {
    5: "同一区县",
    4: "同一城市",
    3: "同一都市圈",
    2: "同一省份",
    1: "距离约 {km:.0f} 公里",
}
