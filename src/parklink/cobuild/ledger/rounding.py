"""Splitting an integer amount by exact shares into integers that add up to it exactly.

The rule (docs/cobuild.md, "Rounding"): each part is first the floor of amount × share; the
units left over (fewer than the number of parts) go one each to the parts with the largest
fractional remainders; equal remainders are served in party order (the order the shares are
given in, which callers take from `Party.order`). A negative amount is split as its absolute
value and every part negated, so a refund is split exactly as the payment it undoes and every
part of it is ≤ 0.

`split_int` is the scalar rule on Python integers and `Fraction`s; `split_array` applies the
same rule to a numpy int64 vector at once and gives identical parts (tests prove it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import numpy.typing as npt

Int64Array = npt.NDArray[np.int64]

# |amount| × common denominator must stay below this for the int64 path (2**63 - 1).
_INT64_MAX = (1 << 63) - 1


class ShareError(ValueError):
    """Shares that cannot split an amount: negative, or not adding up to exactly 1."""


def check_shares(shares: Sequence[Fraction]) -> None:
    if not shares:
        raise ShareError("no shares")
    if any(share < 0 for share in shares):
        raise ShareError(f"a negative share in {[str(s) for s in shares]}")
    if sum(shares, Fraction(0)) != 1:
        raise ShareError(f"shares {[str(s) for s in shares]} do not add up to 1")


def split_int(amount: int, shares: Sequence[Fraction]) -> list[int]:
    """Parts of `amount` by `shares` (in party order), adding up to `amount` exactly."""
    check_shares(shares)
    if amount < 0:
        return [-part for part in split_int(-amount, shares)]
    floors: list[int] = []
    remainders: list[Fraction] = []
    for share in shares:
        whole, rest = divmod(amount * share.numerator, share.denominator)
        floors.append(whole)
        remainders.append(Fraction(rest, share.denominator))
    left = amount - sum(floors)
    # Largest remainder first; equal remainders in party order (the lower position first).
    for position in sorted(range(len(shares)), key=lambda i: (-remainders[i], i))[:left]:
        floors[position] += 1
    return floors


def common_numerators(shares: Sequence[Fraction]) -> tuple[list[int], int]:
    """The shares as integers over their least common denominator: ([n1, n2, ...], D)."""
    check_shares(shares)
    denominator = math.lcm(*(share.denominator for share in shares))
    return [share.numerator * (denominator // share.denominator) for share in shares], denominator


def fits_int64(amounts: Int64Array, shares: Sequence[Fraction]) -> bool:
    """Whether `split_array` can split these amounts without leaving int64."""
    if amounts.size == 0:
        return True
    _, denominator = common_numerators(shares)
    lowest, highest = int(amounts.min()), int(amounts.max())
    return max(abs(lowest), abs(highest)) * denominator <= _INT64_MAX


def split_array(amounts: Int64Array, shares: Sequence[Fraction]) -> Int64Array:
    """`split_int` over a vector: an (n, len(shares)) int64 array whose rows add up to `amounts`.

    Raises `OverflowError` when an amount times the shares' common denominator leaves int64
    (`fits_int64` tells beforehand; such amounts go through `split_int`).
    """
    amounts = np.asarray(amounts, dtype=np.int64)
    numerators, denominator = common_numerators(shares)
    if not fits_int64(amounts, shares):
        raise OverflowError("amount × denominator leaves int64; use split_int")
    sign = np.where(amounts < 0, -1, 1).astype(np.int64)
    magnitude = amounts * sign
    count = len(numerators)
    parts = np.empty((amounts.shape[0], count), dtype=np.int64)
    remainders = np.empty((amounts.shape[0], count), dtype=np.int64)
    for position, numerator in enumerate(numerators):
        product = magnitude * numerator
        parts[:, position] = product // denominator
        remainders[:, position] = product % denominator
    left = magnitude - parts.sum(axis=1)
    # The rank of each part in (largest remainder, then party order); a part gets one more
    # unit when its rank is below the units left over. Every remainder has the same
    # denominator, so comparing the integer remainders compares the fractions exactly.
    for position in range(count):
        rank = np.zeros(amounts.shape[0], dtype=np.int64)
        mine = remainders[:, position]
        for other in range(count):
            if other == position:
                continue
            ahead = remainders[:, other] > mine
            if other < position:
                ahead |= remainders[:, other] == mine
            rank += ahead
        parts[:, position] += rank < left
    return parts * sign[:, None]
