"""Gathering what is due, routing it to people, and the daily digests (email and robots).

`gather(day)` asks every registered `ReminderSource`; a source that fails is logged and left
out, never stopping the others. `items_for(user, day)` is the user's share, less the kinds the
user muted. `send_daily(day)` sends each user one email a day (never two: `Digest` records it)
and each organisation's robots one message a day (`Delivery`); a failure is logged, recorded
and tried again on the next run for that day.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parklink.accounts.models import Organization, User
from parklink.core.errors import Forbidden, Invalid, NotFound
from parklink.core.registry import DueItem, registry
from parklink.reminders import compose, webhooks
from parklink.reminders.models import Delivery, Digest, Preference, Status, Webhook

log = logging.getLogger(__name__)
SEVERITY_ORDER = {"danger": 0, "warning": 1, "info": 2}
# How long pages share one gathering of the day's items (the daily send always gathers anew).
CACHE_SECONDS = 60


def today() -> date:
    """The day reminders are judged on: PARKLINK_TODAY when set (a demo's data date), else now."""
    return settings.PARKLINK_TODAY or timezone.localdate()


def item_id(item: DueItem) -> str:
    return f"{item.kind}:{item.key}"


def _sorted(items: Iterable[DueItem]) -> list[DueItem]:
    return sorted(
        items,
        key=lambda i: (SEVERITY_ORDER.get(i.severity, 3), i.due or date.max, i.kind, i.key),
    )


def gather(day: date, language: str | None = None) -> list[DueItem]:
    """Every item due on `day` from every source, worded in `language` (default: active)."""
    with translation.override(language or translation.get_language()):
        found: list[DueItem] = []
        for source in registry.reminders:
            try:
                found.extend(source.collect(day))
            except Exception:
                log.exception("reminder source %s failed; its items are left out", source.key)
    return _sorted(found)


def kinds() -> list[tuple[str, str]]:
    """(key, label) of every registered reminder source, for the mute settings."""
    return [(source.key, str(source.label)) for source in registry.reminders]


def preference(user: User) -> Preference:
    found = Preference.objects.filter(user=user).first()
    return found if found is not None else Preference(user=user)


@dataclass
class Mine:
    items: list[DueItem]
    muted: int


def route(items: Iterable[DueItem], muted: dict[int, set[str]]) -> dict[int, list[DueItem]]:
    """Each responsible user's items, less the kinds that user muted."""
    routed: dict[int, list[DueItem]] = defaultdict(list)
    for item in items:
        for user_id in dict.fromkeys(item.responsible):
            if item.kind not in muted.get(user_id, set()):
                routed[user_id].append(item)
    return routed


def gather_for(user_id: int, day: date) -> list[DueItem]:
    """One user's items due on `day`: each source's own query for that user where it has one
    (`collect_for`), else its installation-wide items filtered; a failing source is left out."""
    found: list[DueItem] = []
    for source in registry.reminders:
        try:
            if source.collect_for is not None:
                found.extend(source.collect_for(day, user_id))
            else:
                found.extend(i for i in source.collect(day) if user_id in i.responsible)
        except Exception:
            log.exception("reminder source %s failed; its items are left out", source.key)
    return _sorted(i for i in found if user_id in i.responsible)


def items_for(user: User, day: date | None = None) -> Mine:
    """The user's current reminders (for the page, the dashboard and the attention list).

    Gathered for this user alone (never the installation's items, which for a province are
    every yellow or red project), and kept per user for CACHE_SECONDS.
    """
    day = day or today()
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = f"reminders:mine:{day.isoformat()}:{language}:{user.pk}"
    mine = cache.get(key)
    if mine is None:
        mine = gather_for(user.pk, day)
        cache.set(key, mine, CACHE_SECONDS)
    muted = set(preference(user).muted)
    shown = [i for i in mine if i.kind not in muted]
    return Mine(shown, len(mine) - len(shown))


# ------------------------------------------------------------------ settings


def save_preference(
    user: User, *, muted: Iterable[str], email_digest: bool, language: str
) -> Preference:
    known = {key for key, _label in kinds()}
    unknown = sorted(set(muted) - known)
    if unknown:
        raise Invalid.on("muted", _("没有这种提醒类别:%(kinds)s") % {"kinds": "、".join(unknown)})
    if language not in dict(settings.LANGUAGES):
        raise Invalid.on("language", _("不支持的语言:%(lang)s") % {"lang": language})
    found = preference(user)
    found.muted = sorted(set(muted))
    found.email_digest = email_digest
    found.language = language
    found.save()
    return found


def ensure_org_admin(user: User) -> Organization:
    """The organisation whose robots the user manages (its admins only)."""
    if user.organization_id is None or (user.role != "admin" and not user.is_superuser):
        raise Forbidden(_("只有本机构的管理员可以设置群机器人。"))
    assert user.organization is not None
    return user.organization


def managed_webhooks(user: User) -> QuerySet[Webhook]:
    """The robots the user manages: an organisation admin's own; every organisation's for
    installation administrators (who add robots only as an organisation's admin)."""
    if user.is_superuser:
        return Webhook.objects.select_related("organization")
    return Webhook.objects.filter(organization=ensure_org_admin(user)).select_related(
        "organization"
    )


def webhooks_of(user: User) -> list[Webhook]:
    return list(managed_webhooks(user))


def can_add_webhook(user: User) -> bool:
    return user.organization_id is not None and (user.role == "admin" or user.is_superuser)


def add_webhook(
    user: User, *, name: str, kind: str, url: str, secret: str = "", language: str = "zh-hans"
) -> Webhook:
    org = ensure_org_admin(user)
    if kind not in Webhook.Kind.values:
        raise Invalid.on("kind", _("不支持的机器人类型。"))
    if not url.lower().startswith(("https://", "http://")):
        raise Invalid.on("url", _("Webhook 地址须以 https:// 开头。"))
    if webhooks.literal_internal(url, settings.PARKLINK_WEBHOOK_INTERNAL_HOSTS):
        raise Invalid.on(
            "url", _("Webhook 地址不能指向本机或内网地址(如确需使用,请管理员在部署设置中放行)。")
        )
    if secret and kind != Webhook.Kind.DINGTALK:
        raise Invalid.on("secret", _("只有钉钉机器人使用加签密钥。"))
    return Webhook.objects.create(
        organization=org,
        name=name.strip() or str(dict(Webhook.Kind.choices)[kind]),
        kind=kind,
        url=url.strip(),
        secret=secret.strip(),
        language=language,
        created_by=user,
    )


def get_webhook(user: User, pk: int) -> Webhook:
    found = managed_webhooks(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("群机器人不存在。"))
    return found


def delete_webhook(user: User, pk: int) -> None:
    get_webhook(user, pk).delete()


# ------------------------------------------------------------------ sending


@dataclass
class Report:
    day: date
    items: int = 0
    emails_sent: int = 0
    emails_already: int = 0
    emails_failed: int = 0
    robots_sent: int = 0
    robots_already: int = 0
    robots_failed: int = 0
    planned: list[str] = field(default_factory=list)  # what a dry run would send


def _previous_items(user: User, day: date) -> set[str]:
    last = (
        Digest.objects.filter(user=user, day__lt=day, status=Status.SENT).order_by("-day").first()
    )
    return set(last.items) if last else set()


def _record(model: Any, lookup: dict[str, Any], **values: Any) -> None:
    """Create or update the day's record (one per user or robot and day)."""
    try:
        with transaction.atomic():
            row, created = model.objects.get_or_create(**lookup, defaults=values)
            if not created:
                values["attempts"] = row.attempts + 1
                for name, value in values.items():
                    setattr(row, name, value)
                row.save()
    except IntegrityError:  # another run recorded it in between
        log.warning("reminder record %s for %s was written by another run", model.__name__, lookup)


def send_digest(user: User, items: list[DueItem], day: date, report: Report, dry_run: bool) -> None:
    if Digest.objects.filter(user=user, day=day, status=Status.SENT).exists():
        report.emails_already += 1
        return
    ids = [item_id(i) for i in items]
    new = set(ids) - _previous_items(user, day)
    pref = preference(user)
    with translation.override(pref.language):
        subject = compose.email_subject(len(items), len(new), day)
        body = compose.email_body(user, items, new, day)
    if dry_run:
        report.planned.append(f"email {user.username} <{user.email}>: {subject}")
        return
    try:
        message = EmailMessage(subject, body, to=[user.email], connection=get_connection())
        message.send()
    except Exception as error:  # SMTP refusals, timeouts, bad addresses
        log.warning("reminder digest to %s failed: %s", user.username, error)
        report.emails_failed += 1
        _record(
            Digest,
            {"user": user, "day": day},
            status=Status.FAILED,
            items=ids,
            new_count=len(new),
            error=str(error)[:2000],
            attempts=1,
        )
        return
    report.emails_sent += 1
    _record(
        Digest,
        {"user": user, "day": day},
        status=Status.SENT,
        items=ids,
        new_count=len(new),
        error="",
        sent_at=timezone.now(),
        attempts=1,
    )


def deliver(webhook: Webhook, items: list[DueItem], day: date) -> None:
    """Send one message to a robot now; DeliveryFailed when it does not take it."""
    with translation.override(webhook.language):
        title, text = compose.robot_message(
            webhook.organization.name, items, day, webhooks.LIMITS[webhook.kind]
        )
    url = webhook.url
    if webhook.kind == Webhook.Kind.DINGTALK and webhook.secret:
        url = webhooks.signed_url(url, webhook.secret, int(time.time() * 1000))
    webhooks.post(
        url,
        webhooks.payload(webhook.kind, title, text),
        settings.PARKLINK_WEBHOOK_TIMEOUT,
        allowed=settings.PARKLINK_WEBHOOK_INTERNAL_HOSTS,
    )


def send_robot(
    webhook: Webhook, items: list[DueItem], day: date, report: Report, dry_run: bool
) -> None:
    if Delivery.objects.filter(webhook=webhook, day=day, status=Status.SENT).exists():
        report.robots_already += 1
        return
    if dry_run:
        report.planned.append(
            f"robot {webhook.organization.name} / {webhook.name} ({webhook.kind}): {len(items)}"
        )
        return
    try:
        deliver(webhook, items, day)
    except webhooks.DeliveryFailed as error:
        log.warning("reminder robot %s (%s) failed: %s", webhook.pk, webhook.kind, error)
        report.robots_failed += 1
        _record(
            Delivery,
            {"webhook": webhook, "day": day},
            status=Status.FAILED,
            items=len(items),
            error=str(error)[:2000],
            attempts=1,
        )
        return
    report.robots_sent += 1
    _record(
        Delivery,
        {"webhook": webhook, "day": day},
        status=Status.SENT,
        items=len(items),
        error="",
        sent_at=timezone.now(),
        attempts=1,
    )


def send_daily(day: date | None = None, *, dry_run: bool = False) -> Report:
    """The day's digests: one email per user with items (unless turned off or already sent),
    one message per active robot of an organisation with items."""
    day = day or today()
    report = Report(day)
    prefs = {p.user_id: p for p in Preference.objects.all()}
    by_language: dict[str, list[DueItem]] = {}

    def worded(language: str) -> list[DueItem]:
        if language not in by_language:
            by_language[language] = gather(day, language)
        return by_language[language]

    base = worded(settings.LANGUAGE_CODE)
    report.items = len(base)
    muted = {uid: set(p.muted) for uid, p in prefs.items()}
    routed = route(base, muted)
    routed_in = {settings.LANGUAGE_CODE: routed}
    users = User.objects.filter(pk__in=list(routed), is_active=True).exclude(email="")
    for user in users.order_by("pk"):
        pref = prefs.get(user.pk)
        if pref is not None and not pref.email_digest:
            continue
        language = pref.language if pref else settings.LANGUAGE_CODE
        if language not in routed_in:
            routed_in[language] = route(worded(language), muted)
        items = routed_in[language].get(user.pk, [])
        if items:
            send_digest(user, items, day, report, dry_run)
    robots = Webhook.objects.filter(active=True).select_related("organization").order_by("pk")
    for webhook in robots:
        items = [
            i for i in worded(webhook.language) if i.organization_id == webhook.organization_id
        ]
        if items:
            send_robot(webhook, items, day, report, dry_run)
    return report


def test_webhook(user: User, pk: int) -> None:
    """Send the organisation's current reminders to one robot now (its settings page)."""
    webhook = get_webhook(user, pk)
    day = today()
    items = [
        i for i in gather(day, webhook.language) if i.organization_id == webhook.organization_id
    ]
    try:
        deliver(webhook, items, day)
    except webhooks.DeliveryFailed as error:
        raise Invalid.on("url", _("发送失败:%(error)s") % {"error": error}) from None
