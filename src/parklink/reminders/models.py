"""Each user's reminder settings, the record of every digest sent, and the organisations'
group robots (WeCom, DingTalk) with the record of every delivery to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Preference(models.Model):
    """What a user hears about: muted kinds, the email digest, the digest's language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_preference",
        verbose_name=_("用户"),
    )
    muted = models.JSONField(_("已屏蔽的提醒类别"), default=list, blank=True)
    email_digest = models.BooleanField(_("每日邮件摘要"), default=True)
    language = models.CharField(
        _("邮件语言"), max_length=16, choices=settings.LANGUAGES, default="zh-hans"
    )

    class Meta:
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")

    def __str__(self) -> str:
        return str(self.user)


class Digest(models.Model):
    """One user's daily email: at most one is sent per day; a failed one is tried again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_digests",
        verbose_name=_("用户"),
    )
    day = models.DateField(_("日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    items = models.JSONField(_("提醒事项"), default=list)  # "kind:key" of each item
    new_count = models.PositiveIntegerField(_("新增事项"), default=0)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒邮件")
        verbose_name_plural = _("提醒邮件")
        ordering = ["-day", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="reminders_digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"


class Webhook(models.Model):
    """An organisation's group robot: its reminders, once a day, to a WeCom or DingTalk group."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉群机器人")

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="reminder_webhooks",
        verbose_name=_("机构"),
    )
    name = models.CharField(_("名称"), max_length=64)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True)
    language = models.CharField(
        _("消息语言"), max_length=16, choices=settings.LANGUAGES, default="zh-hans"
    )
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        ordering = ["organization", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One day's message to a group robot: at most one is delivered per day."""

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("群机器人")
    )
    day = models.DateField(_("日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    items = models.PositiveIntegerField(_("提醒事项"), default=0)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("群机器人消息")
        verbose_name_plural = _("群机器人消息")
        ordering = ["-day", "webhook_id"]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "day"], name="reminders_delivery_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.webhook} {self.day}"
