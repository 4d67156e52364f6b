"""A long table (time, loc, prod, val) as one place × product matrix per time.

Rows with the same (time, loc, prod) are summed (the peer keeps the first and drops the rest:
a documented difference); a missing value (NaN) counts as 0 and is counted. The places and
products of a time are those that occur in its rows, sorted as text (times are sorted as
numbers when they all are integers, else as text). Nothing here knows about files or Django.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass
class Slice:
    """One time's matrix: `values[i, j]` is the total of `places[i]` in `products[j]`."""

    time: str
    places: npt.NDArray[np.str_]
    products: npt.NDArray[np.str_]
    values: npt.NDArray[np.float64]
    rows: int
    missing: int
    duplicates: int


def _time_order(times: npt.NDArray[np.str_]) -> list[int]:
    labels = [str(t) for t in times]
    try:
        numbers = [int(t) for t in labels]
    except ValueError:
        return sorted(range(len(labels)), key=lambda i: labels[i])
    return sorted(range(len(labels)), key=lambda i: numbers[i])


def slices(
    time: Sequence[str] | npt.NDArray[np.str_],
    loc: Sequence[str] | npt.NDArray[np.str_],
    prod: Sequence[str] | npt.NDArray[np.str_],
    val: Sequence[float] | npt.NDArray[np.float64],
) -> Iterator[Slice]:
    """Yield one `Slice` per time, in time order."""
    t = np.asarray(time, dtype=str)
    c = np.asarray(loc, dtype=str)
    p = np.asarray(prod, dtype=str)
    v = np.asarray(val, dtype=np.float64)
    if not (t.shape == c.shape == p.shape == v.shape) or t.ndim != 1:
        raise ValueError("time, loc, prod and val must be columns of the same length")
    times, time_index = np.unique(t, return_inverse=True)
    for ti in _time_order(times):
        rows = np.flatnonzero(time_index == ti)
        places, place_index = np.unique(c[rows], return_inverse=True)
        products, product_index = np.unique(p[rows], return_inverse=True)
        values = v[rows]
        missing = np.isnan(values)
        cell = place_index.astype(np.int64) * len(products) + product_index
        matrix: npt.NDArray[np.float64] = np.bincount(
            cell, weights=np.where(missing, 0.0, values), minlength=len(places) * len(products)
        ).reshape(len(places), len(products))
        distinct = int(np.unique(cell).size)
        yield Slice(
            time=str(times[ti]),
            places=places,
            products=products,
            values=matrix,
            rows=int(rows.size),
            missing=int(missing.sum()),
            duplicates=int(rows.size - distinct),
        )
