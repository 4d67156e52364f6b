"""The rules of the project library; the only code that changes a project's state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core import dates
from parklink.core.dates import DateKind
from parklink.core.errors import ConfirmationRequired, Conflict, IllegalTransition, Invalid
from parklink.core.money import FEN, format_amount
from parklink.projects import lifecycle
from parklink.projects.ageing import Colour, Thresholds, colour
from parklink.projects.lifecycle import AGEING, Stage
from parklink.projects.models import (
    AgeingPolicy,
    Approval,
    FundsInPlace,
    Milestone,
    Project,
    ProjectStage,
    ProjectTag,
    StageTransition,
)
from parklink.projects.queries import (
    ageing_policies,
    owner_colour_q,
    thresholds_for,
    today,
    visible_projects,
)

EDITABLE_FIELDS = (
    "name",
    "code_name",
    "park",
    "region",
    "investor",
    "sector",
    "industry_code",
    "description",
    "total_investment",
    "phase_investment",
    "capital_origin",
    "expected_annual_revenue",
    "expected_annual_tax",
    "jobs",
    "land_area_mu",
    "floor_area_m2",
    "remarks",
    "maturity",
    "lead_source",
    "lead_source_detail",
    "responsible_leader",
    "leader_user",
    "task_force",
    "mechanism",
)
# Money fields, held in 元 (entered as 万元/亿元 at the edges).
AMOUNT_FIELDS = (
    "total_investment",
    "phase_investment",
    "expected_annual_revenue",
    "expected_annual_tax",
)
# Text and choice fields: stored as "" when empty, never NULL.
TEXT_FIELDS = tuple(
    name
    for name in EDITABLE_FIELDS
    if isinstance(Project._meta.get_field(name), models.CharField | models.TextField)
)
NOTE_REQUIRED = {Stage.STALLED, Stage.TERMINATED}
# Amount columns hold 18 digits with 2 decimals; below this they also read back from SQLite.
AMOUNT_LIMIT = Decimal(10) ** 15


def _date_messages(field: str) -> tuple[str, str]:
    """(too early, too late) for a date field, as whole sentences (see core.dates)."""
    planned = (_("计划完成日期不能早于%(date)s"), _("计划完成日期不能晚于%(date)s"))
    decided = (_("报审或批复日期不能早于%(date)s"), _("报审或批复日期不能晚于今天"))
    return {
        "stage_date": (_("阶段日期不能早于%(date)s"), _("阶段日期不能晚于今天")),
        "date": (_("生效日期不能早于%(date)s"), _("生效日期不能晚于今天")),
        "due_on": planned,
        "done_on": (_("完成日期不能早于%(date)s"), _("完成日期不能晚于今天")),
        "submitted_on": decided,
        "decided_on": decided,
        "received_on": (_("到位日期不能早于%(date)s"), _("到位日期不能晚于今天")),
    }[field]


def date_problem(
    field: str, kind: DateKind, day: date, *, not_before: date | None = None
) -> str | None:
    """Why `day` cannot be the date in `field`, or None (bounds per kind: core.dates)."""
    refused = dates.refusal(kind, day, today(), not_before=not_before)
    if refused is None:
        return None
    if refused.reason is dates.Reason.BEFORE_RECORD:
        message = _("到位日期不能早于项目入库日期(%(date)s)")
    else:
        early, late = _date_messages(field)
        message = early if refused.reason is dates.Reason.TOO_EARLY else late
    return message % {"date": f"{refused.bound:%Y-%m-%d}"}


def _check_date(
    field: str, kind: DateKind, day: date | None, *, not_before: date | None = None
) -> None:
    problem = date_problem(field, kind, day, not_before=not_before) if day else None
    if problem:
        raise Invalid.on(field, problem)


def entered_on(project: Project) -> date:
    """The day the project entered the library: its first recorded stage date."""
    first = project.transitions.aggregate(first=Min("effective_on"))["first"]
    return min(first, project.stage_since) if first else project.stage_since


def _unknown(fields: dict[str, Any]) -> set[str]:
    """Field names that are not editable (`park` and `park_id` both count as `park`)."""
    return {name for name in fields if name.removesuffix("_id") not in EDITABLE_FIELDS}


def amount_problem(amount: Any) -> str | None:
    """Why an amount in 元 cannot be stored, or None (shared by projects and funds)."""
    value = Decimal(amount)
    if not value.is_finite():
        return _("金额不是有效数字")
    if value < 0:
        return _("金额不能为负数")
    # Checked before rounding (quantize cannot round a number wider than its context);
    # SQLite keeps about 15 significant digits, so larger amounts would not read back.
    if value >= AMOUNT_LIMIT:
        return _("金额过大")
    if value != value.quantize(FEN):
        return _("金额最多精确到分")
    return None


def check_amounts(values: dict[str, Any]) -> dict[str, str]:
    """Field → problem for amounts that cannot be right (shared by forms, API and imports)."""
    problems: dict[str, str] = {}
    for name in AMOUNT_FIELDS:
        amount = values.get(name)
        problem = amount_problem(amount) if amount is not None else None
        if problem:
            problems[name] = problem
    total, phase = values.get("total_investment"), values.get("phase_investment")
    if (
        total is not None
        and phase is not None
        and not problems.keys() & {"total_investment", "phase_investment"}
        and Decimal(phase) > Decimal(total)
    ):
        problems["phase_investment"] = _("一期投资不能大于总投资")
    return problems


def field_problems(record: models.Model, names: Iterable[str]) -> dict[str, str]:
    """Field → problem for values that do not fit their column (length, digits, choices).

    Only `names` are checked; relations are left out (they are resolved records already).
    """
    wanted = set(names)
    exclude = [f.name for f in record._meta.fields if f.name not in wanted or f.is_relation]
    try:
        record.clean_fields(exclude=exclude)
    except ValidationError as exc:
        return {name: " ".join(messages) for name, messages in exc.message_dict.items()}
    return {}


def _refuse_unfit(record: models.Model, names: Iterable[str]) -> None:
    problems = field_problems(record, names)
    if problems:
        raise Invalid(_("填写的内容有误"), detail=problems)


def _validate(project: Project) -> None:
    problems = check_amounts({name: getattr(project, name) for name in AMOUNT_FIELDS})
    if not project.name.strip():
        problems["name"] = _("项目名称不能为空")
    if project.region_id is None and project.park_id is not None:
        project.region_id = project.park.region_id
    if project.region_id is None:
        problems["region"] = _("请填写落地行政区或园区")
    leader = project.leader_user
    if leader is not None and leader.organization_id != project.owner_id:
        problems["leader_user"] = _("责任人必须是项目所属机构的用户")
    for name, problem in field_problems(project, EDITABLE_FIELDS).items():
        problems.setdefault(name, problem)
    if problems:
        raise Invalid(_("项目信息有误"), detail=problems)


@transaction.atomic
def create_project(
    user: User,
    *,
    owner_id: int | None = None,
    stage: str = Stage.LEAD,
    stage_date: date | None = None,
    tags: Iterable[str] = (),
    note: str = "",
    **fields: Any,
) -> Project:
    """Create a project owned by the user's organisation, entering the library at `stage`."""
    owner_id = owner_id or user.organization_id
    ensure_can_write(user, owner_id)
    if owner_id is None:  # an installation admin without an organisation must name one
        raise Invalid(_("请指定所属机构"), detail={"owner": _("请指定所属机构")})
    try:
        stage = Stage(stage)
    except ValueError as exc:
        raise Invalid.on("stage", _("未知的阶段: %(stage)s") % {"stage": stage}) from exc
    if stage in (Stage.STALLED, Stage.TERMINATED):
        raise Invalid.on("stage", _("新项目不能以停滞或终止阶段入库"))
    when = stage_date or today()
    _check_date("stage_date", DateKind.EVENT, when)
    unknown = _unknown(fields)
    if unknown:
        raise Invalid(_("未知字段: %(names)s") % {"names": ", ".join(sorted(unknown))})
    project = Project(
        owner_id=owner_id,
        stage=stage,
        stage_since=when,
        last_progress_on=when,
        signed_on=when if lifecycle.is_disclosed_stage(stage) else None,
        **fields,
    )
    _validate(project)
    project.save()
    set_tags(project, tags)
    StageTransition.objects.create(
        project=project,
        from_stage="",
        to_stage=stage,
        effective_on=when,
        actor=user,
        note=note or "入库",
    )
    return project


