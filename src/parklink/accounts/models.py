"""Organisations (the tenants that own data), their users and API tokens."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parklink.core.models import TimeStampedModel


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("政府部门")
    INVESTMENT_BUREAU = "investment_bureau", _("投资促进局/招商局")
    PARK_COMMITTEE = "park_committee", _("园区管委会")
    OPERATING_COMPANY = "operating_company", _("园区运营公司")
    COORDINATION_OFFICE = "coordination_office", _("区域协调办公室")
    OTHER = "other", _("其他")


class Organization(TimeStampedModel):
    name = models.CharField(_("名称"), max_length=128, unique=True)
    kind = models.CharField(_("类型"), max_length=32, choices=OrganizationKind.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在行政区"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    description = models.TextField(_("简介"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("管理员")
    OFFICER = "officer", _("专员")
    VIEWER = "viewer", _("只读")


class UserManager(DjangoUserManager["User"]):
    """Users come with their organisation and its region: every signed-in request reads the
    user (the session's `get_user`) and then, for visibility, `user.organization.region`; one
    query instead of three."""

    def get_queryset(self) -> models.QuerySet[User]:
        return super().get_queryset().select_related("organization__region")


class User(AbstractUser):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_installation_admin(self) -> bool:
        return bool(self.is_superuser)

    @property
    def can_write(self) -> bool:
        """Officers and admins change their organisation's data; viewers only read."""
        return self.is_superuser or (
            self.organization_id is not None and self.role in (Role.ADMIN, Role.OFFICER)
        )


class ApiToken(TimeStampedModel):
    """A bearer token; only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=64, blank=True)
    digest = models.CharField(_("摘要"), max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=12)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked = models.BooleanField(_("已吊销"), default=False)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"
