"""Contacts of investing enterprises (客商联系人), engagements (对接记录) and their follow-ups.

One `Engagement` model serves every kind of meeting with an enterprise: visits out and in,
meetings, calls, events (招商推介会, 签约仪式, 对接会) and the aftercare visits (安商稳商走访) that
the KPI app counts. Who sees what is `queries.py` (docs/engagements.md, "Visibility").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parklink.core.models import OwnedModel, PinyinSearchable, TimeStampedModel


class Contact(PinyinSearchable, OwnedModel):
    """A person at an investing enterprise; only the owner organisation's officers see it."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("所在企业"),
        on_delete=models.PROTECT,
        related_name="engagement_contacts",
    )
    name = models.CharField(_("姓名"), max_length=64)
    title = models.CharField(_("职务"), max_length=64, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    wechat = models.CharField(_("微信"), max_length=64, blank=True)
    email = models.EmailField(_("邮箱"), max_length=254, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("客商联系人")
        verbose_name_plural = _("客商联系人")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["owner", "enterprise"])]

    def __str__(self) -> str:
        return self.name


class EngagementKind(models.TextChoices):
    VISIT_OUT = "visit_out", _("外出拜访")
    VISIT_IN = "visit_in", _("来访接待")
    MEETING = "meeting", _("会谈")
    CALL = "call", _("电话/视频沟通")
    PROMOTION = "promotion", _("招商推介会")
    SIGNING = "signing", _("签约仪式")
    MATCHMAKING = "matchmaking", _("对接会")
    AFTERCARE = "aftercare", _("安商稳商走访")


# The kinds that are events (a gathering of many enterprises, where projects may be signed).
EVENT_KINDS = (EngagementKind.PROMOTION, EngagementKind.SIGNING, EngagementKind.MATCHMAKING)


class Engagement(OwnedModel):
    """A meeting with one or more enterprises, owned by the organisation that recorded it."""

    kind = models.CharField(_("类型"), max_length=16, choices=EngagementKind.choices)
    held_on = models.DateField(_("日期"), db_index=True)
    title = models.CharField(_("主题"), max_length=200)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    purpose = models.TextField(_("目的"), blank=True)
    summary = models.TextField(_("纪要"), blank=True)
    requests = models.TextField(_("企业诉求"), blank=True)
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name=_("对接企业"),
        related_name="engagements",
        blank=True,
    )
    contacts = models.ManyToManyField(
        Contact, verbose_name=_("客商联系人"), related_name="engagements", blank=True
    )
    projects = models.ManyToManyField(
        "projects.Project",
        verbose_name=_("相关项目"),
        related_name="engagements",
        blank=True,
    )
    signed_projects = models.ManyToManyField(
        "projects.Project",
        verbose_name=_("现场签约项目"),
        related_name="signed_at_engagements",
        blank=True,
    )
    signed_count = models.PositiveIntegerField(
        _("签约项目数"),
        null=True,
        blank=True,
        help_text=_("活动上签约的项目总数(可多于库中已关联的项目)"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("参加人员(本系统用户)"),
        related_name="engagements",
        blank=True,
    )
    other_participants = models.CharField(
        _("其他参加人员"), max_length=500, blank=True, help_text=_("不在本系统中的人员,以顿号分隔")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("对接记录")
        verbose_name_plural = _("对接记录")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["owner", "kind", "held_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_event(self) -> bool:
        return self.kind in EVENT_KINDS


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("待办")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class FollowUp(TimeStampedModel):
    """A task that came out of an engagement: who does it, by when, and whether it is done."""

    engagement = models.ForeignKey(
        Engagement,
        verbose_name=_("对接记录"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    task = models.CharField(_("跟进事项"), max_length=300)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        on_delete=models.PROTECT,
        related_name="engagement_follow_ups",
    )
    due_on = models.DateField(_("完成期限"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.TextField(_("办理情况"), blank=True)

    class Meta:
        verbose_name = _("跟进事项")
        verbose_name_plural = _("跟进事项")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="done", done_on__isnull=False) | ~models.Q(status="done"),
                name="engagements_followup_done_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.task
