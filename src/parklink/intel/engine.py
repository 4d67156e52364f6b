"""The one place the Django side calls the extractor and the file readers (intel.extract,
intel.readers), so the queue depends on their interface in a single module."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from parklink.intel.extract.types import Extraction


class UnreadableFile(ValueError):
    """A file whose text cannot be read (corrupt, encrypted, scanned without text)."""


@dataclass(frozen=True)
class Article:
    text: str
    title: str
    published: date | None
    url: str


def run(
    raw: str, *, title: str = "", published: date | None = None, gazetteer: Any = None
) -> Extraction:
    """Extract every project of one article (with the organisation tagger, as the extract
    command does: enterprises named without 公司 are found too)."""
    from parklink.intel.extract import extract

    return extract(raw, title=title, published=published, gazetteer=gazetteer, organisations=True)


def run_many(
    articles: Sequence[Article], *, gazetteer: Any = None
) -> Iterator[Extraction | Exception]:
    """`run` of each article, in order, the tagger's questions of `BATCH` articles asked
    together (extract_many: the same extractions as one at a time, fewer runs of its encoder);
    an article the extractor fails on gives its exception and the others go on."""
    from parklink.intel.extract import Article as Text
    from parklink.intel.extract import extract_many

    return extract_many(
        [Text(a.text, a.title, a.published) for a in articles],
        gazetteer=gazetteer,
        organisations=True,
    )


def gazetteer(parks: list[tuple[str, str, str]], enterprises: list[tuple[str, str]]) -> Any:
    """The caller's names: parks as (name, short name, adcode), enterprises as (name, short)."""
    from parklink.intel.extract import Gazetteer

    surfaces: list[tuple[str, str | None]] = []
    for name, short, adcode in parks:
        surfaces.append((name, adcode or None))
        if short and len(short) >= 3:
            surfaces.append((short, adcode or None))
    return Gazetteer(
        parks=surfaces,
        enterprises=[(name, tuple(s for s in [short] if s)) for name, short in enterprises],
    )


def read(name: str, data: bytes) -> Article:
    """The text, title, date and URL of an uploaded .txt/.html/.docx/.pdf."""
    from parklink.intel import readers

    try:
        got = readers.read_bytes(name, data)
    except readers.ReadError as error:
        raise UnreadableFile(getattr(error, "zh", None) or str(error)) from error
    return Article(got.text, got.title or "", got.published, got.url or "")
