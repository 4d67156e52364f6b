"""Read-only report and dashboard pages read from a PostgreSQL read replica, when there is one.

`DATABASE_REPLICA_URL` adds the `replica` alias (settings.py sets PARKLINK_READ_REPLICA to it).
`ReplicaReads` (middleware) marks a GET or HEAD request whose view is named in
`PARKLINK_REPLICA_VIEWS` (the dashboard `home` and the project export by default); while such a
request runs, `ReplicaRouter` sends its reads of domain tables to the replica. Everything else
reads and writes the primary: writes always, and the tables a request needs fresh whatever the
page (sessions, accounts, login throttling, jobs, the task queue), so a user who just logged in
or changed something never meets the replica's lag there. A `using()` in code wins as usual.

`reading_from_replica()` marks a block of code the same way (a report built by a command).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

DEFAULT = "default"
# Tables that must be read fresh on every page: who is signed in, their session and
# organisation, login lockouts, background jobs and the task queue.
PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "auth", "accounts", "axes", "admin", "core", "django_tasks_db", "contenttypes"}
)

_replica_reads: ContextVar[bool] = ContextVar("parklink_replica_reads", default=False)


def replica_alias() -> str:
    """The replica's alias, or "" when none is configured."""
    return str(getattr(settings, "PARKLINK_READ_REPLICA", "") or "")


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Within the block, domain reads go to the replica (when one is configured)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    """Reads of domain tables to the replica inside a marked request or block; the rest to
    the primary. The replica is never migrated (it copies the primary)."""

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        alias = replica_alias()
        if not alias or not _replica_reads.get():
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT
        return alias

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        return DEFAULT if replica_alias() else None

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool | None:
        alias = replica_alias()
        if not alias:
            return None
        same_data = {DEFAULT, alias}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        if db == "replica" or (replica_alias() and db == replica_alias()):
            return False
        return None


class ReplicaReads:
    """Middleware: GET/HEAD requests to the views named in PARKLINK_REPLICA_VIEWS read from
    the replica (the whole response, templates rendered late included)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._reads_replica(request):
            return self.get_response(request)
        token = _replica_reads.set(True)
        try:
            return self.get_response(request)
        finally:
            _replica_reads.reset(token)

    @staticmethod
    def _reads_replica(request: HttpRequest) -> bool:
        if not replica_alias() or request.method not in {"GET", "HEAD"}:
            return False
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in set(getattr(settings, "PARKLINK_REPLICA_VIEWS", ()))
