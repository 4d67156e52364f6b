"""A folder, several files or a zip go into the queue extracted `BATCH` articles at a time
(engine.run_many), and the queue is exactly what one file after another gives."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from parklink.intel import engine
from parklink.intel.models import Document, Item
from parklink.intel.quality import ARTICLES
from parklink.intel.services import ingest
from tests.intel.conftest import ARTICLE, World

pytestmark = pytest.mark.django_db


def _mixed() -> list[tuple[str, bytes]]:
    """The labelled articles (text and html), the test article twice (the second a duplicate,
    once under other chrome), an empty file, a broken pdf, an unsupported file and a zip of
    articles with a broken member and one already given outside it."""
    files = [(path.name, path.read_bytes()) for path in sorted(ARTICLES.iterdir())]
    files.insert(3, ("zhangye.txt", ARTICLE.encode()))
    files.insert(9, ("empty.txt", b"  \n "))
    files.insert(12, ("zhangye-again.html", f"<p>{ARTICLE}</p>".encode()))
    files.append(("broken.pdf", b"%PDF-1.4 nothing"))
    files.append(("notes.md", b"not an article"))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("inner/zhangye-copy.txt", ARTICLE)
        zipped.writestr("inner/a01.txt", (ARTICLES / "a01_gov_signing.txt").read_bytes())
        zipped.writestr("inner/new.txt", ARTICLE.replace("12亿元", "15亿元"))
        zipped.writestr("inner/broken.docx", b"not a docx")
    files.insert(20, ("bundle.zip", archive.getvalue()))
    return files


def _queue(owner_id: int) -> list[dict[str, Any]]:
    """The organisation's documents and items, ids replaced by what they point at."""
    documents = {d.pk: d for d in Document.objects.filter(owner_id=owner_id)}
    items = {i.pk: i for i in Item.objects.filter(owner_id=owner_id)}

    def where(item_id: int) -> tuple[str, int]:
        item = items[item_id]
        return documents[item.document_id].source_name, item.position

    out: list[dict[str, Any]] = []
    for document in sorted(documents.values(), key=lambda d: d.pk):
        out.append(
            {
                "document": document.source_name,
                "title": document.title,
                "published": document.published,
                "text": document.text,
                "original": document.original,
                "totals": document.totals,
                "found": document.projects_found,
                "hash": document.content_hash,
                "near": document.near_key,
            }
        )
        for item in sorted(items.values(), key=lambda i: i.position):
            if item.document_id != document.pk:
                continue
            suggestions = [
                {**s, "id": where(s["id"]) if s["kind"] == "item" else s["id"]}
                for s in item.suggestions
            ]
            out.append(
                {
                    "item": where(item.pk),
                    "name": item.name,
                    "data": item.data,
                    "spans": item.spans,
                    "extracted": item.extracted,
                    "status": item.status,
                    "match": item.match_id,
                    "project": item.project_id,
                    "suggestions": suggestions,
                }
            )
    return out


def _outcomes(outcomes: list[ingest.FileOutcome]) -> list[tuple[Any, ...]]:
    return [(o.name, o.title, o.duplicate, o.items, o.error) for o in outcomes]


def test_a_mixed_folder_batched_gives_the_queue_of_one_file_after_another(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = world.users["zhangye"]
    owner = user.organization_id
    assert owner is not None
    files = _mixed()
    one_by_one = [
        ingest.ingest_file(user, label, member, owner)
        for name, data in files
        for label, member in ingest.expand_files([(name, data)])
    ]
    expected = _queue(owner)
    Document.objects.filter(owner_id=owner).delete()

    batches: list[int] = []
    run_many = engine.run_many

    def counted(articles: Any, **kwargs: Any) -> Any:
        batches.append(len(articles))
        return run_many(articles, **kwargs)

    monkeypatch.setattr(engine, "run_many", counted)
    calls: list[tuple[int, int]] = []
    outcomes = ingest.ingest_files(
        user, files, owner_id=owner, batch=7, progress=lambda d, t: calls.append((d, t))
    )
    got = _queue(owner)

    assert _outcomes(outcomes) == _outcomes(one_by_one)
    assert [o.document_id is not None for o in outcomes] == [
        o.document_id is not None for o in one_by_one
    ]
    assert len(got) == len(expected) and got == expected  # items, fields, offsets, suggestions
    readable = sum(1 for o in one_by_one if not o.error)
    assert sum(batches) == readable and max(batches) < 7 + 4 and len(batches) > 3
    assert calls[-1] == (len(files), len(files))
    assert [d for d, _ in calls] == sorted({d for d, _ in calls})  # rising, no repeats
    # the mix really is mixed: duplicates, errors, several items
    assert sum(o.duplicate for o in outcomes) >= 2
    errors = {o.name for o in outcomes if o.error}
    assert errors == {"empty.txt", "broken.pdf", "notes.md", "bundle.zip/inner/broken.docx"}
    assert Item.objects.filter(owner_id=owner).count() > 40


def test_an_extractor_failure_on_one_article_spares_the_others(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = world.users["zhangye"]
    run_many = engine.run_many

    def failing(articles: Any, **kwargs: Any) -> Any:
        for article, result in zip(articles, run_many(articles, **kwargs), strict=True):
            yield ValueError("defect") if "15亿元" in article.text else result

    monkeypatch.setattr(engine, "run_many", failing)
    files = [
        ("a.txt", ARTICLE.encode()),
        ("b.txt", ARTICLE.replace("12亿元", "15亿元").encode()),
        ("c.txt", (ARTICLES / "a01_gov_signing.txt").read_bytes()),
    ]
    outcomes = ingest.ingest_files(user, files)
    assert [bool(o.error) for o in outcomes] == [False, True, False]
    assert "提取失败" in outcomes[1].error
    assert outcomes[0].items and outcomes[2].items
    assert Document.objects.filter(owner=user.organization).count() == 2


def test_the_command_and_the_upload_job_go_through_the_batches(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.management import call_command

    from parklink.intel import tasks

    sizes: list[int] = []
    run_many = engine.run_many

    def counted(articles: Any, **kwargs: Any) -> Any:
        sizes.append(len(articles))
        return run_many(articles, **kwargs)

    monkeypatch.setattr(engine, "run_many", counted)
    monkeypatch.setattr(engine, "run", lambda *a, **k: pytest.fail("one at a time"))
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(ARTICLES.iterdir())[:5]:
        (folder / path.name).write_bytes(path.read_bytes())
    user = world.users["zhangye"]
    call_command("intel", "ingest", str(folder), "--as", user.username, "--quiet")
    assert sizes == [5]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(ARTICLES.iterdir())[5:9]:
            zipped.writestr(path.name, path.read_bytes())
    job = tasks.start_ingest(user, [("x.zip", archive.getvalue()), ("z.txt", ARTICLE.encode())])
    assert sizes == [5, 5]
    assert job.result["summary"]["ingested"] == 5
