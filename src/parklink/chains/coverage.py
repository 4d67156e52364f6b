"""Coverage of chain segments per place, vectorised over arrays (no Django).

Input is one row per (enterprise, segment) assignment: the segment's index, the place's index,
the enterprise's registered capital in fen (int64, exact) and its flags (a bit mask). Output is,
per (place, segment), the enterprise count, the capital sum, the counts of chain leaders,
listed, high-tech and specialised firms, and the label (strong / present / weak / missing)
given by `Rules`. One million rows over every province take well under a second
(`bench/chains_coverage.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

LEADER = 1
LISTED = 2
HIGH_TECH = 4
SPECIALISED = 8
ABOVE_SCALE = 16
FLAG_NAMES = {
    LEADER: "leader",
    LISTED: "listed",
    HIGH_TECH: "high_tech",
    SPECIALISED: "specialised",
    ABOVE_SCALE: "above_scale",
}

YUAN = 100  # fen per 元
YI = 100_000_000 * YUAN  # fen per 亿元


class Label(IntEnum):
    """A segment's standing in a place; the integer orders them (missing lowest)."""

    MISSING = 0
    WEAK = 1
    PRESENT = 2
    STRONG = 3

    @property
    def code(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Rules:
    """Thresholds for the labels (defaults documented in docs/chains.md, "Gap labels").

    missing: no enterprise. strong: at least `strong_enterprises`; or a chain leader among at
    least `strong_leader_enterprises`; or at least `strong_leader_enterprises` whose registered
    capital adds up to `strong_capital_fen`. present: at least `present_enterprises`, or any
    chain leader or listed firm. weak: anything else.
    """

    strong_enterprises: int = 10
    strong_leader_enterprises: int = 3
    strong_capital_fen: int = 10 * YI
    present_enterprises: int = 3

    def problems(self) -> dict[str, str]:
        """Fields whose values cannot work together, with the reason (Chinese)."""
        found: dict[str, str] = {}
        if self.present_enterprises < 1:
            found["present_enterprises"] = "“有”的企业数至少为 1"
        if self.strong_enterprises < self.present_enterprises:
            found["strong_enterprises"] = "“强”的企业数不能少于“有”的企业数"
        if self.strong_leader_enterprises < 1:
            found["strong_leader_enterprises"] = "有链主时的企业数至少为 1"
        if self.strong_capital_fen < 0:
            found["strong_capital"] = "注册资本合计不能为负数"
        return found


@dataclass
class Tally:
    """Per (place, segment) figures, each an array of shape (places, segments)."""

    enterprises: npt.NDArray[np.int64]
    capital_fen: npt.NDArray[np.int64]
    leaders: npt.NDArray[np.int64]
    listed: npt.NDArray[np.int64]
    high_tech: npt.NDArray[np.int64]
    specialised: npt.NDArray[np.int64]

    @property
    def shape(self) -> tuple[int, int]:
        rows, columns = self.enterprises.shape
        return int(rows), int(columns)


def tally(
    segments: npt.ArrayLike,
    places: npt.ArrayLike,
    capital_fen: npt.ArrayLike,
    flags: npt.ArrayLike,
    n_segments: int,
    n_places: int,
) -> Tally:
    """Count the rows per (place, segment); rows with a negative place or segment are skipped.

    The caller gives one row per distinct (enterprise, segment) pair of a place.
    """
    seg = np.asarray(segments, dtype=np.int64)
    plc = np.asarray(places, dtype=np.int64)
    cap = np.asarray(capital_fen, dtype=np.int64)
    flg = np.asarray(flags, dtype=np.int64)
    if not (len(seg) == len(plc) == len(cap) == len(flg)):
        raise ValueError("segments, places, capital and flags must have the same length")
    keep = (seg >= 0) & (seg < n_segments) & (plc >= 0) & (plc < n_places)
    if not keep.all():
        seg, plc, cap, flg = seg[keep], plc[keep], cap[keep], flg[keep]
    cell = plc * n_segments + seg
    size = n_places * n_segments
    shape = (n_places, n_segments)

    def count(mask: npt.NDArray[np.bool_] | None = None) -> npt.NDArray[np.int64]:
        chosen = cell if mask is None else cell[mask]
        return np.bincount(chosen, minlength=size).astype(np.int64).reshape(shape)

    capital = np.zeros(size, dtype=np.int64)
    np.add.at(capital, cell, cap)  # exact integer sums (bincount's weights are floats)
    return Tally(
        enterprises=count(),
        capital_fen=capital.reshape(shape),
        leaders=count((flg & LEADER) != 0),
        listed=count((flg & LISTED) != 0),
        high_tech=count((flg & HIGH_TECH) != 0),
        specialised=count((flg & SPECIALISED) != 0),
    )


def labels(found: Tally, rules: Rules = Rules()) -> npt.NDArray[np.int8]:
    """The label (a `Label` value) of every (place, segment) cell."""
    n = found.enterprises
    strong = (
        (n >= rules.strong_enterprises)
        | ((found.leaders > 0) & (n >= rules.strong_leader_enterprises))
        | ((n >= rules.strong_leader_enterprises) & (found.capital_fen >= rules.strong_capital_fen))
    )
    present = (n >= rules.present_enterprises) | (found.leaders > 0) | (found.listed > 0)
    out = np.full(n.shape, Label.MISSING, dtype=np.int8)
    out[n > 0] = Label.WEAK
    out[(n > 0) & present] = Label.PRESENT
    out[(n > 0) & strong] = Label.STRONG
    return out


def label_of(
    enterprises: int, leaders: int, listed: int, capital_fen: int, rules: Rules = Rules()
) -> Label:
    """The label of one cell (the same rules as `labels`, for a single segment)."""
    if enterprises <= 0:
        return Label.MISSING
    if (
        enterprises >= rules.strong_enterprises
        or (leaders > 0 and enterprises >= rules.strong_leader_enterprises)
        or (
            enterprises >= rules.strong_leader_enterprises
            and capital_fen >= rules.strong_capital_fen
        )
    ):
        return Label.STRONG
    if enterprises >= rules.present_enterprises or leaders > 0 or listed > 0:
        return Label.PRESENT
    return Label.WEAK


def province_index(adcodes: npt.ArrayLike) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(province codes present, each row's index into them) from six-digit adcodes."""
    provinces = np.asarray(adcodes, dtype=np.int64) // 10000
    if len(provinces) and (provinces.min() < 0 or provinces.max() >= 100):
        raise ValueError("adcodes must be six-digit codes (100000–999999)")
    # Two-digit province prefixes: a table of 100 instead of a sort of every row.
    present = np.bincount(provinces, minlength=100) > 0
    codes = np.flatnonzero(present).astype(np.int64)
    position = np.cumsum(present) - 1
    return codes * 10000, position[provinces].astype(np.int64)


def coverage_by_province(
    segments: npt.ArrayLike,
    adcodes: npt.ArrayLike,
    capital_fen: npt.ArrayLike,
    flags: npt.ArrayLike,
    n_segments: int,
    rules: Rules = Rules(),
) -> tuple[npt.NDArray[np.int64], Tally, npt.NDArray[np.int8]]:
    """(province adcodes, their tally, their labels) for assignment rows with county adcodes."""
    codes, index = province_index(adcodes)
    found = tally(segments, index, capital_fen, flags, n_segments, len(codes))
    return codes, found, labels(found, rules)
