"""The follow-ups that fall due, for the reminders app (`registry.reminders`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from parklink.core.registry import DueItem
from parklink.engagements.models import FollowUp, FollowUpStatus
from parklink.engagements.rules import DUE_SOON_DAYS, DueState, due_state

KIND = "engagement-follow-ups"
SEVERITY = {DueState.OVERDUE: "danger", DueState.DUE_TODAY: "warning", DueState.DUE_SOON: "info"}


def _reason(state: DueState, due_on: date, today: date) -> str:
    if state is DueState.OVERDUE:
        return _("已逾期%(n)s天(期限%(date)s)") % {
            "n": (today - due_on).days,
            "date": f"{due_on:%Y-%m-%d}",
        }
    if state is DueState.DUE_TODAY:
        return _("今天到期")
    return _("%(date)s到期") % {"date": f"{due_on:%Y-%m-%d}"}


def collect(today: date, assignee_id: int | None = None) -> Iterator[DueItem]:
    """Every open follow-up overdue, due today or due within DUE_SOON_DAYS, installation-wide
    (only `assignee_id`'s, when given)."""
    mine = FollowUp.objects.filter(assignee_id=assignee_id) if assignee_id else FollowUp.objects
    rows = (
        mine.filter(status=FollowUpStatus.OPEN, due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
        .select_related("engagement")
        .order_by("due_on", "id")
    )
    for follow_up in rows.iterator(chunk_size=2000):
        state = due_state(follow_up.due_on, today)
        if state is None:
            continue
        engagement = follow_up.engagement
        yield DueItem(
            kind=KIND,
            key=str(follow_up.pk),
            title=_("跟进:%(task)s(%(title)s)")
            % {"task": follow_up.task, "title": engagement.title},
            reason=_reason(state, follow_up.due_on, today),
            url=reverse("engagements:detail", args=[engagement.pk]) + f"#follow-up-{follow_up.pk}",
            due=follow_up.due_on,
            severity=SEVERITY[state],
            responsible=(follow_up.assignee_id,),
            organization_id=engagement.owner_id,
        )
