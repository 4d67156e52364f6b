"""`parklink intel ingest PATH... [--org ORG] [--as USER]`."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parklink.intel.models import Document
from tests.intel.conftest import ARTICLE, World

pytestmark = pytest.mark.django_db


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "sub" / "b.html").write_text(
        "<html><head><title>储能项目</title></head><body><p>"
        + ARTICLE.replace("3月21日", "4月9日").replace("\n", "</p><p>")
        + "</p></body></html>",
        encoding="utf-8",
    )
    (folder / "c.txt").write_text(ARTICLE, encoding="utf-8")  # the same text again
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("broken.pdf", b"%PDF-1.4 nothing")
    (folder / "d.zip").write_bytes(archive.getvalue())
    return folder


def test_a_folder_for_an_organisation_with_each_files_outcome(world: World, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    org = world.users["zhangye"].organization
    assert org is not None
    call_command(
        "intel", "ingest", str(_folder(tmp_path)), "--org", org.name, stdout=out, stderr=err
    )
    text = out.getvalue()
    assert "a.txt: 已录入" in text and "b.html: 已录入" in text
    assert "c.txt: 已录入过" in text
    assert "d.zip/broken.pdf: 出错" in err.getvalue()
    assert "notes.md" not in text + err.getvalue()
    assert "共 4 个文件:新录入 2,重复 1,出错 1" in text
    assert "[" in err.getvalue() and "4/4" in err.getvalue()  # the progress bar
    assert set(Document.objects.values_list("owner_id", flat=True)) == {org.pk}


def test_an_officer_ingests_for_their_own_organisation_only(world: World, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    out = io.StringIO()
    call_command("intel", "ingest", str(path), "--as", "zhangye_officer", "--quiet", stdout=out)
    assert Document.objects.get().owner_id == world.users["zhangye"].organization_id
    with pytest.raises(CommandError):
        call_command(
            "intel", "ingest", str(path), "--as", "zhangye_officer", "--org", "金牛区投资促进局"
        )
    with pytest.raises(CommandError, match="不存在"):
        call_command("intel", "ingest", str(tmp_path / "missing.txt"))
    with pytest.raises(CommandError, match="不存在"):
        call_command("intel", "ingest", str(path), "--org", "没有这个机构")
