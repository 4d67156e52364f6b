"""Import enterprises from .xlsx/.csv: every row checked, then all written or none.

A province loads its enterprise register once: a million rows. The rows are checked as any
import's are (core.imports), the existing enterprises they might duplicate are read in a few
large batches, and the rows are written in bulk (`save_all`): COPY on PostgreSQL, large
batched inserts elsewhere, the history rows likewise, all in the import's one transaction.
The names' derived keys (duplicate key, pinyin) are computed for the whole file at once, with
the same results as `core.text` gives one name at a time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from decimal import Context, Decimal
from functools import lru_cache
from itertools import islice, repeat
from operator import mul
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from parklink.accounts.imports import OwnedImporter, resolve_owner
from parklink.accounts.models import Organization, User
from parklink.accounts.services import ensure_can_write
from parklink.core import cells, imports
from parklink.core.imports import Column, ImportReport, Problem, Row, Source
from parklink.core.tabular import Limits
from parklink.core.text import _PUNCT_MAP, _SPACES, to_simplified
from parklink.enterprises import uscc as uscc_rules
from parklink.enterprises.models import BUSINESS_SCOPE_MAX_LENGTH, Enterprise
from parklink.enterprises.services import create_enterprise, duplicate_message
from parklink.regions.cells import RegionLookup

# Existing enterprises are looked up this many keys a query.
_BATCH = 900
# Rows written together (their derived keys and column values held at once).
_WRITE_PART = 50_000
# Rows a bulk INSERT carries where there is no COPY (SQLite: at most 32,766 parameters).
_INSERT_BATCH = 1_000
# From this many rows on, PostgreSQL builds the tables' secondary indexes once after the COPY
# instead of updating each of them row by row (see `_indexes_built_after`).
REBUILD_INDEXES_FROM = 50_000
# Sent once the rows of an import are written in bulk (no post_save per enterprise): `ids` are
# the new enterprises' primary keys. Whatever follows an enterprise's post_save should follow
# this too.
enterprises_imported = Signal()
FLAGS = (
    ("is_chain_leader", "链主企业", "chain_leader", ("链主",)),
    ("is_listed", "上市企业", "listed", ("上市", "is_listed")),
    ("is_high_tech", "高新技术企业", "high_tech", ("高新", "高新企业", "is_high_tech")),
    ("is_above_scale", "规上企业", "above_scale", ("规上", "规模以上企业", "is_above_scale")),
    (
        "is_specialised_sme",
        "专精特新",
        "specialised_sme",
        ("专精特新企业", "专精特新中小企业", "is_specialised_sme"),
    ),
)


_USCC_VALUES = {char: index for index, char in enumerate(uscc_rules.ALPHABET)}
_USCC_AUTHORITIES = frozenset(uscc_rules.REGISTRATION_AUTHORITIES)


def _valid_as_written(value: Any) -> bool:
    """Whether a cell is a valid USCC exactly as written (the usual case, checked fast).

    Only a string of 18 characters of the code's alphabet qualifies: `normalise` leaves such a
    string unchanged, so `uscc.problem` would check the same code. Anything else (spaces, lower
    case, full width, a wrong character) goes the long way, which says what is wrong.
    """
    if value.__class__ is not str or len(value) != 18:
        return False
    try:
        numbers = list(map(_USCC_VALUES.__getitem__, value))
    except KeyError:
        return False
    if value[0] not in _USCC_AUTHORITIES or not value[2:8].isdigit():
        return False
    total = sum(map(mul, numbers, uscc_rules.WEIGHTS))  # the first 17 (17 weights)
    return numbers[17] == (31 - total % 31) % 31


def _uscc(value: Any) -> str:
    if _valid_as_written(value):
        return str(value)
    text = cells.cell_text(value)
    code = uscc_rules.normalise(text)
    if code == text:  # as written: keep the cell's string, not a copy (a million rows)
        code = text
    found = uscc_rules.problem(code)
    if found is not None:
        raise cells.CellError(found.message_zh, found.message_en)
    return code


def _existing_message_en(existing: Enterprise, code: str | None) -> str:
    if code and existing.uscc == code:
        return f"USCC {existing.uscc} is already registered as “{existing.name}” (id {existing.pk})"
    return (
        f"“{existing.region.name}” already has an enterprise named “{existing.name}” "
        f"(id {existing.pk})"
    )


def _detail_columns() -> list[Column]:
    """What describes the enterprise: industry, short name, flags, capital, scope, description."""
    return [
        Column(
            "industry_code",
            "行业代码",
            "industry_code",
            cells.industry_code,
            aliases=("国民经济行业代码", "行业分类代码"),
            default="",
            repeats=True,
        ),
        Column(
            "short_name",
            "简称",
            "short_name",
            cells.text(64),
            aliases=("企业简称",),
            default="",
        ),
        *(
            Column(key, zh, en, cells.boolean, aliases=aliases, default=False, repeats=True)
            for key, zh, en, aliases in FLAGS
        ),
        Column(
            "registered_capital",
            "注册资本(万元)",
            "registered_capital",
            cells.amount("万元"),
            aliases=("注册资本",),
            unit_parser=cells.amount,
            repeats=True,  # registers repeat round capitals (100, 500, 1000万元)
        ),
        Column(
            "business_scope",
            "经营范围",
            "business_scope",
            cells.text(BUSINESS_SCOPE_MAX_LENGTH),
            aliases=("经营范围(一般项目)", "许可经营范围", "scope"),
            default="",
        ),
        Column(
            "description",
            "简介",
            "description",
            cells.text(),
            aliases=("企业简介", "介绍"),
            default="",
        ),
    ]


class EnterpriseImporter(OwnedImporter):
    """企业名称, 统一社会信用代码, 注册地, 行业代码, flags, 注册资本(万元), 经营范围, 简介."""

    kind = "enterprises"
    ignored_headers = ("编号", "id", "所属机构", "owner")

    def load(self) -> None:
        self.regions = RegionLookup()
        self.by_uscc: dict[str, Enterprise] = {}
        self.by_name: dict[tuple[str, str], Enterprise] = {}

    def columns(self) -> Sequence[Column]:
        return [*self._identity_columns(), *_detail_columns()]

    def _identity_columns(self) -> list[Column]:
        """What names the enterprise: its name, USCC and registered region."""
        return [
            Column(
                "name",
                "企业名称",
                "name",
                cells.text(128),
                required=True,
                aliases=("名称", "企业", "公司名称", "enterprise", "company"),
            ),
            Column(
                "uscc",
                "统一社会信用代码",
                "uscc",
                _uscc,
                aliases=("信用代码", "社会信用代码", "credit_code"),
                default=None,
            ),
            Column(
                "region",
                "注册地",
                "region",
                self.regions.parse,
                required=True,
                aliases=("注册地行政区", "所在地", "行政区", "行政区划代码", "adcode"),
                repeats=True,
            ),
        ]

    def prepare(self, rows: list[Row]) -> None:
        """Each row's duplicate key, then the existing enterprises any row may duplicate."""
        named = [row for row in rows if row.values.get("name") and row.values.get("region")]
        keys = normalise_names([row.values["name"] for row in named])
        for row in rows:
            row.values["_name_key"] = None
        for row, key in zip(named, keys, strict=True):
            row.values["_name_key"] = (key, row.values["region"].adcode)
        # Each value once, in no particular order (the database matches them as a set).
        codes = list({row.values["uscc"] for row in rows if row.values.get("uscc")})
        names = list(set(keys))
        self.by_uscc = {}
        self.by_name = {}
        found: dict[int, Enterprise] = {}
        # Only the keys first (a million rows, a few matches at most), then the matches whole.
        hits: set[int] = set()
        hits.update(_matching("uscc", codes))
        hits.update(_matching("normalized_name", names))
        for batch in _batches(sorted(hits), _BATCH):
            found.update(
                (e.pk, e) for e in Enterprise.objects.filter(pk__in=batch).select_related("region")
            )
        for enterprise in found.values():
            if enterprise.uscc:
                self.by_uscc[enterprise.uscc] = enterprise
            self.by_name[(enterprise.normalized_name, enterprise.region_id)] = enterprise

    def check(self, row: Row) -> list[Problem]:
        problems: list[Problem] = []
        capital = row.values.get("registered_capital")
        if capital is not None and capital < 0:
            problems.append(
                self.problem(
                    row,
                    "registered_capital",
                    "注册资本不能为负数",
                    "registered capital cannot be negative",
                )
            )
        code = row.values.get("uscc")
        key = row.values.get("_name_key")
        existing = (self.by_uscc.get(code) if code else None) or (
            self.by_name.get(key) if key else None
        )
        if existing is not None:
            column = "uscc" if code and existing.uscc == code else "name"
            problems.append(
                self.problem(
                    row,
                    column,
                    duplicate_message(existing, code),
                    _existing_message_en(existing, code),
                )
            )
        return problems

    def check_file(self, rows: list[Row]) -> list[Problem]:
        """Two rows of one file naming the same enterprise: each later row names the first."""
        problems: list[Problem] = []
        first_uscc: dict[str, int] = {}
        first_name: dict[tuple[str, str], int] = {}
        for row in rows:
            code = row.values.get("uscc")
            key = row.values.get("_name_key")
            if code and code in first_uscc:
                earlier = first_uscc[code]
                problems.append(
                    self.problem(
                        row,
                        "uscc",
                        f"与第{earlier}行的统一社会信用代码重复",
                        f"same USCC as row {earlier}",
                    )
                )
            elif key and key in first_name:
                earlier = first_name[key]
                problems.append(
                    self.problem(
                        row,
                        "name",
                        f"与第{earlier}行重复:同一注册地的同名企业",
                        f"duplicates row {earlier}: same name in the same region",
                    )
                )
            if code:
                first_uscc.setdefault(code, row.number)
            if key:
                first_name.setdefault(key, row.number)
        return problems

    def save(self, row: Row) -> Enterprise:
        values = {k: v for k, v in row.values.items() if not k.startswith("_")}
        return create_enterprise(self.user, owner_id=self.owner.pk, **values)

    def save_all(self, rows: list[Row]) -> int:
        """Every row at once: the enterprises, then one history row each ("+", by the user).

        Each row was checked as `create_enterprise` checks one (the columns' lengths and
        widths by the parsers, the USCC, the negative capital and duplicates by `check` and
        `check_file`), and the owner's write permission by `authorize`; what `Enterprise.save`
        derives (duplicate key, normalised USCC, pinyin keys) is derived here for all rows.
        """
        ensure_can_write(self.user, self.owner.pk)
        history = Enterprise.history.model
        tables = [Enterprise._meta.db_table, history._meta.db_table]
        rebuild = connection.vendor == "postgresql" and len(rows) >= REBUILD_INDEXES_FROM
        with _indexes_built_after(tables) if rebuild else _nothing():
            ids = self._write(rows, history)
            # Inside: the listeners' own bulk writes (the chains queue) land before the
            # indexes are built, and their checks against the enterprises read them built.
            enterprises_imported.send(Enterprise, ids=ids, user=self.user)
        return len(ids)

    def _write(self, rows: list[Row], history: Any) -> Sequence[int]:
        now = timezone.now()
        if connection.vendor == "postgresql":
            return _copy_all(rows, self.owner.pk, self.user.pk, now, history)
        user_id = self.user.pk
        ids: list[int] = []
        reader = _Pinyin()
        # A part at a time: the derived keys and the rows of one part exist at once, not all.
        for part in _batches(rows, _WRITE_PART):
            name_keys = pinyin_keys_many([row.values["name"] for row in part], reader)
            short_keys = pinyin_keys_many(
                [row.values.get("short_name") or "" for row in part], reader
            )
            records = [
                _record(row.values, self.owner.pk, now, name_key, short_key)
                for row, name_key, short_key in zip(part, name_keys, short_keys, strict=True)
            ]
            del name_keys, short_keys
            new = list(_new_ids(len(records)))
            _insert(
                Enterprise,
                ENTERPRISE_COLUMNS,
                ([pk, *record] for pk, record in zip(new, records, strict=True)),
            )
            _insert(
                history,
                HISTORY_COLUMNS,
                (
                    [pk, *record, now, None, "+", user_id]
                    for pk, record in zip(new, records, strict=True)
                ),
            )
            ids.extend(new)
        return ids


