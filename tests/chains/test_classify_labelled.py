"""The classifier on hand-written real-style business scopes (tests/chains/data/scopes*.yaml).

Chain level: an enterprise's accepted chains against its expected chains. Precision = correct
accepted (enterprise, chain) pairs / all accepted; recall = correct / all expected. Segment
level: top-1 (the best candidate is the first expected segment) and top-3 (the first expected
segment is among the three best candidates), over the enterprises that belong to a chain.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from parklink.chains.catalog import shipped
from parklink.chains.classify import ACCEPT, Classifier

DATA = Path(__file__).parent / "data"
FILES = ("scopes.yaml", "scopes_second.yaml", "scopes_third.yaml")


def rows() -> list[tuple[str, str, list[tuple[str, str]], str]]:
    loaded = [
        row
        for file in FILES
        for row in yaml.safe_load((DATA / file).read_text(encoding="utf-8"))["rows"]
    ]
    out = []
    for name, code, expected, scope in loaded:
        pairs = [] if expected == "-" else [tuple(item.split("/")) for item in expected.split()]
        out.append((name, str(code or ""), pairs, scope))
    return out


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(shipped().values())


def test_the_set_is_large_and_varied() -> None:
    data = rows()
    assert len(data) >= 80
    assert sum(1 for row in data if not row[2]) >= 25
    chains = {chain for row in data for chain, _ in row[2]}
    assert chains == set(shipped()), set(shipped()) - chains
    for _name, _code, expected, _scope in data:
        for chain, segment in expected:
            shipped()[chain].segment(segment)  # every label names a real segment


def test_precision_and_recall(classifier: Classifier, capsys: pytest.CaptureFixture[str]) -> None:
    true_pos: Counter[str] = Counter()
    false_pos: Counter[str] = Counter()
    false_neg: Counter[str] = Counter()
    top1 = top3 = labelled = 0
    mistakes = []
    for name, code, expected, scope in rows():
        candidates = classifier.classify(name, scope, code or None)
        got = {c.chain for c in candidates if c.score >= ACCEPT}
        want = {chain for chain, _ in expected}
        for chain in got & want:
            true_pos[chain] += 1
        for chain in got - want:
            false_pos[chain] += 1
        for chain in want - got:
            false_neg[chain] += 1
        if got != want:
            mistakes.append(f"  {name}: expected {sorted(want)}, got {sorted(got)}")
        if expected:
            labelled += 1
            ranked = [(c.chain, c.segment) for c in candidates]
            top1 += bool(ranked) and ranked[0] == expected[0]
            top3 += expected[0] in ranked[:3]
    tp, fp, fn = sum(true_pos.values()), sum(false_pos.values()), sum(false_neg.values())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    with capsys.disabled():
        print("\nchain                        precision  recall  (tp fp fn)")
        for chain in sorted(set(shipped())):
            t, f, n = true_pos[chain], false_pos[chain], false_neg[chain]
            p = t / (t + f) if t + f else 1.0
            r = t / (t + n) if t + n else 1.0
            print(f"{chain:<28} {p:9.2f} {r:7.2f}  ({t} {f} {n})")
        print(f"{'overall':<28} {precision:9.2f} {recall:7.2f}  ({tp} {fp} {fn})")
        print(f"segments: top-1 {top1 / labelled:.2f}, top-3 {top3 / labelled:.2f} of {labelled}")
        print("\n".join(mistakes))
    assert precision >= 0.9
    assert recall >= 0.8
    assert top1 / labelled >= 0.75
    assert top3 / labelled >= 0.85
