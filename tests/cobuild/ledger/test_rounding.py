"""The rounding rule: floor, then the largest remainders, ties in party order; exact sums."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parklink.cobuild.ledger.rounding import ShareError, fits_int64, split_array, split_int

HALF = [F(1, 2), F(1, 2)]
THIRDS = [F(1, 3), F(1, 3), F(1, 3)]


class TestSplitInt:
    def test_exact_shares_need_no_rounding(self) -> None:
        assert split_int(1000, [F(3, 5), F(2, 5)]) == [600, 400]

    def test_a_tie_goes_to_the_first_party_in_order(self) -> None:
        # 123,456,789 fen × 1/2 = 61,728,394.5 each: the one fen left goes to the first party.
        assert split_int(123_456_789, HALF) == [61_728_395, 61_728_394]

    def test_ties_among_three_go_in_party_order(self) -> None:
        # 100 × 1/3 = 33.33…: one unit left, all remainders equal → the first party.
        assert split_int(100, THIRDS) == [34, 33, 33]
        # 101 × 1/3 = 33.66…: two units left → the first two parties.
        assert split_int(101, THIRDS) == [34, 34, 33]

    def test_the_largest_remainder_wins_over_party_order(self) -> None:
        # 10 × 0.15 = 1.5, 10 × 0.25 = 2.5, 10 × 0.6 = 6: two ties at .5, one unit → first;
        # 7 × (0.1, 0.3, 0.6) = 0.7, 2.1, 4.2: one unit left → the 0.7 (largest remainder).
        assert split_int(10, [F(15, 100), F(25, 100), F(60, 100)]) == [2, 2, 6]
        assert split_int(7, [F(1, 10), F(3, 10), F(6, 10)]) == [1, 2, 4]
        assert split_int(7, [F(6, 10), F(3, 10), F(1, 10)]) == [4, 2, 1]

    def test_a_negative_amount_splits_as_the_payment_it_undoes(self) -> None:
        assert split_int(-123_456_789, HALF) == [-61_728_395, -61_728_394]
        assert split_int(-101, THIRDS) == [-34, -34, -33]

    def test_zero_splits_into_zeros(self) -> None:
        assert split_int(0, THIRDS) == [0, 0, 0]

    @pytest.mark.parametrize("shares", [[F(1, 2), F(1, 3)], [F(3, 2), F(-1, 2)], []])
    def test_refuses_shares_that_do_not_make_one(self, shares: list[F]) -> None:
        with pytest.raises(ShareError):
            split_int(100, shares)


@st.composite
def share_lists(draw: st.DrawFn) -> list[F]:
    weights = draw(st.lists(st.integers(0, 1000), min_size=1, max_size=6))
    if sum(weights) == 0:
        weights[0] = 1
    total = sum(weights)
    return [F(weight, total) for weight in weights]


class TestSplitIntProperties:
    @given(st.integers(-(10**15), 10**15), share_lists())
    def test_parts_add_up_and_take_the_sign_of_the_amount(
        self, amount: int, shares: list[F]
    ) -> None:
        parts = split_int(amount, shares)
        assert sum(parts) == amount
        assert all(part >= 0 for part in parts) if amount >= 0 else all(p <= 0 for p in parts)
        # Each part is within one unit of the exact product.
        assert all(
            abs(part - amount * share) < 1 for part, share in zip(parts, shares, strict=True)
        )


class TestSplitArray:
    def test_matches_the_scalar_rule_on_ties(self) -> None:
        amounts = np.array([123_456_789, -123_456_789, 100, 101, -101, 0, 1, -1], dtype=np.int64)
        for shares in (HALF, THIRDS, [F(15, 100), F(25, 100), F(60, 100)]):
            expected = [split_int(int(a), shares) for a in amounts]
            assert split_array(amounts, shares).tolist() == expected

    @given(st.lists(st.integers(-(10**13), 10**13), max_size=60), share_lists())
    def test_matches_the_scalar_rule(self, amounts: list[int], shares: list[F]) -> None:
        vector = np.array(amounts, dtype=np.int64)
        result = split_array(vector, shares)
        assert result.shape == (len(amounts), len(shares))
        assert result.tolist() == [split_int(amount, shares) for amount in amounts]

    def test_refuses_amounts_that_would_leave_int64(self) -> None:
        vector = np.array([2**62], dtype=np.int64)
        assert not fits_int64(vector, [F(1, 3), F(2, 3)])
        with pytest.raises(OverflowError):
            split_array(vector, [F(1, 3), F(2, 3)])