def validate_enterprises(
    user: User,
    source: Source,
    owner: Organization | None = None,
    fmt: str | None = None,
    name: str | None = None,
    limits: Limits | None = None,
) -> ImportReport:
    """Check a file of enterprises; writes nothing."""
    importer = EnterpriseImporter(user, owner or resolve_owner(user))
    return imports.validate(importer, source, fmt, name, limits)


def import_enterprises(
    user: User,
    source: Source,
    owner: Organization | None = None,
    fmt: str | None = None,
    dry_run: bool = False,
    name: str | None = None,
    limits: Limits | None = None,
) -> ImportReport:
    """Create every enterprise in the file, or none when any row has a problem."""
    importer = EnterpriseImporter(user, owner or resolve_owner(user))
    return imports.run(importer, source, fmt, dry_run, name, limits)


# ---------------------------------------------------------------- derived keys, many at once

_NOT_LATIN = re.compile(r"[^0-9a-z]")


def _batches(values: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@lru_cache(maxsize=1)
def _traditional() -> frozenset[str] | None:
    """Characters without which `to_simplified` returns a text unchanged (None: unknown).

    The converter (OpenCC t2s) replaces a traditional character (TSCharacters) or a phrase
    (TSPhrases). Every phrase that changes contains a character that differs from its
    simplified form, so a text with none of these characters matches no changing entry.
    """
    import opencc

    folder = Path(opencc.__file__).parent / "dictionary"
    found: set[str] = set()
    try:
        for name in ("TSCharacters.txt", "TSPhrases.txt"):
            for line in (folder / name).read_text(encoding="utf-8").splitlines():
                key, _tab, values = line.partition("\t")
                value = values.split(" ")[0].strip()
                if not key or key == value:
                    continue
                if len(key) == len(value):
                    found.update(k for k, v in zip(key, value, strict=True) if k != v)
                else:
                    found.update(key)
    except OSError:
        return None
    return frozenset(found)


def _matching(column: str, values: Sequence[str]) -> Iterator[int]:
    """Ids of the enterprises whose `column` is one of `values`.

    On PostgreSQL the values go by COPY into a temporary table that is joined to the
    enterprises (a million names are not turned into array literals, nor planned as one); on
    SQLite `IN` lists of `_BATCH` values.
    """
    if connection.vendor == "postgresql":
        yield from _matching_copied(column, values)
        return
    for batch in _batches(values, _BATCH):
        lookup = {f"{column}__in": batch}
        yield from Enterprise.objects.filter(**lookup).values_list("pk", flat=True)


_KEYS_TABLE = "parklink_import_keys"


def _matching_copied(column: str, values: Sequence[str]) -> list[int]:
    if not values:
        return []
    table = Enterprise._meta.db_table
    # In a transaction of its own (a savepoint inside the import's): a failure rolls the
    # temporary table back with everything else.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{_KEYS_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {_KEYS_TABLE} (key text NOT NULL)")
        with (
            connection.connection.cursor() as raw,
            raw.copy(f"COPY {_KEYS_TABLE} (key) FROM STDIN") as copy,
        ):
            for batch in _batches(values, _COPY_BATCH):
                copy.write(("\n".join(_escaped(list(batch))) + "\n").encode())
        cursor.execute(f"ANALYZE {_KEYS_TABLE}")
        cursor.execute(
            f"SELECT e.id FROM {table} e JOIN {_KEYS_TABLE} k ON e.{column} = k.key"
        )  # a model's column
        found = [pk for (pk,) in cursor.fetchall()]
        cursor.execute(f"DROP TABLE pg_temp.{_KEYS_TABLE}")
    return found


def simplified_many(texts: Sequence[str]) -> list[str]:
    """`to_simplified` of each text; a text with no traditional character is itself.

    A register of enterprises in simplified Chinese converts nothing, and the converter is
    pure Python (tens of microseconds a name), so only texts that need it go through it.
    """
    traditional = _traditional()
    if traditional is None:
        return [to_simplified(text) for text in texts]
    return [text if traditional.isdisjoint(text) else to_simplified(text) for text in texts]


def normalise_names(names: Sequence[str]) -> list[str]:
    """`core.text.normalise_name` of each name."""
    folded = [unicodedata.normalize("NFKC", name or "").translate(_PUNCT_MAP) for name in names]
    return [
        _SPACES.sub("", text).lower().replace("(", "").replace(")", "")
        for text in simplified_many(folded)
    ]


@lru_cache(maxsize=1)
def _pieces() -> re.Pattern[str]:
    """Runs of characters with pinyin (group 1) and runs without (group 2), as pypinyin cuts.

    pypinyin (`seg.simpleseg.simple_seg`) splits a text into maximal runs of characters that
    match its `RE_HANS` class and runs that do not, then cuts each Han run into words; the
    class is read from pypinyin itself, so the runs are the same ones.
    """
    from pypinyin.constants import RE_HANS

    pattern = RE_HANS.pattern
    start, end = "^(?:[", "])+$"
    if not (pattern.startswith(start) and pattern.endswith(end)):  # a pypinyin we do not know
        raise RuntimeError("pypinyin's RE_HANS has an unexpected form")
    inner = pattern[len(start) : -len(end)]
    return re.compile(f"([{inner}]+)|([^{inner}]+)")


# Runs and words remembered at most (a province's register: a few hundred thousand distinct).
_PINYIN_MEMO = 300_000


class _Pinyin:
    """Pinyin keys of runs and words met before come from memory.

    pypinyin reads a text as runs of Han characters and runs of other characters; a run of
    other characters is kept as it is (its initial: its first character), a Han run is cut
    into words (its phrase dictionary, forward maximum matching, so a run's words depend on the
    run alone) and each word's pinyin depends on that word alone. Enterprise names repeat their
    runs (places, brands, 科技, 有限公司), so a file's names cost a lookup per run.
    """

    def __init__(self) -> None:
        from pypinyin import Style, lazy_pinyin
        from pypinyin.core import Pinyin

        self._cut = Pinyin().seg
        self._lazy = lazy_pinyin
        self._first = Style.FIRST_LETTER
        self._words: dict[str, tuple[str, str]] = {}
        self._runs: dict[str, tuple[str, str]] = {}
        self._split = _pieces().findall

    def word(self, word: str) -> tuple[str, str]:
        found = self._words.get(word)
        if found is None:
            full = "".join(self._lazy(word, errors="default"))
            first = self._lazy(word, style=self._first, errors="default")
            found = (full, "".join(syllable[:1] for syllable in first))
            if len(self._words) < _PINYIN_MEMO:
                self._words[word] = found
        return found

    def run(self, run: str) -> tuple[str, str]:
        """A Han run's (pinyin, initials), its words cut as pypinyin cuts them."""
        found = self._runs.get(run)
        if found is None:
            parts = [self.word(word) for word in self._cut(run)]
            found = ("".join(part[0] for part in parts), "".join(part[1] for part in parts))
            if len(self._runs) < _PINYIN_MEMO:
                self._runs[run] = found
        return found

    def keys(self, simplified: str) -> tuple[str, str]:
        full: list[str] = []
        initials: list[str] = []
        runs = self._runs
        for han, other in self._split(simplified):
            if han:
                found = runs.get(han) or self.run(han)
                full.append(found[0])
                initials.append(found[1])
            else:  # no pinyin: kept as written, one "syllable"
                full.append(other)
                initials.append(other[:1])
        return (
            _NOT_LATIN.sub("", "".join(full).lower())[:255],
            _NOT_LATIN.sub("", "".join(initials).lower())[:64],
        )


def pinyin_keys_many(texts: Sequence[str], reader: _Pinyin | None = None) -> list[tuple[str, str]]:
    """`core.text.pinyin_keys` of each text ("" gives ("", ""), as an empty alias).

    `reader` keeps the runs met in earlier calls (one per import, across its parts).
    """
    if not any(texts):
        return [("", "")] * len(texts)
    reader = reader or _Pinyin()
    return [reader.keys(text) if text else ("", "") for text in simplified_many(texts)]


# ---------------------------------------------------------------- bulk writes

ENTERPRISE_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "name_pinyin",
    "name_initials",
    "alias_pinyin",
    "alias_initials",
    "name",
    "short_name",
    "normalized_name",
    "uscc",
    "industry_code",
    "description",
    "business_scope",
    "is_chain_leader",
    "is_listed",
    "is_high_tech",
    "is_above_scale",
    "is_specialised_sme",
    "registered_capital",
    "region_id",
    "owner_id",
]
HISTORY_COLUMNS = [
    *ENTERPRISE_COLUMNS,
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
]
# DECIMAL(18, 2): the value as Django would store it (rounded half-even to the fen).
_FEN = Decimal("0.01")
_MONEY = Context(prec=18)


