"""Reconciling two runs of an agreement: the same period (a superseded run and its
replacement) or two periods. Per party and indicator the totals of each run and the
difference, and per (enterprise, indicator, party) every difference explained by cause
(`ledger.diff`: figures added, removed or replaced, an amendment, a step or window change, a
cap reached, an enterprise newly covered), the causes adding up exactly to the difference.

The earlier run (by period, then by creation) is always "before". Nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from parklink.cobuild.exports import yuan
from parklink.cobuild.ledger import diff
from parklink.cobuild.ledger import types as ledger
from parklink.cobuild.ledger.explain import PERSON_INDICATORS
from parklink.cobuild.models import Agreement, Allocation, Indicator, Record, Run
from parklink.cobuild.services import bulk, overview
from parklink.cobuild.services.rules import rule_spec
from parklink.cobuild.services.runs import previous_run
from parklink.core.errors import Invalid, NotFound
from parklink.enterprises.models import Enterprise

PART_FIELDS = (
    "record_id",
    "record__enterprise_id",
    "record__indicator",
    "party__key",
    "amount",
    "rule__key",
    "detail__step",
    "detail__share",
    "cap_used",
    "cap_left",
    "detail__terms",
    "record__amount",
)


# ---------------------------------------------------------------- which runs


@dataclass
class Candidate:
    """A run the page offers to compare with, and why (same period / previous period)."""

    run: Run
    same_period: bool


def candidates(run: Run) -> list[Candidate]:
    """The other runs of the period (latest first), then the previous period's confirmed run."""
    found = [
        Candidate(other, True)
        for other in run.agreement.runs.filter(period_label=run.period_label)
        .exclude(pk=run.pk)
        .select_related("version")
        .order_by("-id")
    ]
    period = ledger.Period(run.period_label, run.period_start, run.period_end)
    previous = previous_run(run.agreement, period)
    if previous is not None:
        found.append(Candidate(previous, False))
    return found


def default_other(run: Run) -> Run | None:
    """What the page compares with first: the latest other run of the period, else the
    previous period's confirmed run."""
    found = candidates(run)
    return found[0].run if found else None


def other_run(agreement: Agreement, run: Run, other_id: int | None) -> Run:
    """The run to compare `run` with: `other_id` (of the same agreement) or the default."""
    if other_id is None:
        other = default_other(run)
        if other is None:
            raise NotFound(
                _("没有可以对照的结算。"),
                detail={"run": run.pk, "en": "there is no run to compare with"},
            )
        return other
    found = agreement.runs.select_related("version").filter(pk=other_id).first()
    if found is None:
        raise NotFound(_("结算不存在。"), detail={"run": other_id})
    if found.pk == run.pk:
        raise Invalid.on("other", _("请选择另一次结算。"))
    return found


def ordered(one: Run, other: Run) -> tuple[Run, Run]:
    """(before, after): the earlier period first, then the earlier run."""
    return (
        (one, other)
        if (one.period_start, one.pk) <= (other.period_start, other.pk)
        else (
            other,
            one,
        )
    )


# ---------------------------------------------------------------- reading a run


def side(run: Run) -> diff.Side:
    """A run as `ledger.diff` reads it: its allocations, figures, rules and unmatched figures."""
    parts = []
    rows = Allocation.objects.filter(run=run).order_by("position").values_list(*PART_FIELDS)
    for (
        record,
        enterprise,
        indicator,
        party,
        amount,
        rule,
        step,
        share,
        cap_used,
        cap_left,
        terms,
        record_amount,
    ) in rows.iterator(chunk_size=bulk.READ_CHUNK):
        stored = terms or {}
        basis = stored.get("basis")
        cap = stored.get("cap")
        year = stored.get("year")
        parts.append(
            diff.Part(
                record=str(record),
                enterprise=str(enterprise),
                indicator=indicator,
                party=party,
                amount=amount,
                rule=rule,
                step=step,
                share=Fraction(share) if share else None,
                basis=int(basis) if basis is not None else int(record_amount),
                year=int(year) if isinstance(year, int) else None,
                cap=int(cap) if isinstance(cap, int) else None,
                cap_used=cap_used,
                cap_left=cap_left,
            )
        )
    return diff.Side(
        label=run.period_label,
        version=run.version.number,
        parts=parts,
        figures=list(figures(run)),
        rules={
            rule.key: rule_spec(rule)
            for rule in run.version.rules.select_related("scope_party").prefetch_related(
                "enterprises"
            )
        },
        unmatched={
            str(item["record"]): ledger.Problem("", item.get("zh", ""), item.get("en", ""))
            for item in run.unmatched
        },
    )


