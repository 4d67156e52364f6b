"""Settling a period: the version in force, the figures, the state after the previous period,
the ledger engine, and the allocations stored in bulk.

The figures are read as columns (`bulk.read_records`: `values_list` in chunks, no model
instances); the engine is `split_columns` when a rule of the version divides by fixed shares
(else `split`); the allocations are written in bulk (`bulk.write`: the run's distinct steps,
shares and terms as `AllocationTerms`, then a row of integers per part, COPY on PostgreSQL,
`executemany` elsewhere). The same inputs give byte-identical allocations whichever path and
database: a run keeps the digest of its canonical input and of its allocations
(`bulk.AllocationTable.digest`), and `reproduce` splits the stored input again to compare.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.cobuild import lifecycle, periods
from parklink.cobuild.ledger import explain, packing
from parklink.cobuild.ledger import types as ledger
from parklink.cobuild.ledger.columns import split_columns
from parklink.cobuild.ledger.kinds import KINDS
from parklink.cobuild.ledger.split import split
from parklink.cobuild.models import (
    Agreement,
    AgreementVersion,
    Allocation,
    CoveredEnterprise,
    Record,
    Rule,
    Run,
    RunStatus,
)
from parklink.cobuild.services import bulk
from parklink.cobuild.services.access import ensure_officer
from parklink.cobuild.services.records import current_records, settled_runs
from parklink.cobuild.services.rules import rule_spec
from parklink.cobuild.services.versions import require_version_for
from parklink.core.errors import Conflict, Invalid

BATCH = bulk.WRITE_BATCH  # allocation rows per write
ID_CHUNK = 50_000  # ids per query when a run's records are looked up again

Progress = bulk.Progress


def parse_period(label: str) -> ledger.Period:
    try:
        return periods.parse(label)
    except periods.PeriodError as exc:
        raise Invalid(exc.reason_zh, detail={"period": exc.reason_zh, "en": exc.reason_en}) from exc


def canonical(document: Any) -> bytes:
    """The bytes a digest is taken of: sorted keys, no spaces, text as UTF-8."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def digest(document: Any) -> str:
    return hashlib.sha256(canonical(document)).hexdigest()


def version_label(version: AgreementVersion) -> str:
    """How the sentences quote the version: "2" (协议第2版 / agreement v2)."""
    return str(version.number)


@dataclass
class Inputs:
    """What the engine reads for one run, and where each record came from (`rows.ids`)."""

    period: ledger.Period
    version: AgreementVersion
    parties: list[ledger.Party]
    rules: list[ledger.RuleSpec]
    rows: bulk.RecordRows
    facts: Mapping[str, ledger.EnterpriseFacts]
    state: ledger.LedgerState
    fact_columns: packing.FactColumns | None = None  # None: a run stored before columns
    _facts_document: list[list[Any]] | None = field(default=None, repr=False)

    @property
    def record_ids(self) -> list[int]:
        return self.rows.ids.tolist()

    def records(self) -> list[ledger.Record]:
        """The records as the scalar engine reads them (index = position in the input)."""
        names = self.rows.indicators
        return [
            ledger.Record(index, str(enterprise), names[indicator], amount)
            for index, (enterprise, indicator, amount) in enumerate(
                zip(
                    self.rows.enterprise.tolist(),
                    self.rows.indicator.tolist(),
                    self.rows.amount.tolist(),
                    strict=True,
                )
            )
        ]

    def facts_document(self) -> list[list[Any]]:
        """`facts_json(self.facts)`, made once (the digest and the run both need it)."""
        if self._facts_document is None:
            self._facts_document = facts_json(self.facts)
        return self._facts_document

    def header(self) -> dict[str, Any]:
        """What the digest reads first: with `fact_columns` (format `inputs/3`) the facts
        follow as integer columns; a run stored before them kept its facts as a document
        (format `inputs/2`, still reproduced as it was)."""
        if self.fact_columns is not None:
            return {
                "format": "inputs/3",
                "period": [self.period.label, self.period.start, self.period.end],
                "version": self.version.number,
                "parties": [[p.key, p.order] for p in self.parties],
                "rules": self._rules_document(),
                "indicators": self.rows.indicators,
                "records": len(self.rows),
                **self.fact_columns.header(),
                "state": self.state.to_json(),
            }
        return {
            "format": "inputs/2",
            "period": [self.period.label, self.period.start, self.period.end],
            "version": self.version.number,
            "parties": [[p.key, p.order] for p in self.parties],
            "rules": self._rules_document(),
            "indicators": self.rows.indicators,
            "records": len(self.rows),
            "facts": self.facts_document(),
            "state": self.state.to_json(),
        }

    def _rules_document(self) -> list[list[Any]]:
        return [
            [
                r.key,
                r.indicator,
                r.scope.kind,
                r.scope.party,
                sorted(r.scope.enterprises),
                r.kind,
                r.params,
            ]
            for r in self.rules
        ]

    def digest(self) -> str:
        """SHA-256 of the header as canonical JSON, then the records' columns (enterprise,
        indicator code, amount) as little-endian integers, in input order, then (format
        `inputs/3`) the facts' columns (enterprise, introducer, dates)."""
        sha = hashlib.sha256(canonical(self.header()))
        for column, dtype in (
            (self.rows.enterprise, "<i8"),
            (self.rows.indicator, "<i4"),
            (self.rows.amount, "<i8"),
        ):
            sha.update(np.ascontiguousarray(column, dtype=dtype).tobytes())
        if self.fact_columns is not None:
            for chunk in self.fact_columns.digest_bytes():
                sha.update(chunk)
        return sha.hexdigest()

    def packed(self) -> bytes:
        """The record ids and facts as the run stores them (`Run.inputs_columns`)."""
        assert self.fact_columns is not None
        return packing.pack(self.rows.ids, self.fact_columns)


