"""The peer (PyPI `ecomplexity` 0.5.3) and the data the positioning tests compare it on.

`peer_run(frame, cols)` calls the peer on a long table and returns its output keyed by
(time, loc, prod) as text. One shim for pandas 3: the peer means to read missing values as 0
(`clean_data`: "NaN value(s) present, coercing to zero(es)"), but its in-place `fillna` on a
column no longer writes back under copy-on-write, so the shim fills them before the call.

`ours(frame, cols, **options)` runs our engine on the same table through `table.slices`, in the
same long shape. `max_differences` gives the largest absolute difference per column on the
cells both define.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from parklink.positioning.complexity import compute
from parklink.positioning.complexity.table import slices
from tests.support.seeds import in_ci

DATA = Path(__file__).resolve().parent / "data"
COMPLEXITY_ENV = "PARKLINK_COMPLEXITY_DIR"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_COMPLEXITY_DIR = REPO_ROOT.parent / "shared" / "data" / "complexity"
FIGURES = ("rca", "mcp", "diversity", "ubiquity", "eci", "pci", "density", "coi", "cog")
KEYS = ["time", "loc", "prod"]


def complexity_dir() -> Path:
    """`$PARKLINK_COMPLEXITY_DIR`, else `../shared/data/complexity` beside the repository."""
    env = os.environ.get(COMPLEXITY_ENV)
    return Path(env) if env else DEFAULT_COMPLEXITY_DIR


def require_complexity_file(name: str) -> Path:
    """The full data file, or skip (fail under CI=true) naming the variable that points to it."""
    path = complexity_dir() / name
    if not path.is_file():
        message = (
            f"Reference data not found: {path}. The full CBP and world-trade tables are not "
            f"shipped; set {COMPLEXITY_ENV} to the directory holding them"
        )
        if in_ci():
            pytest.fail(f"{message} (CI=true: a missing directory fails the run).", pytrace=False)
        pytest.skip(message + ".")
    return path


def read(path: Path, cols: dict[str, str], time_value: str | None = None) -> pd.DataFrame:
    """A long table with text keys (codes such as 0011 keep their zeros) and float values."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = frame.rename(columns={v: k for k, v in cols.items() if v})
    if time_value is not None:
        frame["time"] = time_value
    frame["val"] = pd.to_numeric(frame["val"].replace("", np.nan))
    return frame[[*KEYS, "val"]]


def peer_run(frame: pd.DataFrame, presence: str = "rca", threshold: float = 1) -> pd.DataFrame:
    from ecomplexity import ecomplexity

    data = frame.copy()
    data["val"] = data["val"].fillna(0)  # the pandas 3 shim (see the module docstring)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = ecomplexity(
            data,
            {"time": "time", "loc": "loc", "prod": "prod", "val": "val"},
            presence_test=presence,
            rca_mcp_threshold=threshold,
            verbose=False,
            check_logsupermodularity=False,
        )
    out = out[out["mcp"].notna()]
    return out[[*KEYS, *FIGURES]].set_index(KEYS).sort_index()


def ours(frame: pd.DataFrame, **options: Any) -> pd.DataFrame:
    parts = []
    for part in slices(frame["time"], frame["loc"], frame["prod"], frame["val"]):
        r = compute(part.values, **options)
        c, p = np.divmod(np.arange(part.values.size), len(part.products))
        parts.append(
            pd.DataFrame(
                {
                    "time": part.time,
                    "loc": part.places[c],
                    "prod": part.products[p],
                    "rca": r.rca.ravel(),
                    "mcp": np.where((r.kept_places[c] & r.kept_products[p]), r.mcp.ravel(), np.nan),
                    "diversity": r.diversity[c].astype(float),
                    "ubiquity": r.ubiquity[p].astype(float),
                    "eci": r.eci[c],
                    "pci": r.pci[p],
                    "density": r.density.ravel(),
                    "coi": r.coi[c],
                    "cog": r.cog.ravel(),
                }
            )
        )
    return pd.concat(parts).set_index(KEYS).sort_index()


def max_differences(peer: pd.DataFrame, mine: pd.DataFrame) -> dict[str, float]:
    """Largest |peer − ours| per figure over the peer's rows; NaN on one side only counts as ∞."""
    joined = peer.join(mine, how="left", suffixes=("_peer", "_ours"))
    out = {}
    for name in FIGURES:
        a = joined[f"{name}_peer"].to_numpy(dtype=float)
        b = joined[f"{name}_ours"].to_numpy(dtype=float)
        both_nan = np.isnan(a) & np.isnan(b)
        diff = np.where(both_nan, 0.0, np.abs(a - b))
        out[name] = float(np.nan_to_num(diff, nan=np.inf).max())
    return out


_RUNS: dict[str, pd.DataFrame] = {}


def cached(key: str, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The peer is slow (seconds per big table): each table's run is made once per session."""
    if key not in _RUNS:
        _RUNS[key] = build()
    return _RUNS[key]
