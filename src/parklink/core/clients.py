"""The address of the client behind a request, the one login and API throttling count."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address the outermost trusted proxy saw (PARKLINK_PROXY_COUNT).

    Behind N trusted proxies each appends the address it received from to X-Forwarded-For, so
    the client is the N-th entry from the right; anything further left the client wrote itself
    and is not believed. Without a configured proxy the header is ignored altogether.
    """
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "PARKLINK_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    forwarded = [
        item.strip()
        for item in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if item.strip()
    ]
    if len(forwarded) < proxies:
        return remote  # not come through all the proxies: count the nearest sender
    return forwarded[-proxies]
