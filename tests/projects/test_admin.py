"""The admin applies the same visibility and ownership rules as the API and the pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from parklink.projects import services
from parklink.projects.models import AgeingPolicy, Milestone, Project


@pytest.fixture
def staff(users):  # type: ignore[no-untyped-def]
    """Officers who may use the admin with full model permissions on projects."""
    perms = Permission.objects.filter(content_type__app_label="projects")
    for key in ("jinniu", "city", "zhangye"):
        user = users[key]
        user.is_staff = True
        user.save()
        user.user_permissions.set(perms)
    return users


@pytest.fixture
def secret(staff, today):  # type: ignore[no-untyped-def]
    return services.create_project(
        staff["jinniu"],
        name="保密在谈项目",
        region_id="510106",
        stage="negotiating",
        stage_date=today,
    )


@pytest.fixture
def signed(staff, today):  # type: ignore[no-untyped-def]
    return services.create_project(
        staff["jinniu"], name="已签约公开项目", region_id="510106", stage="signed", stage_date=today
    )


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


class TestProjectAdmin:
    def test_changelist_hides_other_organisations_confidential_projects(
        self, staff, secret, signed
    ):  # type: ignore[no-untyped-def]
        page = client_for(staff["zhangye"]).get("/admin/projects/project/")
        assert page.status_code == 200
        assert secret.name not in page.content.decode() and signed.name not in page.content.decode()
        city_page = client_for(staff["city"]).get("/admin/projects/project/").content.decode()
        assert signed.name in city_page and secret.name not in city_page

    def test_confidential_change_page_is_not_reachable(self, staff, secret):  # type: ignore[no-untyped-def]
        response = client_for(staff["city"]).get(f"/admin/projects/project/{secret.pk}/change/")
        # Django's admin answers a row outside get_queryset() by redirecting to the index
        # with "doesn't exist" — the same answer as for a missing id.
        missing = client_for(staff["city"]).get("/admin/projects/project/999999/change/")
        assert response.status_code == missing.status_code == 302
        assert secret.name not in response.content.decode()

    def test_visible_project_of_another_organisation_is_read_only(self, staff, signed):  # type: ignore[no-untyped-def]
        client = client_for(staff["city"])
        page = client.get(f"/admin/projects/project/{signed.pk}/change/")
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        response = client.post(f"/admin/projects/project/{signed.pk}/change/", {"name": "被改名"})
        assert response.status_code == 403
        signed.refresh_from_db()
        assert signed.name == "已签约公开项目"

    def test_owner_can_edit_in_the_admin(self, staff, signed):  # type: ignore[no-untyped-def]
        page = client_for(staff["jinniu"]).get(f"/admin/projects/project/{signed.pk}/change/")
        assert page.status_code == 200 and 'name="_save"' in page.content.decode()

    def test_milestones_of_others_are_not_listed(self, staff, secret, today):  # type: ignore[no-untyped-def]
        services.add_milestone(staff["jinniu"], secret, "保密节点", today)
        page = client_for(staff["city"]).get("/admin/projects/milestone/").content.decode()
        assert "保密节点" not in page

    def test_history_of_a_confidential_project_reads_as_missing(self, staff, secret):  # type: ignore[no-untyped-def]
        client = client_for(staff["zhangye"])
        version = secret.history.latest("history_date").history_id
        hidden = client.get(f"/admin/projects/project/{secret.pk}/history/")
        missing = client.get("/admin/projects/project/999999/history/")
        assert hidden.status_code == missing.status_code == 404
        assert secret.name not in hidden.content.decode()
        form = client.get(f"/admin/projects/project/{secret.pk}/history/{version}/")
        assert form.status_code == 404 and secret.name not in form.content.decode()

    def test_owner_still_reads_its_project_history(self, staff, secret):  # type: ignore[no-untyped-def]
        page = client_for(staff["jinniu"]).get(f"/admin/projects/project/{secret.pk}/history/")
        assert page.status_code == 200 and secret.name in page.content.decode()

    def test_history_of_a_malformed_id_is_not_found(self, staff):  # type: ignore[no-untyped-def]
        response = client_for(staff["zhangye"]).get("/admin/projects/project/abc/history/")
        assert response.status_code == 404


EMPTY_INLINES = {
    f"{prefix}-{key}": 0
    for prefix in ("transitions", "milestones", "approvals", "funds")
    for key in ("TOTAL_FORMS", "INITIAL_FORMS")
}


class TestProjectAdminOwnership:
    def test_officer_cannot_create_a_project_for_another_organisation(self, staff, orgs):  # type: ignore[no-untyped-def]
        client = client_for(staff["zhangye"])
        client.post(
            "/admin/projects/project/add/",
            {
                "name": "塞给金牛的项目",
                "owner": orgs["jinniu"].pk,
                "region": "620700",
                **EMPTY_INLINES,
            },
        )
        created = Project.objects.get(name="塞给金牛的项目")
        assert created.owner_id == orgs["zhangye"].pk

    def test_officer_cannot_hand_a_project_to_another_organisation(self, staff, orgs, signed):  # type: ignore[no-untyped-def]
        client = client_for(staff["jinniu"])
        page = client.get(f"/admin/projects/project/{signed.pk}/change/").content.decode()
        assert 'name="owner"' not in page
        client.post(
            f"/admin/projects/project/{signed.pk}/change/",
            {"name": signed.name, "owner": orgs["zhangye"].pk, "region": "510106", **EMPTY_INLINES},
        )
        signed.refresh_from_db()
        assert signed.owner_id == orgs["jinniu"].pk

    def test_project_added_in_the_admin_starts_its_stage_history(self, staff):  # type: ignore[no-untyped-def]
        client_for(staff["zhangye"]).post(
            "/admin/projects/project/add/",
            {"name": "后台录入项目", "region": "620700", **EMPTY_INLINES},
        )
        created = Project.objects.get(name="后台录入项目")
        assert [(t.from_stage, t.to_stage) for t in created.transitions.all()] == [("", "lead")]


class TestProjectChildAdmin:
    def test_project_picker_offers_only_own_projects(self, staff, secret):  # type: ignore[no-untyped-def]
        page = client_for(staff["zhangye"]).get("/admin/projects/milestone/add/")
        assert page.status_code == 200 and secret.name not in page.content.decode()

    def test_milestone_cannot_be_added_to_another_organisations_project(self, staff, secret, today):  # type: ignore[no-untyped-def]
        client_for(staff["zhangye"]).post(
            "/admin/projects/milestone/add/",
            {"project": secret.pk, "name": "外来节点", "due_on": today.isoformat()},
        )
        assert not Milestone.objects.filter(project=secret).exists()

    def test_stage_history_cannot_be_written_in_the_admin(self, staff, signed):  # type: ignore[no-untyped-def]
        client = client_for(staff["jinniu"])
        record = signed.transitions.get()
        assert client.get("/admin/projects/stagetransition/add/").status_code == 404
        page = client.get(f"/admin/projects/stagetransition/{record.pk}/change/")
        assert page.status_code == 404

    def test_owner_can_still_delete_a_project_with_its_history(self, staff, signed):  # type: ignore[no-untyped-def]
        response = client_for(staff["jinniu"]).post(
            f"/admin/projects/project/{signed.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 302
        assert not Project.objects.filter(pk=signed.pk).exists()


class TestAgeingPolicyAdmin:
    def test_officer_sees_and_sets_only_own_organisations_thresholds(self, staff, orgs):  # type: ignore[no-untyped-def]
        AgeingPolicy.objects.create(organization=orgs["jinniu"], yellow_months=1, red_months=2)
        client = client_for(staff["zhangye"])
        listing = client.get("/admin/projects/ageingpolicy/").content.decode()
        assert orgs["jinniu"].name not in listing
        form = client.get("/admin/projects/ageingpolicy/add/").content.decode()
        assert orgs["jinniu"].name not in form
        client.post(
            "/admin/projects/ageingpolicy/add/",
            {
                "organization": orgs["jinniu"].pk,
                "yellow_months": 1,
                "red_months": 2,
                "removal_months": 3,
            },
        )
        policy = AgeingPolicy.objects.get(organization=orgs["jinniu"])
        assert (policy.yellow_months, policy.red_months, policy.removal_months) == (1, 2, 6)

    def test_thresholds_that_do_not_rise_are_refused_next_to_the_form(self, staff, orgs):  # type: ignore[no-untyped-def]
        response = client_for(staff["jinniu"]).post(
            "/admin/projects/ageingpolicy/add/",
            {
                "organization": orgs["jinniu"].pk,
                "yellow_months": 3,
                "red_months": 2,
                "removal_months": 6,
            },
        )
        assert response.status_code == 200  # the form again, with the error
        assert not AgeingPolicy.objects.filter(organization=orgs["jinniu"]).exists()
        # and the project list keeps working for the organisation
        assert client_for(staff["jinniu"]).get("/projects/").status_code == 200
