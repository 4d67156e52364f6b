"""Storing, limits, history, deletion and backups of attachments (real files on disk)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings

from parklink.attachments import services
from parklink.attachments.models import Attachment, Event
from parklink.core import backup
from parklink.core.errors import Forbidden, Invalid, NotFound
from parklink.projects.models import FundsInPlace
from tests.attachments.conftest import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def put(world: dict[str, Any], data: bytes, name: str, **kw: Any) -> Attachment:
    user = world["users"]["jinniu"]
    found = services.target(user, "projects.project", world["signed"].pk)
    return services.upload(user, found, io.BytesIO(data), name=name, **kw)


def test_a_file_is_stored_under_a_random_name_with_its_facts(
    world: dict[str, Any], media: Path
) -> None:
    data = pdf_bytes()
    made = put(world, data, "../../etc/投资协议.pdf", kind="agreement", description="正式稿")
    assert made.original_name == "投资协议.pdf"
    assert made.file_type == "pdf" and made.mime == "application/pdf"
    assert made.size == len(data) and made.sha256 == hashlib.sha256(data).hexdigest()
    assert made.file.name.startswith("attachments/") and "投资" not in made.file.name
    assert (media / made.file.name).read_bytes() == data
    assert made.record == world["signed"]
    event = Event.objects.get()
    assert (event.action, event.original_name, event.actor) == (
        "uploaded",
        "投资协议.pdf",
        world["users"]["jinniu"],
    )


def test_the_type_the_client_claims_does_not_matter(world: dict[str, Any]) -> None:
    with pytest.raises(Invalid) as caught:
        put(world, b"<html><script>alert(1)</script></html>", "说明.txt")
    assert "网页" in caught.value.detail["file"] and "说明.txt" in caught.value.detail["file"]
    assert not Attachment.objects.exists()


def test_a_photo_gets_a_thumbnail(world: dict[str, Any], media: Path) -> None:
    made = put(world, png_bytes((900, 600)), "现场照片.png", kind="photo")
    assert made.is_image and made.thumbnail.name.endswith(".thumb.jpg")
    from PIL import Image

    with Image.open(media / made.thumbnail.name) as thumb:
        assert max(thumb.size) == 320


def test_a_broken_image_is_refused(world: dict[str, Any], media: Path) -> None:
    with pytest.raises(Invalid) as caught:
        put(world, b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "坏图.png")
    assert "已损坏" in caught.value.message
    assert not list(media.rglob("*.png"))


@override_settings(PARKLINK_ATTACHMENT_MAX_BYTES=1000)
def test_the_size_limit_names_the_file_its_size_and_the_limit(world: dict[str, Any]) -> None:
    with pytest.raises(Invalid) as caught:
        put(world, pdf_bytes("x" * 2000), "大文件.pdf")
    message = caught.value.detail["file"]
    assert "大文件.pdf" in message and "超过了" in message and "1000" in message


@override_settings(PARKLINK_ATTACHMENT_TYPES=["pdf"])
def test_only_the_configured_types_are_accepted(world: dict[str, Any]) -> None:
    with pytest.raises(Invalid) as caught:
        put(world, png_bytes(), "图.png")
    assert "PNG 图片" in caught.value.message and "PDF 文档" in caught.value.message


def test_a_viewer_may_see_but_not_attach(world: dict[str, Any]) -> None:
    viewer = world["users"]["jinniu_viewer"]
    found = services.target(viewer, "projects.project", world["signed"].pk)
    with pytest.raises(Forbidden):
        services.upload(viewer, found, io.BytesIO(pdf_bytes()), name="a.pdf")


def test_a_funds_entry_carries_its_voucher(world: dict[str, Any]) -> None:
    entry = FundsInPlace.objects.create(
        project=world["signed"], received_on="2025-03-01", amount="1000000.00"
    )
    user = world["users"]["jinniu"]
    found = services.target(user, "projects.fundsinplace", entry.pk)
    made = services.upload(user, found, io.BytesIO(pdf_bytes()), name="凭证.pdf", kind="voucher")
    assert made.record == entry
    assert list(services.visible_attachments(world["users"]["city"])) == [made]


def test_delete_removes_the_file_and_keeps_the_history(
    world: dict[str, Any], media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    made = put(world, pdf_bytes(), "a.pdf")
    path = media / made.file.name
    with pytest.raises(Forbidden):
        services.delete(world["users"]["jinniu_viewer"], made)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete(world["users"]["jinniu"], made)
    assert not path.exists() and not Attachment.objects.exists()
    assert [e.action for e in Event.objects.order_by("id")] == ["uploaded", "deleted"]


def test_unknown_records_and_huge_ids_are_not_found(world: dict[str, Any]) -> None:
    user = world["users"]["jinniu"]
    for label, pk in (("accounts.user", 1), ("projects.project", 2**63), ("nope", "x")):
        with pytest.raises(NotFound):
            services.target(user, label, pk)
    with pytest.raises(NotFound):
        services.get_visible(user, 2**63)


def test_stored_files_are_in_the_backup(world: dict[str, Any]) -> None:
    made = put(world, pdf_bytes(), "a.pdf")
    assert made.file.name in set(backup.stored_files(default_storage))


def test_the_project_panel_lists_the_funds_entries_files_with_their_entry(
    world: dict[str, Any], rf: Any
) -> None:
    from parklink.core.registry import registry

    project = world["signed"]
    entry = FundsInPlace.objects.create(
        project=project, received_on="2025-03-01", amount="1000000.00"
    )
    owner = world["users"]["jinniu"]
    found = services.target(owner, "projects.fundsinplace", entry.pk)
    voucher = services.upload(owner, found, io.BytesIO(pdf_bytes()), name="凭证.pdf")
    agreement = put(world, pdf_bytes(), "协议.pdf")
    (panel,) = [p for p in registry.panels_for(project, "section") if p.key == "attachments"]
    request = rf.get("/")
    request.user = owner
    context = panel.context(request, project)
    assert context is not None
    listed = {a.original_name: a for a in context["attachments"]}
    assert set(listed) == {"凭证.pdf", "协议.pdf"}
    assert "2025" in listed["凭证.pdf"].shown_on and listed["协议.pdf"].shown_on == ""
    assert [key for key, _label in context["writable"]] == [
        f"projects.project:{project.pk}",
        f"projects.fundsinplace:{entry.pk}",
    ]
    request.user = world["users"]["jinniu_viewer"]
    read_only = panel.context(request, project)
    assert read_only is not None and read_only["form"] is None
    assert {a.pk for a in read_only["attachments"]} == {voucher.pk, agreement.pk}
