"""Findings (核查认定) entered by assessors: 弄虚作假 and 超时限未开工, with evidence.

An assessor is an officer of the project owner's organisation or of one above it (one that
may assess the owner) who can see the project. A 弄虚作假 finding is deducted by the
schemes that read `falsified` in the period it was noted; a 超时限未开工 finding records the
assessor's check beside the computed `overdue_not_started` figure.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Forbidden, Invalid, NotFound
from parklink.kpi.models import Finding, FindingKind
from parklink.kpi.queries import assessable
from parklink.projects.models import Project
from parklink.projects.queries import today, visible_projects


def record(
    user: User, project: Project, kind: str, noted_on: date | None, note: str, evidence: str
) -> Finding:
    if not visible_projects(user).filter(pk=project.pk).exists():
        raise NotFound(_("项目不存在或无权查看。"))
    if not user.is_superuser:
        ensure_can_write(user, user.organization_id)
        if not assessable(user).filter(pk=project.owner_id).exists():
            raise Forbidden(_("只能对本机构或下级机构的项目作出认定"))
    errors: dict[str, str] = {}
    if kind not in FindingKind.values:
        errors["kind"] = _("请选择认定类型")
    if noted_on is None:
        errors["noted_on"] = _("请填写认定日期")
    elif noted_on > today():
        errors["noted_on"] = _("认定日期不能晚于今天")
    if not note.strip():
        errors["note"] = _("请填写认定说明")
    if not evidence.strip():
        errors["evidence"] = _("请填写证据(核查记录、文件编号等)")
    if errors:
        raise Invalid(next(iter(errors.values())), detail=errors)
    assert noted_on is not None
    noted_by = user.organization or project.owner
    return Finding.objects.create(
        project=project,
        kind=kind,
        noted_on=noted_on,
        noted_by=noted_by,
        note=note.strip()[:255],
        evidence=evidence.strip(),
        recorded_by=user,
    )
