"""Large ledger runs as background jobs (django-tasks), with their progress in a `core.Job`.

`start_run(user, agreement, period)` checks what a run refuses before it reads anything
(`runs.check_may_run`), creates a `Job` of kind `cobuild-run` and queues `run_ledger`; the task
runs `runs.run_period` and leaves `{"run": id, "allocations": n, "allocations_digest": ...}` or
`{"error": {"zh", "en"}}` in `job.result`. `parklink db_worker` runs the queue; the tests'
immediate backend runs the task before `start_run` returns.

Progress (`job.done`/`job.total`, in rows; the status says reading, splitting or writing) is
written on a second connection on PostgreSQL, since the run's own transaction is not visible
until it commits; SQLite allows one writer at a time, so there the job goes from queued to done.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django_tasks import task

from parklink.accounts.models import User
from parklink.cobuild.models import Agreement
from parklink.cobuild.services import runs
from parklink.core.errors import ParkLinkError
from parklink.core.jobs import error_texts
from parklink.core.models import Job

KIND = "cobuild-run"
ACTION = Job.Action.RUN  # a job of this kind settles a period
PHASES = {"read": Job.Status.READING, "split": Job.Status.CHECKING, "write": Job.Status.WRITING}
EVERY = 1.0  # seconds between two progress writes


def start_run(user: User, agreement: Agreement, period: str) -> Job:
    """Queue a run of `period` (refusals that need no reading are raised here, not queued)."""
    checked = runs.check_may_run(user, agreement, period)
    job = Job.objects.create(
        kind=KIND,
        action=ACTION,
        user=user,
        owner_id=user.organization_id,
        file_name=f"{agreement.pk}:{checked.label}",
        stored_name="",
    )
    run_ledger.enqueue(job.pk, agreement.pk, checked.label)
    job.refresh_from_db()
    return job


def _reporter(job_id: int) -> tuple[Callable[[str, int, int], None], Callable[[], None]]:
    """(report(phase, done, total), close) writing the job's progress where others can see it."""
    if connection.vendor != "postgresql":
        return (lambda phase, done, total: None), (lambda: None)
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    table = Job._meta.db_table
    last = [0.0]

    def report(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < EVERY and done < total:
            return
        last[0] = now
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = %s, done = %s, total = %s, updated_at = %s "
                "WHERE id = %s",
                [PHASES.get(phase, Job.Status.READING), done, total, timezone.now(), job_id],
            )

    return report, side.close


@task()
def run_ledger(job_id: int, agreement_id: int, period: str) -> None:
    """Settle `period` of the agreement as the job's user; the outcome in `job.result`."""
    job = Job.objects.select_related("user").get(pk=job_id)
    report, close = _reporter(job_id)
    result: dict[str, Any]
    try:
        agreement = Agreement.objects.get(pk=agreement_id)
        run = runs.run_period(job.user, agreement, period, progress=report)
        count = run.allocations.count()
        result = {
            "run": run.pk,
            "period": run.period_label,
            "allocations": count,
            "unmatched": len(run.unmatched),
            "allocations_digest": run.allocations_digest,
        }
        status, done = Job.Status.DONE, len(run.input_record_ids())
    except ParkLinkError as error:
        result, status, done = {"error": error_texts(error)}, Job.Status.FAILED, 0
    except Exception:
        failure = {"zh": "后台结算出错,没有保存结算结果", "en": "the run failed; nothing was saved"}
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, result={"error": failure}, finished_at=timezone.now()
        )
        raise
    finally:
        close()
    Job.objects.filter(pk=job_id).update(
        status=status,
        result=result,
        done=done,
        total=max(done, job.total),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
