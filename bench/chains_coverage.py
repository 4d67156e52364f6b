"""Chain coverage for every province over 1,000,000 enterprises (no database, no Django).

`python -m bench.chains_coverage [ENTERPRISES]` (also run by `make bench`) builds, for a
deterministic seed, one row per (enterprise, segment) assignment — about 1.3 rows per
enterprise over every shipped template's segments — with real county adcodes from cpca's
table (a skewed spread: a few counties hold many firms), registered capital in fen (log-normal)
and flags; then times `chains.coverage.coverage_by_province` (the tally per province and
segment, exact integer capital sums, and the labels), best of three, and prints rows per
second, the seconds for the whole registry and the process's peak resident memory (VmHWM).
Target: under 5 seconds for 1,000,000 enterprises. A plain Python loop over the rows (a dict
per province) runs on a 100,000-row sample of the same rows for the ratio.
"""

from __future__ import annotations

import csv
import importlib.resources
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from parklink.chains import coverage
from parklink.chains.catalog import shipped

SEED = 20261205
SAMPLE = 100_000
TARGET_SECONDS = 5.0


def county_adcodes() -> np.ndarray:
    resource = importlib.resources.files("cpca.resources").joinpath("adcodes.csv")
    with resource.open(encoding="utf-8") as stream:
        codes = {row["adcode"][:6] for row in csv.DictReader(stream)}
    counties = sorted(int(code) for code in codes if not code.endswith("00"))
    return np.array(counties, dtype=np.int64)


def rows(enterprises: int, n_segments: int, seed: int = SEED) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    counties = county_adcodes()
    weights = 1.0 / np.arange(1, len(counties) + 1) ** 0.8  # a few counties hold many firms
    weights /= weights.sum()
    home = rng.choice(counties, size=enterprises, p=rng.permutation(weights))
    per = 1 + (rng.random(enterprises) < 0.3).astype(np.int64)  # 30 % in two segments
    owner = np.repeat(np.arange(enterprises), per)
    capital = np.exp(rng.normal(16.0, 2.0, size=enterprises)).astype(np.int64)  # fen
    flags = (
        (rng.random(enterprises) < 0.01) * coverage.LEADER
        | (rng.random(enterprises) < 0.02) * coverage.LISTED
        | (rng.random(enterprises) < 0.10) * coverage.HIGH_TECH
        | (rng.random(enterprises) < 0.05) * coverage.SPECIALISED
    ).astype(np.int64)
    return {
        "segments": rng.integers(0, n_segments, size=len(owner)),
        "adcodes": home[owner],
        "capital": capital[owner],
        "flags": flags[owner],
    }


def naive(segments: np.ndarray, adcodes: np.ndarray, capital: np.ndarray, flags: np.ndarray) -> int:
    """The same tally as a Python loop over rows (the baseline), returning the cells filled."""
    cells: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for seg, code, cap, flag in zip(
        segments.tolist(), adcodes.tolist(), capital.tolist(), flags.tolist(), strict=True
    ):
        cell = cells[(code // 10000, seg)]
        cell[0] += 1
        cell[1] += cap
        cell[2] += 1 if flag & coverage.LEADER else 0
        cell[3] += 1 if flag & coverage.LISTED else 0
    return len(cells)


def high_water_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str]) -> int:
    enterprises = int(argv[1]) if len(argv) > 1 else 1_000_000
    n_segments = sum(len(chain.segments) for chain in shipped().values())
    data = rows(enterprises, n_segments)
    n_rows = len(data["segments"])
    best = float("inf")
    for _round in range(3):
        start = time.perf_counter()
        codes, found, labels = coverage.coverage_by_province(
            data["segments"], data["adcodes"], data["capital"], data["flags"], n_segments
        )
        best = min(best, time.perf_counter() - start)
    assert int(found.enterprises.sum()) == n_rows
    assert int(found.capital_fen.sum()) == int(data["capital"].sum())
    sample = slice(0, min(SAMPLE, n_rows))
    start = time.perf_counter()
    naive(*(data[key][sample] for key in ("segments", "adcodes", "capital", "flags")))
    loop_rate = (sample.stop - sample.start) / (time.perf_counter() - start)
    rate = n_rows / best
    print(
        f"chains coverage: {enterprises:,} enterprises, {n_rows:,} assignment rows, "
        f"{len(codes)} provinces × {n_segments} segments"
    )
    print(
        f"  coverage_by_province: {best:.3f} s ({rate:,.0f} rows/s), "
        f"target < {TARGET_SECONDS:.0f} s: {'ok' if best < TARGET_SECONDS else 'MISSED'}"
    )
    labelled = np.bincount(labels.ravel(), minlength=4)
    print(f"  labels (missing/weak/present/strong): {labelled.tolist()}")
    print(
        f"  Python loop on {sample.stop:,} rows: {loop_rate:,.0f} rows/s; "
        f"vectorised is {rate / loop_rate:,.1f}× faster"
    )
    print(f"  peak memory (VmHWM): {high_water_mb():,.0f} MB")
    return 0 if best < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
