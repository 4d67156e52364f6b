"""The 识别质量 page: the organisation's own reviews (what reviewers kept, corrected, rejected)
and the labelled set's scores, shipped with the package; another organisation sees none of the
first organisation's reviews."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from parklink.intel.models import Item
from parklink.intel.quality import labelled_score
from parklink.intel.services import accept, edit_item, ingest_text, reject
from tests.intel.conftest import ARTICLE, World, client_for

pytestmark = pytest.mark.django_db


def _figure(html: str, section: str, name: str) -> str:
    part = html.split(f'id="{section}"', 1)[1]
    match = re.search(rf'data-figure="{name}">([^<]*)<', part)
    assert match, name
    return match.group(1).strip()


def _row(html: str, attribute: str, key: str) -> list[str]:
    match = re.search(rf'<tr {attribute}="{key}">(.*?)</tr>', html, re.S)
    assert match, key
    return [cell.strip() for cell in re.findall(r"<td[^>]*>([^<]*)</td>", match.group(1))]


def test_the_page_shows_the_organisations_reviews_and_the_labelled_scores(world: World) -> None:
    reviewer = world.users["zhangye"]
    document = ingest_text(reviewer, ARTICLE).document
    items = {item.name: item for item in document.items.all()}
    storage = next(i for n, i in items.items() if "储能电池" in n)
    silicon = next(i for n, i in items.items() if "高纯硅" in n)
    others = [i for i in items.values() if i.pk not in {storage.pk, silicon.pk}]
    # Storage: its enterprise and stage corrected, then accepted; silicon accepted as read;
    # the others rejected.
    storage = edit_item(
        reviewer, storage, {"enterprise": "张掖晨光储能科技有限公司(核实)", "stage": "started"}
    )
    accept(reviewer, storage)
    accept(reviewer, silicon)
    for item in others:
        reject(reviewer, item, "测试驳回")

    response = client_for(reviewer).get(reverse("intel:quality"))
    assert response.status_code == 200
    html = response.content.decode()
    assert _figure(html, "review-quality", "items") == str(len(items))
    assert _figure(html, "review-quality", "accepted") == "2"
    assert _figure(html, "review-quality", "rejected") == str(len(others))
    assert _figure(html, "review-quality", "kept-rate") == f"{round(200 / len(items), 1)}%"
    assert _row(html, "data-field", "enterprise")[1:] == ["1", "1", "50.0%"]
    assert _row(html, "data-field", "stage")[1:] == ["1", "1", "50.0%"]
    assert _row(html, "data-field", "place")[1:] == ["2", "0", "100.0%"]
    assert _row(html, "data-field", "name")[1:] == ["2", "0", "100.0%"]

    score = labelled_score()
    pairs = _row(html, "data-measure", "pairs")
    assert pairs[1:] == [f"{value:.3f}" for value in score.pairs()]
    assert float(pairs[3]) >= 0.9
    enterprise = _row(html, "data-measure", "enterprise")
    assert enterprise[1:] == [f"{score.accuracy(score.enterprise):.3f}", str(len(score.enterprise))]
    assert "招商情报" in html and 'href="/intel/quality/"' in html  # in the intel navigation

    # Another organisation's officer sees the labelled set but none of these reviews.
    other = client_for(world.users["dege"]).get(reverse("intel:quality")).content.decode()
    assert _figure(other, "review-quality", "items") == "0"
    assert 'id="field-quality"' not in other
    assert _row(other, "data-measure", "pairs")[1:] == pairs[1:]
    assert Item.objects.filter(owner=reviewer.organization).count() == len(items)


def test_the_intel_pages_send_a_visitor_who_is_not_signed_in_to_the_login_page(
    world: World,
) -> None:
    from django.test import Client

    for name in ("intel:quality", "intel:queue", "intel:documents", "intel:ingest"):
        response = Client().get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"], name


def test_the_labelled_score_is_computed_once_for_every_process_sharing_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.core.cache import cache

    from parklink.intel import quality, views

    calls: list[int] = []

    def scorer() -> quality.Score:
        calls.append(1)
        return quality.Score(projects_gold=7, pairs_gold=len(calls))

    key = f"intel:labelled-score:{quality.labelled_version()}"
    cache.delete(key)
    monkeypatch.setattr(quality, "score_labelled", scorer)
    first = views.shared_labelled_score()
    # Another process: nothing in its memory, the same cache and the same version.
    quality.labelled_version.cache_clear()
    second = views.shared_labelled_score()
    assert calls == [1] and second == first and second.projects_gold == 7
    assert cache.get(key) == first

    # A change to the labelled set or the extractor is another version: computed again.
    monkeypatch.setattr(quality, "labelled_version", lambda: "another-version")
    cache.delete("intel:labelled-score:another-version")
    third = views.shared_labelled_score()
    assert calls == [1, 1] and third.pairs_gold == 2
    cache.delete("intel:labelled-score:another-version")
    cache.delete(key)


def test_the_version_follows_the_labelled_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from parklink.intel import quality

    data = tmp_path / "labelled"
    shutil.copytree(quality.DATA, data)
    monkeypatch.setattr(quality, "DATA", data)
    quality.labelled_version.cache_clear()
    before = quality.labelled_version()
    quality.labelled_version.cache_clear()
    assert quality.labelled_version() == before
    labels_file = data / "labels.yaml"
    labels_file.write_text(labels_file.read_text("utf-8") + "\n# edited\n", "utf-8")
    quality.labelled_version.cache_clear()
    assert quality.labelled_version() != before
    quality.labelled_version.cache_clear()
