"""Places, parks and enterprises named in an article, found with one Aho-Corasick automaton.

The default `Gazetteer` holds the regions of cpca's table (provinces, cities, counties, by full
name and by short name: 四川省/四川, 成都市/成都, 甘孜藏族自治州/甘孜州/甘孜, 德格县/德格). A caller
adds the park and zone names of its registry (成都高新区 is not a region) and enterprise names
with their short names, so they resolve to the registry's own records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from parklink.regions.table import COUNTY, PLACEHOLDER_NAMES, PROVINCE, RegionRow, build_rows

REGION, PARK, ENTERPRISE = "region", "park", "enterprise"
_DEPTH = {PROVINCE: 0, "city": 1, COUNTY: 2, "": 3}

_ETHNIC = (
    "维吾尔|哈萨克|柯尔克孜|塔吉克|达斡尔|鄂温克|鄂伦春|朝鲜|蒙古|土家|布依|哈尼|傈僳|景颇|仫佬"
    "|毛南|纳西|拉祜|锡伯|撒拉|保安|东乡|裕固|普米|独龙|基诺|德昂|布朗|阿昌|门巴|珞巴|仡佬"
    "|藏|彝|苗|侗|壮|回|傣|白|羌|满|瑶|黎|畲|水|佤|土|怒|各"
)
_AUTONOMOUS = re.compile(rf"^(.+?)(?:(?:{_ETHNIC})族)+自治(州|县|区|旗)$")
_SUFFIX = re.compile(r"^(.{2,}?)(?:省|市|自治区|特别行政区|地区|盟|县|区|旗|林区)$")
# Short forms that read as ordinary words far more often than as the place.
_GENERIC = frozenset(
    [
        "新城",
        "城关",
        "城中",
        "城东",
        "城西",
        "城南",
        "城北",
        "东区",
        "西区",
        "南区",
        "北区",
        "郊区",
        "矿区",
        "城区",
        "新区",
        "市中",
        "长安",
        "白云",
        "青山",
        "和平",
        "新华",
        "红旗",
        "江南",
        "江北",
        "河东",
        "河西",
        "河北",
        "东方",
        "中山",
        "永安",
        "宝山",
        "天河",
        "南山",
        "鼓楼",
        "西湖",
        "普陀",
        "朝阳",
        "向阳",
        "铁西",
        "铁东",
        "桥西",
        "桥东",
        "高新",
        "开发",
        "海州",
        "西安",
        "通州",
        "永定",
        "金山",
        "平安",
        "安全",
        "长宁",
        "龙华",
        "东港",
        "定南",
        "新兴",
        "和田",
        "江城",
        "龙江",
        "大同",
        "永和",
        "兴业",
        "双桥",
        "梅江",
        "清河",
        "红星",
        "新市",
        "阿里",
        "太平",
        "钟山",
        "安宁",
        "文化",
        "万全",
        "华容",
        "康乐",
        "福山",
        "宁安",
        "城阳",
        "龙湖",
        "海港",
        "开平",
        "新乡",
        "港口",
        "东兴",
        "合作",
        "吉利",
        "平山",
        "东山",
        "北海",
        "三江",
        "海城",
        "金川",
        "金牛",
        "长春",
        "立新",
        "建华",
        "光明",
    ]
)
# Full region names that are ordinary words: only a short-name-free exact match counts.
_KEEP_SHORT = frozenset({"金牛"})


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    kind: str  # region | park | enterprise
    name: str  # the canonical name (full region name, park name, enterprise name)
    codes: tuple[str, ...]  # candidate adcodes (regions; a park's own adcode when known)
    level: str = ""
    weak: bool = False  # a county's short name: needs its city or province named too


def _short_names(row: RegionRow) -> list[str]:
    names = [row.name]
    match = _AUTONOMOUS.match(row.name)
    if match:
        base, suffix = match.groups()
        names.append(base + suffix)
        if len(base) >= 2:
            names.append(base)
    else:
        match = _SUFFIX.match(row.name)
        if match and len(match.group(1)) >= 2:
            names.append(match.group(1))
        if row.name.endswith("新区") and len(row.name) >= 4:
            names.append(row.name[:-2])  # 滨海新区 → 滨海
    return names


@cache
def _region_rows() -> dict[str, RegionRow]:
    return {row.adcode: row for row in build_rows()}


@cache
def _region_names() -> dict[str, tuple[tuple[str, str, bool], ...]]:
    """Surface name → ((adcode, level, weak), …) for every region. A county's short name
    (德格 for 德格县) is weak: it counts only where the article also names its city or
    province, since many read as ordinary words (资源, 玄武, 安国, 富裕)."""
    found: dict[str, list[tuple[str, str, bool]]] = {}
    for row in _region_rows().values():
        if row.name in PLACEHOLDER_NAMES:
            continue
        for index, name in enumerate(_short_names(row)):
            short = index > 0
            weak = short and row.level == COUNTY
            if weak and (name in _GENERIC and name not in _KEEP_SHORT):
                continue
            if weak and len(name) < 2:
                continue
            found.setdefault(name, []).append((row.adcode, row.level, weak))
    return {name: tuple(codes) for name, codes in found.items()}


def region(adcode: str) -> RegionRow | None:
    return _region_rows().get(adcode)


class Gazetteer:
    """Regions (always), plus the caller's parks and enterprises, matched longest-first."""

    def __init__(
        self,
        parks: Iterable[tuple[str, str | None] | str] = (),
        enterprises: Iterable[tuple[str, Sequence[str]] | str] = (),
    ) -> None:
        self.parks: dict[str, tuple[str, str | None]] = {}
        self.enterprises: dict[str, str] = {}
        for park in parks:
            name, code = (park, None) if isinstance(park, str) else park
            self.parks[name] = (name, code)
        for enterprise in enterprises:
            full, shorts = (enterprise, ()) if isinstance(enterprise, str) else enterprise
            self.enterprises[full] = full
            for short in shorts:
                if len(short) >= 2:
                    self.enterprises.setdefault(short, full)
        self._words, self._lengths = self._build()
        self._singles = any(len(surface) == 1 for surface in self._words)

    def _build(self) -> tuple[dict[str, tuple[str, str, Any]], dict[str, tuple[int, ...]]]:
        """Every surface (later entries win: parks and enterprises over regions), and per
        first two characters the lengths of the surfaces that start with them. A dictionary
        looked up at each position finds every occurrence, as an Aho-Corasick automaton would,
        in half its time here: pyahocorasick looks a node's children up one by one, and the
        root of six thousand names has a thousand of them."""
        words: dict[str, tuple[str, str, Any]] = {}
        for name, codes in _region_names().items():
            words[name] = (name, REGION, codes)
        for surface, (name, code) in self.parks.items():
            words[surface] = (surface, PARK, (name, code))
        for surface, name in self.enterprises.items():
            words[surface] = (surface, ENTERPRISE, name)
        lengths: dict[str, set[int]] = {}
        for surface in words:
            if len(surface) >= 2:
                lengths.setdefault(surface[:2], set()).add(len(surface))
        return words, {key: tuple(sorted(found)) for key, found in lengths.items()}

    def _occurrences(self, text: str) -> Iterator[tuple[int, tuple[str, str, Any]]]:
        """(end index, entry) of every occurrence of every surface in `text`."""
        words, lengths, singles = self._words, self._lengths, self._singles
        for start in range(len(text)):
            if singles and text[start] in words:
                yield start, words[text[start]]
            for size in lengths.get(text[start : start + 2], ()):
                entry = words.get(text[start : start + size])
                if entry is not None:
                    yield start + size - 1, entry

    def find(self, text: str) -> list[Hit]:
        """Non-overlapping matches, the longest winning (parks and enterprises beat regions)."""
        raw: list[Hit] = []
        for end, (surface, kind, payload) in self._occurrences(text):
            start = end - len(surface) + 1
            if kind == REGION:
                codes = tuple(code for code, _, _ in payload)
                level = max((lv for _, lv, _ in payload), key=_DEPTH.__getitem__)
                weak = all(w for _, _, w in payload)
                raw.append(Hit(start, end + 1, REGION, surface, codes, level, weak))
            elif kind == PARK:
                name, code = payload
                raw.append(Hit(start, end + 1, PARK, name, (code,) if code else ()))
            else:
                raw.append(Hit(start, end + 1, ENTERPRISE, payload, ()))
        rank = {PARK: 0, ENTERPRISE: 0, REGION: 1}
        raw.sort(key=lambda h: (-(h.end - h.start), rank[h.kind], h.start))
        taken: list[Hit] = []
        used = bytearray(len(text) + 1)
        for hit in raw:
            if any(used[hit.start : hit.end]):
                continue
            for i in range(hit.start, hit.end):
                used[i] = 1
            taken.append(hit)
        taken.sort(key=lambda h: h.start)
        return taken


