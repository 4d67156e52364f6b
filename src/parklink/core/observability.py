"""Logs an operator can follow: a request id on every line, JSON or text, slow work flagged.

- `RequestLogging` (the first middleware) gives each request an id: the caller's
  `X-Request-ID` when it is sane (a proxy or load balancer that already numbered the request),
  otherwise a new one. The id is on every log line written while the request runs, in the
  response's `X-Request-ID` header and on the error pages (`request_id_context`). A request
  slower than `PARKLINK_SLOW_REQUEST_MS` is logged as a warning with its time and query count.
- `RequestIdFilter` stamps each record with the current request id ("-" outside a request);
  `JsonFormatter` writes one JSON object per line (`PARKLINK_LOG_FORMAT=json`).
- Slow queries: every database connection of every process runs its statements through
  `slow_query`, which logs a statement slower than `PARKLINK_SLOW_QUERY_MS` (its SQL without
  the parameters, which may hold personal data). The wrapper is installed when logging is
  configured (`RequestIdFilter` is built by `LOGGING`), so web processes, task workers and
  commands all get it.
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

NO_REQUEST = "-"
HEADER = "X-Request-ID"
# A caller's id is kept when it is short and plain (letters, digits, . _ : -); anything else
# (too long, spaces, quotes, control characters) could forge log lines and is replaced.
_SANE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
_MAX_SQL_CHARS = 2000

request_id_var: ContextVar[str] = ContextVar("parklink_request_id", default=NO_REQUEST)
_queries_var: ContextVar[list[int] | None] = ContextVar("parklink_query_count", default=None)

request_log = logging.getLogger("parklink.requests")
query_log = logging.getLogger("parklink.sql")

# Attributes every LogRecord has; anything else on a record was passed as `extra=`.
_STANDARD = set(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys()
    | {"message", "asctime", "request_id"}
)


def current_request_id() -> str:
    return request_id_var.get()


def accepted_request_id(incoming: str | None) -> str:
    """The caller's id when it is sane, otherwise a fresh one (32 hex digits)."""
    if incoming and _SANE_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to each record; building it installs the slow-query wrapper."""

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        install_slow_query_log()

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False)


class RequestLogging:
    """Middleware: the request id, the `X-Request-ID` response header, slow requests."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accepted_request_id(request.headers.get(HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        id_token = request_id_var.set(request_id)
        queries: list[int] = [0]
        count_token = _queries_var.set(queries)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            elapsed_ms = (time.perf_counter() - started) * 1000
            self._log(request, response.status_code, elapsed_ms, queries[0])
            return response
        finally:
            _queries_var.reset(count_token)
            request_id_var.reset(id_token)

    @staticmethod
    def _log(request: HttpRequest, status: int, elapsed_ms: float, queries: int) -> None:
        threshold = int(getattr(settings, "PARKLINK_SLOW_REQUEST_MS", 0))
        slow = threshold > 0 and elapsed_ms >= threshold
        if not slow and not getattr(settings, "PARKLINK_LOG_REQUESTS", False):
            return
        fields = {
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round(elapsed_ms, 1),
            "queries": queries,
        }
        text = f"{request.method} {request.path} {status} {elapsed_ms:.1f} ms {queries} queries"
        if slow:
            request_log.warning("slow request: %s", text, extra=fields)
        else:
            request_log.info("%s", text, extra=fields)


def request_id_context(request: HttpRequest) -> dict[str, str]:
    """Template context: the request's id, which the error pages show."""
    return {"request_id": getattr(request, "request_id", request_id_var.get())}


def slow_query(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """Database execute wrapper: counts the request's queries, logs the slow ones."""
    counter = _queries_var.get()
    if counter is not None:
        counter[0] += 1
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        elapsed_ms = (time.perf_counter() - started) * 1000
        threshold = int(getattr(settings, "PARKLINK_SLOW_QUERY_MS", 0))
        if threshold > 0 and elapsed_ms >= threshold:
            connection = context.get("connection")
            alias = getattr(connection, "alias", "")
            text = str(sql)
            if len(text) > _MAX_SQL_CHARS:
                text = text[:_MAX_SQL_CHARS] + " …"
            query_log.warning(
                "slow query: %.1f ms on %s: %s",
                elapsed_ms,
                alias,
                text,
                extra={"duration_ms": round(elapsed_ms, 1), "database": alias, "sql": text},
            )


def _add_wrapper(connection: Any) -> None:
    if slow_query not in connection.execute_wrappers:
        connection.execute_wrappers.append(slow_query)


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    _add_wrapper(connection)


_installed = False


def install_slow_query_log() -> None:
    """Run every statement of every database connection through `slow_query` (once)."""
    global _installed
    if _installed:
        return
    from django.db import connections
    from django.db.backends.signals import connection_created

    connection_created.connect(_on_connection_created, dispatch_uid="parklink-slow-query")
    for connection in connections.all(initialized_only=True):
        _add_wrapper(connection)
    _installed = True
