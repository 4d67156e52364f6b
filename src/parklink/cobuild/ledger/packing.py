"""A run's inputs kept as columns: the records it read and the facts of their enterprises.

A run must stay reproducible, so it keeps the ids of the records it read and the facts of
their enterprises (introducing party, settlement, production, full production, move) as they
were. For a large run those are millions of values; as JSON documents (`jsonb`) they cost
more to write than the split itself. Here they are integer columns instead:

- `FactColumns`: enterprise ids (ascending), the introducing party as its place in a list of
  party keys (-1 for none), and the four dates as days since 2000-01-01 (`NULL_DAY` for none);
- `pack` / `unpack`: record ids and facts as one compact byte string (a JSON header, then the
  columns as little-endian integers, ids as differences from the previous one, compressed
  with zlib), stored in the run's `inputs_columns`;
- `FactColumns.digest_bytes`: the bytes the run's input digest reads (format `inputs/3`).

No Django here: plain Python and numpy.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from parklink.cobuild.ledger.types import EnterpriseFacts

Int64Array = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]

NULL_DAY = -(2**31)  # no date
EPOCH_ORDINAL = 730120  # date(2000, 1, 1).toordinal()
DATES = ("settled_on", "production_on", "full_production_on", "moved_on")
MAGIC = b"PLRI1\n"  # ParkLink run inputs, format 1


def day_number(day: date | None) -> int:
    return NULL_DAY if day is None else day.toordinal() - EPOCH_ORDINAL


@dataclass(frozen=True)
class FactColumns:
    """The facts of a run's enterprises as columns, ordered by enterprise id."""

    enterprise: Int64Array
    introducer: Int32Array  # index into `parties`, -1 for none
    days: Int32Array  # shape (n, 4), in the order of DATES
    parties: list[str]  # party keys, sorted

    def __len__(self) -> int:
        return int(self.enterprise.size)

    @classmethod
    def build(
        cls,
        enterprise: Int64Array,
        introducer_keys: Sequence[str | None],
        days: Int32Array,
    ) -> FactColumns:
        """Columns from unordered rows: introducers given as party keys (None for none)."""
        parties = sorted({key for key in introducer_keys if key is not None})
        code = {key: n for n, key in enumerate(parties)}
        introducer = np.array(
            [-1 if key is None else code[key] for key in introducer_keys], dtype=np.int32
        )
        order = np.argsort(enterprise, kind="stable")
        return cls(
            enterprise=np.ascontiguousarray(enterprise[order], dtype=np.int64),
            introducer=introducer[order] if introducer.size else introducer,
            days=np.ascontiguousarray(days.reshape(-1, len(DATES))[order], dtype=np.int32),
            parties=parties,
        )

    @classmethod
    def from_facts(cls, facts: Iterable[EnterpriseFacts]) -> FactColumns:
        """Columns from the engine's facts (keys are enterprise ids as text)."""
        rows = list(facts)
        enterprise = np.array([int(f.key) for f in rows], dtype=np.int64)
        days = np.array(
            [[day_number(getattr(f, name)) for name in DATES] for f in rows] or [[0] * 4],
            dtype=np.int32,
        )[: len(rows)]
        return cls.build(enterprise, [f.introduced_by for f in rows], days)

    def facts(self) -> ColumnFacts:
        """The engine's facts, keyed by the enterprise id as text, read from the columns on
        demand (`split_columns` reads the columns themselves: no object per enterprise)."""
        return ColumnFacts(self)

    def facts_dict(self) -> dict[str, EnterpriseFacts]:
        """The engine's facts as a dict, keyed by the enterprise id as text; one date object
        per day."""
        cache: dict[int, date | None] = {NULL_DAY: None}

        def day(value: int) -> date | None:
            if value not in cache:
                cache[value] = date.fromordinal(EPOCH_ORDINAL + value)
            return cache[value]

        keys: list[str | None] = [*self.parties, None]  # code -1 reads the last: None
        result = {}
        for enterprise, introducer, (settled, production, full, moved) in zip(
            self.enterprise.tolist(), self.introducer.tolist(), self.days.tolist(), strict=True
        ):
            key = str(enterprise)
            result[key] = EnterpriseFacts(
                key, keys[introducer], day(settled), day(production), day(full), day(moved)
            )
        return result

    def header(self) -> dict[str, Any]:
        return {"facts": len(self), "fact_parties": self.parties}

    def where(self, keys: Sequence[str]) -> npt.NDArray[np.intp]:
        """Each enterprise key's row (ids as text), or `len(self)` for one without facts."""
        wanted = np.array([int(key) for key in keys], dtype=np.int64)
        row = np.searchsorted(self.enterprise, wanted)
        found = row < self.enterprise.size
        found[found] = self.enterprise[row[found]] == wanted[found]
        return np.where(found, row, self.enterprise.size)

    def digest_bytes(self) -> Iterable[bytes]:
        for column, dtype in (
            (self.enterprise, "<i8"),
            (self.introducer, "<i4"),
            (self.days, "<i4"),
        ):
            yield np.ascontiguousarray(column, dtype=dtype).tobytes()


