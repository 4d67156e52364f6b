"""Resource fit of industries from the shipped table (data/positioning/resource_needs.yaml),
keyed by GB/T 4754 codes; no Django.

`fit(industries, available, require=...)` answers, per industry, the resources it needs that
the place has not recorded (reasons `needs:water`, which exclude it when `require`), and those
it uses that the place has (reasons `uses:green_power`, shown in its favour). A place without
any recorded resource is not judged: nothing is excluded for it (the caller says so).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

TABLE = Path(__file__).resolve().parent.parent / "data" / "positioning" / "resource_needs.yaml"
KINDS = (
    "sunshine_hours",
    "solar_days",
    "frost_free_days",
    "avg_temperature",
    "precipitation",
    "evaporation",
    "wind_potential",
    "solar_thermal_potential",
    "new_energy_potential",
    "installed_capacity",
    "annual_generation",
    "green_power",
    "water",
    "land",
    "other",
)


@dataclass(frozen=True)
class Needs:
    needs: frozenset[str]
    uses: frozenset[str]


@cache
def table(path: Path = TABLE) -> dict[str, Needs]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: dict[str, Needs] = {}
    for code, entry in (data.get("industries") or {}).items():
        needs = frozenset(entry.get("needs") or ())
        uses = frozenset(entry.get("uses") or ())
        unknown = (needs | uses) - set(KINDS)
        if unknown or not str(code).isdigit():
            raise ValueError(f"{path}: bad entry {code!r} (unknown kinds {sorted(unknown)})")
        out[str(code)] = Needs(needs, uses)
    return out


def needs_of(code: str, entries: dict[str, Needs] | None = None) -> Needs:
    """The longest table entry the code starts with (none: no needs, no uses)."""
    found = entries if entries is not None else table()
    for length in range(len(code), 1, -1):
        if code[:length] in found:
            return found[code[:length]]
    return Needs(frozenset(), frozenset())


@dataclass
class Fit:
    excluded: dict[str, list[str]]  # industry → ["needs:water", …] (only when required)
    missing: dict[str, list[str]]  # industry → the needs not recorded (required or not)
    favoured: dict[str, list[str]]  # industry → ["uses:green_power", …]
    judged: bool  # False when the place has no recorded resource at all


def fit(industries: Sequence[str], available: Iterable[str], *, require: bool = False) -> Fit:
    have = set(available)
    judged = bool(have)
    excluded: dict[str, list[str]] = {}
    missing: dict[str, list[str]] = {}
    favoured: dict[str, list[str]] = {}
    for code in industries:
        entry = needs_of(code)
        if judged and entry.needs and not entry.needs & have:
            missing[code] = [f"needs:{k}" for k in KINDS if k in entry.needs]
            if require:
                excluded[code] = missing[code]
        used = [f"uses:{k}" for k in KINDS if k in entry.uses and k in have]
        if used:
            favoured[code] = used
    return Fit(excluded, missing, favoured, judged)