def figures(run: Run) -> Iterable[diff.Figure]:
    """The figures the run read (one range query over the agreement's records, no huge IN)."""
    ids = set(run.input_record_ids())
    if not ids:
        return
    rows = Record.objects.filter(
        agreement_id=run.agreement_id, pk__gte=min(ids), pk__lte=max(ids)
    ).values_list("id", "enterprise_id", "indicator", "amount", "batch_id", "superseded_by_id")
    for pk, enterprise, indicator, amount, batch, replaced_by in rows.iterator(
        chunk_size=bulk.READ_CHUNK
    ):
        if pk in ids:
            yield diff.Figure(
                str(pk),
                str(enterprise),
                indicator,
                amount,
                str(batch),
                str(replaced_by) if replaced_by is not None else None,
            )


# ---------------------------------------------------------------- what the page and API show


@dataclass
class CauseView:
    cause: diff.Cause
    indicator: str

    @property
    def label(self) -> str:
        return self.cause.label(_lang())

    @property
    def text(self) -> str:
        return overview.amount_text(self.cause.amount, self.indicator)

    @property
    def sentence(self) -> str:
        return self.cause.en if overview.english() else self.cause.zh


@dataclass
class LineView:
    line: diff.Line
    enterprise: str
    party: str  # the party's organisation
    causes: list[CauseView]

    @property
    def indicator_label(self) -> str:
        return overview.indicator_label(self.line.indicator)

    @property
    def assessment(self) -> bool:
        return self.line.indicator in overview.ASSESSMENT_INDICATORS

    @property
    def before_text(self) -> str:
        return overview.amount_text(self.line.before, self.line.indicator)

    @property
    def after_text(self) -> str:
        return overview.amount_text(self.line.after, self.line.indicator)

    @property
    def difference_text(self) -> str:
        return signed_text(self.line.difference, self.line.indicator)


@dataclass
class TotalView:
    total: diff.Total
    party: str
    causes: list[tuple[str, str, str]] = field(default_factory=list)  # kind, label, amount

    @property
    def indicator_label(self) -> str:
        return overview.indicator_label(self.total.indicator)

    @property
    def assessment(self) -> bool:
        return self.total.indicator in overview.ASSESSMENT_INDICATORS

    @property
    def before_text(self) -> str:
        return overview.amount_text(self.total.before, self.total.indicator)

    @property
    def after_text(self) -> str:
        return overview.amount_text(self.total.after, self.total.indicator)

    @property
    def difference_text(self) -> str:
        return signed_text(self.total.difference, self.total.indicator)


