"""The extractor scored against the labelled set shipped with the package (no Django):
`data/labelled/` holds 60 articles written by hand in the styles seen in the wild and
`labels.yaml`, the labels of every project in them (and of the five seed articles, whose text
stays outside the repository). The tests assert the scores (tests/intel/test_extract_eval.py);
the 识别质量 page shows them (`score_labelled`, kept in the shared cache by the page).

Projects match by name (exact after dropping quotes, brackets and spaces; one containing the
other; or a close character match), against the label's name and aliases, one to one. A
(project, amount) pair is right when the project matches and the headline investment has the
label's value and currency. Enterprise, place and stage are scored on matched projects that
have a label for them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from parklink.intel import readers
from parklink.intel.extract import Extraction, extract
from parklink.intel.extract.places import region

DATA = Path(__file__).parent / "data" / "labelled"
ARTICLES = DATA / "articles"
UNITS = {"万亿": Decimal("1e12"), "亿": Decimal("1e8"), "万": Decimal("1e4"), "": Decimal(1)}


def labels() -> dict[str, dict[str, Any]]:
    return yaml.safe_load((DATA / "labels.yaml").read_text("utf-8"))


def parse_amount(text: str | int | float | None) -> Decimal | None:
    if text is None:
        return None
    match = re.fullmatch(r"([\d.]+)(万亿|亿|万|)", str(text))
    assert match, f"bad amount in labels: {text}"
    return Decimal(match.group(1)) * UNITS[match.group(2)]


def _key(name: str) -> str:
    return re.sub(r"[“”\"'\s()()]", "", name)


def similarity(predicted: str, gold: str) -> float:
    a, b = _key(predicted), _key(gold)
    if a == b:
        return 1.0
    if a and b and (a in b or b in a) and min(len(a), len(b)) / max(len(a), len(b)) >= 0.4:
        return 0.9
    ratio = SequenceMatcher(None, a, b).ratio()
    return ratio if ratio >= 0.7 else 0.0


@dataclass
class Score:
    projects_predicted: int = 0
    projects_gold: int = 0
    projects_matched: int = 0
    pairs_predicted: int = 0
    pairs_gold: int = 0
    pairs_right: int = 0
    enterprise: list[bool] = field(default_factory=list)
    place: list[bool] = field(default_factory=list)
    stage: list[bool] = field(default_factory=list)
    date: list[bool] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @staticmethod
    def _f(right: int, predicted: int, gold: int) -> tuple[float, float, float]:
        p = right / predicted if predicted else 1.0
        r = right / gold if gold else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def projects(self) -> tuple[float, float, float]:
        return self._f(self.projects_matched, self.projects_predicted, self.projects_gold)

    def pairs(self) -> tuple[float, float, float]:
        return self._f(self.pairs_right, self.pairs_predicted, self.pairs_gold)

    @staticmethod
    def accuracy(values: list[bool]) -> float:
        return sum(values) / len(values) if values else 1.0

    def report(self, label: str) -> str:
        pp, pr, pf = self.projects()
        ap, ar, af = self.pairs()
        return (
            f"{label}: projects P={pp:.3f} R={pr:.3f} F1={pf:.3f} "
            f"({self.projects_matched} matched, {self.projects_predicted} predicted, "
            f"{self.projects_gold} gold); (project, amount) P={ap:.3f} R={ar:.3f} F1={af:.3f} "
            f"({self.pairs_right} right, {self.pairs_predicted} predicted, "
            f"{self.pairs_gold} gold); "
            f"enterprise {self.accuracy(self.enterprise):.3f} (n={len(self.enterprise)}), "
            f"place {self.accuracy(self.place):.3f} (n={len(self.place)}), "
            f"stage {self.accuracy(self.stage):.3f} (n={len(self.stage)}), "
            f"stage date {self.accuracy(self.date):.3f} (n={len(self.date)})"
        )


def extract_file(
    path: Path, published: date | None = None, *, organisations: bool = True
) -> Extraction:
    document = readers.read_bytes(path.name, path.read_bytes())
    return extract(
        document.text,
        title=document.title,
        published=published or document.published,
        organisations=organisations,
    )


def _in_region(predicted: str | None, gold: str) -> bool:
    if not predicted:
        return False
    row = region(predicted)
    return bool(row and gold in row.path.split("/"))


def score_article(name: str, extraction: Extraction, label: dict[str, Any], score: Score) -> None:
    gold = label.get("projects") or []
    predicted = list(extraction.projects)
    score.projects_predicted += len(predicted)
    score.projects_gold += len(gold)
    score.pairs_predicted += sum(1 for p in predicted if p.investment is not None)
    score.pairs_gold += sum(1 for g in gold if g.get("investment"))
    candidates = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            best = max(similarity(p.name.value, n) for n in [g["name"], *(g.get("aliases") or [])])
            if best:
                candidates.append((best, i, j))
    candidates.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        p, g = predicted[i], gold[j]
        score.projects_matched += 1
        want = parse_amount(g.get("investment"))
        if want is not None:
            inv = p.investment
            right = (
                inv is not None and inv.value == want and inv.currency == g.get("currency", "CNY")
            )
            score.pairs_right += right
            if not right:
                got = f"{inv.value} {inv.currency}" if inv else None
                score.errors.append(f"{name}: {g['name']} amount {got} != {want}")
        elif p.investment is not None:
            score.errors.append(f"{name}: {g['name']} has no figure, got {p.investment.span.text}")
        if g.get("enterprise"):
            names = [e.value for e in p.enterprises]
            ok = any(g["enterprise"] in n or (n in g["enterprise"] and len(n) >= 2) for n in names)
            score.enterprise.append(ok)
        if g.get("place"):
            score.place.append(_in_region(p.adcode, str(g["place"])))
        score.stage.append(p.stage == g.get("stage", "unknown"))
        if g.get("date"):
            score.date.append(p.stage_date == g["date"])
            if p.stage_date != g["date"]:
                score.errors.append(f"{name}: {g['name']} date {p.stage_date} != {g['date']}")
        if p.stage != g.get("stage", "unknown"):
            score.errors.append(f"{name}: {g['name']} stage {p.stage} != {g.get('stage')}")
    for i, p in enumerate(predicted):
        if i not in used_p:
            score.errors.append(f"{name}: extra project {p.name.value}")
    for j, g in enumerate(gold):
        if j not in used_g:
            score.errors.append(f"{name}: missed project {g['name']}")


def evaluate(texts: dict[str, Extraction]) -> Score:
    score = Score()
    all_labels = labels()
    for name, extraction in texts.items():
        score_article(name, extraction, all_labels[name], score)
    return score


def own_extractions(*, organisations: bool = True) -> dict[str, Extraction]:
    result = {}
    for name, label in labels().items():
        if name.startswith("seed:"):
            continue
        result[name] = extract_file(
            ARTICLES / name, label.get("published"), organisations=organisations
        )
    return result


def seed_extractions(texts: dict[str, str], *, organisations: bool = True) -> dict[str, Extraction]:
    result = {}
    for name, label in labels().items():
        if name.startswith("seed:"):
            result[name] = extract(
                texts[name.removeprefix("seed:")],
                published=label.get("published"),
                organisations=organisations,
            )
    return result


def score_labelled() -> Score:
    """The written articles' score with the tagger, as extraction runs in the product (about
    2 s: the 识别质量 page keeps it in the shared cache under `labelled_version`)."""
    return evaluate(own_extractions(organisations=True))


@cache
def labelled_score() -> Score:
    """`score_labelled` once per process (the tests and the CLI)."""
    return score_labelled()


PACKAGE = Path(__file__).parent


@cache
def labelled_version() -> str:
    """A hash of what the score depends on: the labelled files, the extractor's and the
    readers' source, the scorer and the parklink version (files do not change under a
    running process, so it is computed once per process)."""
    from parklink import __version__

    digest = hashlib.sha256(__version__.encode())
    paths = sorted(DATA.rglob("*")) + sorted((PACKAGE / "extract").glob("*.py"))
    paths += [PACKAGE / "quality.py", PACKAGE / "readers.py"]
    for path in paths:
        if path.is_file():
            digest.update(path.relative_to(path.parent.parent).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]
