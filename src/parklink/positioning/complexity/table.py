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


def _factorize(
    labels: Sequence[str] | npt.NDArray[np.str_],
) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.int64]]:
    """Sorted distinct labels and each row's rank among them (a dict pass, then one sort of
    the distinct labels: much faster than sorting every row's text)."""
    items = labels.tolist() if hasattr(labels, "tolist") else list(labels)
    if not all(isinstance(label, str) for label in items):
        items = [str(label) for label in items]
    index = {label: i for i, label in enumerate(dict.fromkeys(items))}
    codes = np.fromiter(map(index.__getitem__, items), dtype=np.int64, count=len(items))
    distinct = np.array(list(index), dtype=str)
    order = np.argsort(distinct, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return distinct[order], rank[codes]


def _present(
    codes: npt.NDArray[np.int64], size: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The codes that occur (ascending) and each row's position among them, in linear time."""
    seen = np.bincount(codes, minlength=size) > 0
    position = np.cumsum(seen) - 1
    return np.flatnonzero(seen), position[codes]


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
    v = np.asarray(val, dtype=np.float64)
    if not (len(time) == len(loc) == len(prod) == len(v)) or v.ndim != 1:
        raise ValueError("time, loc, prod and val must be columns of the same length")
    times, time_index = _factorize(time)
    all_places, loc_code = _factorize(loc)
    all_products, prod_code = _factorize(prod)
    for ti in _time_order(times):
        rows = np.flatnonzero(time_index == ti)
        place_codes, place_index = _present(loc_code[rows], len(all_places))
        product_codes, product_index = _present(prod_code[rows], len(all_products))
        places, products = all_places[place_codes], all_products[product_codes]
        values = v[rows]
        missing = np.isnan(values)
        cell = place_index.astype(np.int64) * len(products) + product_index
        sums = np.bincount(
            cell, weights=np.where(missing, 0.0, values), minlength=len(places) * len(products)
        )
        matrix = np.asarray(sums, dtype=np.float64).reshape(len(places), len(products))
        distinct = int(np.count_nonzero(np.bincount(cell, minlength=len(places) * len(products))))
        yield Slice(
            time=str(times[ti]),
            places=places,
            products=products,
            values=matrix,
            rows=int(rows.size),
            missing=int(missing.sum()),
            duplicates=int(rows.size - distinct),
        )
