"""Industry-chain templates: a chain is a directed graph of segments, read from YAML (no Django).

The shipped templates live in `src/parklink/data/chains/*.yaml`, one chain a file; the format is
described in docs/chains.md ("Templates and classification"). `parse` checks a document and
raises `CatalogError` naming the field and the segment at fault; `dump` writes a chain back as
YAML so that `parse(dump(chain)) == chain`.

A chain's `version` is the template's own version (the `version:` field) followed by a hash of
its content, e.g. "2026.1+3f2a9c1b0e": two templates that say the same version but differ in any
keyword, code or edge have different versions, so a chain map can always say what it used.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from parklink.chains import industry_codes

CHAINS_DIR = Path(__file__).resolve().parent.parent / "data" / "chains"
STAGES = ("upstream", "midstream", "downstream")
ROLES = ("rnd", "manufacturing", "service", "terminal")
# What an enterprise does in a segment, which decides which verbs near a keyword confirm it:
# make (制造, 生产, 加工 …), grow (种植, 养殖, 繁育 …), serve (运营, 安装, 服务 …), trade (销售 …).
ACTIVITIES = ("make", "grow", "research", "serve", "trade")
DEFAULT_ACTIVITY = {
    "rnd": "research",
    "manufacturing": "make",
    "service": "serve",
    "terminal": "make",
}
KEY = re.compile(r"^[a-z][a-z0-9_]*$")
CODE = re.compile(r"^\d{2,4}$")
TOP_FIELDS = (
    "key",
    "name",
    "name_en",
    "version",
    "description",
    "keywords",
    "allow_cycles",
    "service_segment",
    "segments",
    "edges",
)
SEGMENT_FIELDS = (
    "key",
    "name",
    "name_en",
    "stage",
    "role",
    "activity",
    "parent",
    "keywords",
    "exclusions",
    "industry_codes",
    "products",
    "generic_items",
)


class CatalogError(ValueError):
    """A template that cannot be used; the message names the field (and segment) at fault."""

    def __init__(self, message: str, path: str = "") -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


@dataclass(frozen=True)
class Segment:
    key: str
    name: str
    name_en: str
    stage: str  # "upstream" | "midstream" | "downstream"
    role: str  # "rnd" | "manufacturing" | "service" | "terminal"
    parent: str | None  # the segment this one is a sub-segment of
    keywords: tuple[str, ...]
    exclusions: tuple[str, ...]
    industry_codes: tuple[str, ...]  # GB/T 4754-2017 codes (2-4 digits)
    products: tuple[str, ...]
    activity: str = ""  # see ACTIVITIES; "" means the role's default
    # catalogue items many firms write (电池制造, 电子专用材料制造): they count for the segment
    # only when the company's name names the segment or its chain (某某锂电 + 电池制造)
    generic_items: tuple[str, ...] = ()

    @property
    def effective_activity(self) -> str:
        return self.activity or DEFAULT_ACTIVITY[self.role]


@dataclass(frozen=True)
class Chain:
    key: str
    name: str
    name_en: str
    version: str  # "<the template's version>+<content hash>"
    segments: tuple[Segment, ...]
    edges: tuple[tuple[str, str], ...]  # (supplier segment key, buyer segment key)
    description: str = ""
    keywords: tuple[str, ...] = ()  # words naming the chain as a whole (光伏, 锂电): name evidence
    allow_cycles: bool = False
    # the segment that installs, maintains and repairs the chain's products (光伏电站与安装运维):
    # a firm that installs a product of the chain (光伏组件安装) is placed there, not as a maker
    service_segment: str | None = None
    _index: dict[str, Segment] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({segment.key: segment for segment in self.segments})

    @property
    def release(self) -> str:
        """The version the template states, without the content hash."""
        return self.version.split("+", 1)[0]

    @property
    def digest(self) -> str:
        return self.version.split("+", 1)[1] if "+" in self.version else ""

    def segment(self, key: str) -> Segment:
        try:
            return self._index[key]
        except KeyError:
            raise KeyError(f"chain {self.key!r} has no segment {key!r}") from None

    def upstream_of(self, key: str) -> list[Segment]:
        """The segments that supply `key` directly."""
        self.segment(key)
        return [self._index[a] for a, b in self.edges if b == key]

    def downstream_of(self, key: str) -> list[Segment]:
        """The segments `key` supplies directly."""
        self.segment(key)
        return [self._index[b] for a, b in self.edges if a == key]

    def children(self, key: str) -> list[Segment]:
        """The sub-segments of `key`."""
        return [segment for segment in self.segments if segment.parent == key]

    def top_level(self) -> list[Segment]:
        return [segment for segment in self.segments if segment.parent is None]

    def order(self) -> list[Segment]:
        """Segments by stage (upstream first), then in the template's order."""
        rank = {stage: index for index, stage in enumerate(STAGES)}
        return sorted(self.segments, key=lambda s: rank[s.stage])


