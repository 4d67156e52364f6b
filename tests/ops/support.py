"""What the operations tests share: a production-like environment and a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARKLINK = [sys.executable, "-m", "parklink"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_env(var: Path, **extra: str) -> dict[str, str]:
    """The environment of a server outside debug mode with its own PARKLINK_VAR (SQLite)."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PARKLINK_", "DJANGO_", "PYTEST"))
        and key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DATABASE_REPLICA_URL"}
    }
    clean.update(
        PARKLINK_VAR=str(var),
        SECRET_KEY="ops-test-secret-key-that-is-long-and-random-enough-0123456789abcdef",
        PARKLINK_SECURE_COOKIES="0",
        PARKLINK_SLOW_QUERY_MS="0",
    )
    clean.update(extra)
    return clean


def parklink(
    env: dict[str, str], *args: str, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PARKLINK, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def redis_server_or_skip() -> str:
    """The redis-server program; missing, the test fails under CI=true and skips elsewhere."""
    import shutil

    import pytest

    found = shutil.which("redis-server")
    if found:
        return found
    reason = "redis-server is not installed (make test installs Debian's redis-server)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def suite_database_env(name: str) -> dict[str, str]:
    """A database of the suite's own engine for a server started by a test: under
    tests.support.with_postgres a fresh PostgreSQL database `name` on that server, else
    nothing (the server's own SQLite file under its PARKLINK_VAR)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return {}
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    base, _, query = url.partition("?")
    return {"DATABASE_URL": f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")}