def _record(
    values: dict[str, Any],
    owner_id: int,
    now: datetime,
    name_keys: tuple[str, str],
    short_keys: tuple[str, str],
) -> list[Any]:
    """The row's columns after `id`, in ENTERPRISE_COLUMNS order."""
    capital = values.get("registered_capital")
    code = values.get("uscc")
    return [
        now,
        now,
        name_keys[0],
        name_keys[1],
        short_keys[0],
        short_keys[1],
        values["name"],
        values.get("short_name") or "",
        values["_name_key"][0],
        uscc_rules.normalise(code) if code else None,
        values.get("industry_code") or "",
        values.get("description") or "",
        values.get("business_scope") or "",
        bool(values.get("is_chain_leader")),
        bool(values.get("is_listed")),
        bool(values.get("is_high_tech")),
        bool(values.get("is_above_scale")),
        bool(values.get("is_specialised_sme")),
        None if capital is None else capital.quantize(_FEN, context=_MONEY),
        values["region"].pk,
        owner_id,
    ]


def _new_ids(count: int) -> Sequence[int]:
    """`count` primary keys for new enterprises, taken from the table's sequence.

    On SQLite (one writer at a time, and the import holds the write lock) the next keys
    after the largest. On PostgreSQL the sequence hands them out, safe beside other writers:
    one at a time (`nextval` per key), or, while this transaction holds the table's ACCESS
    EXCLUSIVE lock (`_indexes_built_after`), as one block moved past with `setval`: no other
    session can insert into the table, so none takes a key from its sequence meanwhile.
    """
    table = Enterprise._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if _locked_by_us(cursor, table):
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
                (first,) = cursor.fetchone()
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [table, first + count - 1],
                )
                return range(first, first + count)
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        # AUTOINCREMENT never hands out a key again, even a deleted one's: past both.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        (largest,) = cursor.fetchone()
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
        (sequence,) = cursor.fetchone()
    start = max(largest, sequence) + 1
    return range(start, start + count)