@cache
def default_gazetteer() -> Gazetteer:
    return Gazetteer()


def confirmed(hits: Sequence[Hit]) -> list[Hit]:
    """Drop weak hits (a county's short name) whose city or province the text never names."""
    strong_codes = {code for h in hits if h.kind == REGION and not h.weak for code in h.codes}
    kept = []
    for hit in hits:
        if hit.kind == REGION and hit.weak:
            codes = tuple(
                code
                for code in hit.codes
                if (row := region(code)) and any(p in strong_codes for p in row.path.split("/"))
            )
            if not codes:
                continue
            hit = Hit(hit.start, hit.end, hit.kind, hit.name, codes, hit.level, True)
        kept.append(hit)
    return kept


def resolve(hits: Sequence[Hit], context: Sequence[Hit] = ()) -> tuple[Hit, str] | None:
    """The most specific region among `hits`, with one adcode chosen using `context`
    (an ambiguous 朝阳区 goes to the city or province the article also names)."""
    regions = [h for h in hits if h.kind == REGION or (h.kind == PARK and h.codes)]
    if not regions:
        return None
    best = max(regions, key=lambda h: (_DEPTH.get(h.level, 3) if h.kind == REGION else 3, h.start))
    mentioned = {code for h in (*hits, *context) if h.kind == REGION for code in h.codes}
    code = choose_code(best.codes, mentioned)
    return (best, code) if code else None


