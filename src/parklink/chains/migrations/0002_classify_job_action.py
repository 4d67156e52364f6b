"""Classification jobs recorded before `core.Job.Action.CLASSIFY` existed were stored as RUN
(结算): they become CLASSIFY, so the job lists name them 分类. Reversible."""

from __future__ import annotations

from typing import Any

from django.db import migrations

KIND = "chains-classify"


def forwards(apps: Any, schema_editor: Any) -> None:
    job = apps.get_model("core", "Job")
    job.objects.filter(kind=KIND, action="run").update(action="classify")


def backwards(apps: Any, schema_editor: Any) -> None:
    job = apps.get_model("core", "Job")
    job.objects.filter(kind=KIND, action="classify").update(action="run")


class Migration(migrations.Migration):
    dependencies = [
        ("chains", "0001_initial"),
        ("core", "0005_job_action_classify"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
