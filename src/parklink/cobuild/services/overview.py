"""What the pages read about an agreement (no writes): the rule timeline per indicator, a run's
totals per party and indicator, its allocations as the engine's sentences, its unmatched figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from django.db.models import Sum
from django.utils.translation import get_language

from parklink.cobuild.ledger import explain
from parklink.cobuild.ledger import types as ledger
from parklink.cobuild.ledger.kinds import KINDS
from parklink.cobuild.models import (
    Agreement,
    AgreementVersion,
    Allocation,
    Indicator,
    Party,
    Record,
    Rule,
    Run,
    RunStatus,
    ScopeKind,
)
from parklink.cobuild.services import bulk

# The assessment view (考核口径): statistics credited for assessment, never published.
ASSESSMENT_INDICATORS = frozenset(
    {Indicator.OUTPUT.value, Indicator.VALUE_ADDED.value, Indicator.FAI.value}
)


def english() -> bool:
    return (get_language() or "").startswith("en")


def amount_text(value: int, indicator: str) -> str:
    """Fen as 元 (persons for jobs), exact, in the user's language."""
    return explain.format_amount(value, indicator, "en" if english() else "zh")


def percent_text(share: Fraction | None) -> str:
    """A share as a percentage with two places, for reading (never summed)."""
    if share is None:
        return "—"
    hundredths = round(share * 10000)
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def kind_name(code: str) -> str:
    kind = KINDS.get(code)
    if kind is None:
        return code
    return kind.name_en if english() else kind.name_zh


def indicator_label(code: str) -> str:
    return str(dict(Indicator.choices).get(code, code))


# ---------------------------------------------------------------- rule timeline


@dataclass
class TimelineSpan:
    """One version's rules of one indicator, from its effective date to the next version's."""

    version: AgreementVersion
    start: date
    end: date | None
    rules: list[Rule]
    periods: list[str] = field(default_factory=list)  # the runs settled under it

    @property
    def entries(self) -> list[tuple[Rule, str, str]]:
        """Each rule with its kind's name and its scope, in words."""
        return [(rule, kind_name(rule.kind), scope_text(rule)) for rule in self.rules]


@dataclass
class IndicatorTimeline:
    indicator: str
    label: str
    spans: list[TimelineSpan]

    @property
    def assessment(self) -> bool:
        return self.indicator in ASSESSMENT_INDICATORS


def scope_text(rule: Rule) -> str:
    label = str(dict(ScopeKind.choices).get(rule.scope_kind, rule.scope_kind))
    if rule.scope_kind == ScopeKind.INTRODUCED_BY and rule.scope_party is not None:
        return f"{label}: {rule.scope_party.organization.name}"
    if rule.scope_kind in (ScopeKind.LIST, ScopeKind.ENTERPRISE):
        names = [e.name for e in rule.enterprises.all()]
        return f"{label}: {'、'.join(names)}" if names else label
    return label


def rule_timeline(agreement: Agreement) -> list[IndicatorTimeline]:
    """Per indicator, which rules (and kinds) each version applies, and over which dates.

    A version applies from its `effective_from` to the day before the next version's (the last
    one to the end of the term, if any); the periods settled under it are listed with it.
    """
    versions = list(agreement.versions.order_by("number"))
    rules = list(
        Rule.objects.filter(version__agreement=agreement)
        .select_related("scope_party__organization")
        .prefetch_related("enterprises")
        .order_by("order", "id")
    )
    settled: dict[int, list[str]] = {}
    for version_id, label in (
        agreement.runs.exclude(status=RunStatus.SUPERSEDED)
        .order_by("period_start", "id")
        .values_list("version_id", "period_label")
    ):
        labels = settled.setdefault(version_id, [])
        if label not in labels:
            labels.append(label)
    indicators = [code for code in Indicator.values if any(r.indicator == code for r in rules)]
    timelines = []
    for code in indicators:
        spans = []
        for index, version in enumerate(versions):
            following = versions[index + 1] if index + 1 < len(versions) else None
            end = following.effective_from - timedelta(days=1) if following else agreement.term_end
            spans.append(
                TimelineSpan(
                    version,
                    version.effective_from,
                    end,
                    [r for r in rules if r.version_id == version.pk and r.indicator == code],
                    settled.get(version.pk, []),
                )
            )
        timelines.append(IndicatorTimeline(code, indicator_label(code), spans))
    return timelines


