"""A task for the worker tests: it notes its number and the process that ran it."""

from __future__ import annotations

import os
import time

from django_tasks import task


@task()
def note(number: int, path: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"{number} {os.getpid()}\n")
    time.sleep(0.01)
