"""Checks every engagements service shares: dates, text, who may write."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core import dates
from parklink.core.dates import DateKind
from parklink.core.errors import Forbidden, Invalid
from parklink.projects.queries import today


def check_day(field: str, kind: DateKind, day: date | None, label: str) -> None:
    """Refuse a date outside the bounds of its kind (core.dates), naming the field."""
    if day is None:
        raise Invalid.on(field, _("请填写%(label)s") % {"label": label})
    refused = dates.refusal(kind, day, today())
    if refused is None:
        return
    if refused.reason is dates.Reason.TOO_EARLY:
        message = _("%(label)s不能早于%(date)s")
    elif kind is DateKind.EVENT:
        message = _("%(label)s不能晚于今天")
    else:
        message = _("%(label)s不能晚于%(date)s")
    raise Invalid.on(field, message % {"label": label, "date": f"{refused.bound:%Y-%m-%d}"})


def required_text(data: dict[str, Any], field: str, label: str, max_length: int) -> str:
    value = str(data.get(field) or "").strip()
    if not value:
        raise Invalid.on(field, _("请填写%(label)s") % {"label": label})
    if len(value) > max_length:
        raise Invalid.on(field, _("%(label)s最多%(n)s个字") % {"label": label, "n": max_length})
    return value


def optional_text(data: dict[str, Any], field: str, label: str, max_length: int) -> str:
    value = str(data.get(field) or "").strip()
    if len(value) > max_length:
        raise Invalid.on(field, _("%(label)s最多%(n)s个字") % {"label": label, "n": max_length})
    return value


def owner_for(user: User, owner_id: int | None = None) -> int:
    """The organisation a new record belongs to: the user's own (an installation administrator
    names one); the user must be allowed to write for it."""
    chosen = owner_id or user.organization_id
    if chosen is None:
        raise Forbidden(_("用户未关联任何机构。"))
    if owner_id and not user.is_superuser and owner_id != user.organization_id:
        raise Forbidden(_("只能为本机构记录。"))
    ensure_can_write(user, chosen)
    return chosen
