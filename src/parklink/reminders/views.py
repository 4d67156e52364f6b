"""Pages: 我的提醒, 提醒设置, 群机器人 (organisation admins); the dashboard card's context."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.core.errors import Invalid
from parklink.core.forms import show_service_error
from parklink.core.views import INVALID, authenticated
from parklink.reminders import services
from parklink.reminders.forms import PreferenceForm, WebhookForm
from parklink.reminders.models import Delivery

DASHBOARD_LIMIT = 8


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的提醒: the user's current items, most urgent first."""
    user = authenticated(request)
    day = services.today()
    found = services.items_for(user, day)
    labels = dict(services.kinds())
    return render(
        request,
        "reminders/mine.html",
        {"items": found.items, "muted": found.muted, "day": day, "labels": labels},
    )


def dashboard_context(request: HttpRequest) -> dict[str, Any]:
    """The home page's 我的提醒 card: the first few of the user's items."""
    user = authenticated(request)
    found = services.items_for(user)
    return {
        "reminders": found.items[:DASHBOARD_LIMIT],
        "reminder_total": len(found.items),
        "reminders_muted": found.muted,
    }


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """提醒设置: muted kinds, the daily email, its language."""
    user = authenticated(request)
    kinds = services.kinds()
    pref = services.preference(user)
    if request.method == "POST":
        form = PreferenceForm(request.POST, kinds=kinds)
        if form.is_valid():
            try:
                services.save_preference(user, **form.cleaned_data)
            except Invalid as error:
                show_service_error(form, error)
            else:
                messages.success(request, _("提醒设置已保存。"))
                return redirect("reminders:settings")
        status = INVALID
    else:
        form = PreferenceForm(
            kinds=kinds,
            initial={
                "muted": pref.muted,
                "email_digest": pref.email_digest,
                "language": pref.language,
            },
        )
        status = 200
    return render(
        request,
        "reminders/settings.html",
        {"form": form, "has_email": bool(user.email), "is_admin": _is_admin(user)},
        status=status,
    )


def _is_admin(user: Any) -> bool:
    return bool(user.is_superuser or (user.organization_id and user.role == "admin"))


@login_required
def webhooks_page(request: HttpRequest) -> HttpResponse:
    """群机器人: the organisation's robots (its admins only) and the last deliveries."""
    user = authenticated(request)
    robots = services.webhooks_of(user)
    can_add = services.can_add_webhook(user)
    form = WebhookForm(request.POST or None, initial={"kind": "wecom", "language": "zh-hans"})
    status = 200
    if request.method == "POST":
        services.ensure_org_admin(user)
        if form.is_valid():
            try:
                services.add_webhook(user, **form.cleaned_data)
            except Invalid as error:
                show_service_error(form, error)
            else:
                messages.success(request, _("群机器人已添加。"))
                return redirect("reminders:webhooks")
        status = INVALID
    deliveries = Delivery.objects.filter(webhook__in=robots).select_related("webhook")[:20]
    return render(
        request,
        "reminders/webhooks.html",
        {"robots": robots, "form": form if can_add else None, "deliveries": deliveries},
        status=status,
    )


@login_required
@require_POST
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.delete_webhook(authenticated(request), pk)
    messages.success(request, _("群机器人已删除。"))
    return redirect("reminders:webhooks")


@login_required
@require_POST
def webhook_test(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.test_webhook(authenticated(request), pk)
    except Invalid as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已向群机器人发送当前提醒。"))
    return redirect("reminders:webhooks")
