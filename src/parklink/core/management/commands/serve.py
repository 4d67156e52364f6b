"""`parklink serve [--bind HOST:PORT] [--workers N] [--timeout S]`: the production server.

gunicorn with N worker processes (default PARKLINK_WORKERS, else twice the cores plus one),
listening on PARKLINK_BIND (default 127.0.0.1:8000), replacing a worker whose request takes
longer than PARKLINK_TIMEOUT seconds (default 60). Static files are served by WhiteNoise from
STATIC_ROOT: run `parklink collectstatic` after each install or upgrade.
"""

from __future__ import annotations

from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from parklink.core import serving


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError as error:
        raise ArgumentTypeError(f"{value!r} is not a whole number") from error
    if number < 1:
        raise ArgumentTypeError(f"{value!r} must be at least 1")
    return number


class Command(BaseCommand):
    help = "Serves ParkLink with gunicorn (the production server)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--bind", help="HOST:PORT or unix:/path (PARKLINK_BIND)")
        parser.add_argument("--workers", type=positive, help="worker processes (PARKLINK_WORKERS)")
        parser.add_argument(
            "--timeout", type=positive, help="seconds per request (PARKLINK_TIMEOUT)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            config = serving.gunicorn_config(
                bind=options.get("bind"),
                workers=options.get("workers"),
                timeout=options.get("timeout"),
            )
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if settings.DEBUG:
            self.stderr.write("PARKLINK_DEBUG is on: never serve real users in debug mode.")
        self.stdout.write(
            f"ParkLink on {config['bind'][0]}: {config['workers']} workers, "
            f"timeout {config['timeout']} s"
        )
        self.stdout.flush()
        serving.serve(config)
