"""Classifying the registry as a background job (django-tasks), its progress in a `core.Job`.

`start(user, changed_only=..., template_ids=...)` creates a `Job` of kind `chains-classify`
and queues `classify_job`; the task runs `services.classification.classify_registry` and
leaves `{"enterprises", "assignments", "seconds", "templates"}` or `{"error": {"zh", "en"}}` in
`job.result`. Progress (`done`/`total` in enterprises) is written after every batch: each
batch commits on its own, so the page sees it on SQLite and PostgreSQL alike.
`parklink db_worker` runs the queue; tests' immediate backend runs the job before `start`
returns.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.chains.services import classification
from parklink.core.errors import Forbidden
from parklink.core.models import Job

KIND = "chains-classify"
ACTION = Job.Action.CLASSIFY  # a job of this kind runs the classifier over the registry (分类)


def ensure_can_start(user: User) -> None:
    """Officers and admins of an organisation (or installation administrators) classify."""
    if user.is_superuser:
        return
    if user.organization_id is None:
        raise Forbidden("用户未关联任何机构。")
    ensure_can_write(user, user.organization_id)


def start(user: User, *, changed_only: bool = False, template_ids: list[int] | None = None) -> Job:
    ensure_can_start(user)
    job = Job.objects.create(
        kind=KIND,
        action=ACTION,
        user=user,
        owner_id=user.organization_id,
        file_name="changed" if changed_only else "all",
        stored_name="",
    )
    classify_job.enqueue(job.pk, changed_only, template_ids)
    job.refresh_from_db()
    return job


def latest(user: User) -> Job | None:
    return Job.objects.filter(kind=KIND).order_by("-created_at", "-pk").first()


@task()
def classify_job(job_id: int, changed_only: bool, template_ids: list[int] | None) -> None:
    def report(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.CHECKING, done=done, total=total, updated_at=timezone.now()
        )

    try:
        summary = classification.classify_registry(
            changed_only=changed_only, template_ids=template_ids, progress=report
        )
    except Exception:
        failure = {"zh": "后台分类出错,已完成的批次保留", "en": "classification failed"}
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, result={"error": failure}, finished_at=timezone.now()
        )
        raise
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE,
        result=summary.as_json(),
        done=summary.enterprises,
        total=summary.enterprises,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
