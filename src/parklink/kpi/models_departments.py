"""Departments of an organisation (招商一局, 招商二局 …), kept inside kpi.

The accounts model has no departments, so kpi keeps them: a department belongs to one
organisation and has member users (a user is in at most one department). A project belongs to
a department through an explicit link (`DepartmentProject`, set by the project owner's
officers) or, without one, through its leader user's membership (`Project.leader_user`).
Nothing is added to the projects app: both relations live here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parklink.core.models import TimeStampedModel


class Department(TimeStampedModel):
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("所属机构"),
        on_delete=models.CASCADE,
        related_name="kpi_departments",
    )
    name = models.CharField(_("部门名称"), max_length=100)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="kpi_department_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentMember(models.Model):
    """A user's department (at most one)."""

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="kpi_department_member",
    )

    class Meta:
        verbose_name = _("部门成员")
        verbose_name_plural = _("部门成员")

    def __str__(self) -> str:
        return f"{self.department} {self.user}"


class DepartmentProject(models.Model):
    """A project assigned to a department explicitly (it wins over the leader's membership)."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="kpi_department_link",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.CASCADE, related_name="project_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关联人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("关联时间"), auto_now=True)

    class Meta:
        verbose_name = _("部门项目")
        verbose_name_plural = _("部门项目")

    def __str__(self) -> str:
        return f"{self.department} → {self.project}"
