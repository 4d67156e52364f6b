"""`parklink worker`: several workers share one queue, and no task runs twice.

Two worker processes drain 60 queued tasks of a real database (a SQLite file; under
tests.support.with_postgres also a PostgreSQL database of their own) at the same time.
"""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.ops.support import PARKLINK, ROOT, parklink, production_env, suite_database_env

TASKS = 60
ENGINES = ["sqlite"]
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    ENGINES.append("postgresql")


@pytest.mark.parametrize("engine", ENGINES)
def test_two_workers_run_every_task_exactly_once(tmp_path: Path, engine: str) -> None:
    extra = suite_database_env("parklink_ops_workers") if engine == "postgresql" else {}
    env = production_env(tmp_path, **extra)
    done = parklink(env, "migrate", "--no-input", "-v", "0")
    assert done.returncode == 0, done.stderr
    notes = tmp_path / "notes.txt"
    enqueue = (
        "import django; django.setup(); "
        "from tests.ops.probe_tasks import note; "
        f"[note.enqueue(n, {str(notes)!r}) for n in range({TASKS})]"
    )
    done = subprocess.run(
        [PARKLINK[0], "-c", enqueue],
        env={**env, "DJANGO_SETTINGS_MODULE": "parklink.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    workers = [
        subprocess.Popen(
            [*PARKLINK, "worker", "--batch", "--no-startup-delay", "--interval", "0", "-v", "0"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for worker in workers:
        _out, errors = worker.communicate(timeout=300)
        assert worker.returncode == 0, errors
    runs = Counter(int(line.split()[0]) for line in notes.read_text("utf-8").splitlines())
    assert set(runs) == set(range(TASKS))
    assert max(runs.values()) == 1, [n for n, times in runs.items() if times > 1]
