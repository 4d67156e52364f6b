"""core.jobs: a job checks or imports its stored file through the registry's kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from parklink.accounts.models import User
from parklink.core.jobs import start, upload_folder
from parklink.core.models import Job


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def stored(user: User, text: str, name: str = "a" * 32 + ".enterprises.csv") -> str:
    folder = upload_folder(user.pk)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return name


@pytest.mark.django_db
class TestRunJob:
    def test_a_good_check_keeps_the_file_and_its_report(self, users: dict[str, User]) -> None:
        user = users["jinniu"]
        name = stored(user, "企业名称,注册地\n成都某某科技有限公司,510106\n")
        job = Job.objects.create(
            kind="enterprises", action="validate", user=user, file_name="名单.csv", stored_name=name
        )
        job = start(job)
        assert job.status == Job.Status.DONE and job.finished_at is not None
        assert job.result["rows_read"] == 1 and job.result["problems"] == []
        assert (upload_folder(user.pk) / name).exists()

    def test_a_refusal_fails_the_job_in_both_languages_and_removes_the_file(
        self, users: dict[str, User]
    ) -> None:
        user = users["jinniu_viewer"]
        name = stored(user, "企业名称,注册地\n成都某某科技有限公司,510106\n")
        job = Job.objects.create(
            kind="enterprises", action="import", user=user, file_name="名单.csv", stored_name=name
        )
        job = start(job)
        assert job.status == Job.Status.FAILED
        assert "只能查看" in job.result["error"]["zh"] and "officer" in job.result["error"]["en"]
        assert not (upload_folder(user.pk) / name).exists()