def _locked_by_us(cursor: Any, table: str) -> bool:
    """Whether this transaction holds `table` in ACCESS EXCLUSIVE mode (PostgreSQL)."""
    cursor.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'relation' "
        "AND relation = %s::regclass AND pid = pg_backend_pid() "
        "AND mode = 'AccessExclusiveLock' AND granted)",
        [table],
    )
    (held,) = cursor.fetchone()
    return bool(held)


def _copy_all(
    rows: list[Row], owner_id: int, user_id: int, now: datetime, history: Any
) -> Sequence[int]:
    """Every row into the enterprise table by one COPY, then its history row (PostgreSQL).

    The COPY text is built a part at a time (`_copy_part`) while a writer thread sends the
    previous part (psycopg's QueuedLibpqWriter, at most its queue of 128 KB chunks ahead), so
    the server stores one part as the next is built. The history rows are the stored rows
    themselves with the four history columns: one INSERT ... SELECT in the server.
    """
    from psycopg.copy import QueuedLibpqWriter

    ids = _new_ids(len(rows))
    table = connection.ops.quote_name(Enterprise._meta.db_table)
    names = ", ".join(map(connection.ops.quote_name, ENTERPRISE_COLUMNS))
    connection.ensure_connection()
    with (
        connection.wrap_database_errors,  # a clash arrives as Django's IntegrityError
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({names}) FROM STDIN", writer=QueuedLibpqWriter(cursor)) as copy,
    ):
        reader = _Pinyin()  # the runs of names met in one part are met again in the next
        for start in range(0, len(rows), _WRITE_PART):
            part = rows[start : start + _WRITE_PART]
            text = _copy_part(part, ids[start : start + len(part)], owner_id, now, reader)
            copy.write(text.encode())
    params: list[Any]
    if isinstance(ids, range):
        where, params = "e.id BETWEEN %s AND %s", [ids.start, ids.stop - 1]
    else:
        where, params = "e.id = ANY(%s)", [list(ids)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(history._meta.db_table)} "
            f"({', '.join(map(connection.ops.quote_name, HISTORY_COLUMNS))}) "
            f"SELECT {', '.join('e.' + connection.ops.quote_name(c) for c in ENTERPRISE_COLUMNS)}, "
            f"%s, NULL, '+', %s FROM {table} e WHERE {where}",
            [now, user_id, *params],
        )
    return ids


