"""`make run`: the demo's login line and its "today" follow what the Makefile is given."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def dry_run(*args: str) -> str:
    """The commands `make -n` would run (nothing is executed)."""
    done = subprocess.run(
        ["make", "-n", "-C", str(ROOT), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


class TestRun:
    def test_the_demo_names_the_host_and_port_it_is_served_on(self) -> None:
        commands = dry_run("run", "HOST=0.0.0.0", "PORT=8101")
        assert "parklink demo --url http://0.0.0.0:8101/" in commands
        assert "runserver 0.0.0.0:8101" in commands

    def test_the_server_is_judged_on_the_demos_data_date_unless_told(self) -> None:
        commands = dry_run("run")
        assert 'PARKLINK_TODAY="${PARKLINK_TODAY-$(' in commands
        assert "parklink demo --print-as-of" in commands


class TestInstall:
    def test_install_collects_the_static_files(self) -> None:
        commands = dry_run("install")
        assert "parklink collectstatic --no-input" in commands

    def test_the_demo_creates_the_cache_table(self) -> None:
        assert "parklink createcachetable" in dry_run("demo")

    def test_run_starts_the_task_worker_with_its_heartbeat(self) -> None:
        commands = dry_run("run")
        assert "parklink worker" in commands
        assert "db_worker" not in commands

    def test_serve_runs_the_production_server(self) -> None:
        commands = dry_run("serve", "HOST=127.0.0.1", "PORT=8102")
        assert "parklink serve --bind 127.0.0.1:8102" in commands
        assert "PARKLINK_DEBUG=1 .venv/bin/parklink serve" not in commands


class TestTest:
    def test_the_suite_gets_debians_redis_server(self) -> None:
        commands = dry_run("server-deps")
        assert "redis-server" in commands
        makefile = (ROOT / "Makefile").read_text("utf-8")
        assert re.search(r"^test: .*\bserver-deps\b", makefile, flags=re.M)
