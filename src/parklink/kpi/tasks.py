"""Reports made in the background (django-tasks): the page queues, a worker writes.

`services.generated.request_report` records a pending `GeneratedReport` and queues
`make_report`; the worker (`parklink db_worker`) makes the file as the requesting user sees the
organisation's work, writes it into storage and marks the row ready (or failed, with the
reason). The tests' immediate backend runs the task before the request returns.
"""

from __future__ import annotations

from django_tasks import task

from parklink.accounts.models import User
from parklink.core.errors import ParkLinkError
from parklink.kpi.models import GeneratedReport, ReportStatus


@task()
def make_report(report_id: int, user_id: int) -> None:
    from parklink.kpi.services import generated

    row = GeneratedReport.objects.select_related("organization").filter(pk=report_id).first()
    if row is None or row.status != ReportStatus.PENDING:
        return  # replaced by a newer request, or already made
    user = User.objects.select_related("organization__region").get(pk=user_id)
    try:
        generated.fill(row, user)
    except ParkLinkError as error:
        GeneratedReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=error.message[:500]
        )
    except Exception:
        GeneratedReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error="生成出错,请稍后重试"
        )
        raise
