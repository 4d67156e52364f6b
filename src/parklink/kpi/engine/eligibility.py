"""引进成功: when a project counts, computed over columns of projects at once (numpy, no Django).

A county rule: a project counts as successfully introduced only when it is signed, its
investor is registered (统一社会信用代码: 工商 and 税务 since 三证合一), it has started
construction, its 实际投入 (evidenced funds in place) reaches the minimum, all of that within
the time window after signing (at most two years), and it was on the monthly ledger (entered
into the library) before the period closed: a project reported at the last minute (突击上报)
never counts.

It counts once: on its *success day*, the day the last condition was met (the latest of
signing, start and the day its funds reached the minimum), in the one period containing it.
Dates are day ordinals (`date.toordinal()`); a missing date is `MISSING`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from parklink.kpi.engine.periods import Period, months_before
from parklink.kpi.engine.scheme import Eligibility

MISSING = -1
Days = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Candidates:
    """One entry per project: day ordinals (MISSING when absent) and flags."""

    signed_on: Days
    started_on: Days
    funds_reached_on: Days  # the day evidenced funds first reached the minimum
    recorded_on: Days  # the day it entered the library (the monthly ledger)
    registered: Flags


@dataclass(frozen=True)
class Verdict:
    counted: Flags  # counts as introduced in this period
    success_on: Days  # the success day (MISSING when a condition is not met by period end)
    late_reported: Flags  # signed in the period, but entered after it closed (突击上报)


def on_ledger_by(period: Period, grace_days: int) -> int:
    """The last day a project may enter the library and still count for `period`."""
    return period.end.toordinal() + grace_days


def judge(c: Candidates, rule: Eligibility, period: Period, grace_days: int = 0) -> Verdict:
    end = period.end.toordinal()
    start = period.start.toordinal()
    signed = c.signed_on != MISSING
    success = np.where(signed, c.signed_on, MISSING)
    ok = signed & (c.signed_on <= end)
    if rule.started:
        ok &= c.started_on != MISSING
        success = np.maximum(success, c.started_on)
    if rule.min_actual_investment > 0:
        ok &= c.funds_reached_on != MISSING
        success = np.maximum(success, c.funds_reached_on)
    if rule.registered:
        ok &= c.registered
    # Within the window after signing (the window's last day included).
    days, inverse = np.unique(c.signed_on, return_inverse=True)
    window_end = np.array(
        [
            months_before(date.fromordinal(int(d)), -rule.window_months).toordinal()
            if d != MISSING
            else MISSING
            for d in days  # one per distinct signing day, not per project
        ],
        dtype=np.int64,
    )
    ends = window_end[inverse] if len(days) else c.signed_on
    ok &= success <= ends
    on_ledger = c.recorded_on <= on_ledger_by(period, grace_days)
    late = signed & (c.signed_on >= start) & (c.signed_on <= end) & ~on_ledger
    if rule.ledger_before_close:
        ok &= on_ledger
    counted = ok & (success >= start) & (success <= end)
    return Verdict(counted, np.where(ok, success, MISSING), late)
