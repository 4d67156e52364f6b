"""Classifying a synthetic registry: enterprises per second per core, peak memory, the naive ratio.

    python -m bench.chains [N] [--seed S] [--sample 20000]

Generates N enterprises (default 1,000,000) with `bench.generate`, then in this one process:

- classifies all N with `Classifier.classify_many` (one core: this process), best of one run;
- runs the naive approach on the first `--sample` rows (default 20,000): jieba tokens of the
  scope, then a Python loop over every keyword of every chain, a segment counted when one of
  its keywords is a token and none of its exclusions is (no verbs, no positions); prints the
  ratio of the two speeds;
- prints the peak resident memory of the process (VmHWM) and the accuracy against the
  generator's truth, labelled SYNTHETIC (the generator writes scopes from the templates'
  own keywords, so this checks consistency; tests/chains/data/scopes.yaml measures quality).

Target: ≥ 50,000 enterprises per second per core (CPU time of this one process, so that other
work on a shared machine does not count; the wall-clock rate is printed beside it). Coverage
for every province (the chains app's part) can be timed on the same columns and results: `run`
returns them through `last_run` for that purpose.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGET = 50_000


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _high_water_mb() -> float:
    return _status_mb("VmHWM")


def naive(chains: list[Any]) -> Callable[[str, str], list[tuple[str, str]]]:
    """The straightforward classifier: jieba tokens and a loop over all keywords."""
    import jieba

    from parklink.chains.classify.text import normalise

    jieba.setLogLevel(60)
    keywords = [
        (chain.key, segment.key, segment.keywords, segment.exclusions)
        for chain in chains
        for segment in chain.segments
    ]

    def classify(name: str, scope: str) -> list[tuple[str, str]]:
        tokens = set(jieba.lcut(normalise(scope))) | set(jieba.lcut(normalise(name)))
        found = []
        for chain, segment, words, exclusions in keywords:
            if any(word in tokens for word in words) and not any(
                word in tokens for word in exclusions
            ):
                found.append((chain, segment))
        return found

    return classify


def accuracy(columns: dict[str, Any], results: list[list[Any]]) -> dict[str, float]:
    from parklink.chains.classify import ACCEPT

    tp = fp = fn = top1 = labelled = 0
    for chain, segment, candidates in zip(
        columns["chain"], columns["segment"], results, strict=True
    ):
        got = {c.chain for c in candidates if c.score >= ACCEPT}
        want = {chain} if chain else set()
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        if chain:
            labelled += 1
            top1 += bool(candidates) and (candidates[0].chain, candidates[0].segment) == (
                chain,
                segment,
            )
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "top1": top1 / labelled if labelled else 1.0,
    }


def run(n: int, seed: int, sample: int) -> list[str]:
    from bench.generate import generate
    from parklink.chains.catalog import shipped
    from parklink.chains.classify import Classifier

    lines = []
    start, cpu = time.perf_counter(), time.process_time()
    columns = generate(n, seed)
    lines.append(
        f"chains generate {n:,} enterprises: {time.perf_counter() - start:.1f} s wall, "
        f"{time.process_time() - cpu:.1f} s CPU"
    )
    chains = list(shipped().values())
    start = time.perf_counter()
    classifier = Classifier(chains)
    lines.append(f"chains build automaton: {(time.perf_counter() - start) * 1000:.0f} ms")
    rows = list(zip(columns["name"], columns["scope"], columns["industry_code"], strict=True))
    before = _status_mb("VmRSS")
    start, cpu = time.perf_counter(), time.process_time()
    results = list(classifier.classify_many(rows))
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    rate = n / cpu_seconds
    verdict = "ok" if rate >= TARGET else f"BELOW {TARGET:,}"
    lines.append(
        f"chains classify {n:,}: {seconds:.1f} s wall, {cpu_seconds:.1f} s CPU (one core), "
        f"{rate:,.0f} enterprises/s/core ({verdict}; {n / seconds:,.0f}/s by the wall clock)"
    )
    chain_rows = [row for row, chain in zip(rows, columns["chain"], strict=True) if chain]
    start = time.process_time()
    for name, scope, code in chain_rows:
        classifier.classify(name, scope, code)
    chain_rate = len(chain_rows) / (time.process_time() - start)
    lines.append(
        f"chains classify the {len(chain_rows):,} chain enterprises alone "
        f"(every one matches keywords): {chain_rate:,.0f}/s/core"
    )
    assigned = sum(1 for result in results if result and result[0].score >= 0.5)
    lines.append(f"chains assigned to at least one chain: {assigned:,} ({assigned / n:.1%})")
    baseline = naive(chains)
    subset = rows[:sample]
    baseline(subset[0][0], subset[0][1])  # jieba loads its dictionary once
    start = time.process_time()
    for name, scope, _code in subset:
        baseline(name, scope)
    naive_rate = len(subset) / (time.process_time() - start)
    lines.append(
        f"chains naive (jieba + keyword loop) on {len(subset):,}: {naive_rate:,.0f}/s; "
        f"automaton is x{rate / naive_rate:.1f} faster"
    )
    lines.append(
        f"chains peak memory (VmHWM): {_high_water_mb():.0f} MB; the generated registry alone "
        f"held {before:.0f} MB before classification"
    )
    figures = accuracy(columns, results)
    lines.append(
        "chains accuracy on the SYNTHETIC truth (consistency, not real-world quality): "
        f"precision {figures['precision']:.3f}, recall {figures['recall']:.3f}, "
        f"segment top-1 {figures['top1']:.3f}"
    )
    misses: Counter[str] = Counter()
    for chain, candidates in zip(columns["chain"], results, strict=True):
        if chain and not any(c.chain == chain and c.score >= 0.5 for c in candidates):
            misses[chain] += 1
    if misses:
        lines.append(f"chains synthetic misses by chain: {dict(misses.most_common(5))}")
    last_run.update(columns=columns, results=results)
    return lines


last_run: dict[str, Any] = {}  # the columns and the classification of the latest `run`


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chains", description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sample", type=int, default=20_000)
    options = parser.parse_args(argv)
    os.environ.setdefault("PARKLINK_TESTING", "1")
    for line in run(options.n, options.seed, options.sample):
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
