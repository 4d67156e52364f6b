"""Settling a period: the version in force, the figures, the state after the previous period,
the ledger engine, and the allocations stored in batches.

The same inputs give byte-identical allocations: a run keeps the digest of its canonical input
and of its allocations, and `reproduce` splits the stored input again to compare them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.cobuild import lifecycle, periods
from parklink.cobuild.ledger import types as ledger
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
from parklink.cobuild.services.access import ensure_officer
from parklink.cobuild.services.records import current_records, settled_runs
from parklink.cobuild.services.rules import rule_spec
from parklink.cobuild.services.versions import require_version_for
from parklink.core.errors import Conflict, Invalid

BATCH = 1000


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


@dataclass
class Inputs:
    """What the engine reads for one run, in its own types, and where each record came from."""

    period: ledger.Period
    version: AgreementVersion
    parties: list[ledger.Party]
    rules: list[ledger.RuleSpec]
    records: list[ledger.Record]
    record_ids: list[int]
    facts: dict[str, ledger.EnterpriseFacts]
    state: ledger.LedgerState

    def document(self) -> dict[str, Any]:
        return {
            "period": [self.period.label, self.period.start, self.period.end],
            "version": self.version.number,
            "parties": [[p.key, p.order] for p in self.parties],
            "rules": [
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
            ],
            "records": [[r.index, r.enterprise, r.indicator, r.amount] for r in self.records],
            "facts": facts_json(self.facts),
            "state": self.state.to_json(),
        }


def facts_json(facts: dict[str, ledger.EnterpriseFacts]) -> list[list[Any]]:
    return [
        [
            f.key,
            f.introduced_by,
            *(
                d.isoformat() if d else None
                for d in (f.settled_on, f.production_on, f.full_production_on, f.moved_on)
            ),
        ]
        for f in sorted(facts.values(), key=lambda f: f.key)
    ]


def facts_from_json(rows: Iterable[Sequence[Any]]) -> dict[str, ledger.EnterpriseFacts]:
    from datetime import date

    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return {
        row[0]: ledger.EnterpriseFacts(
            row[0], row[1], day(row[2]), day(row[3]), day(row[4]), day(row[5])
        )
        for row in rows
    }


def _facts(agreement: Agreement, enterprise_ids: set[int]) -> dict[str, ledger.EnterpriseFacts]:
    covered = CoveredEnterprise.objects.filter(
        agreement=agreement, enterprise_id__in=enterprise_ids
    ).select_related("introduced_by")
    return {
        str(c.enterprise_id): ledger.EnterpriseFacts(
            key=str(c.enterprise_id),
            introduced_by=c.introduced_by.key if c.introduced_by else None,
            settled_on=c.settled_on,
            production_on=c.production_on,
            full_production_on=c.full_production_on,
            moved_on=c.moved_on,
        )
        for c in covered
    }


def _engine_records(
    rows: Iterable[tuple[int, int, str, int]],
) -> tuple[list[ledger.Record], list[int]]:
    records, ids = [], []
    for index, (pk, enterprise_id, indicator, amount) in enumerate(rows):
        records.append(ledger.Record(index, str(enterprise_id), indicator, amount))
        ids.append(pk)
    return records, ids


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


def gather(agreement: Agreement, period: ledger.Period) -> tuple[Inputs, Run | None]:
    version = require_version_for(agreement, period.start)
    previous = previous_run(agreement, period)
    state = ledger.LedgerState.from_json(previous.state_after) if previous else ledger.LedgerState()
    rows = (
        current_records(agreement, period)
        .order_by("id")
        .values_list("id", "enterprise_id", "indicator", "amount")
    )
    records, ids = _engine_records(rows)
    facts = _facts(agreement, {int(r.enterprise) for r in records})
    inputs = Inputs(
        period, version, _parties(agreement), _rules(version), records, ids, facts, state
    )
    return inputs, previous


def allocations_document(allocations: Sequence[ledger.Allocation]) -> list[list[Any]]:
    return [
        [
            a.record,
            a.party,
            a.amount,
            a.rule,
            a.step,
            str(a.share) if a.share is not None else None,
            a.cap_used,
            a.cap_left,
            dict(a.terms),
        ]
        for a in allocations
    ]


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


@transaction.atomic
def run_period(user: User, agreement: Agreement, label: str) -> Run:
    """Split the period's current figures under the version in force for it (a draft run).

    A draft with the same inputs is returned as it is; other drafts of the period (which
    nobody may confirm any more) are deleted.
    """
    ensure_officer(user, agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    period = parse_period(label)
    _ensure_may_run(agreement, period)
    inputs, previous = gather(agreement, period)
    if not inputs.records:
        raise Invalid.on("period", _("%(period)s 没有可结算的数据。") % {"period": period.label})
    inputs_digest = digest(inputs.document())
    drafts = agreement.runs.filter(status=RunStatus.DRAFT, period_label=period.label)
    same = drafts.filter(inputs_digest=inputs_digest).first()
    if same is not None:
        return same
    drafts.delete()
    result = split(
        inputs.records,
        inputs.facts,
        inputs.rules,
        inputs.parties,
        inputs.state,
        period=period,
        version_label=f"v{inputs.version.number}",
    )
    run = Run.objects.create(
        agreement=agreement,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        version=inputs.version,
        previous=previous,
        inputs_digest=inputs_digest,
        allocations_digest=digest(allocations_document(result.allocations)),
        record_ids=inputs.record_ids,
        facts=facts_json(inputs.facts),
        state_before=inputs.state.to_json(),
        state_after=result.state.to_json(),
        unmatched=[
            {
                "record": inputs.record_ids[index],
                "zh": result.reasons[index].zh if index in result.reasons else "",
                "en": result.reasons[index].en if index in result.reasons else "",
            }
            for index in result.unmatched
        ],
        created_by=user,
    )
    _store(run, inputs, result.allocations)
    return run


def _store(run: Run, inputs: Inputs, allocations: Sequence[ledger.Allocation]) -> None:
    parties = {p.key: p.pk for p in run.agreement.parties.all()}
    rules = dict(Rule.objects.filter(version=inputs.version).values_list("key", "pk"))
    batch: list[Allocation] = []
    for position, a in enumerate(allocations):
        batch.append(
            Allocation(
                run=run,
                position=position,
                record_id=inputs.record_ids[a.record],
                party_id=parties[a.party],
                amount=a.amount,
                rule_id=rules[a.rule],
                step=a.step[:32],
                share=str(a.share) if a.share is not None else "",
                cap_used=a.cap_used,
                cap_left=a.cap_left,
                terms=json.loads(canonical(dict(a.terms))),
            )
        )
        if len(batch) >= BATCH:
            Allocation.objects.bulk_create(batch)
            batch = []
    if batch:
        Allocation.objects.bulk_create(batch)


def reproduce(run: Run) -> bool:
    """Split the run's stored input again: True when the allocations are byte-identical."""
    period = ledger.Period(run.period_label, run.period_start, run.period_end)
    by_id = {
        pk: (pk, enterprise, indicator, amount)
        for pk, enterprise, indicator, amount in Record.objects.filter(
            pk__in=run.record_ids
        ).values_list("id", "enterprise_id", "indicator", "amount")
    }
    records, ids = _engine_records(by_id[pk] for pk in run.record_ids)
    inputs = Inputs(
        period,
        run.version,
        _parties(run.agreement),
        _rules(run.version),
        records,
        ids,
        facts_from_json(run.facts),
        ledger.LedgerState.from_json(run.state_before),
    )
    if digest(inputs.document()) != run.inputs_digest:
        return False
    result = split(
        inputs.records,
        inputs.facts,
        inputs.rules,
        inputs.parties,
        inputs.state,
        period=period,
        version_label=f"v{run.version.number}",
    )
    return digest(allocations_document(result.allocations)) == run.allocations_digest


def ensure_current(run: Run) -> None:
    """Refuse to confirm a run whose figures were replaced since it was made."""
    if Record.objects.filter(pk__in=run.record_ids, replaced=True).exists():
        raise Conflict(_("该结算所用的数据已被替换,请重新结算。"), detail={"run": run.pk})
