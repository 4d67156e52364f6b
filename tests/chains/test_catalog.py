"""The shipped chain templates and the template format (parse, dump, validation messages)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

import pytest
import yaml

from parklink.chains import catalog, industry_codes
from parklink.chains.catalog import CatalogError, dump, parse, shipped

REQUIRED_CHAINS = {
    "photovoltaics", "hydrogen", "lithium", "nev", "new_display", "rail_transit", "aviation",
    "medical_devices", "tcm_tibetan", "seed", "agri_processing", "clean_energy_equipment",
    "green_food", "medical_aesthetics", "digital_culture_tourism", "computing",
    "additive_manufacturing", "specialty_gases", "new_materials", "integrated_circuits",
}  # fmt: skip


def test_every_required_chain_is_shipped() -> None:
    assert set(shipped()) >= REQUIRED_CHAINS


@pytest.mark.parametrize("key", sorted(REQUIRED_CHAINS))
def test_a_shipped_template_is_a_valid_graph(key: str) -> None:
    chain = shipped()[key]
    keys = {segment.key for segment in chain.segments}
    assert len(chain.segments) >= 4
    assert {segment.stage for segment in chain.segments} >= {"upstream", "downstream"}
    for segment in chain.segments:
        assert segment.keywords and segment.name and segment.products
        for code in segment.industry_codes:
            assert industry_codes.exists(code), (segment.key, code)
        assert segment.parent is None or segment.parent in keys
    for supplier, buyer in chain.edges:
        assert supplier in keys and buyer in keys
    if not chain.allow_cycles:
        assert catalog._find_cycle(keys, chain.edges) is None
    every = {s.key for s in chain.segments}
    linked = {a for a, _ in chain.edges} | {b for _, b in chain.edges}
    assert every <= linked | {s.key for s in chain.segments if s.parent}, every - linked
    assert chain.version.startswith("2026.1+") and len(chain.digest) == 10


def test_photovoltaics_runs_from_silicon_to_power_stations() -> None:
    chain = shipped()["photovoltaics"]
    order = ["industrial_silicon", "polysilicon", "wafer", "cell", "module", "power_station"]
    for supplier, buyer in pairwise(order):
        assert chain.segment(buyer) in chain.downstream_of(supplier)
        assert chain.segment(supplier) in chain.upstream_of(buyer)
    assert [s.key for s in chain.children("module")] == ["auxiliary_materials"]
    assert chain.order()[0].stage == "upstream" and chain.order()[-1].stage == "downstream"
    with pytest.raises(KeyError):
        chain.segment("nothing")


@pytest.mark.parametrize("key", sorted(REQUIRED_CHAINS))
def test_dump_then_parse_gives_the_same_chain(key: str) -> None:
    chain = shipped()[key]
    text = dump(chain)
    again = parse(text)
    assert again == chain
    assert again.version == chain.version
    assert "industry_codes:" in text and '"' in text  # codes stay quoted strings


def test_the_version_changes_with_the_content() -> None:
    chain = shipped()["seed"]
    data = yaml.safe_load(dump(chain))
    data["segments"][0]["keywords"].append("玉米新品种")
    changed = catalog.from_data(data)
    assert changed.release == chain.release
    assert changed.version != chain.version


MINIMAL = """
key: demo
name: 示例链
version: "1"
segments:
  - {key: a, name: 甲, stage: upstream, role: manufacturing, keywords: [甲材料],
     industry_codes: ["3985"]}
  - {key: b, name: 乙, stage: downstream, role: service, keywords: [乙服务]}
edges:
  - [a, b]
"""


def test_a_minimal_template_parses() -> None:
    assert parse(MINIMAL + "service_segment: b\n").service_segment == "b"
    chain = parse(MINIMAL)
    assert chain.key == "demo" and chain.edges == (("a", "b"),)
    assert chain.segment("b").effective_activity == "serve"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("name"), "name: 必填"),
        (lambda d: d.update(key="Bad Key"), "key: 链键“Bad Key”应为小写英文"),
        (
            lambda d: d["segments"][0].update(industry_codes=["9999"]),
            "segments[a].industry_codes[0]",
        ),
        (
            lambda d: d["segments"][0].update(industry_codes="3985"),
            "segments[a].industry_codes: 应为列表",
        ),
        (lambda d: d["segments"][1].update(stage="sideways"), "segments[b].stage: “sideways”不是"),
        (lambda d: d["segments"][1].update(role="boss"), "segments[b].role"),
        (
            lambda d: d["segments"][1].update(keywords=[]),
            "segments[b].keywords: 至少需要一个关键词",
        ),
        (
            lambda d: d["segments"][1].update(parent="zzz"),
            "segments[b].parent: 上级环节“zzz”不存在",
        ),
        (lambda d: d["segments"][1].update(exclusions=["乙服务"]), "既是关键词又是排除词"),
        (lambda d: d["segments"][1].update(key="a"), "segments[a]: 环节键重复"),
        (lambda d: d["edges"].append(["a", "c"]), "edges[1]: 环节“c”不存在"),
        (lambda d: d["edges"].append(["b", "a"]), "edges: 供应关系成环 a → b → a"),
        (lambda d: d["edges"].append(["a", "a"]), "edges[1]: 环节“a”不能供应自己"),
        (lambda d: d.update(colour="red"), "未知字段 (unknown field) colour"),
        (lambda d: d.update(service_segment="zzz"), "service_segment: 环节“zzz”不存在"),
        (
            lambda d: d["segments"][1].update(generic_items=["乙服务"]),
            "segments[b].generic_items: “乙服务”已是关键词或排除词",
        ),
        (
            lambda d: d["segments"][0].update(weight=2),
            "segments[a]: 未知字段 (unknown field) weight",
        ),
    ],
)
def test_errors_name_the_field_and_segment(
    change: Callable[[dict[str, Any]], object], message: str
) -> None:
    data = yaml.safe_load(MINIMAL)
    change(data)
    with pytest.raises(CatalogError) as caught:
        catalog.from_data(data)
    assert message in str(caught.value)


def test_a_declared_cycle_is_allowed() -> None:
    data = yaml.safe_load(MINIMAL)
    data["edges"].append(["b", "a"])
    data["allow_cycles"] = True
    assert len(catalog.from_data(data).edges) == 2


def test_broken_yaml_names_the_line() -> None:
    with pytest.raises(CatalogError, match="第 4 行"):
        parse("key: demo\nname: x\nsegments: [\n  - {")


def test_the_code_table_is_the_2017_standard() -> None:
    levels = [entry.level for entry in industry_codes.table().values()]
    assert levels.count(1) == 20 and levels.count(2) == 97 and levels.count(3) == 473
    assert levels.count(4) == 1381  # the file's 1,380 and 3741 飞机制造 (ERRATA)
    assert industry_codes.name("3493") == "增材制造装备制造"
    assert industry_codes.name("C3841") == "锂离子电池制造"
    assert industry_codes.name("３８４１") == "锂离子电池制造"
    assert industry_codes.get("061").name == "烟煤和无烟煤开采洗选"  # type: ignore[union-attr]
    assert industry_codes.get("3741").parent == "374"  # type: ignore[union-attr]
    assert not industry_codes.exists("3999")
