"""`make run`: the demo's login line and its "today" follow what the Makefile is given."""

from __future__ import annotations

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
