"""Many files into the queue as a background job (django-tasks), with progress in a `core.Job`.

`start_ingest` stores the uploads in the user's own folder (core.jobs.upload_folder), creates
a Job of kind `intel-ingest` and queues `ingest_job`; the task reads file after file, extracts
32 articles at a time and stores them in order (each article its own transaction, so progress
is visible as each batch is stored: `ingest.ingest_files`) and leaves
`{"summary": {...}, "files": [{name, document, title, duplicate, items, error}]}` in
`job.result`. `parklink db_worker` runs the queue; the tests' immediate backend runs it before
`start_ingest` returns.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from django.utils import timezone
from django_tasks import task

from parklink.accounts.models import User
from parklink.core.errors import ParkLinkError
from parklink.core.jobs import error_texts, upload_folder
from parklink.core.models import Job
from parklink.intel.services import ingest

KIND = "intel-ingest"


def _folder(job: Job) -> Path:
    return upload_folder(job.user_id) / job.stored_name


def start_ingest(user: User, files: list[tuple[str, bytes]], owner_id: int | None = None) -> Job:
    """Store the files and queue their ingestion; the job to follow."""
    ingest.check_owner(user, owner_id)
    stored = f"intel-{uuid.uuid4().hex}"
    folder = upload_folder(user.pk) / stored
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for index, (name, data) in enumerate(files):
        clean = Path(name).name or f"file-{index}"
        (folder / f"{index:05d}-{clean}").write_bytes(data)
        names.append(clean)
    job = Job.objects.create(
        kind=KIND,
        action=Job.Action.IMPORT,
        user=user,
        owner_id=owner_id or user.organization_id,
        file_name="、".join(names)[:255],
        stored_name=stored,
        total=len(files),
    )
    ingest_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


@task()
def ingest_job(job_id: int) -> None:
    job = Job.objects.select_related("user").get(pk=job_id)
    folder = _folder(job)
    files = [(path.name.split("-", 1)[1], path.read_bytes()) for path in sorted(folder.iterdir())]

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.READING, done=done, total=total, updated_at=timezone.now()
        )

    try:
        outcomes = ingest.ingest_files(job.user, files, owner_id=job.owner_id, progress=progress)
        result = {
            "summary": ingest.summary(outcomes),
            "files": [o.as_json() for o in outcomes],
        }
        status = Job.Status.DONE
    except ParkLinkError as error:
        result, status = {"error": error_texts(error)}, Job.Status.FAILED
    except Exception:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            result={"error": {"zh": "后台任务出错", "en": "the job failed"}},
            finished_at=timezone.now(),
        )
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    Job.objects.filter(pk=job.pk).update(
        status=status, result=result, finished_at=timezone.now(), updated_at=timezone.now()
    )