def facts_json(facts: Mapping[str, ledger.EnterpriseFacts]) -> list[list[Any]]:
    texts: dict[date, str] = {}  # one string per distinct date (a million facts share a few)

    def text(day: date | None) -> str | None:
        if day is None:
            return None
        found = texts.get(day)
        if found is None:
            found = texts[day] = day.isoformat()
        return found

    return [
        [
            f.key,
            f.introduced_by,
            text(f.settled_on),
            text(f.production_on),
            text(f.full_production_on),
            text(f.moved_on),
        ]
        for f in sorted(facts.values(), key=lambda f: f.key)
    ]


def facts_from_json(rows: Iterable[Sequence[Any]]) -> dict[str, ledger.EnterpriseFacts]:
    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return {
        row[0]: ledger.EnterpriseFacts(
            row[0], row[1], day(row[2]), day(row[3]), day(row[4]), day(row[5])
        )
        for row in rows
    }


def _facts(agreement: Agreement, rows: bulk.RecordRows) -> packing.FactColumns:
    """The facts of the enterprises with records, as columns (the agreement's list read once,
    no IN): a binary COPY on PostgreSQL, the ORM elsewhere (the same columns)."""
    if connection.vendor == "postgresql":
        return _facts_copy(agreement, rows)
    return _facts_orm(agreement, rows.enterprise_ids())


def _facts_copy(agreement: Agreement, rows: bulk.RecordRows) -> packing.FactColumns:
    keys = dict(agreement.parties.values_list("pk", "key"))
    covered = CoveredEnterprise.objects.filter(agreement=agreement)
    enterprise, introducer, days = bulk.read_facts_copy(covered, np.unique(rows.enterprise))
    present, inverse = np.unique(introducer, return_inverse=True)
    names = [keys.get(pk) for pk in present.tolist()]
    parties = sorted({name for name in names if name is not None})
    code = np.array(
        [-1 if name is None else parties.index(name) for name in names] or [-1], dtype=np.int32
    )
    order = np.argsort(enterprise, kind="stable")
    return packing.FactColumns(
        enterprise=enterprise[order],
        introducer=code[inverse.reshape(-1)][order] if enterprise.size else code[:0],
        days=days[order],
        parties=parties,
    )


def _facts_orm(agreement: Agreement, enterprise_ids: set[int]) -> packing.FactColumns:
    """The facts through the ORM (`values_list`, chunk by chunk)."""
    covered = CoveredEnterprise.objects.filter(agreement=agreement).values_list(
        "enterprise_id",
        "introduced_by__key",
        "settled_on",
        "production_on",
        "full_production_on",
        "moved_on",
    )
    numbers: dict[date | None, int] = {}

    def number(day: date | None) -> int:
        found = numbers.get(day)
        if found is None:
            found = numbers[day] = packing.day_number(day)
        return found

    enterprises: list[int] = []
    introducers: list[str | None] = []
    days: list[list[int]] = []
    for enterprise, introducer, *dates in covered.iterator(chunk_size=bulk.READ_CHUNK):
        if enterprise in enterprise_ids:
            enterprises.append(enterprise)
            introducers.append(introducer)
            days.append([number(day) for day in dates])
    return packing.FactColumns.build(
        np.array(enterprises, dtype=np.int64),
        introducers,
        np.array(days, dtype=np.int32).reshape(-1, len(packing.DATES)),
    )


def _rules(version: AgreementVersion) -> list[ledger.RuleSpec]:
    return [
        rule_spec(rule)
        for rule in version.rules.prefetch_related("enterprises").select_related("scope_party")
    ]


