"""Attach and read cited sources for any record."""

from __future__ import annotations

from collections.abc import Iterable

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
