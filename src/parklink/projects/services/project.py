"""A project's own record: creating it, editing it, its tags."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.dates import DateKind
from parklink.core.errors import Invalid
from parklink.projects import lifecycle
from parklink.projects.lifecycle import Stage
from parklink.projects.models import AmountQualifier, Project, ProjectTag, StageTransition
from parklink.projects.queries import today
from parklink.projects.services.checks import (
    AMOUNT_FIELDS,
    EDITABLE_FIELDS,
    QUALIFIER_FIELDS,
    check_amounts,
    field_problems,
)
from parklink.projects.services.date_checks import check_date, date_problem


def _unknown(fields: dict[str, Any]) -> set[str]:
    """Field names that are not editable (`park` and `park_id` both count as `park`)."""
    return {name for name in fields if name.removesuffix("_id") not in EDITABLE_FIELDS}


def _validate(project: Project) -> None:
    for name in QUALIFIER_FIELDS.values():  # a blank qualifier means the figure is exact
        if not getattr(project, name):
            setattr(project, name, AmountQualifier.EXACT)
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
    start, production = project.contract_start_date, project.contract_production_date
    for name in ("contract_start_date", "contract_production_date"):
        day = getattr(project, name)
        problem = date_problem(name, DateKind.PLANNED, day) if day else None
        if problem:
            problems[name] = problem
    if start and production and production < start:
        problems["contract_production_date"] = _("合同约定投产日期不能早于约定开工日期")
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
    check_date("stage_date", DateKind.EVENT, when)
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
