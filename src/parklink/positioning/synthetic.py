"""Synthetic county × industry figures for the demo (示例数据 / synthetic), no Django.

A province's counties (Sichuan's, Gansu's in the demo) get enterprise counts per GB/T 4754
division with a realistic structure: each county has a size (Chengdu's districts large, the
plateau's counties small) and a capability, each division a difficulty, and a county makes a
division more likely the more capable it is. A few counties get the profiles the articles
describe (德格县: farm products, Tibetan medicine, tourism, clean power; 什邡市: phosphorus
chemicals, pharmaceuticals, machinery; 甘州区, home of 张掖经开区: corn seed, farm products,
wind and solar power, silicon, equipment), so the demo shows them with recommendations.
Parks of the demo get a table of their own (`park_figures`: 成都高新区).
Deterministic for a seed. The figures are not statistics of any real place.
"""

from __future__ import annotations

import numpy as np

# Divisions used (GB/T 4754-2017 大类), with a difficulty in [0, 1]: resource and simple
# consumer industries low, equipment, electronics, pharmaceuticals and software high.
DIVISIONS: dict[str, float] = {
    "01": 0.05,
    "03": 0.08,
    "05": 0.10,
    "06": 0.15,
    "08": 0.15,
    "10": 0.12,
    "13": 0.18,
    "14": 0.25,
    "15": 0.30,
    "17": 0.28,
    "18": 0.22,
    "20": 0.20,
    "21": 0.26,
    "22": 0.32,
    "25": 0.40,
    "26": 0.52,
    "27": 0.70,
    "29": 0.45,
    "30": 0.30,
    "31": 0.48,
    "32": 0.50,
    "33": 0.42,
    "34": 0.62,
    "35": 0.68,
    "36": 0.72,
    "37": 0.78,
    "38": 0.70,
    "39": 0.85,
    "40": 0.82,
    "44": 0.35,
    "47": 0.20,
    "48": 0.25,
    "51": 0.30,
    "52": 0.15,
    "54": 0.22,
    "59": 0.28,
    "61": 0.18,
    "62": 0.15,
    "63": 0.55,
    "64": 0.80,
    "65": 0.88,
    "66": 0.75,
    "70": 0.40,
    "72": 0.60,
    "73": 0.90,
    "75": 0.80,
    "86": 0.50,
    "87": 0.35,
}
# County adcode → (capability, size, divisions it is known for): the articles' places.
PROFILES: dict[str, tuple[float, float, tuple[str, ...]]] = {
    "513330": (0.25, 0.25, ("01", "03", "13", "27", "44", "61", "87")),  # 德格县
    "510682": (0.55, 0.80, ("26", "27", "34", "25", "30")),  # 什邡市
    "510107": (0.95, 3.00, ("65", "64", "39", "73", "75")),  # 武侯区
    "510116": (0.85, 2.20, ("39", "65", "37", "38", "40")),  # 双流区
    # 甘州区 (张掖经开区): corn seed, farm products, wind and solar power, silicon, equipment
    "620702": (0.50, 1.20, ("05", "01", "13", "44", "32", "34")),
}


def county_figures(counties: list[str], seed: int = 2024) -> dict[tuple[str, str], int]:
    """(county adcode, division) → enterprise count, for every county given."""
    rng = np.random.default_rng(seed)
    codes = list(DIVISIONS)
    difficulty = np.array([DIVISIONS[c] for c in codes])
    base_share = rng.lognormal(0, 0.6, len(codes))
    out: dict[tuple[str, str], int] = {}
    for adcode in counties:
        urban = adcode.startswith("5101") and adcode[4:6] <= "17"
        capability, size, known = PROFILES.get(
            adcode,
            (
                float(np.clip(rng.normal(0.70 if urban else 0.40, 0.12), 0.05, 0.98)),
                float(rng.lognormal(1.0 if urban else 0.0, 0.5)),
                (),
            ),
        )
        chance = 1 / (1 + np.exp(-10 * (capability - difficulty)))
        present = rng.random(len(codes)) < chance
        counts = size * 60 * base_share * rng.lognormal(0, 0.5, len(codes)) * present
        for j, code in enumerate(codes):
            if code in known:
                counts[j] = max(counts[j], 0) + size * 60 * 1.5 * rng.uniform(0.8, 1.2)
        for j, code in enumerate(codes):
            n = round(float(counts[j]))
            if n > 0:
                out[(adcode, code)] = n
    return out


# Demo park key → (capability, size, divisions it is known for). 成都高新区: electronics and
# software, biomedicine (天府国际生物城), finance (盈创动力), research and technical services.
PARK_PROFILES: dict[str, tuple[float, float, tuple[str, ...]]] = {
    "cdht": (0.97, 2.50, ("39", "65", "27", "66", "73", "64")),
}


def park_figures(parks: list[str], seed: int = 2024) -> dict[tuple[str, str], int]:
    """(park key, division) → enterprise count for the parks of PARK_PROFILES among `parks`,
    on the same division shares as `county_figures` with the same seed (so a park is a peer
    of the counties it is compared with)."""
    codes = list(DIVISIONS)
    base_share = np.random.default_rng(seed).lognormal(0, 0.6, len(codes))
    difficulty = np.array([DIVISIONS[c] for c in codes])
    out: dict[tuple[str, str], int] = {}
    for n, key in enumerate(sorted(k for k in parks if k in PARK_PROFILES)):
        rng = np.random.default_rng([seed, n + 1])
        capability, size, known = PARK_PROFILES[key]
        chance = 1 / (1 + np.exp(-10 * (capability - difficulty)))
        present = rng.random(len(codes)) < chance
        counts = size * 60 * base_share * rng.lognormal(0, 0.5, len(codes)) * present
        for j, code in enumerate(codes):
            if code in known:
                counts[j] = max(counts[j], 0) + size * 60 * 1.5 * rng.uniform(0.8, 1.2)
            value = round(float(counts[j]))
            if value > 0:
                out[(key, code)] = value
    return out


def earlier_figures(
    figures: dict[tuple[str, str], int], years: int = 4, seed: int = 2020
) -> dict[tuple[str, str], int]:
    """The same places `years` earlier: each division shrunk back by its own yearly growth (the
    harder divisions grew faster: 2–12 % a year, with noise) and each cell by a little noise of
    its own, so changes in RCA and ECI are small and structured, as between real years."""
    rng = np.random.default_rng(seed)
    rate = {
        code: 0.02 + 0.08 * difficulty + float(rng.normal(0, 0.015))
        for code, difficulty in DIVISIONS.items()
    }
    out: dict[tuple[str, str], int] = {}
    for (place, code), n in sorted(figures.items()):
        back = n / (1 + rate.get(code, 0.05)) ** years * float(rng.lognormal(0, 0.12))
        value = round(back)
        if value > 0:
            out[(place, code)] = value
    return out
