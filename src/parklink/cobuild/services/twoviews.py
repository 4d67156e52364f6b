"""The two statistical views (在地统计 and 分成后) of an agreement's settled periods (read only).

Each period is read from the run its statements use (the confirmed run, else the latest
draft); the arithmetic is `ledger.twoviews.compare`. A fixed number of queries whatever the
number of periods: the runs, the parties, the allocations summed per (run, indicator, party)
and the records no rule split. The figures each run read are its allocations plus what no rule
split (the parts of a record add up exactly to the record).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from parklink.cobuild.ledger import twoviews
from parklink.cobuild.models import Agreement, Allocation, Indicator, Record, Run, RunStatus
from parklink.cobuild.services import overview

LABEL_ZH = "仅用于考核,不得对外公布"
LABEL = twoviews.ASSESSMENT_LABEL


def settled_runs(agreement: Agreement, period: str | None = None) -> list[Run]:
    """Per period (in time order) the run its statements read: confirmed, else latest draft."""
    runs = agreement.runs.exclude(status=RunStatus.SUPERSEDED).select_related("version")
    if period:
        runs = runs.filter(period_label=period)
    chosen: dict[str, Run] = {}
    for run in runs.order_by("period_start", "period_label", "id"):
        held = chosen.get(run.period_label)
        if held is None or held.status != RunStatus.CONFIRMED:
            chosen[run.period_label] = run
    return sorted(chosen.values(), key=lambda run: (run.period_start, run.period_label))


def two_views(agreement: Agreement, period: str | None = None) -> list[twoviews.PeriodViews]:
    """Both views of every settled period of `agreement` (or of `period` alone)."""
    runs = settled_runs(agreement, period)
    if not runs:
        return []
    parties = list(agreement.parties.order_by("order"))
    keys = {party.pk: party.key for party in parties}
    received: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    split_total: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        Allocation.objects.filter(run__in=runs)
        .values("run_id", "record__indicator", "party_id")
        .annotate(amount=Sum("amount"))
        .order_by()
    ):
        code, amount = row["record__indicator"], int(row["amount"])
        received[row["run_id"]][(code, keys[row["party_id"]])] = amount
        split_total[row["run_id"]][code] += amount
    wanted = {int(item["record"]) for run in runs for item in run.unmatched}
    amounts = {
        pk: (indicator, amount)
        for pk, indicator, amount in Record.objects.filter(pk__in=wanted).values_list(
            "pk", "indicator", "amount"
        )
    }
    result = []
    for run in runs:
        unsplit: dict[str, int] = defaultdict(int)
        for item in run.unmatched:
            found = amounts.get(int(item["record"]))
            if found is not None:
                unsplit[found[0]] += found[1]
        recorded = dict(split_total[run.pk])
        for code, amount in unsplit.items():
            recorded[code] = recorded.get(code, 0) + amount
        result.append(
            twoviews.compare(
                run.period_label,
                [(party.key, party.roles) for party in parties],
                recorded,
                unsplit,
                received[run.pk],
                Indicator.values,
            )
        )
    return result


def as_json(agreement: Agreement, found: list[twoviews.PeriodViews]) -> dict[str, Any]:
    """The views as the API gives them: integers in fen (persons for jobs), both labels."""
    names = {p.key: p.organization.name for p in agreement.parties.select_related("organization")}
    return {
        "agreement": {"id": agreement.pk, "title": agreement.title},
        "notice": LABEL,
        "periods": [
            {
                "period": views.period,
                "host": views.host,
                "indicators": [
                    {
                        "indicator": row.indicator,
                        "label": overview.indicator_label(row.indicator),
                        "unit": "person" if row.indicator == Indicator.JOBS else "fen",
                        "assessment": row.assessment,
                        "notice": LABEL if row.assessment else None,
                        "recorded": row.recorded,
                        "unsplit": row.unsplit,
                        "parties": [
                            {
                                "party": figures.party,
                                "organization": names.get(figures.party or ""),
                                "in_place": figures.in_place,
                                "split": figures.split,
                                "difference": figures.difference,
                            }
                            for figures in row.parties
                        ],
                    }
                    for row in views.indicators
                ],
            }
            for views in found
        ],
    }


def table_rows(agreement: Agreement, found: list[twoviews.PeriodViews]) -> list[list[Any]]:
    """The views as rows for a spreadsheet: one per (period, indicator, party)."""
    names = {p.key: p.organization.name for p in agreement.parties.select_related("organization")}
    rows: list[list[Any]] = [
        [
            _("结算期"),
            _("指标"),
            _("协议方"),
            _("在地统计(分或人)"),
            _("分成后(分或人)"),
            _("差额(分或人)"),
            _("在地统计(元或人)"),
            _("分成后(元或人)"),
            _("口径说明"),
        ]
    ]
    for views in found:
        for row in views.indicators:
            for figures in row.parties:
                rows.append(
                    [
                        views.period,
                        overview.indicator_label(row.indicator),
                        names.get(figures.party or "", _("未能归属(协议未指定唯一的飞入地)")),
                        figures.in_place,
                        figures.split,
                        figures.difference,
                        overview.amount_text(figures.in_place, row.indicator),
                        overview.amount_text(figures.split, row.indicator),
                        LABEL if row.assessment else "",
                    ]
                )
    return rows
