"""The run's large-batch path: records read as columns, allocations as one table, bulk writes.

- `read_records` reads a period's figures with `values_list` in chunks (no model instances)
  into numpy columns.
- `AllocationTable` holds a run's allocations column-wise whichever engine path made them
  (`from_columns` for `split_columns`, `from_objects` for `split`); `canonical()` orders the
  rows as `split` does (record index, then as produced) and numbers the texts (parties, rules,
  steps, shares, terms) in sorted order, so both paths give the same table and the same
  `digest()`, on every database.
- `write` stores the table: the run's distinct (step, share, terms) as `AllocationTerms` rows
  (numbered in sorted order), then one row of integers per part naming its combination
  (`detail_id`): COPY (binary) on PostgreSQL, `executemany` in large batches elsewhere.

Terms are stored compact: what the row, its record and its run already say (the indicator,
the agreement version, the period, the basis when it is the record's amount) is left out and
`expand_terms` puts it back for the sentence (`ledger.explain.sentence`).
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import islice
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection
from django.db.models import QuerySet

from parklink.cobuild.ledger import packing
from parklink.cobuild.ledger.columns import ColumnResult, RecordColumns
from parklink.cobuild.ledger.types import Allocation as EngineAllocation
from parklink.cobuild.models import Allocation, Record

Int64Array = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]

READ_CHUNK = 100_000
WRITE_BATCH = 50_000  # rows per executemany call / per COPY buffer
# Keys every allocation's terms carry that its row, record and run already say.
DERIVED = ("indicator", "version", "period", "basis")
ABSENT = None  # a derived key the engine did not give (kept so expanding gives it back absent)

Progress = Callable[[str, int, int], None]


def _quiet(phase: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class RecordRows:
    """A period's current figures as columns, in id order; `indicator` codes into `indicators`."""

    ids: Int64Array
    enterprise: Int64Array  # enterprise id
    indicator: Int32Array
    amount: Int64Array
    indicators: list[str]

    def __len__(self) -> int:
        return int(self.ids.size)

    def engine_columns(self) -> RecordColumns:
        """The engine's columns: index = position in this input, enterprise keys = str(id)."""
        unique, inverse = np.unique(self.enterprise, return_inverse=True)
        return RecordColumns(
            index=np.arange(len(self), dtype=np.int64),
            enterprise=inverse.reshape(-1).astype(np.int32),
            indicator=self.indicator,
            amount=self.amount,
            enterprises=[str(e) for e in unique.tolist()],
            indicators=self.indicators,
        )

    def enterprise_ids(self) -> set[int]:
        return set(np.unique(self.enterprise).tolist())


