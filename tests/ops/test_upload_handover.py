"""Uploads handed from a web machine to a worker on another machine through the storage.

Two machines are two MEDIA_ROOT folders; the shared storage (a bucket in production) is a
third folder, configured as the default storage as PARKLINK_STORAGE_URL would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings

from parklink.accounts.models import User
from parklink.core import jobs
from parklink.core.models import Job

GOOD = "企业名称,注册地\n成都某某科技有限公司,510106\n"
NAME = "b" * 32 + ".enterprises.csv"


def bucket(folder: Path) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def upload_on_web_machine(user: User, text: str) -> Path:
    folder = jobs.upload_folder(user.pk)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / NAME
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
class TestHandOver:
    def test_a_worker_without_the_file_takes_it_from_the_storage(
        self, users: dict[str, User], tmp_path: Path, monkeypatch: Any
    ) -> None:
        user = users["jinniu"]
        queued: list[int] = []
        task = jobs.run_job

        class Queue:  # the database queue: the job waits for a worker elsewhere
            enqueue = staticmethod(queued.append)

        monkeypatch.setattr(jobs, "run_job", Queue)
        with override_settings(STORAGES=bucket(tmp_path / "bucket")):
            with override_settings(MEDIA_ROOT=tmp_path / "web"):
                local = upload_on_web_machine(user, GOOD)
                job = Job.objects.create(
                    kind="enterprises", action="validate", user=user, file_name="名单.csv",
                    stored_name=NAME,
                )  # fmt: skip
                jobs.start(job)
            assert queued == [job.pk]
            assert default_storage.exists(f"imports/{user.pk}/{NAME}")
            with override_settings(MEDIA_ROOT=tmp_path / "worker"):
                task.call(job.pk)
            job.refresh_from_db()
            assert job.status == Job.Status.DONE
            assert job.result["rows_read"] == 1 and job.result["problems"] == []
            # The worker's copy and the hand-over copy are gone; the web machine keeps its
            # own for the confirmation.
            assert not (tmp_path / "worker" / "imports" / str(user.pk) / NAME).exists()
            assert not default_storage.exists(f"imports/{user.pk}/{NAME}")
            assert local.exists()

    def test_one_machine_hands_nothing_over(
        self, users: dict[str, User], tmp_path: Path, settings: Any
    ) -> None:
        settings.MEDIA_ROOT = tmp_path / "media"
        assert jobs.shared_storage() is None
        user = users["jinniu"]
        upload_on_web_machine(user, GOOD)
        job = Job.objects.create(
            kind="enterprises", action="validate", user=user, file_name="名单.csv",
            stored_name=NAME,
        )  # fmt: skip
        job = jobs.start(job)  # the immediate backend: done on return
        assert job.status == Job.Status.DONE
        assert sorted(
            p.name for p in (tmp_path / "media" / "imports" / str(user.pk)).iterdir()
        ) == [NAME]