_FLAG_KEYS = [key for key, _zh, _en, _aliases in FLAGS]


def _escaped(texts: list[str]) -> list[str]:
    """Texts in COPY's text format; a column without a character to escape is left as it is."""
    joined = "".join(texts)
    if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
        return [text.translate(_COPY_ESCAPES) for text in texts]
    return texts


def _copy_part(
    rows: Sequence[Row],
    pks: Sequence[int],
    owner_id: int,
    now: datetime,
    reader: _Pinyin | None = None,
) -> str:
    """The rows' COPY text for ENTERPRISE_COLUMNS, built a column at a time.

    The same lines as `_copy_line([pk, *_record(...)])` (a test compares them on awkward
    values): each column is escaped only when one of its values needs it, values that repeat
    (the time, the owner, regions, capitals) are written once, and the lines are joined by
    `str.join` over the columns, not a call per value.
    """
    values = [row.values for row in rows]
    count = len(values)
    names = [value["name"] for value in values]
    shorts = [value.get("short_name") or "" for value in values]
    reader = reader or _Pinyin()
    name_keys = pinyin_keys_many(names, reader)
    short_keys = pinyin_keys_many(shorts, reader)
    stamp = now.isoformat()
    regions: dict[int, str] = {}
    capitals: dict[Any, str] = {}
    codes = [value.get("uscc") for value in values]
    columns: list[Iterable[str]] = [
        map(str, pks),
        repeat(stamp, count),
        repeat(stamp, count),
        _escaped([key for key, _initials in name_keys]),
        _escaped([initials for _key, initials in name_keys]),
        _escaped([key for key, _initials in short_keys]),
        _escaped([initials for _key, initials in short_keys]),
        _escaped(names),
        _escaped(shorts),
        _escaped([value["_name_key"][0] for value in values]),
        [
            "\\N" if not code else uscc_rules.normalise(code).translate(_COPY_ESCAPES)
            for code in codes
        ],
        _escaped([value.get("industry_code") or "" for value in values]),
        _escaped([value.get("description") or "" for value in values]),
        _escaped([value.get("business_scope") or "" for value in values]),
        *(["t" if value.get(flag) else "f" for value in values] for flag in _FLAG_KEYS),
        [_capital_text(value.get("registered_capital"), capitals) for value in values],
        [_region_text(value["region"], regions) for value in values],
        repeat(str(owner_id), count),
    ]
    return "\n".join(map("\t".join, zip(*columns, strict=False))) + "\n"


