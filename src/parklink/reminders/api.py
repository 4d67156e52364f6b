"""Reminders API under /api/v1/reminders/: the signed-in user's current reminders."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from parklink.accounts.apitools import current_user
from parklink.reminders import services

router = Router(tags=["reminders"])


class ReminderOut(Schema):
    kind: str
    key: str
    title: str
    reason: str
    url: str
    due: date | None
    severity: str


class RemindersOut(Schema):
    day: date
    muted: int
    items: list[ReminderOut]


@router.get("/", response=RemindersOut, summary="The user's current reminders")
def my_reminders(request: HttpRequest) -> dict[str, Any]:
    day = services.today()
    found = services.items_for(current_user(request), day)
    return {"day": day, "muted": found.muted, "items": found.items}
