"""The production web server: gunicorn running ParkLink's WSGI application.

`gunicorn_config` turns the settings (PARKLINK_BIND, PARKLINK_WORKERS, PARKLINK_TIMEOUT) and
the command line into gunicorn's configuration; `serve` runs it in the foreground until
SIGTERM/SIGINT (systemd stops it so; SIGHUP reloads the workers gracefully).
"""

from __future__ import annotations

import os
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from gunicorn.app.base import BaseApplication

_HOST_PORT = re.compile(r"^(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]*):(?P<port>\d{1,5})$")


def default_workers(cores: int | None = None) -> int:
    """Twice the cores plus one: while one worker waits on the database another computes."""
    found = cores if cores is not None else (os.cpu_count() or 1)
    return 2 * max(1, found) + 1


def check_bind(bind: str) -> str:
    """HOST:PORT ([::1]:PORT for IPv6) or unix:/path/to.sock, else a clear error."""
    if bind.startswith("unix:") and len(bind) > len("unix:"):
        return bind
    match = _HOST_PORT.match(bind)
    if match is None or not 0 < int(match["port"]) < 65536:
        raise ImproperlyConfigured(
            f"bind address must be HOST:PORT or unix:/path/to.sock, not {bind!r}"
        )
    return bind


def gunicorn_config(
    bind: str | None = None, workers: int | None = None, timeout: int | None = None
) -> dict[str, Any]:
    """gunicorn's settings: the arguments when given, else the settings, else the defaults."""
    chosen_bind = check_bind(bind or settings.PARKLINK_BIND)
    chosen_workers = workers or int(settings.PARKLINK_WORKERS) or default_workers()
    chosen_timeout = timeout or int(settings.PARKLINK_TIMEOUT)
    if chosen_workers < 1:
        raise ImproperlyConfigured("workers must be at least 1")
    if chosen_timeout < 1:
        raise ImproperlyConfigured("timeout must be at least 1 second")
    return {
        "bind": [chosen_bind],
        "workers": chosen_workers,
        "worker_class": "sync",
        "timeout": chosen_timeout,
        # A stopping worker finishes its request within this time.
        "graceful_timeout": min(30, chosen_timeout),
        # Keep-alive for nginx's upstream connections (a few seconds is plenty).
        "keepalive": 5,
        # A worker is replaced after this many requests (spread out): bounded memory growth.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        # gunicorn's own messages in ParkLink's log format; requests are logged by ParkLink
        # (slow ones, or all with PARKLINK_LOG_REQUESTS), and by nginx.
        "accesslog": None,
        "logconfig_dict": gunicorn_logging(),
        "proc_name": "parklink",
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
        # No control socket (gunicorn >= 25.1): its default path is per user, so two servers
        # of one user (web and a benchmark, two installations) would fight over it.
        "control_socket_disable": True,
    }


def gunicorn_logging() -> dict[str, Any]:
    formatter = settings.PARKLINK_LOG_FORMAT
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "parklink.core.observability.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "parklink.core.observability.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "filters": ["request_id"],
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }


class ParkLinkServer(BaseApplication):
    """gunicorn with a configuration given as a dict (no gunicorn command line is parsed)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.config.items():
            if value is not None and key in self.cfg.settings:  # older gunicorn: fewer keys
                self.cfg.set(key, value)

    def load(self) -> Any:
        # What parklink.wsgi builds (core may not import the entry modules above it).
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()


def serve(config: dict[str, Any]) -> None:
    """Run gunicorn in the foreground until it is stopped."""
    ParkLinkServer(config).run()
