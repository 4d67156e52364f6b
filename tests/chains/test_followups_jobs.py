"""Classification jobs are recorded with their own action, CLASSIFY (分类), not RUN (结算)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import translation

from parklink.accounts.models import Organization, User
from parklink.chains import tasks
from parklink.core.models import Job
from tests.chains.world import shipped_template
from tests.support import factories

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("parklink.chains.migrations.0002_classify_job_action")


def test_the_action_choices() -> None:
    assert Job.Action.values == ["validate", "import", "run", "classify"]
    with translation.override("zh-hans"):
        assert str(Job.Action.CLASSIFY.label) == "分类"
        assert str(Job.Action.RUN.label) == "结算"


def test_a_classification_job_is_a_classify_action(
    orgs: dict[str, Organization], users: dict[str, User]
) -> None:
    shipped_template()
    factories.enterprise(
        orgs["jinniu"], "金牛多晶硅有限公司", "510106", business_scope="多晶硅生产"
    )
    job = tasks.start(users["jinniu"])
    job.refresh_from_db()
    assert (job.kind, job.action, job.status) == ("chains-classify", "classify", Job.Status.DONE)
    with translation.override("zh-hans"):
        assert job.get_action_display() == "分类"
    assert tasks.latest(users["jinniu"]) == job


def test_earlier_classification_jobs_are_migrated_and_back(users: dict[str, User]) -> None:
    def job(kind: str, action: str) -> Job:
        return Job.objects.create(
            kind=kind, action=action, user=users["jinniu"], file_name="all", stored_name=""
        )

    old = job("chains-classify", "run")
    settlement = job("cobuild-run", "run")
    MIGRATION.forwards(django_apps, None)
    old.refresh_from_db()
    settlement.refresh_from_db()
    assert (old.action, settlement.action) == ("classify", "run")
    MIGRATION.backwards(django_apps, None)
    old.refresh_from_db()
    assert old.action == "run"
