"""Staff who are not installation administrators cannot choose who owns a park."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.test import Client

from parklink.parks.models import Park


class TestParkAdminOwner:
    def test_staff_officer_creates_parks_for_their_own_organisation(self, users, orgs):  # type: ignore[no-untyped-def]
        officer = users["dege"]
        officer.is_staff = True
        officer.save()
        officer.user_permissions.set(Permission.objects.filter(content_type__app_label="parks"))
        client = Client()
        client.force_login(officer)
        page = client.get("/admin/parks/park/add/").content.decode()
        assert 'name="owner"' not in page
        response = client.post(
            "/admin/parks/park/add/",
            {
                "name": "马尼干戈产业园",
                "kind": "industrial_park",
                "region": "513330",
                "owner": orgs["zhangye"].pk,  # ignored: the field is read-only
                **{
                    f"{prefix}-{key}": value
                    for prefix in ("industries", "resources", "indicators")
                    for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
                },
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        assert Park.objects.get(name="马尼干戈产业园").owner == orgs["dege"]
