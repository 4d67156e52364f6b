"""Which chain segments an enterprise belongs to, from its name, business scope and industry code.

Pure Python, no Django. One Aho-Corasick automaton holds every keyword and exclusion word of
every chain; a second one holds the scope's grammar (separators and verbs). A scope is read as
its registrars write it: items separated by ；，。：, each a list of nouns followed by what the
firm does with them (研发、生产、销售, 安装, 运营 …). A keyword counts for its segment by what
is done with it in its item: making (制造/生产/加工…) confirms a manufacturing segment, selling
alone does not (a trader lists batteries among a hundred goods), installing or operating confirms
a service segment (光伏电站的建设、运营) and not a maker's. The first items and the name carry the
main business; an industry code that is one of the segment's codes adds evidence; an exclusion
word in the same item cancels the segment there. Scores are combined as independent evidence
(1 - Π(1 - p)) and stay in 0..1; `ACCEPT` is the threshold of an assignment. docs/chains.md
("Templates and classification") explains every weight.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import ahocorasick

from parklink.chains import industry_codes
from parklink.chains.catalog import Chain, Segment
from parklink.chains.classify import text as lang
from parklink.chains.classify.text import (
    GROW,
    INSTALL,
    INVEST,
    MAKE,
    RESEARCH,
    SERVE,
    TECH,
    TRADE,
)

ACCEPT = 0.5  # an assignment: a candidate scoring at least this
SHOWN = 0.15  # candidates below this are not returned at all
TOP = 8  # at most this many candidates per enterprise

# How much a keyword hit counts, by what the segment does × what the item says is done.
# NONE: an item that names the thing without any verb (old-style scopes: "光伏组件、逆变器").
NONE = 0
FACTORS: dict[str, dict[int, float]] = {
    "make": {
        MAKE: 1.0,
        GROW: 0.8,
        RESEARCH: 0.75,
        SERVE: 0.25,
        TECH: 0.3,
        TRADE: 0.12,
        INVEST: 0.15,
        NONE: 0.45,
    },
    "grow": {
        GROW: 1.0,
        MAKE: 0.9,
        RESEARCH: 0.75,
        SERVE: 0.35,
        TECH: 0.3,
        TRADE: 0.12,
        INVEST: 0.15,
        NONE: 0.45,
    },
    "research": {
        RESEARCH: 1.0,
        MAKE: 0.9,
        GROW: 0.8,
        TECH: 0.6,
        SERVE: 0.4,
        TRADE: 0.12,
        INVEST: 0.15,
        NONE: 0.45,
    },
    "serve": {
        SERVE: 1.0,
        MAKE: 0.9,
        GROW: 0.8,
        RESEARCH: 0.8,
        TECH: 0.5,
        INVEST: 0.6,
        TRADE: 0.35,
        NONE: 0.8,
    },
    "trade": {
        TRADE: 1.0,
        SERVE: 1.0,
        MAKE: 1.0,
        GROW: 0.8,
        RESEARCH: 0.7,
        TECH: 0.5,
        INVEST: 0.5,
        NONE: 0.8,
    },
}
CONFIRMS = 0.75  # a hit whose verb factor reaches this confirms the segment
UNCONFIRMED_CAP = 0.4  # without a confirming hit, the scope's evidence stays below ACCEPT
HIT = 0.85  # one confirmed keyword in a leading item
SHORT_KEYWORD = 0.85  # two-character keywords are more often part of something else
MODIFIER = 0.3  # "锂电池|隔膜": a keyword right before another one only qualifies it
FULL_POSITION = 4  # the first items count in full …
POSITION_STEP = 0.04  # … each later one a little less …
POSITION_FLOOR = 0.6  # … down to this
CODE_EXACT, CODE_GROUP, CODE_DIVISION = 0.4, 0.3, 0.15
NAME_SEGMENT, NAME_CHAIN, NAME_ONLY = 0.35, 0.2, 0.55
TRADER, HOLDING = 0.6, 0.7  # penalties on unconfirmed evidence of a trading / holding firm
TRADE_DOMINATED = 6  # this many selling verbs and no making verb make a scope a trader's
LABELS = {
    INSTALL: "安装维修",
    MAKE: "制造",
    GROW: "种养",
    RESEARCH: "研发",
    SERVE: "服务",
    TECH: "技术服务",
    TRADE: "仅销售",
    INVEST: "投资",
    NONE: "未写经营方式",
}
KEYWORD, EXCLUSION, CHAIN_WORD, GENERIC = 0, 1, 2, 3
PRODUCT_ACTIVITIES = ("make", "grow", "research")
INSTALLER = 0.9  # installing or repairing a product of the chain: its service segment
OPEN = (lang.as_bytes("（"), "(")  # a qualifier follows: 专用化学产品制造（不含危险化学品）
NOUN = 6  # bytes of two Chinese characters in the byte-coded text: a noun's least length
MODIFIER_GAPS = frozenset(lang.as_bytes(gap) for gap in ("", "用", "的", "专用", "级"))


@dataclass(frozen=True)
class Candidate:
    chain: str
    segment: str
    score: float  # 0..1
    evidence: tuple[str, ...]  # matched phrases, codes, exclusions applied (Chinese)

    @property
    def accepted(self) -> bool:
        return self.score >= ACCEPT


@dataclass
class _Target:
    chain: Chain
    segment: Segment
    factors: dict[int, float]
    chain_index: int
    best: list[tuple[int, float]]  # verb mask → (the verb class that counts most, its factor)


def _noisy_or(a: float, b: float) -> float:
    return 1.0 - (1.0 - a) * (1.0 - b)


def _best_class(mask: int, factors: dict[int, float]) -> int:
    if not mask:
        return NONE
    best, value = NONE, -1.0
    for flag in (MAKE, GROW, RESEARCH, SERVE, TECH, TRADE, INVEST):
        if mask & flag and factors[flag] > value:
            best, value = flag, factors[flag]
    return best


_BEST = {
    activity: [
        (best, factors[best])
        for best in (_best_class(mask, factors) for mask in range(2 * INSTALL))
    ]
    for activity, factors in FACTORS.items()
}


def _evidence(note: tuple[object, ...]) -> str:
    kind = note[0]
    if kind == "scope":
        return f"经营范围第{note[1]}项“{note[2]}”({LABELS[note[3]]})"  # type: ignore[index]
    if kind == "excluded":
        return f"排除词“{note[2]}”(第{note[1]}项)"
    if kind == "code":
        return f"行业代码{note[1]}{note[2]}"
    if kind == "name":
        return f"名称含“{note[1]}”"
    if kind == "name_only":
        return f"仅凭名称“{note[1]}”(无经营范围)"
    return str(note[1])


class Classifier:
    """Built once for a set of chains (a few milliseconds), then used for any number of rows."""

    def __init__(self, chains: Iterable[Chain]):
        self.chains = tuple(chains)
        self.targets: list[_Target] = []
        words: dict[str, list[tuple[int, int]]] = {}
        self._keywords: set[str] = set()  # byte-coded words that are some segment's keyword
        for chain_index, chain in enumerate(self.chains):
            for segment in chain.segments:
                index = len(self.targets)
                self.targets.append(
                    _Target(
                        chain,
                        segment,
                        FACTORS[segment.effective_activity],
                        chain_index,
                        _BEST[segment.effective_activity],
                    )
                )
                for word in segment.keywords:
                    words.setdefault(lang.normalise(word), []).append((KEYWORD, index))
                for word in segment.exclusions:
                    words.setdefault(lang.normalise(word), []).append((EXCLUSION, index))
                for word in segment.generic_items:
                    words.setdefault(lang.normalise(word), []).append((GENERIC, index))
            for word in chain.keywords:
                words.setdefault(lang.normalise(word), []).append((CHAIN_WORD, chain_index))
        # segment index → the index of its chain's service segment, for installers of products
        self._service: dict[int, int] = {}
        for index, target in enumerate(self.targets):
            chain = target.chain
            if chain.service_segment and target.segment.effective_activity in PRODUCT_ACTIVITIES:
                self._service[index] = next(
                    other
                    for other, candidate in enumerate(self.targets)
                    if candidate.chain is chain and candidate.segment.key == chain.service_segment
                )
        self.automaton = ahocorasick.Automaton()
        for word, entries in words.items():
            coded = lang.as_bytes(word)
            self.automaton.add_word(coded, (len(coded), tuple(entries)))
            if any(kind in (KEYWORD, GENERIC) for kind, _ in entries):
                self._keywords.add(coded)
        self.automaton.make_automaton()
        self.grammar = lang.grammar()
        self._codes: dict[str, list[tuple[int, float]]] = {}
        for index, target in enumerate(self.targets):
            for code in target.segment.industry_codes:
                weight = {4: CODE_EXACT, 3: CODE_GROUP, 2: CODE_DIVISION}[len(code)]
                self._codes.setdefault(code, []).append((index, weight))
        self._code_cache: dict[str, list[tuple[int, float, str]]] = {}

    # ------------------------------------------------------------------ matching

    def _hits(self, text: str) -> list[tuple[int, int, tuple[tuple[int, int], ...]]]:
        """Keyword and exclusion matches (start, end, entries), minus those inside a longer one.

        `text` is byte-coded (`lang.as_bytes`) and so are the positions."""
        kept: list[tuple[int, int, tuple[tuple[int, int], ...]]] = []
        for end, (length, entries) in self.automaton.iter(text):
            start = end + 1 - length
            if kept and kept[-1][1] == end + 1 and kept[-1][0] <= start:
                continue  # a shorter word ending where a longer one ended
            while kept and kept[-1][0] >= start:
                kept.pop()  # the new, longer match contains the previous one
            if kept and kept[-1][1] > start:
                continue  # overlapping the previous one (晶硅电池|制造 vs 电池制造): the first wins
            kept.append((start, end + 1, entries))
        return kept

    def _code_targets(self, code: str) -> list[tuple[int, float, str]]:
        cached = self._code_cache.get(code)
        if cached is None:
            cached = self._find_code_targets(code)
            if (
                len(code) <= 4 and code.isdigit()
            ):  # the standard's codes only: the cache stays small
                self._code_cache[code] = cached
        return cached

    def _find_code_targets(self, code: str) -> list[tuple[int, float, str]]:
        found: list[tuple[int, float, str]] = []
        if not code:
            return found
        for prefix in (code[:4], code[:3], code[:2]) if len(code) >= 4 else (code,):
            for index, weight in self._codes.get(prefix, ()):
                if len(prefix) < len(code) and weight == CODE_EXACT:
                    continue
                found.append((index, weight, prefix))
        if len(code) < 4:  # a division or group given: the segments whose codes lie below it
            for seg_code, entries in self._codes.items():
                if len(seg_code) > len(code) and seg_code.startswith(code):
                    found.extend((index, CODE_DIVISION, code) for index, _ in entries)
        return found

    # ------------------------------------------------------------------ scoring

    def classify(self, name: str, scope: str, industry_code: str | None = None) -> list[Candidate]:
        """Ranked candidates; an empty list = belongs to no chain. Accepted: score >= ACCEPT."""
        text = lang.strip_boilerplate(lang.normalise(scope))
        raw = text.encode("utf-8").decode("latin-1")  # lang.as_bytes: offsets below are bytes
        hits = self._hits(raw) if raw else []
        if industry_code is None or industry_code == "":
            code, code_hits = "", []
        else:
            code = industry_codes.normalise(industry_code)
            code_hits = self._code_targets(code) if code else []
        substantive = len(text) >= 4 and not text.isspace()
        if hits and not any(raw[start:end] in self._keywords for start, end, _ in hits):
            hits = []  # only exclusion words and chain words (食品销售, 汽车): nothing to weigh
        if not hits and not code_hits and substantive:
            return []  # the name only adds to evidence from the scope or the code
        name_text = lang.core_name(lang.normalise(name or ""))
        name_raw = lang.as_bytes(name_text)
        name_hits = self._hits(name_raw) if name_raw else []
        if not hits and not code_hits and not name_hits:
            return []

        name_segments: dict[int, str] = {}
        name_chains: dict[int, str] = {}
        for start, end, entries in name_hits:
            for kind, index in entries:
                if kind == KEYWORD:
                    name_segments.setdefault(index, lang.as_text(name_raw[start:end]))
                elif kind == CHAIN_WORD:
                    name_chains.setdefault(index, lang.as_text(name_raw[start:end]))
        for index, word in name_segments.items():
            chain_index = self.targets[index].chain_index
            name_chains.setdefault(chain_index, word)
        scope_score: dict[int, float] = {}
        confirmed: set[int] = set()
        proof: dict[int, list[tuple[object, ...]]] = {}
        trade_verbs = make_verbs = invest_verbs = 0
        if hits:
            # item boundaries over the whole scope; verbs and 、 only in the items with a hit
            strong = [found.end() - 1 for found in lang.STRONG_CODED.finditer(raw)]
            weak: list[int] = []
            verbs: list[tuple[int, int, int]] = []  # (start, end, mask)
            scanned = -1
            for start, _end, _entries in hits:
                clause = bisect_left(strong, start)
                clause_start = strong[clause - 1] + 1 if clause else 0
                if clause_start <= scanned:
                    continue
                scanned = strong[clause] if clause < len(strong) else len(raw)
                for end, (kind, mask, length) in self.grammar.iter(raw, clause_start, scanned):
                    if kind == "verb":
                        v_start = end + 1 - length
                        # a verb inside a longer one is not one (服务 in 技术服务)
                        if verbs and verbs[-1][1] == end + 1 and verbs[-1][0] <= v_start:
                            continue
                        while verbs and verbs[-1][0] >= v_start:
                            verbs.pop()
                        verbs.append((v_start, end + 1, mask))
                    elif kind == lang.WEAK:
                        weak.append(end)
            trade_verbs = sum(text.count(word) for word in lang.TRADE_COUNTED)
            make_verbs = len(lang.MAKING.findall(text))
            invest_verbs = text.count("投资")
            verb_starts = [v[0] for v in verbs]
            excluded: dict[tuple[int, int, int], str] = {}
            for start, _end, entries in hits:
                for kind, index in entries:
                    if kind == EXCLUSION:
                        # by part of an item (、/及/；): 新能源汽车整车制造、汽车销售 keeps the 1st
                        excluded[(index, bisect_left(weak, start), bisect_left(strong, start))] = (
                            lang.as_text(raw[start:_end])
                        )
            for number, (start, end, entries) in enumerate(hits):
                counted = [
                    index
                    for kind, index in entries
                    if kind == KEYWORD
                    or (
                        kind == GENERIC
                        and (
                            index in name_segments or self.targets[index].chain_index in name_chains
                        )
                    )
                ]
                if not counted:
                    continue  # an exclusion, a chain word, a catalogue item the name does not back
                clause = bisect_left(strong, start)
                clause_end = strong[clause] if clause < len(strong) else len(raw)
                clause_start = strong[clause - 1] + 1 if clause else 0
                sub = bisect_left(weak, start)
                sub_start = max(clause_start, weak[sub - 1] + 1 if sub else 0)
                after = bisect_left(weak, end)  # the item runs on past a 及 inside the keyword
                sub_end = min(clause_end, weak[after] if after < len(weak) else len(raw))
                # verbs of the item: its own, else those that follow it in the same clause. A
                # verb inside the keyword (食品加工, 芯片封装) counts only when the item has no
                # verb of its own (芯片封装批发 is selling) and nothing follows the keyword
                # but verbs (食品加工机械 is a machine)
                following = bisect_left(verb_starts, end)
                noun_end = verbs[following][0] if following < len(verbs) else sub_end
                outside = inside = 0
                first = bisect_left(verb_starts, sub_start)
                for v_start, v_end, v_mask in verbs[first:]:
                    if v_start >= sub_end:
                        break
                    if v_end > start and v_start < end:
                        if v_start >= start and v_end <= end:
                            inside |= v_mask
                            continue
                        if v_end <= end:
                            continue  # begins before the keyword and ends in it: no verb of it
                    # (a verb running on past the keyword is the item's own: 储能系统|集成)
                    outside |= v_mask
                if min(noun_end, sub_end) - end >= NOUN and not raw.startswith(OPEN, end):
                    inside = 0  # 食品加工|机械: the keyword's verb is not the item's
                # 芯片封装|批发, 太阳能发电|技术服务: the item's verb says what is done with it;
                # 集成电路封装|测试: both count
                mask = outside if outside & (TRADE | INVEST | TECH) else outside | inside
                # a keyword written with its verb (光伏设备安装, 医疗器械注册代理) is a whole
                # item of the segment's kind: its own verb cannot say otherwise
                whole_item = not outside and inside != 0
                if not mask:
                    for v_start, _v_end, v_mask in verbs[bisect_left(verb_starts, sub_end) :]:
                        if v_start >= clause_end:
                            break
                        mask |= v_mask
                # verbs written first: 生产、销售：锂电池、电动自行车配件; 生产锂电池、正极材料
                if not mask:
                    for v_start, _v_end, v_mask in verbs[bisect_left(verb_starts, clause_start) :]:
                        if v_start >= sub_start:
                            break
                        mask |= v_mask
                else:  # "…的研发、生产和销售": the verbs listed right after it count too
                    tail = sub_end
                    for v_start, v_end, v_mask in verbs[bisect_left(verb_starts, sub_end) :]:
                        if v_start >= clause_end or v_start - tail > NOUN or v_end - v_start < NOUN:
                            break
                        mask |= v_mask
                        tail = v_end
                modifier = False
                if number + 1 < len(hits):
                    nxt_start = hits[number + 1][0]
                    gap = raw[end:nxt_start]
                    if (
                        nxt_start >= end
                        and gap in MODIFIER_GAPS
                        and any(kind == KEYWORD for kind, _ in hits[number + 1][2])
                    ):
                        modifier = True
                position = 1.0
                if clause >= FULL_POSITION:
                    position = max(
                        POSITION_FLOOR, 1.0 - POSITION_STEP * (clause - FULL_POSITION + 1)
                    )
                word = lang.as_text(raw[start:end])
                weight = HIT * position * (SHORT_KEYWORD if len(word) <= 2 else 1.0)
                if modifier:
                    weight *= MODIFIER
                for index in counted:  # keywords, and catalogue items the name backs
                    target = self.targets[index]
                    part = (index, sub, clause)
                    if part in excluded:
                        proof.setdefault(index, []).append(("excluded", clause + 1, excluded[part]))
                        continue
                    verb, factor = target.best[mask]
                    if whole_item:
                        factor = 1.0
                    elif mask & INSTALL and not mask & (MAKE | GROW) and index in self._service:
                        service = self._service[index]  # 光伏组件的销售、安装: downstream
                        value = weight * INSTALLER
                        scope_score[service] = _noisy_or(scope_score.get(service, 0.0), value)
                        confirmed.add(service)
                        notes = proof.setdefault(service, [])
                        if len(notes) < 4:
                            notes.append(("scope", clause + 1, word, INSTALL))
                    score = weight * factor
                    # a selling segment (dealers) is confirmed by a leading item only: the
                    # eighth of twenty goods a shop sells does not make it a dealer
                    leading = clause < FULL_POSITION or target.segment.effective_activity != "trade"
                    if factor >= CONFIRMS and not modifier and leading:
                        confirmed.add(index)
                    scope_score[index] = _noisy_or(scope_score.get(index, 0.0), score)
                    notes = proof.setdefault(index, [])
                    if len(notes) < 4:
                        notes.append(("scope", clause + 1, word, verb))

        trader = lang.TRADER_NAME.search(name_text) is not None or code[:2] in ("51", "52")
        if trade_verbs >= TRADE_DOMINATED and make_verbs == 0:
            trader = True
        holding = (lang.HOLDING_NAME.search(name_text) is not None and make_verbs == 0) or code in (
            "7211",
            "7212",
        )
        if invest_verbs >= 2 and make_verbs == 0:
            holding = True

        scores: dict[int, float] = {}
        for index, value in scope_score.items():
            scores[index] = value if index in confirmed else min(value, UNCONFIRMED_CAP)
        # a code that only one chain lists is that chain's; a shared one (3985) says little
        coded = {index for index, weight, _prefix in code_hits if weight >= CODE_EXACT}
        if len({self.targets[index].chain_index for index in coded}) > 1:
            coded = set()
        # … and only where the scope itself confirmed nothing of that chain
        sure = {self.targets[index].chain_index for index in confirmed}
        coded = {index for index in coded if self.targets[index].chain_index not in sure}
        for index, weight, prefix in code_hits:
            scores[index] = _noisy_or(scores.get(index, 0.0), weight)
            label = industry_codes.name(code) or industry_codes.name(prefix)
            proof.setdefault(index, []).append(("code", code, label))

        if not trader:
            for index in list(scores):
                if index in name_segments:
                    scores[index] = _noisy_or(scores[index], NAME_SEGMENT)
                    proof.setdefault(index, []).append(("name", name_segments[index]))
                else:
                    chain_index = self.targets[index].chain_index
                    if chain_index in name_chains and (index in confirmed or index in coded):
                        scores[index] = _noisy_or(scores[index], NAME_CHAIN)
                        proof.setdefault(index, []).append(("name", name_chains[chain_index]))
            if not substantive and not scores:
                for index, word in name_segments.items():
                    scores[index] = NAME_ONLY
                    proof.setdefault(index, []).append(("name_only", word))
        for index in list(scores):
            if index in confirmed:
                continue
            if trader:
                scores[index] *= TRADER
                proof.setdefault(index, []).append(("note", "贸易类企业(降权)"))
            elif holding:
                scores[index] *= HOLDING
                proof.setdefault(index, []).append(("note", "投资类企业(降权)"))

        ranked = sorted(
            (item for item in scores.items() if item[1] >= SHOWN),
            key=lambda item: (-item[1], item[0]),
        )[:TOP]
        return [
            Candidate(
                self.targets[index].chain.key,
                self.targets[index].segment.key,
                round(min(score, 1.0), 4),
                tuple(_evidence(note) for note in proof.get(index, ())),
            )
            for index, score in ranked
        ]

    def classify_many(
        self, rows: Iterable[tuple[str, str, str | None]]
    ) -> Iterator[list[Candidate]]:
        """`classify` for each (name, scope, industry_code) row, lazily."""
        classify = self.classify
        for name, scope, code in rows:
            yield classify(name, scope, code)


def accepted(candidates: Iterable[Candidate]) -> list[Candidate]:
    return [candidate for candidate in candidates if candidate.score >= ACCEPT]


@cache
def default() -> Classifier:
    """A classifier over every shipped template (built once per process)."""
    from parklink.chains.catalog import shipped

    return Classifier(shipped().values())


__all__ = ["ACCEPT", "Candidate", "Classifier", "accepted", "default"]
