"""The page django-axes shows when a login is refused: what is locked, for how long, who unlocks.

settings.AXES_LOCKOUT_CALLABLE points here; axes calls it after a failed or refused login once
the account or the address has reached settings.AXES_FAILURE_LIMIT failures.
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_client_username, get_cool_off
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parklink.accounts import services

# 429 Too Many Requests: the page explains itself; a client that reads headers knows when to retry.
STATUS = 429


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    username = get_client_username(request, credentials) or ""
    address = str(getattr(request, "axes_ip_address", "") or "")
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    account_locked = bool(username) and services.login_locked(username=username)
    context = {
        "username": username,
        "account_locked": account_locked,
        # Neither may show yet in the rare race where attempts were just reset: say "address".
        "address_locked": services.login_locked(address=address) or not account_locked,
        "minutes": max(1, math.ceil(seconds / 60)),
    }
    response = render(request, "accounts/locked_out.html", context, status=STATUS)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
