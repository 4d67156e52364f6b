"""Stage changes: the only writer of `Project.stage`, with its refusals."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.dates import DateKind
from parklink.core.errors import IllegalTransition, Invalid
from parklink.projects import lifecycle
from parklink.projects.lifecycle import Stage
from parklink.projects.models import Project, ProjectStage, StageTransition
from parklink.projects.queries import today
from parklink.projects.services.date_checks import check_date

NOTE_REQUIRED = {Stage.STALLED, Stage.TERMINATED}


@transaction.atomic
def transition(
    user: User, project: Project, to: str, *, on: date | None = None, note: str = ""
) -> StageTransition:
    """Move a project to another stage, keeping the history; refuses illegal moves."""
    ensure_can_write(user, project.owner_id)
    project = Project.objects.select_for_update().get(pk=project.pk)
    when = on or today()
    refused = lifecycle.refusal(project.stage, to, project.stalled_from or None)
    if refused:
        raise IllegalTransition(
            refusal_message(refused, project, to),
            detail={"from": project.stage, "to": to, "allowed": allowed_next(project)},
        )
    target = Stage(to)
    check_date("date", DateKind.EVENT, when)
    if when < project.stage_since:
        raise Invalid(
            _("生效日期不能早于进入当前阶段的日期(%(date)s)")
            % {"date": f"{project.stage_since:%Y-%m-%d}"},
            detail={"field": "date"},
        )
    if target in NOTE_REQUIRED and not note.strip():
        raise Invalid.on("note", _("停滞或终止项目时必须说明原因"))
    record = StageTransition.objects.create(
        project=project,
        from_stage=project.stage,
        to_stage=target,
        effective_on=when,
        actor=user,
        note=note,
    )
    project.stalled_from = project.stage if target is Stage.STALLED else ""
    project.stage = target
    project.stage_since = when
    if target is not Stage.STALLED:  # a stall is not progress; resuming is
        project.last_progress_on = max(project.last_progress_on, when)
    if project.signed_on is None and lifecycle.is_disclosed_stage(target):
        project.signed_on = when
    project._change_reason = note  # type: ignore[attr-defined]  # read by simple_history
    project.save()
    return record


def refusal_message(refused: lifecycle.Refusal, project: Project, to: str) -> str:
    """The refusal in the user's language, naming the stages involved."""
    labels = dict(ProjectStage.choices)
    current, target = labels[project.stage], labels.get(to, to)
    allowed = "、".join(str(labels[s]) for s in allowed_next(project))
    messages = {
        lifecycle.Refusal.UNKNOWN_STAGE: _("未知的阶段: %(target)s"),
        lifecycle.Refusal.SAME_STAGE: _("项目已处于“%(current)s”阶段"),
        lifecycle.Refusal.FINAL: _("项目已%(current)s,不能再变更阶段"),
        lifecycle.Refusal.STALLED: _("停滞的项目只能恢复到停滞前的“%(resume)s”阶段或终止"),
        lifecycle.Refusal.NOT_ALLOWED: _(
            "不能从“%(current)s”直接变更为“%(target)s”;允许的下一阶段:%(allowed)s"
        ),
    }
    resume = labels.get(project.stalled_from, "") if project.stalled_from else ""
    return messages[refused] % {
        "current": current,
        "target": target,
        "allowed": allowed,
        "resume": resume,
    }


def allowed_next(project: Project) -> list[str]:
    if Stage(project.stage) in lifecycle.FINAL:
        return []
    return [s.value for s in lifecycle.allowed_targets(project.stage, project.stalled_from or None)]