@transaction.atomic
def update_project(user: User, project: Project, **fields: Any) -> Project:
    ensure_can_write(user, project.owner_id)
    tags = fields.pop("tags", None)
    unknown = _unknown(fields)
    if unknown:
        raise Invalid(
            _("不能直接修改: %(names)s(阶段请使用阶段变更)") % {"names": ", ".join(sorted(unknown))}
        )
    for name, value in fields.items():
        setattr(project, name, value)
    _validate(project)
    project.save()
    if tags is not None:
        set_tags(project, tags)
    return project


def set_tags(project: Project, codes: Iterable[str]) -> None:
    codes = list(dict.fromkeys(codes))
    found = list(ProjectTag.objects.filter(code__in=codes))
    missing = set(codes) - {tag.code for tag in found}
    if missing:
        raise Invalid.on("tags", _("未知的标签: %(tags)s") % {"tags": ", ".join(sorted(missing))})
    project.tags.set(found)


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
    _check_date("date", DateKind.EVENT, when)
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
    _check_date("due_on", DateKind.PLANNED, due_on)
    milestone = Milestone(project=project, name=name, due_on=due_on, note=note)
    _refuse_unfit(milestone, ("name", "note"))
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
    _check_date("done_on", DateKind.EVENT, when)
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
    _check_date("due_on", DateKind.PLANNED, due_on)
    _check_date("submitted_on", DateKind.EVENT, submitted_on)
    _check_date("decided_on", DateKind.EVENT, decided_on)
    if decided_on and submitted_on and decided_on < submitted_on:
        raise Invalid.on("decided_on", _("批复日期不能早于报审日期"))
    _refuse_unfit(
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
    _check_date("received_on", DateKind.EVENT, received_on, not_before=entered_on(project))
    entry = FundsInPlace(
        project=project, received_on=received_on, amount=amount, evidence=evidence, note=note
    )
    _refuse_unfit(entry, ("evidence", "note"))
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


def colours_of(projects: Iterable[Project], on: date | None = None) -> dict[int, Colour | None]:
    """Each project's ageing colour under its owner's thresholds, with one query for all.

    None once a project is in full production or closed.
    """
    projects = list(projects)
    owners = {p.owner_id for p in projects}
    policies = {
        policy.organization_id: Thresholds(
            policy.yellow_months, policy.red_months, policy.removal_months
        )
        for policy in AgeingPolicy.objects.filter(organization_id__in=owners)
    }
    default, when = thresholds_for(None), on or today()
    return {
        project.pk: colour(project.last_progress_on, when, policies.get(project.owner_id, default))
        if Stage(project.stage) in AGEING
        else None
        for project in projects
    }


def colour_of(project: Project, on: date | None = None) -> Colour | None:
    """The project's ageing colour; None once it is in full production or closed."""
    return colours_of([project], on)[project.pk]


def overdue_q(on: date | None = None) -> Q:
    late = Milestone.objects.filter(
        project=OuterRef("pk"), done_on__isnull=True, due_on__lt=on or today()
    )
    return Q(Exists(late))


@dataclass(frozen=True)
class AgeingSummary:
    green: int
    yellow: int
    red: int
    removal: int


def ageing_summary(user: User) -> AgeingSummary:
    policies = ageing_policies()
    counts = visible_projects(user).aggregate(
        **{c.value: Count("pk", filter=owner_colour_q(c, policies=policies)) for c in Colour}
    )
    return AgeingSummary(
        counts[Colour.GREEN.value],
        counts[Colour.YELLOW.value],
        counts[Colour.RED.value],
        counts[Colour.REMOVAL.value],
    )


def attention_list(user: User) -> QuerySet[Project]:
    """The user's own projects that are yellow/red/removal or have overdue milestones."""
    # Led by the user's account, or, in their own organisation, under their name.
    named = Q(
        owner_id=user.organization_id,
        responsible_leader=user.display_name or user.username,
    )
    mine = visible_projects(user).filter(
        Q(leader_user=user) | named if user.organization_id else Q(leader_user=user)
    )
    policies = ageing_policies()
    late = Q(pk__in=[])
    for shade in (Colour.YELLOW, Colour.RED, Colour.REMOVAL):
        late |= owner_colour_q(shade, policies=policies)
    return mine.filter(late | (Q(stage__in=[s.value for s in AGEING]) & overdue_q())).order_by(
        "last_progress_on"
    )
