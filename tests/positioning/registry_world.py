"""A small registry with structure: Chengdu's districts, 什邡 and 德格, enterprises by GB/T 4754.

Each county gets enterprises in the divisions of its profile (more in its core divisions),
a few unclassified ones, and registered capital in exact 元.
"""

from __future__ import annotations

from decimal import Decimal

from parklink.core.text import normalise_name
from parklink.enterprises.models import Enterprise
from tests.support import factories

# county → (divisions with many enterprises, divisions with a few)
PROFILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "510104": (("65", "64", "72"), ("39", "52")),  # 锦江区: software, internet, business services
    "510105": (("72", "66", "65"), ("52", "61")),
    "510106": (("52", "51", "59"), ("36", "65")),
    "510107": (("65", "64", "39"), ("73", "72")),
    "510108": (("51", "52", "54"), ("36", "13")),
    "510112": (("36", "34", "38"), ("33", "52")),
    "510113": (("31", "26", "30"), ("33", "54")),
    "510682": (("26", "25", "34"), ("13", "30")),  # 什邡市: phosphorus chemicals, machinery
    "510114": (("38", "34", "39"), ("36", "52")),
    "513330": (("13", "61", "27"), ("44",)),  # 德格县: farm products, tourism, Tibetan medicine
}


def build_registry(small: str | None = "510115", unplaced: int = 2) -> dict[str, int]:
    """Create the registry; return the number of enterprises per county."""
    owner = factories.organization("登记册测试机构", "510000")
    rows = []
    counts: dict[str, int] = {}
    for index, (adcode, (core, side)) in enumerate(PROFILES.items()):
        codes = [c + "11" for c in core for _ in range(12 + index % 3)]
        codes += [c + "19" for c in side for _ in range(3)]
        codes += ["", "9"]  # unclassified at the 2-digit level: empty, too short
        for n, code in enumerate(codes):
            rows.append((adcode, code, Decimal(100_000 + 1_000 * n) / 100))
        counts[adcode] = len(codes)
    if small:
        rows += [(small, "6511", Decimal("50000.00"))] * 3
        counts[small] = 3
    rows += [("510000", "6511", Decimal("1.00"))] * unplaced
    Enterprise.objects.bulk_create(
        Enterprise(
            name=f"测试企业{i:05d}",
            normalized_name=normalise_name(f"测试企业{i:05d}"),
            region_id=adcode,
            owner=owner,
            industry_code=code,
            registered_capital=capital,
        )
        for i, (adcode, code, capital) in enumerate(rows)
    )
    return counts