def _capital_text(capital: Decimal | None, seen: dict[Any, str]) -> str:
    if capital is None:
        return "\\N"
    text = seen.get(capital)
    if text is None:
        text = seen[capital] = str(capital.quantize(_FEN, context=_MONEY))
    return text


def _region_text(region: Any, seen: dict[int, str]) -> str:
    text = seen.get(id(region))
    if text is None:
        text = seen[id(region)] = str(region.pk).translate(_COPY_ESCAPES)
    return text


def _insert(model: Any, columns: list[str], rows: Iterable[list[Any]]) -> None:
    """Rows into `model`'s table: COPY on PostgreSQL, batched INSERTs elsewhere."""
    if connection.vendor == "postgresql":
        _copy(model, columns, map(_copy_line, rows))
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, _INSERT_BATCH)):
            cursor.executemany(sql, [_adapted(row) for row in batch])


def _copy(model: Any, columns: list[str], lines: Iterable[str]) -> None:
    """Lines of COPY text (each ending in a newline) into `model`'s table (PostgreSQL)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    connection.ensure_connection()
    iterator = iter(lines)
    with (
        connection.wrap_database_errors,  # a clash arrives as Django's IntegrityError
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        while batch := list(islice(iterator, _COPY_BATCH)):
            copy.write("".join(batch).encode())


_COPY_BATCH = 20_000
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """One value in COPY's text format (what psycopg's write_row sends, built in bulk)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)  # int, Decimal