def _chunks(rows: Iterable[Any], size: int) -> Iterable[list[Any]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


# ---------------------------------------------------------------- binary COPY readers
#
# On PostgreSQL the run reads its records and its enterprises' facts with
# `COPY (SELECT …) TO STDOUT (FORMAT binary)`: every column is a fixed-width integer (the
# indicator as its place in a known list, a date as days since 2000-01-01, a NULL as a
# sentinel), so each row has the same layout and numpy reads whole buffers at once as a
# structured array, with no Python object per row.

COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
NULL_DAY = packing.NULL_DAY  # a NULL date in the facts reader
PG_EPOCH_ORDINAL = packing.EPOCH_ORDINAL  # date(2000, 1, 1): PostgreSQL's day zero


def copy_dtype(kinds: Sequence[str]) -> np.dtype[Any]:
    """The layout of one binary COPY row of non-null integer columns (">i8" or ">i4")."""
    fields: list[tuple[str, str]] = [("count", ">i2")]
    for index, kind in enumerate(kinds):
        fields += [(f"length{index}", ">i4"), (f"c{index}", kind)]
    return np.dtype(fields)


COPY_BUFFER = 1 << 22  # bytes gathered before numpy reads them (the server sends a row a message)


def copy_rows(
    sql: str, dtype: np.dtype[Any], on_chunk: Callable[[int], None] = lambda n: None
) -> npt.NDArray[Any]:
    """The rows of `COPY (sql) TO STDOUT (FORMAT binary)` as one structured array."""
    connection.ensure_connection()
    raw = connection.connection
    parts: list[npt.NDArray[Any]] = []
    buffer = bytearray()
    header = True
    done = 0

    def take(final: bool) -> None:
        nonlocal header, done
        if header:
            if len(buffer) < 19:
                return
            assert bytes(buffer[:11]) == COPY_SIGNATURE, "not a binary COPY stream"
            extension = struct.unpack(">i", bytes(buffer[15:19]))[0]
            if len(buffer) < 19 + extension:
                return
            del buffer[: 19 + extension]
            header = False
        usable = len(buffer) - (2 if final else 0)  # the trailer (-1) is not a row
        whole = usable // dtype.itemsize
        if whole:
            size = whole * dtype.itemsize
            parts.append(np.frombuffer(bytes(buffer[:size]), dtype=dtype))
            del buffer[:size]
            done += whole
            on_chunk(done)

    for data in _copy_out(raw, f"COPY ({sql}) TO STDOUT (FORMAT binary)"):
        buffer += data
        if len(buffer) >= COPY_BUFFER:
            take(final=False)
    take(final=True)
    assert bytes(buffer) == b"\xff\xff", "a binary COPY stream ends with -1"
    if not parts:
        return np.empty(0, dtype=dtype)
    return np.concatenate(parts)


def _copy_out(raw: Any, sql: str) -> Generator[memoryview, None, None]:
    """The data messages of `sql` (a COPY … TO STDOUT) read straight from libpq.

    The server sends a row a message; psycopg's copy iterator resumes a generator and waits on
    the socket for each (about a microsecond a row, seconds for a large run's records and
    facts), where libpq's blocking read returns what it has already buffered."""
    from psycopg import errors, pq

    pgconn = raw.pgconn
    with raw.lock:
        pgconn.send_query(sql.encode())
        result = pgconn.get_result()
        if result is None or result.status != pq.ExecStatus.COPY_OUT:
            while pgconn.get_result() is not None:
                pass
            if result is None:
                raise errors.InternalError("no result from COPY")
            raise errors.error_from_result(result, encoding=raw.info.encoding)
        size = 0
        results = []
        try:
            while True:
                size, data = pgconn.get_copy_data(0)
                if size < 0:
                    break
                yield data
        finally:
            while size >= 0:  # the reader stopped early: the rest is read and dropped
                size, _data = pgconn.get_copy_data(0)
            while (result := pgconn.get_result()) is not None:
                results.append(result)
        failed = [r for r in results if r.status == pq.ExecStatus.FATAL_ERROR]
        if failed:
            raise errors.error_from_result(failed[0], encoding=raw.info.encoding)
        if size != -1 or not results:
            error = pgconn.error_message.decode(errors="replace")
            raise errors.InternalError(f"COPY did not end: {error}")


def _select(queryset: QuerySet[Any], *columns: str) -> str:
    """The queryset's SELECT of `columns` with its parameters inlined (for COPY)."""
    sql, params = queryset.values_list(*columns).query.sql_with_params()
    ops: Any = connection.ops  # PostgreSQL's operations (COPY is PostgreSQL's)
    return str(ops.compose_sql(sql, params))


def _read_records_copy(queryset: QuerySet[Record], progress: Progress, total: int) -> RecordRows:
    from parklink.cobuild.models import Indicator

    known = sorted(Indicator.values)
    inner = _select(queryset.order_by(), "id", "enterprise_id", "indicator", "amount")
    table = connection.ops.quote_name
    cases = " ".join(f"WHEN '{name}' THEN {index}" for index, name in enumerate(known))
    sql = (
        f"SELECT q.{table('id')}, q.{table('enterprise_id')}, "
        f"(CASE q.{table('indicator')} {cases} ELSE -1 END)::int4, q.{table('amount')} "
        f"FROM ({inner}) AS q ORDER BY q.{table('id')}"
    )
    rows = copy_rows(
        sql,
        copy_dtype([">i8", ">i8", ">i4", ">i8"]),
        lambda done: progress("read", done, max(total, done)),
    )
    codes = rows["c2"].astype(np.int32)
    if codes.size and int(codes.min()) < 0:
        raise ValueError("a record's indicator is not one of the known indicators")
    present = np.unique(codes)
    remap = np.full(len(known), -1, dtype=np.int32)
    remap[present] = np.arange(present.size, dtype=np.int32)
    progress("read", len(rows), max(total, len(rows)))
    return RecordRows(
        ids=rows["c0"].astype(np.int64),
        enterprise=rows["c1"].astype(np.int64),
        indicator=remap[codes] if codes.size else codes,
        amount=rows["c3"].astype(np.int64),
        indicators=[known[i] for i in present.tolist()],
    )


def read_facts_copy(
    queryset: QuerySet[Any], enterprise_ids: Int64Array
) -> tuple[Int64Array, Int64Array, Int32Array]:
    """(enterprise ids, introducing party ids or -1, dates as an (n, 4) array of days since
    2000-01-01 or NULL_DAY: settled, production, full production, moved) of the covered
    enterprises among `enterprise_ids`, as columns."""
    quote = connection.ops.quote_name
    dates = ("settled_on", "production_on", "full_production_on", "moved_on")
    inner = _select(queryset.order_by(), "enterprise_id", "introduced_by_id", *dates)
    epoch = "DATE '2000-01-01'"
    sql = (
        f"SELECT q.{quote('enterprise_id')}, COALESCE(q.{quote('introduced_by_id')}, -1), "
        + ", ".join(f"COALESCE(q.{quote(d)} - {epoch}, {NULL_DAY})" for d in dates)
        + f" FROM ({inner}) AS q"
    )
    rows = copy_rows(sql, copy_dtype([">i8", ">i8", ">i4", ">i4", ">i4", ">i4"]))
    wanted = rows[np.isin(rows["c0"].astype(np.int64), enterprise_ids)]
    days = np.stack([wanted[f"c{i}"].astype(np.int32) for i in range(2, 6)], axis=1)
    return (
        wanted["c0"].astype(np.int64),
        wanted["c1"].astype(np.int64),
        days.reshape(-1, len(dates)).astype(np.int32),
    )


def read_records(
    queryset: QuerySet[Record], progress: Progress = _quiet, total: int = 0
) -> RecordRows:
    """(id, enterprise, indicator, amount) of every record, in id order, chunk by chunk
    (binary COPY on PostgreSQL, `values_list` elsewhere: the same columns)."""
    if connection.vendor == "postgresql":
        return _read_records_copy(queryset, progress, total)
    return read_records_orm(queryset, progress, total)


def read_records_orm(
    queryset: QuerySet[Record], progress: Progress = _quiet, total: int = 0
) -> RecordRows:
    """`read_records` through the ORM (`values_list` in chunks, no model instances)."""
    rows = queryset.order_by("id").values_list("id", "enterprise_id", "indicator", "amount")
    codes: dict[str, int] = {}
    parts: list[tuple[Int64Array, Int64Array, Int32Array, Int64Array]] = []
    done = 0
    for chunk in _chunks(rows.iterator(chunk_size=READ_CHUNK), READ_CHUNK):
        ids, enterprises, indicators, amounts = zip(*chunk, strict=True)
        parts.append(
            (
                np.array(ids, dtype=np.int64),
                np.array(enterprises, dtype=np.int64),
                np.array([codes.setdefault(i, len(codes)) for i in indicators], dtype=np.int32),
                np.array(amounts, dtype=np.int64),
            )
        )
        done += len(chunk)
        progress("read", done, max(total, done))
    names = sorted(codes)
    remap = np.array([names.index(name) for name in codes] or [0], dtype=np.int32)
    if not parts:
        empty64 = np.empty(0, dtype=np.int64)
        return RecordRows(empty64, empty64, np.empty(0, dtype=np.int32), empty64, [])
    return RecordRows(
        ids=np.concatenate([p[0] for p in parts]),
        enterprise=np.concatenate([p[1] for p in parts]),
        indicator=remap[np.concatenate([p[2] for p in parts])],
        amount=np.concatenate([p[3] for p in parts]),
        indicators=names,
    )


def compact_terms(
    terms: Mapping[str, Any], indicator: str, basis: int, version: str, period: str
) -> str:
    """The terms as canonical JSON without what the row, the record and the run say."""
    derived = {"indicator": indicator, "version": version, "period": period, "basis": basis}
    kept = {k: v for k, v in terms.items() if k not in derived or v != derived[k]}
    for key in DERIVED:
        if key not in terms:
            kept[key] = ABSENT
    return json.dumps(kept, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def expand_terms(
    stored: Mapping[str, Any], indicator: str, basis: int, version: str, period: str
) -> dict[str, Any]:
    """The terms `split` gave, from the compact ones (`compact_terms` undone)."""
    derived = {"indicator": indicator, "version": version, "period": period, "basis": basis}
    full = {**derived, **stored}
    return {k: v for k, v in full.items() if not (k in derived and k in stored and v is ABSENT)}


def share_text(share: Fraction | None) -> str:
    return "" if share is None else str(share)


@dataclass(frozen=True)
class AllocationTable:
    """A run's allocations column-wise; text columns are codes into the lists beside them."""

    record: Int64Array  # the engine's record index (position in the run's input)
    party: Int32Array
    amount: Int64Array
    rule: Int32Array
    step: Int32Array
    share: Int32Array
    cap_used: Int64Array  # 0 where null
    cap_used_null: BoolArray
    cap_left: Int64Array
    cap_left_null: BoolArray
    terms: Int32Array  # codes into `terms_texts` (compact JSON)
    parties: list[str]
    rules: list[str]
    steps: list[str]
    shares: list[str]
    terms_texts: list[str]
    is_canonical: bool = False

    def __len__(self) -> int:
        return int(self.record.size)

    @classmethod
    def from_objects(
        cls,
        allocations: Sequence[EngineAllocation],
        indicator_of: Callable[[int], str],
        amount_of: Callable[[int], int],
        version: str,
        period: str,
    ) -> AllocationTable:
        lookups: list[dict[str, int]] = [{}, {}, {}, {}, {}]
        parties, rules, steps, shares, terms = lookups
        n = len(allocations)
        record = np.empty(n, dtype=np.int64)
        amount = np.empty(n, dtype=np.int64)
        codes = np.empty((5, n), dtype=np.int32)
        caps = np.zeros((2, n), dtype=np.int64)
        nulls = np.ones((2, n), dtype=bool)
        for row, a in enumerate(allocations):
            record[row] = a.record
            amount[row] = a.amount
            text = compact_terms(
                a.terms, indicator_of(a.record), amount_of(a.record), version, period
            )
            for lookup, value, column in (
                (parties, a.party, 0),
                (rules, a.rule, 1),
                (steps, a.step[:32], 2),
                (shares, share_text(a.share), 3),
                (terms, text, 4),
            ):
                codes[column, row] = lookup.setdefault(value, len(lookup))
            if a.cap_used is not None:
                caps[0, row], nulls[0, row] = a.cap_used, False
            if a.cap_left is not None:
                caps[1, row], nulls[1, row] = a.cap_left, False
        return cls(
            record,
            codes[0],
            amount,
            codes[1],
            codes[2],
            codes[3],
            caps[0],
            nulls[0],
            caps[1],
            nulls[1],
            codes[4],
            parties=list(parties),
            rules=list(rules),
            steps=list(steps),
            shares=list(shares),
            terms_texts=list(terms),
        )

    @classmethod
    def from_columns(
        cls,
        result: ColumnResult,
        indicator_of: Callable[[int], str],
        amount_of: Callable[[int], int],
        version: str,
        period: str,
    ) -> AllocationTable:
        """The canonical table of both parts: the fast part's columns and the stateful kinds'
        objects, texts numbered in sorted order, rows in record order. Each column is built
        once in its final order (what `concat` then `canonical` give, without the two
        intermediate copies of every column)."""
        fast = result.fast
        groups = fast.groups
        slow = cls.from_objects(result.slow, indicator_of, amount_of, version, period)
        if not len(fast.record):
            return slow.canonical()
        texts = [
            compact_terms(
                {
                    "indicator": g.indicator,
                    "version": version,
                    "period": period,
                    **g.terms,
                    "basis": 0,
                },
                g.indicator,
                0,
                version,
                period,
            )
            for g in groups
        ]
        names: dict[str, list[str]] = {
            "parties": sorted(set(fast.parties) | set(slow.parties)),
            "rules": sorted({g.rule for g in groups} | set(slow.rules)),
            "steps": sorted({g.step[:32] for g in groups} | set(slow.steps)),
            "shares": sorted(
                {share_text(s) for g in groups for _, s in g.shares} | set(slow.shares)
            ),
            "terms_texts": sorted(set(texts) | set(slow.terms_texts)),
        }
        code = {name: {v: n for n, v in enumerate(values)} for name, values in names.items()}

        def codes(values: Iterable[str], name: str) -> Int32Array:
            return np.array([code[name][v] for v in values] or [0], dtype=np.int32)

        party_code = codes(fast.parties, "parties")
        group_rule = codes((g.rule for g in groups), "rules")
        group_step = codes((g.step[:32] for g in groups), "steps")
        group_terms = codes(texts, "terms_texts")
        width = max(len(fast.parties), 1)
        share_of = np.zeros(max(len(groups), 1) * width, dtype=np.int32)
        where = {key: n for n, key in enumerate(fast.parties)}
        for g, group in enumerate(groups):
            for key, share in group.shares:
                share_of[g * width + where[key]] = code["shares"][share_text(share)]

        n_fast, n = len(fast.record), len(fast.record) + len(slow)
        record = np.concatenate([fast.record, slow.record]) if len(slow) else fast.record
        order = _by_record(record)
        if order is None and len(slow):
            order = np.arange(n, dtype=np.intp)
        if order is None:
            fast_index = None
            slow_at = slow_from = np.empty(0, dtype=np.intp)
        else:
            slow_at = np.flatnonzero(order >= n_fast)  # where the slow rows land
            slow_from = order[slow_at] - n_fast
            fast_index = order if not slow_at.size else np.where(order >= n_fast, 0, order)

        def reorder(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return values if fast_index is None else values.take(fast_index)

        def place(out: npt.NDArray[Any], slow_values: npt.NDArray[Any]) -> npt.NDArray[Any]:
            if slow_at.size:
                out[slow_at] = slow_values[slow_from]
            return out

        row_group, row_party = reorder(fast.group), reorder(fast.party)
        slow_codes = {
            column: slow._recoded(texts_name, column, names[texts_name])
            for texts_name, column in cls._TEXTS
        }

        def empty(dtype: Any, fill: Any) -> npt.NDArray[Any]:
            out = np.empty(n, dtype=dtype)
            out.fill(fill)
            return out

        table = cls(
            record=place(reorder(fast.record).astype(np.int64, copy=False), slow.record)
            if fast_index is not None
            else fast.record,
            party=place(party_code.take(row_party), slow_codes["party"]),
            amount=place(reorder(fast.amount).astype(np.int64, copy=False), slow.amount)
            if fast_index is not None
            else fast.amount,
            rule=place(group_rule.take(row_group), slow_codes["rule"]),
            step=place(group_step.take(row_group), slow_codes["step"]),
            share=place(
                share_of.take(row_group.astype(np.int64) * width + row_party), slow_codes["share"]
            ),
            cap_used=place(empty(np.int64, 0), slow.cap_used),
            cap_used_null=place(empty(bool, True), slow.cap_used_null),
            cap_left=place(empty(np.int64, 0), slow.cap_left),
            cap_left_null=place(empty(bool, True), slow.cap_left_null),
            terms=place(group_terms.take(row_group), slow_codes["terms"]),
            is_canonical=True,
            **names,
        )
        return table

    def _recoded(self, names: str, codes: str, target: list[str]) -> Int32Array:
        index = {value: n for n, value in enumerate(target)}
        mapping = np.array([index[v] for v in getattr(self, names)] or [0], dtype=np.int32)
        return mapping[getattr(self, codes)] if len(self) else getattr(self, codes)

    _TEXTS = (
        ("parties", "party"),
        ("rules", "rule"),
        ("steps", "step"),
        ("shares", "share"),
        ("terms_texts", "terms"),
    )

    def concat(self, other: AllocationTable) -> AllocationTable:
        merged: dict[str, Any] = {}
        for names, codes in self._TEXTS:
            target = sorted(set(getattr(self, names)) | set(getattr(other, names)))
            merged[names] = target
            merged[codes] = np.concatenate(
                [self._recoded(names, codes, target), other._recoded(names, codes, target)]
            ).astype(np.int32)
        for column in (
            "record",
            "amount",
            "cap_used",
            "cap_used_null",
            "cap_left",
            "cap_left_null",
        ):
            merged[column] = np.concatenate([getattr(self, column), getattr(other, column)])
        return AllocationTable(**merged)

    def canonical(self) -> AllocationTable:
        """Rows in `split`'s order (record index, then as produced), texts sorted."""
        if self.is_canonical:
            return self
        recoded: dict[str, Any] = {"is_canonical": True}
        for names, codes in self._TEXTS:
            target = sorted(set(getattr(self, names)))
            recoded[names] = target
            recoded[codes] = self._recoded(names, codes, target)
        table = replace(self, **recoded)
        order = _by_record(table.record)
        if order is None:
            return table
        return replace(
            table,
            **{
                column: getattr(table, column)[order]
                for column in (
                    "record",
                    "party",
                    "amount",
                    "rule",
                    "step",
                    "share",
                    "cap_used",
                    "cap_used_null",
                    "cap_left",
                    "cap_left_null",
                    "terms",
                )
            },
        )

    def digest(self) -> str:
        """SHA-256 of the canonical table: its texts as canonical JSON, then every column as
        little-endian integers (the same bytes from either engine path, on any database)."""
        table = self.canonical()
        header = {
            "format": "allocations/2",
            "rows": len(table),
            "parties": table.parties,
            "rules": table.rules,
            "steps": table.steps,
            "shares": table.shares,
            "terms": table.terms_texts,
        }
        sha = hashlib.sha256(
            json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        )
        for column, dtype in (
            ("record", "<i8"),
            ("party", "<i4"),
            ("amount", "<i8"),
            ("rule", "<i4"),
            ("step", "<i4"),
            ("share", "<i4"),
            ("cap_used", "<i8"),
            ("cap_used_null", "u1"),
            ("cap_left", "<i8"),
            ("cap_left_null", "u1"),
            ("terms", "<i4"),
        ):
            sha.update(np.ascontiguousarray(getattr(table, column), dtype=dtype).tobytes())
        return sha.hexdigest()


def _by_record(record: Int64Array) -> npt.NDArray[np.intp] | None:
    """The stable order by record index (None when the rows are in it already).

    Each record's rows are contiguous in both engines' output, so the order is found in linear
    time from where each record's run of rows starts; otherwise a stable sort."""
    n = record.size
    if n == 0 or bool(np.all(record[1:] >= record[:-1])):
        return None
    starts = np.flatnonzero(np.r_[True, record[1:] != record[:-1]])
    # Runs in record order, and each row's destination: where its run lands plus its rank.
    keys = record[starts]
    low, high = int(keys.min()), int(keys.max())
    if low >= 0 and high < 4 * n + 1024:  # record indices are dense: place each run directly
        slot = np.full(high + 1, -1, dtype=np.intp)
        slot[keys] = np.arange(starts.size)
        runs = slot[slot >= 0]
        if runs.size != starts.size:  # a record's rows are not contiguous
            return np.argsort(record, kind="stable")
    else:
        runs = np.argsort(keys, kind="stable")
        ordered = keys[runs]
        if bool(np.any(ordered[1:] == ordered[:-1])):  # a record's rows are not contiguous
            return np.argsort(record, kind="stable")
    lengths = np.diff(np.r_[starts, n])
    landing = np.empty(starts.size, dtype=np.intp)
    landing[runs] = np.r_[0, np.cumsum(lengths[runs])[:-1]]
    rank = np.arange(n) - np.repeat(starts, lengths)
    destination = np.repeat(landing, lengths) + rank
    order = np.empty(n, dtype=np.intp)
    order[destination] = np.arange(n)
    return order


COLUMNS = (
    "run_id",
    "position",
    "record_id",
    "party_id",
    "amount",
    "rule_id",
    "cap_used",
    "cap_left",
    "detail_id",
)


@dataclass(frozen=True)
class Target:
    """Where the rows go: the run and the database ids of the table's codes."""

    run_id: int
    record_ids: Int64Array  # by engine record index
    party_ids: Mapping[str, int]
    rule_ids: Mapping[str, int]


def detail_codes(table: AllocationTable) -> tuple[Int64Array, Int32Array]:
    """(the distinct (step, share, terms) of the canonical table as one number each, in
    sorted order; each row's place among them). The texts are numbered in sorted order, so the
    combinations are too: the same table gives the same codes."""
    width_share, width_terms = max(len(table.shares), 1), max(len(table.terms_texts), 1)
    key = (table.step.astype(np.int64) * width_share + table.share) * width_terms + table.terms
    size = max(len(table.steps), 1) * width_share * width_terms
    if size <= 4 * len(table) + 1024:  # a flag per possible combination: linear time
        present = np.zeros(size, dtype=bool)
        present[key] = True
        distinct = np.flatnonzero(present).astype(np.int64)
        number = np.cumsum(present, dtype=np.int32) - 1
        return distinct, number.take(key)
    distinct, inverse = np.unique(key, return_inverse=True)
    return distinct.astype(np.int64), inverse.reshape(-1).astype(np.int32)


def _store_details(table: AllocationTable, run_id: int) -> tuple[Int64Array, Int32Array]:
    """Create the run's `AllocationTerms` rows; (their ids by code, each table row's code)."""
    from parklink.cobuild.models import AllocationTerms

    distinct, code = detail_codes(table)
    width_share, width_terms = max(len(table.shares), 1), max(len(table.terms_texts), 1)
    made = AllocationTerms.objects.bulk_create(
        [
            AllocationTerms(
                run_id=run_id,
                code=number,
                step=table.steps[int(value) // (width_share * width_terms)],
                share=table.shares[int(value) // width_terms % width_share],
                terms=json.loads(table.terms_texts[int(value) % width_terms]),
            )
            for number, value in enumerate(distinct.tolist())
        ],
        batch_size=1000,
    )
    return np.array([row.pk for row in made], dtype=np.int64), code


def write(
    table: AllocationTable,
    target: Target,
    progress: Progress = _quiet,
    batch: int = WRITE_BATCH,
) -> int:
    """Store the (canonical) table, position = row number; the number of rows written. The
    run's distinct (step, share, terms) go into `AllocationTerms` first, each row names its
    own (`detail_id`)."""
    table = table.canonical()
    if not len(table):
        return 0
    detail = _store_details(table, target.run_id)
    if connection.vendor == "postgresql":
        _copy(table, target, detail, progress, batch)
    else:
        _executemany(table, target, detail, progress, batch)
    return len(table)


def _id_columns(
    table: AllocationTable, target: Target, detail: tuple[Int64Array, Int32Array], rows: Any
) -> tuple[Int64Array, ...]:
    """The database ids of `rows` (a slice or positions) of the table: record, party, rule,
    detail (taken batch by batch: no column of ids for the whole table)."""
    party = np.array([target.party_ids[p] for p in table.parties], dtype=np.int64)
    rule = np.array([target.rule_ids[r] for r in table.rules], dtype=np.int64)
    ids, code = detail
    return (
        target.record_ids.take(table.record[rows]),
        party.take(table.party[rows]),
        rule.take(table.rule[rows]),
        ids.take(code[rows]),
    )


def _nullable(values: Int64Array, null: BoolArray) -> list[int | None]:
    return [None if n else v for v, n in zip(values.tolist(), null.tolist(), strict=True)]


def _executemany(
    table: AllocationTable,
    target: Target,
    detail: tuple[Int64Array, Int32Array],
    progress: Progress,
    batch: int,
) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    marks = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {Allocation._meta.db_table} ({quoted}) VALUES ({marks})"
    total = len(table)
    with connection.cursor() as cursor:
        for start in range(0, total, batch):
            block = slice(start, min(start + batch, total))
            record_ids, party_ids, rule_ids, detail_ids = _id_columns(table, target, detail, block)
            used = _nullable(table.cap_used[block], table.cap_used_null[block])
            left = _nullable(table.cap_left[block], table.cap_left_null[block])
            cursor.executemany(
                sql,
                [
                    (target.run_id, *row)
                    for row in zip(
                        range(block.start, block.stop),
                        record_ids.tolist(),
                        party_ids.tolist(),
                        table.amount[block].tolist(),
                        rule_ids.tolist(),
                        used,
                        left,
                        detail_ids.tolist(),
                        strict=True,
                    )
                ],
            )
            progress("write", block.stop, total)


def _copy(
    table: AllocationTable,
    target: Target,
    detail: tuple[Int64Array, Int32Array],
    progress: Progress,
    batch: int,
) -> None:
    """COPY … FROM STDIN (FORMAT binary): every column an integer, so the rows of each pattern
    of null caps have the same layout and numpy builds them at once as one structured array."""
    pattern = table.cap_used_null.astype(np.int8) * 2 + table.cap_left_null
    quoted = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    sql = f"COPY {Allocation._meta.db_table} ({quoted}) FROM STDIN (FORMAT binary)"
    total = len(table)
    written = 0
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        copy.write(b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0))
        for start in range(0, total, batch):
            stop = min(start + batch, total)
            kinds = pattern[start:stop]
            for kind in np.unique(kinds).tolist():
                used_null, left_null = bool(kind & 2), bool(kind & 1)
                mask = kinds == kind
                part = np.arange(start, stop) if mask.all() else np.flatnonzero(mask) + start
                fields: list[tuple[str, str]] = [
                    ("n", ">i2"),
                    ("l0", ">i4"),
                    ("run", ">i8"),
                    ("l1", ">i4"),
                    ("position", ">i4"),
                    ("l2", ">i4"),
                    ("record", ">i8"),
                    ("l3", ">i4"),
                    ("party", ">i8"),
                    ("l4", ">i4"),
                    ("amount", ">i8"),
                    ("l5", ">i4"),
                    ("rule", ">i8"),
                    ("l6", ">i4"),
                ]
                if not used_null:
                    fields.append(("used", ">i8"))
                fields.append(("l7", ">i4"))
                if not left_null:
                    fields.append(("left", ">i8"))
                fields += [("l8", ">i4"), ("detail", ">i8")]
                out = np.empty(part.size, dtype=np.dtype(fields))
                out["n"] = len(COLUMNS)
                for name, size in (
                    ("l0", 8),
                    ("l1", 4),
                    ("l2", 8),
                    ("l3", 8),
                    ("l4", 8),
                    ("l5", 8),
                    ("l8", 8),
                ):
                    out[name] = size
                out["run"] = target.run_id
                out["position"] = part
                record_ids, party_ids, rule_ids, detail_ids = _id_columns(
                    table, target, detail, part
                )
                out["record"] = record_ids
                out["party"] = party_ids
                out["amount"] = table.amount[part]
                out["rule"] = rule_ids
                out["l6"] = -1 if used_null else 8
                if not used_null:
                    out["used"] = table.cap_used[part]
                out["l7"] = -1 if left_null else 8
                if not left_null:
                    out["left"] = table.cap_left[part]
                out["detail"] = detail_ids
                copy.write(out.tobytes())
            written = stop
            progress("write", written, total)
        copy.write(struct.pack(">h", -1))
