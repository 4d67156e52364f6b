"""A party's statement of a settled (or draft) period: totals by indicator and by enterprise."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from parklink.cobuild.ledger.twoviews import ASSESSMENT_LABEL
from parklink.cobuild.models import Agreement, Allocation, Indicator, Party, Run, RunStatus
from parklink.cobuild.services import overview
from parklink.core.errors import NotFound


@dataclass
class Statement:
    agreement: Agreement
    run: Run
    party: Party
    by_indicator: list[dict[str, Any]] = field(default_factory=list)
    by_enterprise: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "agreement": {"id": self.agreement.pk, "title": self.agreement.title},
            "period": self.run.period_label,
            "run": {
                "id": self.run.pk,
                "status": self.run.status,
                "version": self.run.version.number,
                "illustrative": self.run.uses_illustrative_data(),
            },
            "party": {"key": self.party.key, "organization": self.party.organization.name},
            "by_indicator": [
                {**row, "assessment": row["indicator"] in overview.ASSESSMENT_INDICATORS}
                for row in self.by_indicator
            ],
            "by_enterprise": self.by_enterprise,
            "assessment_notice": (
                ASSESSMENT_LABEL
                if overview.has_assessment(row["indicator"] for row in self.by_indicator)
                else None
            ),
        }


def run_for_statement(agreement: Agreement, label: str) -> Run:
    """The confirmed run of the period, else its latest draft."""
    runs = agreement.runs.filter(period_label=label).exclude(status=RunStatus.SUPERSEDED)
    run = runs.filter(status=RunStatus.CONFIRMED).first() or runs.order_by("-id").first()
    if run is None:
        raise NotFound(_("%(period)s 尚无结算。") % {"period": label}, detail={"period": label})
    return run


def statement(agreement: Agreement, run: Run, party: Party) -> Statement:
    """What `party` gets from `run`, summed per indicator and per enterprise and indicator."""
    mine = Allocation.objects.filter(run=run, party=party)
    labels = dict(Indicator.choices)
    result = Statement(agreement, run, party)
    for row in (
        mine.values("record__indicator")
        .annotate(amount=Sum("amount"), count=Count("id"))
        .order_by("record__indicator")
    ):
        code = row["record__indicator"]
        result.by_indicator.append(
            {
                "indicator": code,
                "label": str(labels.get(code, code)),
                "amount": row["amount"],
                "allocations": row["count"],
            }
        )
    for each in (
        mine.values(
            "record__enterprise_id",
            "record__enterprise__name",
            "record__enterprise__uscc",
            "record__indicator",
        )
        .annotate(amount=Sum("amount"))
        .order_by("record__enterprise__name", "record__enterprise_id", "record__indicator")
    ):
        result.by_enterprise.append(
            {
                "enterprise": each["record__enterprise_id"],
                "name": each["record__enterprise__name"],
                "uscc": each["record__enterprise__uscc"] or "",
                "indicator": each["record__indicator"],
                "amount": each["amount"],
            }
        )
    return result


@dataclass
class DerivationLine:
    """One allocation of the party with its record and the engine's sentence."""

    position: int
    enterprise: str
    uscc: str
    indicator: str
    record: int
    rule: str
    step: str
    amount: int
    sentence: str


def derivation(
    run: Run, party: Party, limit: int | None = None
) -> tuple[list[DerivationLine], int]:
    """The party's allocations of `run` line by line (in the run's order), at most `limit`,
    and how many there are in all (the appendix of a statement)."""
    mine = Allocation.objects.filter(run=run, party=party)
    count = mine.count()
    rows = mine.select_related("record__enterprise", "rule", "party", "detail").order_by("position")
    chosen = list(rows if limit is None else rows[:limit])
    return [
        DerivationLine(
            position=line.allocation.position,
            enterprise=line.allocation.record.enterprise.name,
            uscc=line.allocation.record.enterprise.uscc or "",
            indicator=line.allocation.record.indicator,
            record=line.allocation.record.amount,
            rule=line.allocation.rule.key,
            step=line.allocation.step,
            amount=line.allocation.amount,
            sentence=line.sentence,
        )
        for line in overview.sentences(chosen, run)
    ], count


def find_party(agreement: Agreement, key: str) -> Party:
    party = agreement.parties.select_related("organization").filter(key=key).first()
    if party is None:
        raise NotFound(_("协议方不存在:%(key)s") % {"key": key}, detail={"party": key})
    return party
