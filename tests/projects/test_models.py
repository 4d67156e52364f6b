"""Project models: their choices, and the data migrations that keep stored values among them."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from parklink.projects.models import LeadSource, Project
from tests.support import factories

pytestmark = pytest.mark.django_db


class TestLeadSource:
    def test_resident_teams_and_liaison_offices_are_one_choice(self) -> None:
        labels = [str(label) for label in LeadSource.labels]
        assert [label for label in labels if "驻点" in label] == ["驻点/联络点招商"]

    def test_the_migration_maps_the_old_resident_team_value(self, users, today) -> None:  # type: ignore[no-untyped-def]
        project = factories.project(users["jinniu"], "驻点项目", on=today, days_ago=3)
        Project.objects.filter(pk=project.pk).update(lead_source="resident_team")
        project.history.update(lead_source="resident_team")
        migration = import_module(
            "parklink.projects.migrations.0005_lead_source_one_liaison_choice"
        )
        migration.merge_resident_team(apps, None)
        project.refresh_from_db()
        assert project.lead_source == LeadSource.LIAISON_OFFICE
        assert set(project.history.values_list("lead_source", flat=True)) == {"liaison_office"}
