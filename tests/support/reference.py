"""Reference tables that data migrations fill (regions, project tags) survive table flushes.

A transactional test (and every live-server test) empties every table when it ends, the
reference tables too, because Django flushes the whole database. Tests that run after it in
the same process would then find no regions. The suite keeps a copy of these tables the first
time a transactional test starts and refills them as soon as one has ended, so the order in
which tests run (one process, or several under pytest-xdist) does not matter.
"""

from __future__ import annotations

from typing import Any

_SNAPSHOT: dict[str, list[Any]] = {}


def reference_models() -> list[Any]:
    """Tables filled by data migrations, in dependency order."""
    from parklink.projects.models import ProjectTag
    from parklink.regions.models import Region

    return [Region, ProjectTag]


def remember() -> None:
    """Keep a copy of each reference table the first time it is seen filled."""
    for model in reference_models():
        label = model._meta.label
        if label not in _SNAPSHOT and model.objects.exists():
            _SNAPSHOT[label] = list(model.objects.order_by("pk"))


def restore() -> None:
    """Refill the reference tables that a flush emptied (from the copy kept by `remember`)."""
    for model in reference_models():
        label = model._meta.label
        if label in _SNAPSHOT and not model.objects.exists():
            model.objects.bulk_create(_SNAPSHOT[label], batch_size=500)