# --------------------------------------------------------------------------- parsing


def _text(value: Any, path: str, required: bool = True) -> str:
    if value is None or value == "":
        if required:
            raise CatalogError("必填 (required)", path)
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise CatalogError(f"应为文字 (must be text), 而不是 {type(value).__name__}", path)
    return str(value).strip()


def _words(value: Any, path: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        raise CatalogError("应为列表 (must be a list), 如 [光伏组件, 太阳能组件]", path)
    if not isinstance(value, list):
        raise CatalogError(f"应为列表 (must be a list), 而不是 {type(value).__name__}", path)
    words: list[str] = []
    for index, item in enumerate(value):
        word = _text(item, f"{path}[{index}]")
        if word in words:
            raise CatalogError(f"重复的“{word}” (duplicate)", f"{path}[{index}]")
        words.append(word)
    return tuple(words)


def _choice(value: Any, allowed: tuple[str, ...], path: str, required: bool = True) -> str:
    text = _text(value, path, required)
    if text and text not in allowed:
        raise CatalogError(f"“{text}”不是 {' | '.join(allowed)} 之一", path)
    return text


def _segment(raw: Any, index: int) -> Segment:
    where = f"segments[{index}]"
    if not isinstance(raw, Mapping):
        raise CatalogError("每个环节应为一个映射 (each segment must be a mapping)", where)
    key = _text(raw.get("key"), f"{where}.key")
    if not KEY.match(key):
        raise CatalogError(f"环节键“{key}”应为小写英文、数字和下划线 (snake case)", f"{where}.key")
    where = f"segments[{key}]"
    unknown = sorted(set(raw) - set(SEGMENT_FIELDS))
    if unknown:
        raise CatalogError(f"未知字段 (unknown field) {', '.join(map(str, unknown))}", where)
    role = _choice(raw.get("role"), ROLES, f"{where}.role")
    raw_codes = raw.get("industry_codes") or []
    if not isinstance(raw_codes, list):
        raise CatalogError('应为列表 (must be a list), 如 ["3825"]', f"{where}.industry_codes")
    codes = _words([str(code) for code in raw_codes], f"{where}.industry_codes")
    for position, code in enumerate(codes):
        if not CODE.match(code) or not industry_codes.exists(code):
            raise CatalogError(
                f"“{code}”不是 GB/T 4754-2017 的行业代码 (not a GB/T 4754-2017 code)",
                f"{where}.industry_codes[{position}]",
            )
    keywords = _words(raw.get("keywords"), f"{where}.keywords")
    if not keywords:
        raise CatalogError("至少需要一个关键词 (at least one keyword)", f"{where}.keywords")
    exclusions = _words(raw.get("exclusions"), f"{where}.exclusions")
    both = set(keywords) & set(exclusions)
    if both:
        raise CatalogError(
            f"“{sorted(both)[0]}”既是关键词又是排除词 (both keyword and exclusion)", where
        )
    generic = _words(raw.get("generic_items"), f"{where}.generic_items")
    shared = set(generic) & (set(keywords) | set(exclusions))
    if shared:
        raise CatalogError(
            f"“{sorted(shared)[0]}”已是关键词或排除词 (already a keyword or exclusion)",
            f"{where}.generic_items",
        )
    parent = _text(raw.get("parent"), f"{where}.parent", required=False) or None
    return Segment(
        key=key,
        name=_text(raw.get("name"), f"{where}.name"),
        name_en=_text(raw.get("name_en"), f"{where}.name_en", required=False),
        stage=_choice(raw.get("stage"), STAGES, f"{where}.stage"),
        role=role,
        parent=parent,
        keywords=keywords,
        exclusions=exclusions,
        industry_codes=codes,
        products=_words(raw.get("products"), f"{where}.products"),
        generic_items=generic,
        activity=_choice(raw.get("activity"), ACTIVITIES, f"{where}.activity", required=False),
    )


def _find_cycle(keys: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[str] | None:
    graph: dict[str, list[str]] = {key: [] for key in keys}
    for a, b in edges:
        graph[a].append(b)
    state: dict[str, int] = {}
    trail: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        trail.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                return [*trail[trail.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        state[node] = 2
        trail.pop()
        return None

    for key in graph:
        if key not in state:
            found = visit(key)
            if found:
                return found
    return None


def _content_hash(document: dict[str, Any]) -> str:
    body = {name: value for name, value in document.items() if name != "version"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:10]


def from_data(data: Any) -> Chain:
    """A chain from an already-loaded YAML/JSON document (a mapping)."""
    if not isinstance(data, Mapping):
        raise CatalogError("模板应为一个映射 (a template must be a mapping: key, name, segments …)")
    unknown = sorted(set(map(str, data)) - set(TOP_FIELDS))
    if unknown:
        raise CatalogError(f"未知字段 (unknown field) {', '.join(unknown)}")
    key = _text(data.get("key"), "key")
    if not KEY.match(key):
        raise CatalogError(f"链键“{key}”应为小写英文、数字和下划线 (snake case)", "key")
    raw_segments = data.get("segments")
    if not isinstance(raw_segments, list) or not raw_segments:
        raise CatalogError("至少需要一个环节 (a list of at least one segment)", "segments")
    segments = [_segment(raw, index) for index, raw in enumerate(raw_segments)]
    seen: set[str] = set()
    for segment in segments:
        if segment.key in seen:
            raise CatalogError("环节键重复 (duplicate segment key)", f"segments[{segment.key}]")
        seen.add(segment.key)
    for segment in segments:
        if segment.parent is not None and segment.parent not in seen:
            raise CatalogError(
                f"上级环节“{segment.parent}”不存在 (no such segment)",
                f"segments[{segment.key}].parent",
            )
        ancestor, hops = segment.parent, 0
        while ancestor is not None:
            hops += 1
            if ancestor == segment.key or hops > len(segments):
                raise CatalogError("上级环节成环 (parents form a loop)", f"segments[{segment.key}]")
            ancestor = next(s.parent for s in segments if s.key == ancestor)
    raw_edges = data.get("edges") or []
    if not isinstance(raw_edges, list):
        raise CatalogError("应为列表 (must be a list of [supplier, buyer])", "edges")
    edges: list[tuple[str, str]] = []
    for index, raw in enumerate(raw_edges):
        if not isinstance(raw, list) or len(raw) != 2:
            raise CatalogError(
                "每条边应为 [供应环节, 采购环节] ([supplier, buyer])", f"edges[{index}]"
            )
        a, b = (_text(item, f"edges[{index}]") for item in raw)
        for end in (a, b):
            if end not in seen:
                raise CatalogError(f"环节“{end}”不存在 (no such segment)", f"edges[{index}]")
        if a == b:
            raise CatalogError(f"环节“{a}”不能供应自己 (self loop)", f"edges[{index}]")
        if (a, b) in edges:
            raise CatalogError(f"重复的边 {a} → {b} (duplicate edge)", f"edges[{index}]")
        edges.append((a, b))
    allow_cycles = data.get("allow_cycles", False)
    if not isinstance(allow_cycles, bool):
        raise CatalogError("应为 true 或 false", "allow_cycles")
    if not allow_cycles:
        cycle = _find_cycle([segment.key for segment in segments], edges)
        if cycle:
            raise CatalogError(
                f"供应关系成环 {' → '.join(cycle)}; 如确有循环, 请声明 allow_cycles: true",
                "edges",
            )
    service_segment = _text(data.get("service_segment"), "service_segment", required=False)
    if service_segment and service_segment not in seen:
        raise CatalogError(f"环节“{service_segment}”不存在 (no such segment)", "service_segment")
    release = _text(data.get("version"), "version")
    chain = Chain(
        key=key,
        name=_text(data.get("name"), "name"),
        name_en=_text(data.get("name_en"), "name_en", required=False),
        version=release,
        segments=tuple(segments),
        edges=tuple(edges),
        description=_text(data.get("description"), "description", required=False),
        keywords=_words(data.get("keywords"), "keywords"),
        allow_cycles=allow_cycles,
        service_segment=service_segment or None,
    )
    return _with_hash(chain)


def _with_hash(chain: Chain) -> Chain:
    digest = _content_hash(_document(chain))
    return Chain(
        key=chain.key,
        name=chain.name,
        name_en=chain.name_en,
        version=f"{chain.release}+{digest}",
        segments=chain.segments,
        edges=chain.edges,
        description=chain.description,
        keywords=chain.keywords,
        allow_cycles=chain.allow_cycles,
        service_segment=chain.service_segment,
    )


def parse(text: str) -> Chain:
    """A chain from YAML text; `CatalogError` names the field (and segment) at fault."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行 (line {mark.line + 1})" if mark else ""
        raise CatalogError(f"YAML 格式错误 (not valid YAML): {exc}", where) from exc
    return from_data(data)


# --------------------------------------------------------------------------- dumping


def _document(chain: Chain) -> dict[str, Any]:
    document: dict[str, Any] = {
        "key": chain.key,
        "name": chain.name,
        "name_en": chain.name_en,
        "version": chain.release,
        "description": chain.description,
        "keywords": list(chain.keywords),
    }
    if chain.allow_cycles:
        document["allow_cycles"] = True
    if chain.service_segment:
        document["service_segment"] = chain.service_segment
    segments = []
    for segment in chain.segments:
        item: dict[str, Any] = {
            "key": segment.key,
            "name": segment.name,
            "name_en": segment.name_en,
            "stage": segment.stage,
            "role": segment.role,
        }
        if segment.activity:
            item["activity"] = segment.activity
        if segment.parent:
            item["parent"] = segment.parent
        item["keywords"] = list(segment.keywords)
        item["exclusions"] = list(segment.exclusions)
        item["industry_codes"] = list(segment.industry_codes)
        item["products"] = list(segment.products)
        if segment.generic_items:
            item["generic_items"] = list(segment.generic_items)
        segments.append(item)
    document["segments"] = segments
    document["edges"] = [list(edge) for edge in chain.edges]
    return document


class _Dumper(yaml.SafeDumper):
    pass


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, str) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    quoted = value[:1].isdigit() or value.lower() in {"yes", "no", "on", "off", "true", "false"}
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if quoted else None)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def dump(chain: Chain) -> str:
    """The chain as YAML text (the shipped templates' layout)."""
    return yaml.dump(
        _document(chain),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )


# --------------------------------------------------------------------------- shipped templates


@cache
def shipped() -> dict[str, Chain]:
    """Every template in data/chains, keyed by chain key (in the order of the file names)."""
    chains: dict[str, Chain] = {}
    for path in sorted(CHAINS_DIR.glob("*.yaml")):
        try:
            chain = parse(path.read_text(encoding="utf-8"))
        except CatalogError as exc:
            raise CatalogError(f"{path.name}: {exc}") from exc
        if chain.key in chains:
            raise CatalogError(f"{path.name}: 链键“{chain.key}”重复 (duplicate chain key)")
        chains[chain.key] = chain
    return chains
