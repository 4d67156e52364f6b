"""A party's statement of a settled (or draft) period: totals by indicator and by enterprise."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from parklink.cobuild.models import Agreement, Allocation, Indicator, Party, Run, RunStatus
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
            "by_indicator": self.by_indicator,
            "by_enterprise": self.by_enterprise,
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


def find_party(agreement: Agreement, key: str) -> Party:
    party = agreement.parties.select_related("organization").filter(key=key).first()
    if party is None:
        raise NotFound(_("协议方不存在:%(key)s") % {"key": key}, detail={"party": key})
    return party
