"""`parklink worker`: the task worker (django-tasks-db's db_worker) with a heartbeat.

Run one or more on each worker machine, all against the same database: a task is claimed in
a locking transaction (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL), so two workers never
run the same task. The heartbeat row (`core.WorkerHeartbeat`) is what /readyz looks for.
Options are db_worker's (`--queue-name`, `--interval`, `--batch`, `--max-tasks`, …); code
reloading is off unless `--reload` is given.
"""

from __future__ import annotations

import os
import socket
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from parklink.core.health import Heartbeat


class Command(DatabaseWorkerCommand):
    help = "Runs background tasks (imports, ledger runs) and reports a heartbeat for /readyz."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False, worker_id=self._worker_id())

    @staticmethod
    def _worker_id() -> str:
        host = socket.gethostname().split(".")[0][:40] or "worker"
        return f"{host}-{os.getpid()}-{os.urandom(4).hex()}"[:64]

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("reload"):
            # The reloader runs the worker in a child process; the heartbeat belongs there.
            super().handle(*args, **options)
            return
        heartbeat = Heartbeat(
            worker_id=options["worker_id"],
            queues=str(options.get("queue_name") or "default"),
            interval=float(settings.PARKLINK_HEARTBEAT_SECONDS),
        )
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
