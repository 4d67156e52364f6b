"""Is this extracted project one the library already holds? Name keys and scores, no Django.

Names are compared by key: width-folded, simplified (traditional 龍源 = 龙源), without
spacing, brackets and the words every name carries (项目, 有限公司, 集团...). Two keys are
similar by their shared character pairs (Dice); a short name inside a full name
(新荷花 in 四川新荷花中药饮片股份有限公司) counts as the same enterprise, and so does the
same pinyin (a name written with a variant character).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from parklink.core.text import normalise_name, pinyin_keys

_PROJECT_WORDS = re.compile(
    r"(建设项目|产业化项目|项目|工程|基地建设|[一二三四五六七八九十\d]+期|首期|\(一期\))"
)
_COMPANY_WORDS = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团公司|集团|控股|股份|公司|分公司|"
    r"科技|技术|实业|发展|投资|新能源|\(中国\)|中国)"
)
_PLACE_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}?(?:省|市|自治区|州|县|区))")
# Scores at or above these: the same project (an update suggestion) / worth a look.
SAME = 0.8
SIMILAR = 0.5


def project_key(name: str) -> str:
    return _PROJECT_WORDS.sub("", normalise_name(name))


def enterprise_key(name: str) -> str:
    key = normalise_name(name)
    key = _PLACE_PREFIX.sub("", key) or key
    return _COMPANY_WORDS.sub("", key) or key


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def dice(a: str, b: str) -> float:
    """Shared character pairs of two keys, 0..1."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    left, right = _pairs(a), _pairs(b)
    return 2 * len(left & right) / (len(left) + len(right))


def same_enterprise(a: str, b: str) -> bool:
    """One name is the other's short name, or both name the same company."""
    ka, kb = enterprise_key(a), enterprise_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    shorter, longer = sorted((ka, kb), key=len)
    if len(shorter) >= 2 and shorter in longer:
        return True
    if len(shorter) >= 3 and pinyin_keys(ka)[0] == pinyin_keys(kb)[0]:
        return True
    return dice(ka, kb) >= 0.75


@dataclass(frozen=True)
class Candidate:
    """A project (or another queued item) to compare with: its name, enterprises, place."""

    kind: str  # "project" or "item"
    id: int
    name: str
    enterprises: tuple[str, ...] = ()
    adcode: str = ""
    own: bool = True  # the reviewer's organisation's own project (which it may update)


@dataclass
class Match:
    candidate: Candidate
    score: float
    reasons: list[str] = field(default_factory=list)


def score(name: str, enterprises: Iterable[str], adcode: str, candidate: Candidate) -> Match:
    """How much an extracted project looks like a candidate, with the reasons (Chinese)."""
    reasons: list[str] = []
    a, b = project_key(name), project_key(candidate.name)
    similarity = dice(a, b)
    if a and b and (a in b or b in a) and min(len(a), len(b)) >= 4:
        similarity = max(similarity, 0.85)
    if similarity >= SIMILAR:
        reasons.append("名称相近" if similarity < 1 else "名称相同")
    value = similarity
    enterprises = [e for e in enterprises if e]
    if (
        enterprises
        and candidate.enterprises
        and any(same_enterprise(x, y) for x in enterprises for y in candidate.enterprises)
    ):
        value += 0.25
        reasons.append("投资企业相同")
    if adcode and candidate.adcode:
        if adcode == candidate.adcode or candidate.adcode.startswith(adcode.rstrip("0")):
            value += 0.1
            reasons.append("落地地区相同")
        elif adcode[:4] != candidate.adcode[:4]:
            value -= 0.2
    return Match(candidate, round(min(value, 1.0), 3), reasons)


def rank(
    name: str,
    enterprises: Iterable[str],
    adcode: str,
    candidates: Iterable[Candidate],
    limit: int = 5,
) -> list[Match]:
    """The candidates worth showing (score ≥ SIMILAR), best first."""
    enterprises = tuple(enterprises)
    found = [score(name, enterprises, adcode, c) for c in candidates]
    found = [m for m in found if m.score >= SIMILAR and m.reasons]
    found.sort(key=lambda m: (-m.score, m.candidate.kind != "project", m.candidate.id))
    return found[:limit]
