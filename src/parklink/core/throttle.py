"""Failure counting per key in Django's cache: after too many failures a key waits a while."""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from parklink.core.errors import ParkLinkError


class TooManyAttempts(ParkLinkError):
    """Too many failures from one client; `retry_after` is in seconds (HTTP 429)."""

    status = 429
    code = "too_many_attempts"

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            _("失败次数过多,请在 %(minutes)d 分钟后再试。") % {"minutes": minutes},
            detail={"retry_after": retry_after},
        )
        self.retry_after = retry_after


class FailureWindow:
    """Counts failures per key; `limit` failures lock the key for `seconds` after the last one.

    The counts live in the default cache. With the local-memory cache each process counts on
    its own; several processes need a shared cache (PARKLINK_CACHE_URL: Redis or the
    database) to add up. The count is incremented atomically where the cache can (Redis,
    local memory), so concurrent failures from many processes are all counted; the time of
    the last failure is a second key. Failures made while locked are not counted (the caller
    does not get to try), so a lock ends `seconds` after the failure that set it.
    """

    def __init__(self, name: str, limit: int, seconds: int) -> None:
        self.name = name
        self.limit = limit
        self.seconds = seconds

    def _key(self, key: str) -> str:
        return f"parklink:{self.name}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again, 0 when it may try now."""
        base = self._key(key)
        found = cache.get_many([f"{base}:n", f"{base}:last"])
        count = int(found.get(f"{base}:n", 0))
        if count < self.limit:
            return 0
        last = float(found.get(f"{base}:last", 0.0))
        return max(0, math.ceil(last + self.seconds - time.time()))

    def check(self, key: str) -> None:
        """Raise TooManyAttempts while `key` is locked."""
        wait = self.retry_after(key)
        if wait:
            raise TooManyAttempts(wait)

    def fail(self, key: str) -> None:
        """Count one failure; the window restarts with it."""
        base = self._key(key)
        cache.add(f"{base}:n", 0, timeout=self.seconds)
        try:
            cache.incr(f"{base}:n")
        except ValueError:  # expired between add and incr: this failure starts a new count
            cache.set(f"{base}:n", 1, timeout=self.seconds)
        cache.touch(f"{base}:n", timeout=self.seconds)
        cache.set(f"{base}:last", time.time(), timeout=self.seconds)

    def reset(self, key: str) -> None:
        base = self._key(key)
        cache.delete_many([f"{base}:n", f"{base}:last"])
