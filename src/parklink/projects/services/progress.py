"""What moves a project on: milestones, approvals and funds in place."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.dates import DateKind
from parklink.core.errors import ConfirmationRequired, Conflict, Invalid
from parklink.core.money import format_amount
from parklink.projects.models import Approval, FundsInPlace, Milestone, Project
from parklink.projects.queries import today
from parklink.projects.services.checks import amount_problem, refuse_unfit
from parklink.projects.services.date_checks import check_date, entered_on


def _progress(project: Project, on: date) -> None:
    if on > project.last_progress_on:
        Project.objects.filter(pk=project.pk).update(last_progress_on=on)
        project.last_progress_on = on


@transaction.atomic
def add_milestone(
    user: User, project: Project, name: str, due_on: date, note: str = ""
) -> Milestone:
    ensure_can_write(user, project.owner_id)
    if not name.strip():
        raise Invalid.on("name", _("节点名称不能为空"))
    check_date("due_on", DateKind.PLANNED, due_on)
    milestone = Milestone(project=project, name=name, due_on=due_on, note=note)
    refuse_unfit(milestone, ("name", "note"))
    milestone.save()
    return milestone


@transaction.atomic
def complete_milestone(user: User, milestone: Milestone, on: date | None = None) -> Milestone:
    ensure_can_write(user, milestone.project.owner_id)
    done_on = Milestone.objects.select_for_update().values_list("done_on", flat=True)
    already = done_on.get(pk=milestone.pk)
    if already is not None:
        # Completing it again would move the project's last progress without any progress.
        raise Conflict(
            _("节点“%(name)s”已于%(date)s完成")
            % {"name": milestone.name, "date": f"{already:%Y-%m-%d}"},
            detail={"field": "done_on"},
        )
    when = on or today()
    check_date("done_on", DateKind.EVENT, when)
    milestone.done_on = when
    milestone.save(update_fields=["done_on", "updated_at"])
    _progress(milestone.project, when)
    return milestone


@transaction.atomic
def set_approval(
    user: User,
    project: Project,
    kind: str,
    status: str,
    *,
    due_on: date | None = None,
    submitted_on: date | None = None,
    decided_on: date | None = None,
    reference: str = "",
) -> Approval:
    ensure_can_write(user, project.owner_id)
    # The due date may lie ahead (within the planning horizon); what happened may not.
    check_date("due_on", DateKind.PLANNED, due_on)
    check_date("submitted_on", DateKind.EVENT, submitted_on)
    check_date("decided_on", DateKind.EVENT, decided_on)
    if decided_on and submitted_on and decided_on < submitted_on:
        raise Invalid.on("decided_on", _("批复日期不能早于报审日期"))
    refuse_unfit(
        Approval(project=project, kind=kind, status=status, reference=reference),
        ("kind", "status", "reference"),
    )
    approval, _created = Approval.objects.update_or_create(
        project=project,
        kind=kind,
        defaults={
            "status": status,
            "due_on": due_on,
            "submitted_on": submitted_on,
            "decided_on": decided_on,
            "reference": reference,
        },
    )
    for day in (submitted_on, decided_on):
        if day and day <= today():
            _progress(project, day)
    return approval


@transaction.atomic
def add_funds(
    user: User,
    project: Project,
    received_on: date,
    amount: Decimal,
    evidence: str = "",
    note: str = "",
    *,
    confirm: bool = False,
) -> FundsInPlace:
    """Record funds in place; taking the total above the total investment needs `confirm`."""
    ensure_can_write(user, project.owner_id)
    if amount <= 0:
        raise Invalid.on("amount", _("到位金额必须大于0"))
    problem = amount_problem(amount)
    if problem:
        raise Invalid.on("amount", problem)
    # Locked so that two entries recorded at once are added up against the total together.
    project = Project.objects.select_for_update().get(pk=project.pk)
    check_date("received_on", DateKind.EVENT, received_on, not_before=entered_on(project))
    entry = FundsInPlace(
        project=project, received_on=received_on, amount=amount, evidence=evidence, note=note
    )
    refuse_unfit(entry, ("evidence", "note"))
    _confirm_over_total(project, amount, confirm)
    entry.save()
    _progress(project, received_on)
    return entry


def _confirm_over_total(project: Project, amount: Decimal, confirm: bool) -> None:
    """Refuse funds that take the total above the total investment unless confirmed."""
    total = project.total_investment
    if total is None or confirm:
        return
    before = project.funds.aggregate(sum=Sum("amount"))["sum"] or Decimal("0.00")
    after = before + amount
    if after <= total:
        return
    raise ConfirmationRequired(
        _("到位资金合计将达%(funds)s,超过总投资%(total)s;请核对金额,确认无误后再确认提交")
        % {"funds": format_amount(after), "total": format_amount(total)},
        detail={
            "field": "amount",
            "funds_total": f"{after:.2f}",
            "total_investment": f"{total:.2f}",
            "confirm": True,
        },
    )