@dataclass
class Reconciliation:
    agreement: Agreement
    before: Run
    after: Run
    result: diff.Reconciliation
    enterprises: dict[str, Enterprise]
    parties: dict[str, Any]  # key → Party

    @property
    def same_period(self) -> bool:
        return self.before.period_label == self.after.period_label

    @property
    def assessment(self) -> bool:
        return overview.has_assessment(t.indicator for t in self.result.totals)

    def enterprise_name(self, key: str) -> str:
        found = self.enterprises.get(key)
        return found.name if found is not None else key

    def party_name(self, key: str) -> str:
        found = self.parties.get(key)
        return found.organization.name if found is not None else key

    def lines(self) -> list[LineView]:
        return [
            LineView(
                line,
                self.enterprise_name(line.enterprise),
                self.party_name(line.party),
                [CauseView(cause, line.indicator) for cause in line.causes],
            )
            for line in sorted(
                self.result.lines,
                key=lambda x: (
                    indicator_order(x.indicator),
                    self.enterprise_name(x.enterprise),
                    x.enterprise,
                    self._party_order(x.party),
                ),
            )
        ]

    def totals(self) -> list[TotalView]:
        lang = _lang()
        views = []
        for total in sorted(
            self.result.totals,
            key=lambda t: (indicator_order(t.indicator), self._party_order(t.party)),
        ):
            causes = [
                (
                    kind,
                    diff.CAUSES[kind][0 if lang == "zh" else 1],
                    signed_text(total.by_cause[kind], total.indicator),
                )
                for kind in diff.CAUSE_ORDER
                if kind in total.by_cause
            ]
            views.append(TotalView(total, self.party_name(total.party), causes))
        return views

    def _party_order(self, key: str) -> int:
        found = self.parties.get(key)
        return int(found.order) if found is not None else 1_000_000

    def as_json(self) -> dict[str, Any]:
        """The same structure as the page: integers of fen (persons for jobs), both languages."""

        def run_json(run: Run) -> dict[str, Any]:
            return {
                "id": run.pk,
                "period": run.period_label,
                "status": run.status,
                "version": run.version.number,
            }

        def amount(value: int, indicator: str) -> dict[str, Any]:
            return {"amount": value, "amount_display": yuan(value, indicator)}

        return {
            "agreement": {"id": self.agreement.pk, "title": self.agreement.title},
            "before": run_json(self.before),
            "after": run_json(self.after),
            "same_period": self.same_period,
            "recorded": [
                {
                    "indicator": code,
                    "unit": unit(code),
                    "before": before,
                    "after": after,
                    "difference": after - before,
                }
                for code, (before, after) in sorted(
                    self.result.recorded.items(), key=lambda item: indicator_order(item[0])
                )
            ],
            "totals": [
                {
                    "indicator": t.total.indicator,
                    "party": t.total.party,
                    "unit": unit(t.total.indicator),
                    "assessment": t.assessment,
                    "before": t.total.before,
                    "after": t.total.after,
                    "difference": t.total.difference,
                    "difference_display": yuan(t.total.difference, t.total.indicator),
                    "by_cause": {
                        kind: t.total.by_cause[kind]
                        for kind in diff.CAUSE_ORDER
                        if kind in t.total.by_cause
                    },
                }
                for t in self.totals()
            ],
            "lines": [
                {
                    "enterprise": int(v.line.enterprise),
                    "enterprise_name": v.enterprise,
                    "indicator": v.line.indicator,
                    "party": v.line.party,
                    "unit": unit(v.line.indicator),
                    "assessment": v.assessment,
                    "before": v.line.before,
                    "after": v.line.after,
                    "difference": v.line.difference,
                    "causes": [
                        {**c.cause.as_json(), **amount(c.cause.amount, v.line.indicator)}
                        for c in v.causes
                    ],
                }
                for v in self.lines()
            ],
        }


def _lang() -> str:
    return "en" if overview.english() else "zh"


def unit(indicator: str) -> str:
    return "person" if indicator in PERSON_INDICATORS else "fen"


def signed_text(value: int, indicator: str) -> str:
    return ("+" if value > 0 else "") + overview.amount_text(value, indicator)


_ORDER = {code: index for index, code in enumerate(Indicator.values)}


def indicator_order(code: str) -> int:
    return _ORDER.get(code, len(_ORDER))


def reconcile(agreement: Agreement, one: Run, other: Run) -> Reconciliation:
    """Compare two runs of `agreement` (either order: the earlier is "before")."""
    before, after = ordered(one, other)
    result = diff.reconcile(side(before), side(after))
    keys = {line.enterprise for line in result.lines}
    enterprises = {str(e.pk): e for e in Enterprise.objects.filter(pk__in=[int(k) for k in keys])}
    parties = {p.key: p for p in agreement.parties.select_related("organization")}
    return Reconciliation(agreement, before, after, result, enterprises, parties)
