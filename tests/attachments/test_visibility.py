"""Another organisation cannot list, download or delete the files of a confidential project,
by page, by API, or by guessing URLs; a signed project's files follow its visibility."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from parklink.accounts.models import User
from parklink.attachments import services
from parklink.attachments.models import Attachment
from tests.attachments.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(world: dict[str, Any]) -> Attachment:
    user = world["users"]["jinniu"]
    found = services.target(user, "projects.project", world["lead"].pk)
    return services.upload(user, found, io.BytesIO(pdf_bytes("secret")), name="意向书.pdf")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_owner_sees_and_others_do_not(world: dict[str, Any], secret: Attachment) -> None:
    users = world["users"]
    assert list(services.visible_attachments(users["jinniu"])) == [secret]
    for outsider in ("qingbaijiang", "city", "province", "dege"):
        assert not services.visible_attachments(users[outsider]).exists()
    assert list(services.visible_attachments(users["root"])) == [secret]


def test_pages_refuse_outsiders_with_a_404(world: dict[str, Any], secret: Attachment) -> None:
    client = logged_in(world["users"]["qingbaijiang"])
    lead = world["lead"].pk
    assert client.get(f"/attachments/{secret.pk}/download/").status_code == 404
    assert client.get(f"/attachments/{secret.pk}/thumbnail/").status_code == 404
    assert client.get(f"/attachments/projects.project/{lead}/").status_code == 404
    response = client.post(
        f"/attachments/{secret.pk}/delete/", {"home": f"projects.project:{lead}"}
    )
    assert response.status_code == 404
    response = client.post(
        "/attachments/upload/",
        {
            "home": f"projects.project:{lead}",
            "target": f"projects.project:{lead}",
            "kind": "other",
            "file": io.BytesIO(pdf_bytes()),
        },
    )
    assert response.status_code == 404
    assert Attachment.objects.count() == 1


def test_the_api_refuses_outsiders_with_a_404(
    world: dict[str, Any], secret: Attachment, api_client: Callable[[User], Client]
) -> None:
    client = api_client(world["users"]["city"])
    assert client.get("/api/v1/attachments/").json()["count"] == 0
    lead = world["lead"].pk
    listing = client.get(f"/api/v1/attachments/?record=projects.project&record_id={lead}")
    assert listing.status_code == 404
    assert client.get(f"/api/v1/attachments/{secret.pk}").status_code == 404
    assert client.get(f"/api/v1/attachments/{secret.pk}/download").status_code == 404
    assert client.delete(f"/api/v1/attachments/{secret.pk}").status_code == 404
    assert Attachment.objects.count() == 1


def test_a_signed_projects_files_are_seen_above_but_changed_only_by_the_owner(
    world: dict[str, Any], api_client: Callable[[User], Client]
) -> None:
    owner = world["users"]["jinniu"]
    found = services.target(owner, "projects.project", world["signed"].pk)
    made = services.upload(owner, found, io.BytesIO(pdf_bytes()), name="协议.pdf")
    city = api_client(world["users"]["city"])
    assert city.get(f"/api/v1/attachments/{made.pk}").status_code == 200
    assert city.delete(f"/api/v1/attachments/{made.pk}").status_code == 403
    assert Attachment.objects.filter(pk=made.pk).exists()