def choose_code(codes: Sequence[str], mentioned: set[str]) -> str | None:
    if not codes:
        return None
    if len(codes) == 1:
        return codes[0]
    for code in codes:
        row = region(code)
        if row and any(part in mentioned for part in row.path.split("/")[:-1]):
            return code
    return None  # ambiguous and nothing in the article says which


_PARK_SUFFIX = re.compile(
    r"(?:经济技术开发区|高新技术产业开发区|经济开发区|高新技术产业园区|综合保税区|经开区|高新区|开发区"
    r"|工业园区|产业园区|工业园|产业园|保税区|自贸区|自由贸易试验区|产业集聚区|集聚区|示范区|新区|科技城"
    r"|生物城|智造新城|合作区|物流园)"
)


def park_after(text: str, hit: Hit) -> tuple[int, int] | None:
    """A park named as region + zone suffix: 成都高新区, 张掖经开区, 德阳高新区."""
    match = _PARK_SUFFIX.match(text, hit.end, hit.end + 14)
    if match:
        return hit.start, match.end()
    # 天津滨海高新区: one more name between the region and the zone suffix.
    gap = re.compile(r"[\u4e00-\u9fff]{1,4}?").match(text, hit.end)
    if gap:
        match = _PARK_SUFFIX.match(text, gap.end(), gap.end() + 14)
        if match and match.group() in {"高新区", "经开区", "开发区", "新区", "保税区"}:
            return hit.start, match.end()
    return None
