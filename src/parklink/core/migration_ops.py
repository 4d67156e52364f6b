"""Data steps that several apps' migrations share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import migrations


def backfill_alias_pinyin(app_label: str, model_name: str, field: str) -> migrations.RunPython:
    """Fill `alias_pinyin`/`alias_initials` of existing rows from `field` (saving would too)."""

    def run(apps: Any, schema_editor: Any) -> None:
        from parklink.core.text import pinyin_keys

        model = apps.get_model(app_label, model_name)
        for row in model.objects.exclude(**{field: ""}).only("pk", field):
            pinyin, initials = pinyin_keys(getattr(row, field))
            model.objects.filter(pk=row.pk).update(alias_pinyin=pinyin, alias_initials=initials)

    noop: Callable[..., None] = migrations.RunPython.noop
    return migrations.RunPython(run, noop)
