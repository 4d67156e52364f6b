"""The extractor measured on the hand-labelled set: 27 written articles and the 5 seeds."""

from __future__ import annotations

from tests.intel import evaluation
from tests.support.seeds import seed_texts


def test_own_articles_score() -> None:
    score = evaluation.evaluate(evaluation.own_extractions())
    print("\n" + score.report("own articles"))
    print("\n".join(score.errors))
    assert score.pairs()[2] >= 0.9, score.report("own articles")


def test_whole_set_score() -> None:
    extractions = evaluation.own_extractions()
    extractions.update(evaluation.seed_extractions(seed_texts()))
    score = evaluation.evaluate(extractions)
    print("\n" + score.report("whole set"))
    print("\n".join(score.errors))
    assert score.pairs()[2] >= 0.9, score.report("whole set")
