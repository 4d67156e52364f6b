"""Follow-ups (跟进事项) of an engagement: a task, the user who does it, a due date, a status.

The owner organisation's officers add and change them; the assignee (who may belong to
another organisation: a participant) marks their own done. Open ones fall due in the
assignee's attention list (`reminders.py`) and on the 我的跟进 page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.dates import DateKind
from parklink.core.errors import Forbidden, Invalid
from parklink.core.views import permitted
from parklink.engagements.models import Engagement, FollowUp, FollowUpStatus
from parklink.engagements.services.checks import check_day, optional_text, required_text
from parklink.projects.queries import today


def assignable_users(engagement: Engagement) -> QuerySet[User]:
    """Who a follow-up may be given to: active members of the owner and the participants."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(organization_id=engagement.owner_id) | Q(engagements=engagement))
        .distinct()
        .order_by("organization__name", "username")
    )


def _assignee(engagement: Engagement, value: Any) -> User:
    pk = getattr(value, "pk", value)
    found = assignable_users(engagement).filter(pk=pk).first() if pk else None
    if found is None:
        raise Invalid.on("assignee", _("负责人须是本机构的在职用户或本次对接的参加人员"))
    return found


@transaction.atomic
def add_follow_up(user: User, engagement: Engagement, data: dict[str, Any]) -> FollowUp:
    ensure_can_write(user, engagement.owner_id)
    task = required_text(data, "task", _("跟进事项"), 300)
    due_on = data.get("due_on")
    check_day("due_on", DateKind.PLANNED, due_on, _("完成期限"))
    assert isinstance(due_on, date)
    return FollowUp.objects.create(
        engagement=engagement,
        task=task,
        assignee=_assignee(engagement, data.get("assignee")),
        due_on=due_on,
        note=optional_text(data, "note", _("办理情况"), 5000),
    )


def can_update(user: User, follow_up: FollowUp) -> bool:
    """The owner organisation's writers, and the assignee for their own follow-up."""
    if follow_up.assignee_id == user.pk and user.is_active:
        return True
    return permitted(ensure_can_write, user, follow_up.engagement.owner_id)


@transaction.atomic
def update_follow_up(user: User, follow_up: FollowUp, data: dict[str, Any]) -> FollowUp:
    """Change the status (with its done date), the note and, for the owner, task, assignee, due."""
    if not can_update(user, follow_up):
        raise Forbidden(_("只有负责人或所属机构的专员可以更新这项跟进。"))
    owner_writes = permitted(ensure_can_write, user, follow_up.engagement.owner_id)
    if owner_writes:
        if "task" in data:
            follow_up.task = required_text(data, "task", _("跟进事项"), 300)
        if "due_on" in data:
            check_day("due_on", DateKind.PLANNED, data["due_on"], _("完成期限"))
            follow_up.due_on = data["due_on"]
        if "assignee" in data:
            follow_up.assignee = _assignee(follow_up.engagement, data["assignee"])
    elif {"task", "due_on", "assignee"} & {k for k, v in data.items() if v is not None}:
        raise Forbidden(_("只有所属机构的专员可以改动跟进事项的内容、负责人和期限。"))
    if "note" in data:
        follow_up.note = optional_text(data, "note", _("办理情况"), 5000)
    status = data.get("status")
    if status is not None:
        if status not in FollowUpStatus.values:
            raise Invalid.on("status", _("状态不正确"))
        follow_up.status = status
        if status == FollowUpStatus.DONE:
            done_on: date = data.get("done_on") or today()
            check_day("done_on", DateKind.EVENT, done_on, _("完成日期"))
            follow_up.done_on = done_on
        else:
            follow_up.done_on = None
    follow_up.save()
    return follow_up


def mine(user: User, *, include_closed: bool = False) -> QuerySet[FollowUp]:
    """The follow-ups assigned to `user`, soonest due first."""
    qs = FollowUp.objects.filter(assignee=user).select_related("engagement", "engagement__owner")
    if not include_closed:
        qs = qs.filter(status=FollowUpStatus.OPEN)
    return qs.order_by("due_on", "id")
