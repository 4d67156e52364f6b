"""An extracted project as the reviewer's editable fields, with where each came from.

`item_fields(extraction, project)` turns the extractor's `ExtractedProject` into plain JSON:
`data` (what the reviewer edits and what accepting writes), `spans` (each field's offsets and
sentence in the document's ORIGINAL text, so the page highlights what the article said) and
`extracted` (the extractor's reading, kept unchanged). No Django imports.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parklink.intel.extract.types import Amount, ExtractedProject, Extraction, Span
from parklink.intel.extract.types import Field as ExtractedField

# The extractor's stage → the library's stage a lead enters at (projects.lifecycle.Stage).
LIBRARY_STAGE = {
    "planned": "lead",
    "signed": "signed",
    "started": "started",
    "under_construction": "under_construction",
    "in_production": "in_production",
    "full_production": "full_production",
    "unknown": "lead",
}
# Investment kinds → the project field the figure fills when accepted.
AMOUNT_TARGET = {
    "total_investment": "total_investment",
    "agreed_investment": "total_investment",
    "phase_investment": "phase_investment",
}
EDITABLE = (
    "name",
    "enterprise",
    "amount",
    "qualifier",
    "kind",
    "currency",
    "place",
    "adcode",
    "park",
    "park_id",
    "sector",
    "stage",
    "stage_date",
)


def qualifier_of(amount: Amount) -> str:
    if amount.lower_bound:
        return "at_least"
    if amount.approx:
        return "about"
    return "exact"


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _where(extraction: Extraction, span: Span | None, sentence: Span | None) -> dict[str, Any]:
    """Offsets of a field and of its sentence in the original text."""
    out: dict[str, Any] = {}
    if span is not None:
        start, end = extraction.original_span(span)
        out.update(start=start, end=end)
    if sentence is not None:
        s_start, s_end = extraction.original_span(sentence)
        out["sentence"] = [s_start, s_end]
    return out


def _field_where(extraction: Extraction, value: ExtractedField | None) -> dict[str, Any]:
    return _where(extraction, value.span, value.sentence) if value is not None else {}


def amount_json(amount: Amount) -> dict[str, Any]:
    return {
        "value": _plain(amount.value),
        "currency": amount.currency,
        "yuan": _plain(amount.yuan),
        "kind": amount.kind,
        "qualifier": qualifier_of(amount),
        "text": amount.span.text,
        "unit": amount.unit,
        "per_item": amount.per_item,
    }


def item_fields(
    extraction: Extraction, project: ExtractedProject
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(data, spans, extracted) for one extracted project."""
    investment = project.investment
    enterprise = project.enterprises[0] if project.enterprises else None
    data: dict[str, Any] = {
        "name": project.name.value,
        "enterprise": enterprise.value if enterprise else "",
        "amount": _plain(investment.yuan) if investment is not None else "",
        "qualifier": qualifier_of(investment) if investment is not None else "exact",
        "kind": investment.kind if investment is not None else "",
        "currency": investment.currency if investment is not None else "",
        "foreign_amount": (
            _plain(investment.value) if investment is not None and investment.yuan is None else ""
        ),
        "place": project.place.value if project.place else "",
        "adcode": project.adcode or "",
        "park": project.park.value if project.park else "",
        "park_id": None,
        "sector": project.sector.value if project.sector else "",
        "stage": LIBRARY_STAGE.get(project.stage, "lead"),
        "stage_date": project.stage_date.isoformat() if project.stage_date else "",
    }
    spans: dict[str, Any] = {
        "name": _field_where(extraction, project.name),
        "enterprise": _field_where(extraction, enterprise),
        "place": _field_where(extraction, project.place),
        "park": _field_where(extraction, project.park),
        "sector": _field_where(extraction, project.sector),
    }
    if investment is not None:
        spans["amount"] = _where(extraction, investment.span, investment.sentence)
    spans["evidence"] = [list(extraction.original_span(s)) for s in project.evidence]
    spans = {k: v for k, v in spans.items() if v}
    extracted = {
        "name": project.name.value,
        "enterprises": [e.value for e in project.enterprises],
        "amounts": [amount_json(a) for a in project.amounts],
        "investment": amount_json(investment) if investment is not None else None,
        "place": project.place.value if project.place else "",
        "adcode": project.adcode or "",
        "park": project.park.value if project.park else "",
        "sector": project.sector.value if project.sector else "",
        "stage": project.stage,
        "stage_date": project.stage_date.isoformat() if project.stage_date else "",
        "evidence": [extraction.original_text(s) for s in project.evidence],
    }
    return data, spans, extracted


def total_json(extraction: Extraction) -> list[dict[str, Any]]:
    """The article-level totals, kept as read (never as a project)."""
    out = []
    for total in extraction.totals:
        start, end = extraction.original_span(total.span)
        out.append(
            {
                "description": total.description,
                "count": total.count,
                "amount": amount_json(total.amount) if total.amount is not None else None,
                "quote": extraction.original[start:end],
            }
        )
    return out


def highlight(text: str, ranges: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The text cut into (piece, highlighted) with the ranges merged, for a page to render."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in ranges if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in merged:
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces
