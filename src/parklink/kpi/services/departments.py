"""Departments (招商一局 …): records, members, explicit project links, targets and figures.

A department is read by its organisation and those above it (like every kpi record) and
changed only by its own organisation's officers and administrators. Its figures are the
pipeline's, as the acting user sees it (`actuals.by_departments`): a project counts for a
department through its explicit link, else through its leader's membership.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import Organization, User
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Invalid, NotFound
from parklink.kpi.models import (
    Department,
    DepartmentMember,
    DepartmentProject,
    SubjectKind,
    Target,
)
from parklink.kpi.queries import visible_departments
from parklink.projects.models import Project
from parklink.projects.queries import visible_projects


def get_department(user: User, pk: int) -> Department:
    found = visible_departments(user).select_related("organization").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("部门不存在或无权查看。"))
    return found


def can_change(user: User, department: Department | None, org_id: int | None = None) -> bool:
    owner = department.organization_id if department is not None else org_id
    return user.is_superuser or (
        user.can_write and owner is not None and user.organization_id == owner
    )


def save_department(
    user: User,
    department: Department | None,
    *,
    name: str,
    note: str = "",
    organization: Organization | None = None,
) -> Department:
    """Create (department None) or rename a department of the user's organisation."""
    if department is not None:
        owner_id: int | None = department.organization_id
    else:
        owner_id = organization.pk if organization is not None else user.organization_id
    ensure_can_write(user, owner_id)
    if owner_id is None:
        raise Invalid.on("organization", _("请指定所属机构"))
    name = name.strip()
    if not name:
        raise Invalid.on("name", _("请填写部门名称"))
    clash = Department.objects.filter(organization_id=owner_id, name=name)
    if department is not None:
        clash = clash.exclude(pk=department.pk)
    if clash.exists():
        raise Invalid.on("name", _("本机构已有同名部门"))
    if department is None:
        department = Department(organization_id=owner_id)
    department.name = name
    department.note = note.strip()
    department.save()
    return department


def set_members(user: User, department: Department, members: Iterable[User]) -> None:
    """The department's members become `members` (users of its organisation; a user moves
    here from another department of the organisation)."""
    ensure_can_write(user, department.organization_id)
    chosen = list(members)
    strangers = [m for m in chosen if m.organization_id != department.organization_id]
    if strangers:
        raise Invalid.on("members", _("成员应为本机构的用户:%(name)s") % {"name": strangers[0]})
    with transaction.atomic():
        DepartmentMember.objects.filter(department=department).exclude(
            user__in=[m.pk for m in chosen]
        ).delete()
        for member in chosen:
            DepartmentMember.objects.update_or_create(
                user=member, defaults={"department": department}
            )


def members(department: Department) -> list[User]:
    return list(
        User.objects.filter(kpi_department_member__department=department).order_by("username")
    )


def link_project(
    user: User, department: Department, project: Project, *, remove: bool = False
) -> DepartmentProject | None:
    """Assign a project of the department's organisation to it explicitly (or remove the
    explicit link: the project then follows its leader's membership again)."""
    ensure_can_write(user, department.organization_id)
    if not visible_projects(user).filter(pk=project.pk).exists():
        raise NotFound(_("项目不存在或无权查看。"))
    if project.owner_id != department.organization_id:
        raise Invalid.on("project", _("只能关联本机构的项目"))
    if remove:
        DepartmentProject.objects.filter(project=project, department=department).delete()
        return None
    link, _created = DepartmentProject.objects.update_or_create(
        project=project, defaults={"department": department, "linked_by": user}
    )
    return link


def projects(user: User, department: Department) -> QuerySet[Project]:
    """The department's projects the user may see (linked, or led by a member)."""
    from parklink.kpi.services.actuals import by_departments

    return (
        visible_projects(user)
        .filter(by_departments([department.pk]).scope(""))
        .select_related("owner", "leader_user")
    )


def set_department_target(
    user: User, department: Department, period_label: str, kind: str, value: Any, note: str = ""
) -> Target:
    from parklink.kpi.services.targets import set_target

    return set_target(
        user,
        department.organization,
        period_label,
        kind,
        value,
        subject_kind=SubjectKind.DEPARTMENT,
        department=department,
        note=note,
    )


def by_name(org: Organization, name: str) -> Department | None:
    return Department.objects.filter(organization=org, name=name.strip()).first()
