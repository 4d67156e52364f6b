"""What the extractor returns: plain frozen dataclasses with offsets into the normalised text.

Every figure and field carries the span it was read from and the sentence around it, both as
offsets into `Extraction.text` (the normalised, simplified text); `Extraction.original_span`
maps a span back to the original text so a page can cite what the article really said.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

INVESTMENT_KINDS = ("total_investment", "phase_investment", "agreed_investment")
AMOUNT_KINDS = (
    *INVESTMENT_KINDS,
    "funds_in_place",
    "cumulative_spend",
    "output",
    "revenue",
    "tax",
    "capacity",
)
STAGES = (
    "planned",
    "signed",
    "started",
    "under_construction",
    "in_production",
    "full_production",
    "unknown",
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Amount:
    """A figure read from the article. `value` is in `currency` units (元 for CNY), exact.

    `yuan` is the value in 元: equal to `value` for CNY, converted for a foreign currency only
    when the article gives a rate (or an "约合人民币" figure), else None. A capacity figure
    (30GWh, 万吨) has `currency` "" and its unit in `unit`.
    """

    value: Decimal
    currency: str
    yuan: Decimal | None
    kind: str
    lower_bound: bool
    approx: bool
    span: Span
    sentence: Span
    unit: str = ""
    per_item: bool = False  # a threshold each project of a list meets ("等6个投资5亿元以上项目")

    @property
    def is_investment(self) -> bool:
        return self.kind in INVESTMENT_KINDS

    def label(self) -> str:
        """超10亿元 / 约2亿元 / 10亿元: the figure as the article qualified it."""
        written = self.span.text
        if any(mark in written for mark in ("以上", "左右", "多", "余", "-", "至", "~", "到")):
            return written  # the article's own words already say it
        prefix = "超" if self.lower_bound else ("约" if self.approx else "")
        return f"{prefix}{written}"


@dataclass(frozen=True)
class Field:
    value: str
    span: Span | None
    sentence: Span | None


@dataclass(frozen=True)
class ExtractedProject:
    name: Field
    enterprises: tuple[Field, ...]
    amounts: tuple[Amount, ...]
    investment: Amount | None
    place: Field | None
    adcode: str | None
    park: Field | None
    sector: Field | None
    stage: str
    stage_date: date | None
    evidence: tuple[Span, ...]


@dataclass(frozen=True)
class ArticleTotal:
    description: str
    count: int | None
    amount: Amount | None
    span: Span


@dataclass(frozen=True)
class Extraction:
    title: str
    published: date | None
    original: str
    text: str
    projects: tuple[ExtractedProject, ...]
    totals: tuple[ArticleTotal, ...]
    # (normalised start, original start, original end, one-to-one) per segment, sorted.
    segments: tuple[tuple[int, int, int, bool], ...] = field(default=(), repr=False)

    def original_span(self, span: Span | tuple[int, int]) -> tuple[int, int]:
        """The (start, end) in `original` of a span of `text`."""
        start, end = (span.start, span.end) if isinstance(span, Span) else span
        return map_offset(self.segments, start, False), map_offset(self.segments, end, True)

    def original_text(self, span: Span | tuple[int, int]) -> str:
        start, end = self.original_span(span)
        return self.original[start:end]


def map_offset(
    segments: tuple[tuple[int, int, int, bool], ...] | list[tuple[int, int, int, bool]],
    position: int,
    is_end: bool,
) -> int:
    """Map a normalised offset to the original through the segment table."""
    if not segments:
        return position
    starts = [s[0] for s in segments]
    index = bisect_right(starts, position - 1 if is_end and position > 0 else position) - 1
    index = max(index, 0)
    norm_start, orig_start, orig_end, one_to_one = segments[index]
    if one_to_one:
        return min(orig_start + (position - norm_start), orig_end)
    return orig_end if is_end else orig_start
