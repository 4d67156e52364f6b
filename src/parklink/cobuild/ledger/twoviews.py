"""The two statistical views of one period, side by side per party and indicator (no Django).

- **在地统计 / in place** (the legal figure): a figure is counted where it arises. The host
  side's statistics bureau reports the output, value added and fixed-asset investment of the
  enterprises in the park, and the taxes are collected there too, so every figure of the
  period counts wholly to the host party (the party with the role `host`, 飞入地). With no
  host party, or with several, nobody can be named: the figure is counted as `unattributed`.
- **分成后 / after the split** (the assessment view the agreement allows): what each party
  received in the run's allocations. For output, value added and fixed-asset investment this
  view is for performance assessment only and may not be published (仅用于考核,不得对外公布).

Per indicator the in-place column adds up to the figures the run read; the split column adds up
to the same less what no rule split (`unsplit`), so the two views reconcile to the fen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# Statistics credited to both sides for assessment only (not for publication).
ASSESSMENT = frozenset({"output", "value_added", "fai"})
ASSESSMENT_LABEL = "仅用于考核,不得对外公布 / assessment only, not for publication"


@dataclass(frozen=True)
class PartyFigures:
    party: str | None  # a party key; None for figures no party can be credited in place
    in_place: int
    split: int

    @property
    def difference(self) -> int:
        """What the agreement moves to (positive) or from (negative) the party."""
        return self.split - self.in_place


@dataclass(frozen=True)
class IndicatorViews:
    indicator: str
    recorded: int  # every figure the run read
    unsplit: int  # figures no rule split (counted in place, in no party's split)
    parties: tuple[PartyFigures, ...]

    @property
    def assessment(self) -> bool:
        return self.indicator in ASSESSMENT


@dataclass(frozen=True)
class PeriodViews:
    period: str
    host: str | None  # the party credited in place, None when it cannot be named
    indicators: tuple[IndicatorViews, ...] = field(default_factory=tuple)

    @property
    def assessment(self) -> bool:
        return any(row.assessment for row in self.indicators)


def host_party(parties: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """The one party with the role `host` (飞入地), or None when there is none or several."""
    hosts = [key for key, roles in parties if "host" in roles]
    return hosts[0] if len(hosts) == 1 else None


def compare(
    period: str,
    parties: Sequence[tuple[str, Sequence[str]]],
    recorded: Mapping[str, int],
    unsplit: Mapping[str, int],
    received: Mapping[tuple[str, str], int],
    indicators: Sequence[str],
) -> PeriodViews:
    """Both views of a period.

    `parties`: (key, roles) in party order; `recorded`: the run's figures per indicator;
    `unsplit`: what no rule split per indicator; `received`: the run's allocations per
    (indicator, party key); `indicators`: the display order (only those recorded are shown).
    """
    host = host_party(parties)
    rows = []
    for code in indicators:
        if code not in recorded:
            continue
        total = recorded[code]
        figures = [
            PartyFigures(key, total if key == host else 0, received.get((code, key), 0))
            for key, _roles in parties
        ]
        if host is None:
            figures.append(PartyFigures(None, total, 0))
        rows.append(IndicatorViews(code, total, unsplit.get(code, 0), tuple(figures)))
    return PeriodViews(period, host, tuple(rows))
