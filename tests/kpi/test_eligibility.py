"""引进成功 over columns: each condition, the window, counts once, 突击上报."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import numpy as np

from parklink.kpi.engine import eligibility, periods
from parklink.kpi.engine.scheme import Eligibility

M = eligibility.MISSING
RULE = Eligibility(
    registered=True, started=True, window_months=24, min_actual_investment=D(10_000_000)
)


def days(*values: date | None) -> np.ndarray:
    return np.array([v.toordinal() if v else M for v in values], dtype=np.int64)


def test_each_condition_and_counting_once() -> None:
    # 0: all met in 2025Q1 (started last, on 2025-02-10) → counts in Q1 only.
    # 1: never started. 2: not registered. 3: funds never reached the minimum.
    # 4: started 25 months after signing (outside the window). 5: entered after Q1 closed.
    c = eligibility.Candidates(
        signed_on=days(
            date(2024, 6, 1),
            date(2025, 1, 5),
            date(2025, 1, 5),
            date(2025, 1, 5),
            date(2023, 1, 10),
            date(2025, 1, 5),
        ),
        started_on=days(
            date(2025, 2, 10),
            None,
            date(2025, 2, 1),
            date(2025, 2, 1),
            date(2025, 2, 11),
            date(2025, 2, 1),
        ),
        funds_reached_on=days(
            date(2024, 12, 1),
            date(2025, 1, 6),
            date(2025, 1, 6),
            None,
            date(2024, 1, 1),
            date(2025, 1, 6),
        ),
        recorded_on=days(
            date(2024, 6, 1),
            date(2025, 1, 5),
            date(2025, 1, 5),
            date(2025, 1, 5),
            date(2023, 1, 10),
            date(2025, 4, 2),
        ),
        registered=np.array([True, True, False, True, True, True]),
    )
    q1 = eligibility.judge(c, RULE, periods.parse("2025Q1"))
    assert q1.counted.tolist() == [True, False, False, False, False, False]
    assert q1.late_reported.tolist() == [False, False, False, False, False, True]
    q2 = eligibility.judge(c, RULE, periods.parse("2025Q2"))
    assert not q2.counted.any()  # counted once: its success day lies in Q1
    # Without the ledger rule the late one counts (the other conditions hold).
    lax = Eligibility(
        registered=True,
        started=True,
        min_actual_investment=D(10_000_000),
        ledger_before_close=False,
    )
    assert eligibility.judge(c, lax, periods.parse("2025Q1")).counted.tolist()[5] is True
    # A grace of two days lets an entry on 2 April count for Q1.
    assert (
        eligibility.judge(c, RULE, periods.parse("2025Q1"), grace_days=2).counted.tolist()[5]
        is True
    )