def _parties(agreement: Agreement) -> list[ledger.Party]:
    return [ledger.Party(p.key, p.order) for p in agreement.parties.all()]


def previous_run(agreement: Agreement, period: ledger.Period) -> Run | None:
    """The confirmed run of the latest period that ended before this one starts."""
    return (
        agreement.runs.filter(status=RunStatus.CONFIRMED, period_end__lt=period.start)
        .order_by("-period_end", "-id")
        .first()
    )


def gather(
    agreement: Agreement, period: ledger.Period, progress: Progress = bulk._quiet
) -> tuple[Inputs, Run | None]:
    version = require_version_for(agreement, period.start)
    previous = previous_run(agreement, period)
    state = ledger.LedgerState.from_json(previous.state_after) if previous else ledger.LedgerState()
    queryset = current_records(agreement, period)
    rows = bulk.read_records(queryset, progress)
    columns = _facts(agreement, rows)
    inputs = Inputs(
        period,
        version,
        _parties(agreement),
        _rules(version),
        rows,
        columns.facts(),
        state,
        fact_columns=columns,
    )
    return inputs, previous


def fast_path_allowed(rules: Sequence[ledger.RuleSpec]) -> bool:
    """True when a rule divides by fixed shares (the column engine has something to do)."""
    return any(kind.reads(rule) is not None for rule in rules if (kind := KINDS.get(rule.kind)))


@dataclass
class Outcome:
    """The engine's answer in the run's terms."""

    table: bulk.AllocationTable
    state: ledger.LedgerState
    unmatched: Sequence[int]
    reasons: dict[int, ledger.Problem]


def settle(inputs: Inputs, *, fast: bool | None = None) -> Outcome:
    """Split the inputs: `split_columns` when `fast` (by default when the rules allow it),
    else `split`; either way the same table, state and unmatched records."""
    if fast is None:
        fast = fast_path_allowed(inputs.rules)
    label = version_label(inputs.version)
    rows = inputs.rows
    indicators, codes, amounts = rows.indicators, rows.indicator, rows.amount

    def indicator_of(index: int) -> str:
        return indicators[int(codes[index])]

    def amount_of(index: int) -> int:
        return int(amounts[index])

    arguments = (inputs.facts, inputs.rules, inputs.parties, inputs.state)
    if fast:
        result = split_columns(
            rows.engine_columns(), *arguments, period=inputs.period, version_label=label
        )
        table = bulk.AllocationTable.from_columns(
            result, indicator_of, amount_of, label, inputs.period.label
        )
        return Outcome(table.canonical(), result.state, result.unmatched, dict(result.reasons))
    scalar = split(inputs.records(), *arguments, period=inputs.period, version_label=label)
    table = bulk.AllocationTable.from_objects(
        scalar.allocations, indicator_of, amount_of, label, inputs.period.label
    )
    return Outcome(table.canonical(), scalar.state, scalar.unmatched, dict(scalar.reasons))


def _ensure_may_run(agreement: Agreement, period: ledger.Period) -> None:
    if agreement.status not in lifecycle.SETTLING:
        raise Conflict(
            _("只有已签署、执行中或已到期的协议可以结算。"), detail={"status": agreement.status}
        )
    settled = settled_runs(agreement, period).first()
    if settled is not None:
        raise Conflict(
            _("%(period)s 已有确认的结算(%(settled)s)。")
            % {
                "period": period.label,
                "settled": settled.period_label,
            },
            detail={"period": period.label, "run": settled.pk},
        )
    later = agreement.runs.filter(status=RunStatus.CONFIRMED, period_start__gt=period.end).first()
    if later is not None:
        raise Conflict(
            _("其后的结算期 %(later)s 已确认,不能再结算更早的 %(period)s。")
            % {"later": later.period_label, "period": period.label},
            detail={"period": period.label, "run": later.pk},
        )


def check_may_run(user: User, agreement: Agreement, label: str) -> ledger.Period:
    """The refusals a run gives before it reads anything (a background job checks first)."""
    ensure_officer(user, agreement)
    period = parse_period(label)
    _ensure_may_run(agreement, period)
    return period


