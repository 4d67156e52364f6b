"""Run the benchmarks on a throwaway SQLite database and print figures as ratios.

Each figure is measured against a baseline taken in the same process, so machine noise
cancels out: e.g. the cost of a scoped list page at 20,000 projects relative to 2,000.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SIZES = (2_000, 20_000)


def timed(fn: Callable[[], object], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="parklink-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("PARKLINK_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parklink.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench import cases

    results = cases.run_all(SIZES, timed)
    for line in results:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
