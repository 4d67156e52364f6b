"""The attachments tests' world: a confidential lead and a signed project of 金牛区, files
stored in a folder of the test's own."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from PIL import Image

from parklink.accounts.models import Organization, User
from tests.support import factories


@pytest.fixture(autouse=True)
def media(tmp_path: Path) -> Iterator[Path]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path / "media"


@pytest.fixture
def world(orgs: dict[str, Organization], users: dict[str, User]) -> dict[str, Any]:
    officer = users["jinniu"]
    lead = factories.project(officer, "保密线索项目", stage="lead")
    signed = factories.project(officer, "已签约项目", stage="signed")
    return {"orgs": orgs, "users": users, "lead": lead, "signed": signed}


def pdf_bytes(text: str = "ParkLink") -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\n% " + text.encode() + b"\ntrailer<<>>\n%%EOF\n"


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def docx_bytes() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()
