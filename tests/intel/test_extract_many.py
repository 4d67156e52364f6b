"""extract_many (the extract command's folder path): the same extractions as one article at a
time, the tagger's questions of several articles answered together; a failing article gives
its error and spares the others of its batch."""

from __future__ import annotations

import pytest

import parklink.intel.extract as extractor
from parklink.intel.extract import Article, extract, extract_many, ner
from tests.intel import evaluation


def _articles() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(evaluation.ARTICLES.glob("*"))]


def test_extract_many_equals_extract_article_by_article() -> None:
    texts = _articles()
    ner.clear_memo()
    one = [extract(text, organisations=True) for text in texts]
    ner.clear_memo()
    many = list(extract_many([Article(t) for t in texts], organisations=True, batch=7))
    assert len(many) == len(one)
    for alone, together in zip(one, many, strict=True):
        assert isinstance(together, extractor.Extraction)
        assert (together.text, together.projects, together.totals) == (
            alone.text,
            alone.projects,
            alone.totals,
        )
    assert any(p.enterprises for e in one for p in e.projects)


def test_a_failing_article_gives_its_error_and_the_others_their_projects(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = extractor._normalise

    def flaky(text: str):  # type: ignore[no-untyped-def]
        if "POISON" in text:
            raise RuntimeError("boom")
        return real(text)

    monkeypatch.setattr(extractor, "_normalise", flaky)
    good = "3月5日,鲁南制药在合肥投资建设的创新药项目正式签约,总投资10亿元。"
    expected = extract(good, organisations=True)
    assert expected.projects
    results = list(
        extract_many(
            [Article(good), Article("POISON 总投资10亿元的甲乙丙丁项目开工。"), Article(good)],
            organisations=True,
            batch=2,
        )
    )
    assert isinstance(results[1], RuntimeError)
    for result in (results[0], results[2]):
        assert isinstance(result, extractor.Extraction)
        assert result.projects == expected.projects