FIELDS = ("introduced_by", *DATES)


class ColumnFacts(Mapping[str, EnterpriseFacts]):
    """`FactColumns` as the engine's facts mapping: an `EnterpriseFacts` is made when a key is
    read (and kept), and `codes` gives a field of many enterprises as integer codes at once."""

    def __init__(self, columns: FactColumns) -> None:
        self.columns = columns
        self._made: dict[str, EnterpriseFacts] = {}
        self._days: dict[int, date | None] = {NULL_DAY: None}

    def _day(self, value: int) -> date | None:
        if value not in self._days:
            self._days[value] = date.fromordinal(EPOCH_ORDINAL + value)
        return self._days[value]

    def __getitem__(self, key: str) -> EnterpriseFacts:
        made = self._made.get(key)
        if made is not None:
            return made
        try:
            enterprise = int(key)
        except (TypeError, ValueError):
            raise KeyError(key) from None
        columns = self.columns
        row = int(np.searchsorted(columns.enterprise, enterprise))
        if row >= columns.enterprise.size or int(columns.enterprise[row]) != enterprise:
            raise KeyError(key)
        introducer = int(columns.introducer[row])
        settled, production, full, moved = (int(v) for v in columns.days[row])
        made = self._made[key] = EnterpriseFacts(
            key,
            columns.parties[introducer] if introducer >= 0 else None,
            self._day(settled),
            self._day(production),
            self._day(full),
            self._day(moved),
        )
        return made

    def __iter__(self) -> Iterator[str]:
        return (str(e) for e in self.columns.enterprise.tolist())

    def __len__(self) -> int:
        return len(self.columns)

    def codes(self, keys: Sequence[str], name: str) -> tuple[Int64Array, int] | None:
        """Each key's value of the field `name` as a code (equal values, equal codes; an
        enterprise without facts reads None), and the number of codes; None for a field the
        columns do not hold."""
        if name not in FIELDS:
            return None
        row = self.columns.where(keys)  # a row past the end: none
        if name == "introduced_by":
            column = np.append(self.columns.introducer.astype(np.int64), -1)
        else:
            days = self.columns.days[:, DATES.index(name)]
            column = np.append(days.astype(np.int64), NULL_DAY)
        values = column[row]
        distinct, inverse = np.unique(values, return_inverse=True)
        return inverse.reshape(-1).astype(np.int64), int(distinct.size)

    def introducers(self, keys: Sequence[str]) -> list[str | None]:
        """Each key's introducing party (None for none or no facts)."""
        row = self.columns.where(keys)  # a row past the end: none
        names: list[str | None] = [*self.columns.parties, None]
        codes = np.append(self.columns.introducer, -1)[row]
        return [names[code] for code in codes.tolist()]


@dataclass(frozen=True)
class RunInputs:
    record_ids: Int64Array  # in the run's input order
    facts: FactColumns


def pack(record_ids: Int64Array, facts: FactColumns) -> bytes:
    """The run's record ids and facts as one compact byte string (see the module's doc)."""
    header = json.dumps(
        {"records": int(record_ids.size), "facts": len(facts), "parties": facts.parties},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    body = b"".join(
        np.ascontiguousarray(column, dtype=dtype).tobytes()
        for column, dtype in (
            (np.diff(record_ids.astype(np.int64), prepend=np.int64(0)), "<i8"),
            (np.diff(facts.enterprise, prepend=np.int64(0)), "<i8"),
            (facts.introducer, "<i4"),
            (facts.days, "<i4"),
        )
    )
    return MAGIC + len(header).to_bytes(4, "little") + header + zlib.compress(body, 1)


def unpack(data: bytes) -> RunInputs:
    """`pack` undone."""
    if not data.startswith(MAGIC):
        raise ValueError("not a packed run input")
    start = len(MAGIC) + 4
    size = int.from_bytes(data[len(MAGIC) : start], "little")
    header = json.loads(data[start : start + size])
    body = zlib.decompress(data[start + size :])
    records, facts = int(header["records"]), int(header["facts"])
    at = 0

    def take(count: int, dtype: str) -> npt.NDArray[Any]:
        nonlocal at
        width = np.dtype(dtype).itemsize * count
        column = np.frombuffer(body, dtype=dtype, count=count, offset=at)
        at += width
        return column

    record_ids = np.cumsum(take(records, "<i8"), dtype=np.int64)
    enterprise = np.cumsum(take(facts, "<i8"), dtype=np.int64)
    introducer = take(facts, "<i4").astype(np.int32)
    days = take(facts * len(DATES), "<i4").astype(np.int32).reshape(facts, len(DATES))
    if at != len(body):
        raise ValueError("a packed run input has trailing bytes")
    return RunInputs(record_ids, FactColumns(enterprise, introducer, days, list(header["parties"])))
