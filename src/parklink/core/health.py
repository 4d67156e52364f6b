"""Health checks for a load balancer or an orchestrator, and the task workers' heartbeat.

- `/healthz`: the process answers (no database, no cache): restart it when this fails.
- `/readyz`: the process can serve: the database answers, every migration is applied, the
  shared cache answers (when one is configured), and a task worker was seen within
  PARKLINK_WORKER_STALE_SECONDS (unless PARKLINK_READY_NEEDS_WORKER is off). 200 with the
  checks, or 503 with the reasons: send no traffic to it meanwhile.

A worker is "seen" through its `WorkerHeartbeat` row, which `parklink worker` rewrites every
PARKLINK_HEARTBEAT_SECONDS from a thread of its own (so a long import does not silence it).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from parklink.core.models import WorkerHeartbeat

log = logging.getLogger("parklink.health")

# A positive migration check is remembered this long per process (the check reads the
# migration files and the table; a load balancer asks every few seconds).
MIGRATIONS_CHECK_SECONDS = 60.0
_migrations_ok_until = 0.0


def forget_migration_check() -> None:
    global _migrations_ok_until
    _migrations_ok_until = 0.0


def _database() -> str | None:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "not reachable"
        return f"database unreachable ({type(error).__name__})"
    return None


def _migrations() -> str | None:
    global _migrations_ok_until
    if time.monotonic() < _migrations_ok_until:
        return None
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
        shown = ", ".join(names[:5]) + (f" (+{len(names) - 5})" if len(names) > 5 else "")
        return f"unapplied migrations: {shown}"
    _migrations_ok_until = time.monotonic() + MIGRATIONS_CHECK_SECONDS
    return None


def _cache() -> str | None:
    backend = str(settings.CACHES["default"]["BACKEND"])
    if backend.endswith("LocMemCache"):
        return None  # this process's own memory: nothing to reach
    key = f"parklink:ready:{os.getpid()}"
    try:
        cache.set(key, "1", timeout=10)
        if cache.get(key) != "1":
            return "cache does not keep values"
    except Exception as error:
        return f"cache unreachable ({type(error).__name__})"
    return None


def _worker() -> str | None:
    if not getattr(settings, "PARKLINK_READY_NEEDS_WORKER", True):
        return None
    stale = timedelta(seconds=int(settings.PARKLINK_WORKER_STALE_SECONDS))
    if WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - stale).exists():
        return None
    return f"no task worker seen in the last {int(stale.total_seconds())} s"


def readiness() -> tuple[bool, dict[str, str]]:
    """(ready, {check: "ok" or the reason}); later checks are skipped once the database fails."""
    checks: dict[str, str] = {}
    reason = _database()
    checks["database"] = reason or "ok"
    if reason is None:
        for name, check in (("migrations", _migrations), ("worker", _worker)):
            try:
                found = check()
            except Exception as error:
                found = f"{name} check failed ({type(error).__name__})"
            checks[name] = found or "ok"
    checks["cache"] = _cache() or "ok"
    return all(value == "ok" for value in checks.values()), checks


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    ready, checks = readiness()
    if ready:
        return JsonResponse({"status": "ready", "checks": checks})
    reasons = [value for value in checks.values() if value != "ok"]
    log.warning("not ready: %s", "; ".join(reasons))
    body = {"status": "not ready", "reasons": reasons, "checks": checks}
    response = JsonResponse(body, status=503)
    response._has_been_logged = True  # type: ignore[attr-defined]  # logged above, once
    return response


class Heartbeat:
    """Writes a worker's `WorkerHeartbeat` row every `interval` seconds from a daemon thread."""

    def __init__(self, worker_id: str, queues: str, interval: float) -> None:
        self.worker_id = worker_id
        self.queues = queues[:200]
        self.interval = max(1.0, interval)
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="parklink-heartbeat", daemon=True)

    def beat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "queues": self.queues,
                "started_at": self.started_at,
                "seen_at": now,
            },
        )
        # Rows of workers that died without saying goodbye are kept a day, then dropped.
        WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                close_old_connections()
                self.beat()
            except Exception:
                log.exception("heartbeat of worker %s not written", self.worker_id)
            finally:
                connections.close_all()
            self._stop.wait(self.interval)

    def start(self) -> None:
        self.beat()  # seen at once: a worker that cannot write its row does not start
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.interval + 5)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:
            log.exception("heartbeat of worker %s not removed", self.worker_id)
