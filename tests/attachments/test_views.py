"""The panel on a project's page, upload by htmx, download headers, delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from parklink.accounts.models import User
from parklink.attachments.models import Attachment
from tests.attachments.conftest import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_file(client: Client, key: str, data: bytes, name: str, **extra: Any) -> Any:
    return client.post(
        "/attachments/upload/",
        {
            "home": key,
            "target": key,
            "kind": "agreement",
            "description": "正式稿",
            "file": SimpleUploadedFile(name, data, content_type="text/html"),
        },
        **extra,
    )


def test_upload_by_htmx_returns_the_panel_with_the_file(world: dict[str, Any]) -> None:
    client = logged_in(world["users"]["jinniu"])
    key = f"projects.project:{world['signed'].pk}"
    response = post_file(client, key, pdf_bytes(), "投资协议.pdf", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    made = Attachment.objects.get()
    assert 'id="attachments"' in html and "投资协议.pdf" in html and "投资协议" in html
    assert f"/attachments/{made.pk}/download/" in html
    assert made.mime == "application/pdf"  # not the text/html the browser claimed


def test_a_refused_upload_shows_the_reason_next_to_the_field(world: dict[str, Any]) -> None:
    client = logged_in(world["users"]["jinniu"])
    key = f"projects.project:{world['signed'].pk}"
    response = post_file(client, key, png_bytes(), "协议.pdf", HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "与内容不符" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_plain_upload_goes_back_to_the_record(world: dict[str, Any]) -> None:
    client = logged_in(world["users"]["jinniu"])
    key = f"projects.project:{world['signed'].pk}"
    response = post_file(client, key, pdf_bytes(), "a.pdf")
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{world['signed'].pk}/"


def test_the_record_page_lists_files_and_offers_upload_to_editors_only(
    world: dict[str, Any],
) -> None:
    owner = logged_in(world["users"]["jinniu"])
    key = f"projects.project:{world['signed'].pk}"
    post_file(owner, key, pdf_bytes(), "协议.pdf")
    url = f"/attachments/projects.project/{world['signed'].pk}/"
    page = owner.get(url).content.decode()
    assert "协议.pdf" in page and "data-upload-form" in page
    viewer = logged_in(world["users"]["jinniu_viewer"]).get(url).content.decode()
    assert "协议.pdf" in viewer and "data-upload-form" not in viewer


def test_downloads_are_attachments_and_images_inline_only_as_images(
    world: dict[str, Any],
) -> None:
    client = logged_in(world["users"]["jinniu"])
    key = f"projects.project:{world['signed'].pk}"
    post_file(client, key, pdf_bytes(), "投资协议.pdf")
    post_file(client, key, png_bytes(), "现场.png")
    pdf = Attachment.objects.get(file_type="pdf")
    png = Attachment.objects.get(file_type="png")
    response = client.get(f"/attachments/{pdf.pk}/download/?inline=1")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == pdf_bytes()
    shown = client.get(f"/attachments/{png.pk}/download/?inline=1")
    assert shown["Content-Disposition"].startswith("inline;")
    assert shown["Content-Type"] == "image/png"
    thumb = client.get(f"/attachments/{png.pk}/thumbnail/")
    assert thumb["Content-Type"] == "image/jpeg" and thumb["X-Content-Type-Options"] == "nosniff"


def test_delete_by_htmx(world: dict[str, Any]) -> None:
    client = logged_in(world["users"]["jinniu"])
    key = f"projects.project:{world['signed'].pk}"
    post_file(client, key, pdf_bytes(), "a.pdf")
    made = Attachment.objects.get()
    response = client.post(f"/attachments/{made.pk}/delete/", {"home": key}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "尚无附件" in response.content.decode()
    assert not Attachment.objects.exists()


def test_api_upload_list_download_delete(
    world: dict[str, Any], api_client: Callable[[User], Client]
) -> None:
    client = api_client(world["users"]["jinniu"])
    made = client.post(
        "/api/v1/attachments/",
        {
            "record": "projects.project",
            "record_id": world["signed"].pk,
            "kind": "approval",
            "file": SimpleUploadedFile("批复.pdf", pdf_bytes()),
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["file_type"] == "pdf" and body["kind"] == "approval"
    listing = client.get(
        f"/api/v1/attachments/?record=projects.project&record_id={world['signed'].pk}"
    ).json()
    assert [item["id"] for item in listing["items"]] == [body["id"]]
    download = client.get(body["download_url"])
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    bad = client.post(
        "/api/v1/attachments/",
        {
            "record": "projects.project",
            "record_id": world["signed"].pk,
            "file": SimpleUploadedFile("x.html", b"<html></html>"),
        },
    )
    assert bad.status_code == 400 and "网页" in bad.json()["message"]
    assert client.delete(f"/api/v1/attachments/{body['id']}").status_code == 204
    assert not Attachment.objects.exists()


def test_the_admin_lists_attachments_read_only(world: dict[str, Any]) -> None:
    owner = logged_in(world["users"]["jinniu"])
    post_file(owner, f"projects.project:{world['signed'].pk}", pdf_bytes(), "协议.pdf")
    admin = logged_in(world["users"]["root"])
    listing = admin.get("/admin/attachments/attachment/")
    assert listing.status_code == 200 and "协议.pdf" in listing.content.decode()
    assert admin.get("/admin/attachments/event/").status_code == 200
    assert admin.get("/admin/attachments/attachment/add/").status_code == 403


def test_the_project_page_shows_the_panel_with_the_upload_form(world: dict[str, Any]) -> None:
    client = logged_in(world["users"]["jinniu"])
    key = f"projects.project:{world['signed'].pk}"
    post_file(client, key, pdf_bytes(), "投资协议.pdf")
    page = client.get(f"/projects/{world['signed'].pk}/").content.decode()
    assert 'id="attachments"' in page and "投资协议.pdf" in page and "data-upload-form" in page
