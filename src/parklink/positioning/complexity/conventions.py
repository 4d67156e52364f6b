"""The conventions that make two complexity packages disagree, as explicit flags.

Two presets name the packages they reproduce:

- `pyecomplexity` (the default): PyPI `ecomplexity` 0.5.3. Presence where RCA ≥ threshold,
  self-proximity 1, ECI z-scored with the population standard deviation over places
  (numpy's default, ddof 0), a place or product dropped when its total is exactly 0.
- `stata`: Growth Lab's Stata package `ecomplexity`. Presence where RCA > threshold
  (strict), self-proximity 0 (so density, COI and COG differ), the standard deviation of
  Stata's `summarize` over the year's rectangular place × product rows (sample standard
  deviation, n − 1 with n = places × products), a place or product dropped when its total is
  ≤ 0.

Every flag can be overridden on its own (`convention("stata", self_proximity=1.0)`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

SdConvention = Literal["places", "rows"]


@dataclass(frozen=True)
class Convention:
    """How presence, proximity, normalisation and empty places/products are treated."""

    name: str
    # Presence: M = 1 where RCA > threshold (strict) or RCA ≥ threshold (not strict).
    strict_presence: bool
    # The diagonal of the proximity matrix: 1 (a product is fully proximate to itself) or 0.
    self_proximity: float
    # "places": population sd (ddof 0) of ECI over places (PyPI ecomplexity);
    # "rows": sample sd (ddof 1) over the places × products rows of the year (Stata's summarize).
    sd: SdConvention
    # A place/product is left out of the year when its total is ≤ 0 (True) or exactly 0 (False).
    drop_nonpositive: bool


PYECOMPLEXITY = Convention(
    name="pyecomplexity",
    strict_presence=False,
    self_proximity=1.0,
    sd="places",
    drop_nonpositive=False,
)

STATA = Convention(
    name="stata",
    strict_presence=True,
    self_proximity=0.0,
    sd="rows",
    drop_nonpositive=True,
)

CONVENTIONS: dict[str, Convention] = {c.name: c for c in (PYECOMPLEXITY, STATA)}


def convention(
    name: str = "pyecomplexity",
    *,
    strict_presence: bool | None = None,
    self_proximity: float | None = None,
    sd: SdConvention | None = None,
    drop_nonpositive: bool | None = None,
) -> Convention:
    """The named preset with any flag overridden (the name then records the override)."""
    try:
        base = CONVENTIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown convention {name!r}; expected one of {sorted(CONVENTIONS)}"
        ) from None
    changes: dict[str, object] = {}
    if strict_presence is not None and strict_presence != base.strict_presence:
        changes["strict_presence"] = strict_presence
    if self_proximity is not None and self_proximity != base.self_proximity:
        if self_proximity not in (0.0, 1.0):
            raise ValueError("self_proximity must be 0 or 1")
        changes["self_proximity"] = float(self_proximity)
    if sd is not None and sd != base.sd:
        if sd not in ("places", "rows"):
            raise ValueError("sd must be 'places' or 'rows'")
        changes["sd"] = sd
    if drop_nonpositive is not None and drop_nonpositive != base.drop_nonpositive:
        changes["drop_nonpositive"] = drop_nonpositive
    if not changes:
        return base
    label = ",".join(f"{k}={v}" for k, v in sorted(changes.items()))
    return replace(base, name=f"{base.name}+{label}", **changes)  # type: ignore[arg-type]