def _copy_line(row: list[Any]) -> str:
    return "\t".join(map(_copy_text, row)) + "\n"


def _adapted(row: list[Any]) -> list[Any]:
    """Values as the database driver takes them outside PostgreSQL (dates and decimals)."""
    ops = connection.ops
    return [
        ops.adapt_datetimefield_value(value)
        if isinstance(value, datetime)
        else (ops.adapt_decimalfield_value(value, 18, 2) if isinstance(value, Decimal) else value)
        for value in row
    ]


# ---------------------------------------------------------------- indexes built once


@contextmanager
def _nothing() -> Iterator[None]:
    yield


@contextmanager
def _indexes_built_after(tables: Sequence[str]) -> Iterator[None]:
    """PostgreSQL: the tables' secondary indexes and keys dropped, then built again at the end.

    A COPY of a million rows into a table with a dozen indexes (a B-tree and a `LIKE` index
    per pinyin column, the duplicate key, the unique keys, the foreign keys) updates each of
    them row by row; built after the rows, each index is one sort, each foreign key one join.
    Everything happens in the import's transaction: should a row clash with a unique key when
    it is built again, or the import fail anywhere else, the rollback restores the indexes
    as they were, so the import stays all or nothing.

    The tables are locked first (ACCESS EXCLUSIVE, which dropping an index takes anyway) until
    the import commits: other sessions' reads and writes of the enterprises and their history
    wait for the write phase instead of seeing the tables without their indexes or adding
    rows no unique key checks. Adding the foreign keys back briefly takes a SHARE ROW
    EXCLUSIVE lock on the tables they reference (regions, organisations, users): writes to
    those wait for the check. The primary keys stay (other tables' foreign keys need them).
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # A key cannot be dropped while checks deferred to the commit are pending on the tables
        # (rows this transaction wrote before): those checks are made now, and the keys, all
        # deferred to the commit as Django makes them, are deferred again afterwards.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f"LOCK TABLE {', '.join(map(quote, tables))} IN ACCESS EXCLUSIVE MODE")
        constraints: list[tuple[str, str, str]] = []
        indexes: list[str] = []
        for table in tables:
            # Unique and foreign keys of the table itself; a unique key another table's
            # foreign key relies on stays (it could not be dropped).
            cursor.execute(
                """
                SELECT c.conname, pg_get_constraintdef(c.oid)
                FROM pg_constraint c
                WHERE c.conrelid = %s::regclass AND c.contype IN ('u', 'f')
                  AND NOT (c.contype = 'u' AND EXISTS (
                      SELECT 1 FROM pg_constraint r
                      WHERE r.contype = 'f' AND r.conindid = c.conindid
                  ))
                ORDER BY c.contype DESC, c.conname  -- 'u' before 'f'
                """,
                [table],
            )
            constraints += [(table, name, definition) for name, definition in cursor.fetchall()]
            # Indexes of no constraint (the pinyin, LIKE and plain keys, partial uniques).
            cursor.execute(
                """
                SELECT pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text
                FROM pg_index i
                WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                ORDER BY 2
                """,
                [table],
            )
            found = cursor.fetchall()
            indexes += [definition for definition, _name in found]
            for _definition, name in found:
                cursor.execute(f"DROP INDEX {name}")  # regclass text: quoted as needed
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        # Each index one sort in memory rather than on disk (for this transaction only).
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for definition in indexes:
            cursor.execute(definition)
        # Unique keys first (a clash is an IntegrityError: the file is refused, rechecked).
        for table, name, definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
