"""Background jobs: checking and importing a stored upload as a django-tasks task, with progress.

A view creates a `Job` for the stored file and `start`s it; the task (`run_job`) builds the
kind's importer from the registry, runs `core.imports.validate` or `run` with a progress
callback that updates the job, and leaves the report (or the refusal) in `job.result`.
Imports stay all-or-nothing: the task runs the same engine as the command and the page.

Web processes and workers on different machines: when the default storage is not this
machine's MEDIA_ROOT (PARKLINK_STORAGE_URL names a bucket), `start` hands the stored upload
over through it (`imports/<user>/<name>`), and the worker that finds no local copy takes it
from there, works on a copy of its own, and removes both copies when it is done.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.utils import timezone
from django_tasks import task

from parklink.core import imports
from parklink.core.errors import ParkLinkError
from parklink.core.models import Job
from parklink.core.registry import registry

# A job keeps at most this many problems (and counts them all); a page could show no more.
MAX_STORED_PROBLEMS = 1000
_PHASES = {"read": Job.Status.READING, "check": Job.Status.CHECKING, "write": Job.Status.WRITING}


def upload_folder(user_id: int) -> Path:
    """Where a user's uploads wait between checking and importing (theirs alone)."""
    return Path(settings.MEDIA_ROOT) / "imports" / str(user_id)


def job_file(job: Job) -> Path:
    return upload_folder(job.user_id) / job.stored_name


def error_texts(error: ParkLinkError) -> dict[str, str]:
    """A refusal in both languages (the English one when the error carries it)."""
    detail = error.detail if isinstance(error.detail, dict) else {}
    english = getattr(error, "message_en", None) or detail.get("en") or error.message
    return {"zh": error.message, "en": str(english)}


def shared_storage() -> Storage | None:
    """The storage that carries uploads between machines, or None when it is MEDIA_ROOT itself
    (one machine, or a shared mount: every process already sees the file)."""
    storage = default_storage
    local = isinstance(storage, FileSystemStorage) and (
        Path(storage.location).resolve() == Path(settings.MEDIA_ROOT).resolve()
    )
    return None if local else storage


def _shared_name(job: Job) -> str:
    return f"imports/{job.user_id}/{job.stored_name}"


def hand_over(job: Job) -> None:
    """Put the job's upload where a worker on another machine finds it (a shared storage)."""
    storage = shared_storage()
    path = job_file(job)
    if storage is None or not path.is_file():
        return
    name = _shared_name(job)
    if storage.exists(name):
        storage.delete(name)
    with path.open("rb") as handle:
        saved = storage.save(name, File(handle, name=path.name))
    if saved != name:  # another job's file under the same random name: never expected
        storage.delete(saved)
        raise RuntimeError(f"upload {name} stored as {saved}")


def _take_over(job: Job, path: Path) -> bool:
    """Fetch the upload from the shared storage when this machine has no copy; True if so."""
    storage = shared_storage()
    if storage is None or path.is_file() or not storage.exists(_shared_name(job)):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with storage.open(_shared_name(job), "rb") as source, partial.open("wb") as target:
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            target.write(chunk)
    partial.replace(path)
    return True


def _release(job: Job) -> None:
    storage = shared_storage()
    if storage is not None and storage.exists(_shared_name(job)):
        storage.delete(_shared_name(job))


def start(job: Job) -> Job:
    """Queue the job's task; with the immediate backend (tests) it has finished on return."""
    hand_over(job)
    run_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _progress(job: Job) -> imports.Progress:
    def report(phase: str, rows: int) -> None:
        status = _PHASES.get(phase, Job.Status.READING)
        Job.objects.filter(pk=job.pk).update(
            status=status, done=rows, total=max(job.total, rows), updated_at=timezone.now()
        )

    return report


def _work(job: Job, path: Path) -> dict[str, Any]:
    """Run the job's phase over its file; the report as JSON."""
    build = registry.tabular[job.kind].importer
    if build is None:
        raise LookupError(f"{job.kind} cannot be imported")
    importer = build(job.user, job.owner)
    phase = imports.run if job.action == Job.Action.IMPORT else imports.validate
    report = phase(
        importer,
        path,
        fmt=path.suffix.lstrip("."),
        name=job.file_name,
        limits=imports.import_limits(),
        progress=_progress(job),
    )
    return report.as_json(MAX_STORED_PROBLEMS)


@task()
def run_job(job_id: int) -> None:
    """Check or import the job's file; the stored copy is kept only for a confirmation."""
    job = Job.objects.select_related("user", "owner").get(pk=job_id)
    path = job_file(job)
    # A copy fetched from the shared storage is this worker's alone: never kept.
    fetched = _take_over(job, path)
    keep = False
    try:
        result = _work(job, path)
        keep = job.action == Job.Action.VALIDATE and not result["problems"]
        status = Job.Status.DONE
    except ParkLinkError as error:
        result, status = {"error": error_texts(error)}, Job.Status.FAILED
    except Exception:
        failure = {
            "zh": "后台任务出错,没有写入任何数据",
            "en": "the job failed; nothing was written",
        }
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, result={"error": failure}, finished_at=timezone.now()
        )
        path.unlink(missing_ok=True)
        raise
    finally:
        if fetched or not keep:
            path.unlink(missing_ok=True)
        _release(job)
    Job.objects.filter(pk=job.pk).update(
        status=status, result=result, finished_at=timezone.now(), updated_at=timezone.now()
    )
