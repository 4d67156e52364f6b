"""What projects show on park and enterprise pages and lists, registered rather than imported."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from parklink.core.registry import registry
from parklink.parks.models import Park
from parklink.projects import panels
from tests.projects import projectworld

pytestmark = pytest.mark.django_db


class TestRegistered:
    def test_the_park_page_gets_a_stat_card_a_button_and_a_section(self) -> None:
        found = {
            (p.slot, p.template) for p in registry.panels_for("parks.park") if p.key == "projects"
        }
        assert {slot for slot, _template in found} == {"stats", "actions", "section"}
        assert all(template.startswith("projects/panels/") for _slot, template in found)

    def test_the_enterprise_page_gets_a_section(self) -> None:
        mine = [p for p in registry.panels_for("enterprises.enterprise") if p.key == "projects"]
        assert [(p.slot, p.template.split("/")[0]) for p in mine] == [("section", "projects")]

    def test_both_lists_sort_by_visible_projects_as_before(self) -> None:
        assert registry.column_sorts("parks.park") == {"projects": "project_total"}
        assert registry.column_sorts("enterprises.enterprise") == {"projects": "project_count"}


class TestParkPanel:
    def test_the_three_panels_read_the_projects_once(self, users, today) -> None:  # type: ignore[no-untyped-def]
        world = projectworld.build(users, today)
        request = RequestFactory().get("/")
        request.user = users["jinniu"]
        park = Park.objects.get(pk=world.parks["jinniu"].pk)
        first = panels.park_panel(request, park)
        with CaptureQueriesContext(connection) as captured:
            again = panels.park_panel(request, park)
        assert again["projects"] is first["projects"] and len(captured) == 0
        assert first["projects"]["list_url"].endswith(f"?park={park.pk}")

    def test_another_organisation_does_not_count_confidential_projects(self, users, today) -> None:  # type: ignore[no-untyped-def]
        world = projectworld.build(users, today)
        counts = {}
        for who in ("jinniu", "city"):
            request = RequestFactory().get("/")
            request.user = users[who]
            park = Park.objects.get(pk=world.parks["jinniu"].pk)
            counts[who] = panels.park_panel(request, park)["projects"]["count"]
        assert counts["city"] < counts["jinniu"]


class TestProjectPagePanels:
    """Other apps put buttons and sections on the project page by registering panels."""

    def test_both_slots_render_what_is_registered_and_nothing_for_none(  # type: ignore[no-untyped-def]
        self, users, today, client, tmp_path, settings
    ) -> None:
        from parklink.core.registry import Panel

        (tmp_path / "probe").mkdir()
        (tmp_path / "probe" / "button.html").write_text('<a id="probe-button">探针按钮</a>')
        (tmp_path / "probe" / "section.html").write_text(
            '<section id="probe-section">{{ n }}</section>'
        )
        settings.TEMPLATES = [
            {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], str(tmp_path)]}
        ]
        world = projectworld.build(users, today)
        project = world.projects["signed"]
        added = [
            registry.panels.add(
                Panel("projects.project", "probe", "probe/button.html", lambda r, o: {}, "actions")
            ),
            registry.panels.add(
                Panel("projects.project", "probe", "probe/section.html", lambda r, o: {"n": o.pk})
            ),
            registry.panels.add(
                Panel("projects.project", "hidden", "probe/section.html", lambda r, o: None)
            ),
        ]
        try:
            client.force_login(users["jinniu"])
            html = client.get(f"/projects/{project.pk}/").content.decode()
        finally:
            for panel in added:
                registry.panels.remove(f"{panel.target}:{panel.slot}:{panel.key}")
        assert 'id="probe-button"' in html
        assert f'<section id="probe-section">{project.pk}</section>' in html
        assert html.count('id="probe-section"') == 1