# ---------------------------------------------------------------- a run's figures


@dataclass
class PartyTotal:
    party: Party
    indicator: str
    amount: int
    share: Fraction | None  # of the indicator's total split

    @property
    def text(self) -> str:
        return amount_text(self.amount, self.indicator)

    @property
    def percent(self) -> str:
        return percent_text(self.share)


@dataclass
class IndicatorTotals:
    indicator: str
    label: str
    recorded: int  # the figures the run read
    parties: list[PartyTotal]

    @property
    def assessment(self) -> bool:
        return self.indicator in ASSESSMENT_INDICATORS

    @property
    def recorded_text(self) -> str:
        return amount_text(self.recorded, self.indicator)


def run_totals(run: Run) -> list[IndicatorTotals]:
    """Per indicator the figures the run read and what each party received, with its share."""
    parties = list(run.agreement.parties.select_related("organization").order_by("order"))
    received: dict[tuple[str, int], int] = {
        (row["record__indicator"], row["party_id"]): row["amount"]
        for row in Allocation.objects.filter(run=run)
        .values("record__indicator", "party_id")
        .annotate(amount=Sum("amount"))
    }
    recorded: dict[str, int] = {
        row["indicator"]: row["amount"]
        for row in Record.objects.filter(run.records_q())
        .values("indicator")
        .annotate(amount=Sum("amount"))
    }
    result = []
    for code in Indicator.values:
        if code not in recorded:
            continue
        amounts = [received.get((code, p.pk), 0) for p in parties]
        total = sum(amounts)
        result.append(
            IndicatorTotals(
                code,
                indicator_label(code),
                recorded[code],
                [
                    PartyTotal(p, code, a, Fraction(a, total) if total else None)
                    for p, a in zip(parties, amounts, strict=True)
                ],
            )
        )
    return result


def has_assessment(indicators: Iterable[str]) -> bool:
    return any(code in ASSESSMENT_INDICATORS for code in indicators)


@dataclass
class AllocationLine:
    allocation: Allocation
    sentence: str

    @property
    def assessment(self) -> bool:
        return self.allocation.record.indicator in ASSESSMENT_INDICATORS

    @property
    def text(self) -> str:
        return amount_text(self.allocation.amount, self.allocation.record.indicator)


def sentences(allocations: Sequence[Allocation], run: Run) -> list[AllocationLine]:
    """Each stored allocation of `run` with the engine's sentence in the user's language.

    The stored terms are compact (`services.bulk.expand_terms` puts back the indicator, the
    version, the period and the basis from the record and the run); the sentence quotes the
    run's version by its number (older runs stored the label "v2").
    """
    lang = "en" if english() else "zh"
    version = str(run.version.number)
    lines = []
    for row in allocations:
        engine = ledger.Allocation(
            record=row.position,
            party=row.party.key,
            amount=row.amount,
            rule=row.rule.key,
            step=row.step,
            share=Fraction(row.share) if row.share else None,
            cap_used=row.cap_used,
            cap_left=row.cap_left,
            terms={
                **bulk.expand_terms(
                    row.terms, row.record.indicator, row.record.amount, version, run.period_label
                ),
                "version": version,
            },
        )
        lines.append(AllocationLine(row, explain.sentence(engine, lang)))
    return lines


@dataclass
class UnmatchedLine:
    record: Record | None
    reason: str

    @property
    def text(self) -> str:
        return amount_text(self.record.amount, self.record.indicator) if self.record else ""


def unmatched(run: Run) -> list[UnmatchedLine]:
    """The figures no rule split, with the engine's reason in the user's language."""
    ids = [item["record"] for item in run.unmatched]
    found = Record.objects.select_related("enterprise").in_bulk(ids)
    key = "en" if english() else "zh"
    return [UnmatchedLine(found.get(item["record"]), item.get(key, "")) for item in run.unmatched]


def confirmation_rows(run: Run) -> list[dict[str, Any]]:
    """Every party with its confirmation (who, when) or None while it has not confirmed."""
    given = {c.party_id: c for c in run.confirmations.select_related("user")}
    return [
        {"party": party, "confirmation": given.get(party.pk)}
        for party in run.agreement.parties.select_related("organization").order_by("order")
    ]
