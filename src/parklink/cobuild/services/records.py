"""The parties' figures of a period: which are current, and replacing them on a re-import.

A file holds one party's complete figures for a period: importing it again replaces that
party's earlier figures of the period (kept, marked replaced). Re-importing a period that is
already settled is refused unless the user asks to replace it; then the confirmed run it fed
is marked superseded and stays in the history with the figures it read.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.cobuild.ledger.types import Period
from parklink.cobuild.models import Agreement, Party, Record, RecordBatch, Run, RunStatus
from parklink.cobuild.services.access import party_officer
from parklink.core.errors import Conflict, Forbidden


def current_records(agreement: Agreement, period: Period) -> QuerySet[Record]:
    """The figures a run of `period` reads: not replaced, reported for a period within it."""
    return Record.objects.filter(
        agreement=agreement,
        replaced=False,
        period_start__gte=period.start,
        period_end__lte=period.end,
    )


def overlapping_q(period: Period) -> Q:
    return Q(period_start__lte=period.end, period_end__gte=period.start)


def settled_runs(agreement: Agreement, period: Period) -> QuerySet[Run]:
    """The confirmed runs whose period overlaps `period`."""
    return agreement.runs.filter(overlapping_q(period), status=RunStatus.CONFIRMED)


def ensure_may_import(agreement: Agreement, period: Period, replace: bool) -> None:
    if settled_runs(agreement, period).exists() and not replace:
        message = _("%(period)s 已结算确认;如确需替换数据,请明确要求替换(--replace)。") % {
            "period": period.label
        }
        raise Conflict(
            message,
            detail={
                "period": period.label,
                "en": f"{period.label} is already settled; ask to replace its records "
                "(--replace) if you must",
            },
        )


def start_batch(
    user: User,
    agreement: Agreement,
    party: Party,
    period: Period,
    *,
    replace: bool,
    file_name: str = "",
) -> RecordBatch:
    """A new batch of `party`'s figures for `period`; its earlier ones are marked replaced.

    With `replace`, the confirmed runs of the period are marked superseded (kept as they are).
    A party's officers contribute their own side's figures only (an installation administrator
    may act for any side).
    """
    if not user.is_superuser and party_officer(user, agreement).pk != party.pk:
        raise Forbidden(_("只能导入本方的数据。"), detail={"party": party.key})
    ensure_may_import(agreement, period, replace)
    batch = RecordBatch.objects.create(
        agreement=agreement,
        period_label=period.label,
        contributed_by=party,
        file_name=file_name[:255],
        replaces_settled=replace and settled_runs(agreement, period).exists(),
        created_by=user,
    )
    Record.objects.filter(
        agreement=agreement,
        contributed_by=party,
        period_label=period.label,
        replaced=False,
    ).exclude(batch=batch).update(replaced=True, superseded_by=batch)
    if replace:
        settled_runs(agreement, period).update(status=RunStatus.SUPERSEDED)
    return batch
