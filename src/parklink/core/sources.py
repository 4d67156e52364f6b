"""Attach and read cited sources for any record."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.contrib.contenttypes.models import ContentType
from django.db import models

from parklink.core.models import SourceCitation


def cite(obj: models.Model, sources: Iterable[dict[str, str]]) -> None:
    """Record the (document, quote) pairs a record was built from; repeat calls add nothing."""
    ct = ContentType.objects.get_for_model(obj)
    for source in sources:
        SourceCitation.objects.get_or_create(
            content_type=ct,
            object_id=obj.pk,
            document=source["file"],
            quote=source["quote"],
            defaults={"url": source.get("url", "")},
        )


def sources_of(obj: models.Model) -> models.QuerySet[SourceCitation]:
    ct = ContentType.objects.get_for_model(obj)
    return SourceCitation.objects.filter(content_type=ct, object_id=obj.pk).order_by("id")


# Titles and dates of the documents the demo data cites (a citation stores only the file name).
DOCUMENTS = Path(__file__).resolve().parent.parent / "data" / "demo" / "documents.yaml"


@dataclass(frozen=True)
class Document:
    file: str
    title: str
    date: str = ""  # YYYY-MM-DD, or YYYY-MM where only the month is known
    publisher: str = ""


@cache
def documents() -> dict[str, Document]:
    """The known documents by file name (empty when the table is missing)."""
    if not DOCUMENTS.is_file():
        return {}
    rows = yaml.safe_load(DOCUMENTS.read_text("utf-8")) or []
    return {
        str(row["file"]): Document(
            str(row["file"]),
            str(row["title"]),
            str(row.get("date") or ""),
            str(row.get("publisher") or ""),
        )
        for row in rows
    }


def document(name: str) -> Document | None:
    """The title and date of a cited document; None for a file the table does not know."""
    return documents().get(name)