@transaction.atomic
def run_period(
    user: User,
    agreement: Agreement,
    label: str,
    *,
    fast: bool | None = None,
    progress: Progress = bulk._quiet,
) -> Run:
    """Split the period's current figures under the version in force for it (a draft run).

    A draft with the same inputs is returned as it is; other drafts of the period (which
    nobody may confirm any more) are deleted. `progress(phase, done, total)` is told of the
    rows read ("read"), split ("split") and written ("write").
    """
    ensure_officer(user, agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    period = parse_period(label)
    _ensure_may_run(agreement, period)
    inputs, previous = gather(agreement, period, progress)
    if not len(inputs.rows):
        raise Invalid.on("period", _("%(period)s 没有可结算的数据。") % {"period": period.label})
    inputs_digest = inputs.digest()
    drafts = agreement.runs.filter(status=RunStatus.DRAFT, period_label=period.label)
    same = drafts.filter(inputs_digest=inputs_digest).first()
    if same is not None:
        return same
    drafts.delete()
    progress("split", 0, len(inputs.rows))
    outcome = settle(inputs, fast=fast)
    progress("split", len(inputs.rows), len(inputs.rows))
    record_ids = inputs.rows.ids
    run = Run.objects.create(
        agreement=agreement,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        version=inputs.version,
        previous=previous,
        inputs_digest=inputs_digest,
        allocations_digest=outcome.table.digest(),
        record_ids=[],
        facts=[],
        inputs_columns=inputs.packed(),
        state_before=inputs.state.to_json(),
        state_after=outcome.state.to_json(),
        unmatched=[
            {
                "record": int(record_ids[index]),
                "zh": outcome.reasons[index].zh if index in outcome.reasons else "",
                "en": outcome.reasons[index].en if index in outcome.reasons else "",
            }
            for index in outcome.unmatched
        ],
        created_by=user,
    )
    target = bulk.Target(
        run_id=run.pk,
        record_ids=inputs.rows.ids,
        party_ids={p.key: p.pk for p in agreement.parties.all()},
        rule_ids=dict(Rule.objects.filter(version=inputs.version).values_list("key", "pk")),
    )
    bulk.write(outcome.table, target, progress, batch=BATCH)
    return run


def _records_by_id(agreement: Agreement, ids: Sequence[int]) -> Any:
    """The run's records among the agreement's, one range query instead of a huge IN."""
    if not ids:
        return Record.objects.none()
    return Record.objects.filter(agreement=agreement, pk__gte=min(ids), pk__lte=max(ids))


def reproduce(run: Run, *, fast: bool | None = None) -> bool:
    """Split the run's stored input again: True when the allocations are byte-identical."""
    period = ledger.Period(run.period_label, run.period_start, run.period_end)
    stored = run.inputs()
    wanted = stored.record_ids if stored else np.array(run.record_ids, dtype=np.int64)
    rows = bulk.read_records(_records_by_id(run.agreement, wanted.tolist()))
    position = np.searchsorted(rows.ids, wanted)
    if position.size and (
        position.max() >= rows.ids.size or not np.array_equal(rows.ids[position], wanted)
    ):
        return False  # a record of the run is gone
    rows = bulk.RecordRows(
        rows.ids[position],
        rows.enterprise[position],
        rows.indicator[position],
        rows.amount[position],
        rows.indicators,
    )
    inputs = Inputs(
        period,
        run.version,
        _parties(run.agreement),
        _rules(run.version),
        rows,
        stored.facts.facts() if stored else facts_from_json(run.facts),
        ledger.LedgerState.from_json(run.state_before),
        fact_columns=stored.facts if stored else None,
    )
    if inputs.digest() != run.inputs_digest:
        return False
    return settle(inputs, fast=fast).table.digest() == run.allocations_digest


def ensure_current(run: Run) -> None:
    """Refuse to confirm a run whose figures were replaced since it was made."""
    wanted = run.input_record_ids()
    replaced = (
        _records_by_id(run.agreement, wanted).filter(replaced=True).values_list("id", flat=True)
    )
    ids = np.fromiter(replaced.iterator(chunk_size=ID_CHUNK), dtype=np.int64)
    if ids.size and np.isin(ids, np.array(wanted, dtype=np.int64)).any():
        raise Conflict(_("该结算所用的数据已被替换,请重新结算。"), detail={"run": run.pk})


def allocation_terms(allocation: Allocation) -> dict[str, Any]:
    """The allocation's full terms (as `split` gave them) from its compact stored ones.

    Reads `allocation.record` and `allocation.run` (select or prefetch them for a page)."""
    record, run = allocation.record, allocation.run
    return bulk.expand_terms(
        allocation.terms,
        record.indicator,
        record.amount,
        str(run.version.number),
        run.period_label,
    )


def sentence(allocation: Allocation, lang: str = "zh") -> str:
    """The arithmetic of a stored allocation, computed on display (`ledger.explain`)."""
    engine = ledger.Allocation(
        record=0,
        party=allocation.party.key,
        amount=allocation.amount,
        rule=allocation.rule.key,
        step=allocation.step,
        share=Fraction(allocation.share) if allocation.share else None,
        cap_used=allocation.cap_used,
        cap_left=allocation.cap_left,
        terms=allocation_terms(allocation),
    )
    return explain.sentence(engine, lang)
