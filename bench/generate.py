"""A synthetic enterprise registry: deterministic for a seed, with the true chain of each row.

    python -m bench.generate N [--seed S] -o FILE.csv

`generate(n, seed)` returns a dict of columns (lists or numpy arrays, all of length n):

- `id` (str), `name` (plausible Chinese company name), `uscc` (统一社会信用代码, valid GB 32100
  check character, registration authority 9 / type 1, the enterprise's adcode in characters 3-8),
- `adcode` (a real county-level code from cpca's table via `parklink.regions.table`, spread over
  provinces and counties with a Zipf-like skew: a few places hold many enterprises),
- `industry_code` (GB/T 4754-2017 class, "" for about 15% of rows, as registries often lack it),
- `capital_fen` (registered capital in fen, int64, log-normal around 500 万元),
- `listed`, `high_tech`, `chain_leader`, `specialised` (bool arrays: 上市, 高新技术企业, 链主,
  专精特新; chain leaders are large enterprises of a chain),
- `scope` (经营范围 in the registrars' forms: 一般项目/许可项目 lists or the older 、/，/； form,
  with boilerplate, unrelated items, and traditional characters in about 10% of rows),
- `chain`, `segment` (the truth: the chain and segment the scope was written for, "" for the
  ~85% of enterprises in no chain, among them traders that sell chain products (5%), holding
  companies with chain words in their names (2%) and ordinary services).

The truth is what the generator meant, written with the templates' own keywords: accuracy on
it is a check of consistency, not of real-world quality (tests/chains/data/scopes.yaml is that).
1,000,000 rows take about 10 s of CPU (numpy for the numbers and codes; strings by list
building); the CSV is written in a few more.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

from parklink.chains.catalog import Chain, Segment, shipped
from parklink.chains.classify.text import to_traditional
from parklink.chains.industry_codes import table
from parklink.enterprises.uscc import ALPHABET, WEIGHTS

# Shares of a registry: enterprises written for a chain segment, traders listing a chain's
# products among other goods, holding companies with a chain word in their names. A province's
# registry has far fewer chain enterprises than this; the shares keep every path well exercised.
CHAIN_SHARE = 0.15
TRADER_SHARE = 0.05
HOLDING_SHARE = 0.02
TRADITIONAL_SHARE = 0.10
NO_CODE_SHARE = 0.15
COLUMNS = (
    "id",
    "name",
    "uscc",
    "adcode",
    "industry_code",
    "capital_fen",
    "listed",
    "high_tech",
    "chain_leader",
    "specialised",
    "scope",
    "chain",
    "segment",
)

BRAND = list("华瑞恒泰鑫源盛达宏远凯旭博润天和嘉信永辉金鼎中科创联汇兴正德新宇明锐航通蓝海峰")
GENERAL = "一般项目："
PERMIT = "许可项目："
FREE = "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
APPROVED = (
    "（依法须经批准的项目，经相关部门批准后方可开展经营活动，"
    "具体经营项目以相关部门批准文件或许可证件为准）"
)
TECH = "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广"
FILLER = [
    "日用百货销售",
    "五金产品批发",
    "信息咨询服务（不含许可类信息咨询服务）",
    "会议及展览服务",
    "办公用品销售",
    "家用电器销售",
    "建筑材料销售",
    "机械设备租赁",
    "广告设计、代理",
    "企业管理咨询",
    "物业管理",
    "装卸搬运",
    "普通货物仓储服务（不含危险化学品等需许可审批的项目）",
    "专业设计服务",
    "软件开发",
    "劳务服务（不含劳务派遣）",
    "货物进出口",
    "技术进出口",
    "非居住房地产租赁",
    "市场营销策划",
    "环保咨询服务",
    "safety".replace("safety", "安全咨询服务"),
]
# Businesses in no chain: (word in the name, industry class, typical items).
OTHER = [
    ("餐饮管理", "6210", ["餐饮服务", "食品销售", "外卖递送服务", "餐饮管理", "酒类经营"]),
    ("物业服务", "7020", ["物业管理", "停车场服务", "家政服务", "保洁服务", "园林绿化工程施工"]),
    (
        "物流",
        "5431",
        ["道路货物运输（不含危险货物）", "国内货物运输代理", "普通货物仓储服务", "装卸搬运"],
    ),
    ("建筑工程", "4790", ["建设工程施工", "施工专业作业", "土石方工程施工", "建筑劳务分包"]),
    ("房地产开发", "7010", ["房地产开发经营", "房地产经纪", "住房租赁", "物业管理"]),
    (
        "教育咨询",
        "8399",
        ["教育咨询服务（不含涉许可审批的教育培训活动）", "文化艺术培训", "体育培训"],
    ),
    ("广告传媒", "7259", ["广告设计、代理", "广告制作", "广告发布", "图文设计制作"]),
    (
        "人力资源",
        "7269",
        ["人力资源服务（不含职业中介活动、劳务派遣服务）", "劳务服务（不含劳务派遣）"],
    ),
    ("服饰", "1819", ["服装制造", "服饰制造", "针纺织品销售", "鞋帽零售"]),
    ("家具", "2110", ["家具制造", "家具销售", "木制品制造", "家具安装和维修服务"]),
    ("网络科技", "6513", ["软件开发", "网络技术服务", "信息系统集成服务", "计算机系统服务"]),
    ("大药房", "5251", ["药品零售", "第一类医疗器械销售", "保健食品销售", "日用品销售"]),
    ("汽车服务", "8111", ["机动车修理和维护", "汽车装饰用品销售", "洗车服务", "二手车经纪"]),
    ("酒店管理", "6110", ["住宿服务", "餐饮服务", "会议及展览服务", "洗染服务"]),
]
TRADE_GOODS = [
    "电子产品",
    "日用百货",
    "服装服饰",
    "办公用品",
    "家用电器",
    "建筑材料",
    "化妆品",
    "五金产品",
    "金属材料",
    "化工产品（不含许可类化工产品）",
    "塑料制品",
    "汽车零配件",
    "电线电缆",
    "文具用品",
]
VERB_FORMS = {
    "make": [
        "{k}的研发、生产和销售",
        "{k}制造",
        "{k}生产；{k}销售",
        "{k}的设计、制造、销售",
        "生产、加工{k}",
    ],
    "grow": ["{k}繁育及销售", "{k}种植、初加工", "{k}的培育与销售"],
    "research": ["{k}的研发", "{k}研发与技术服务", "{k}"],
    "serve": ["{k}运营", "{k}服务", "{k}的建设、运营和维护"],
    "trade": ["{k}销售", "{k}及售后服务"],
}


@cache
def _counties() -> tuple[list[str], np.ndarray]:
    from parklink.regions.table import COUNTY, build_rows

    rows = [row for row in build_rows() if row.level == COUNTY]
    adcodes = [row.adcode for row in rows]
    provinces = sorted({code[:2] for code in adcodes})
    # Zipf-like over provinces (in a fixed shuffled order) and over counties within each.
    order = np.random.default_rng(4754).permutation(len(provinces))
    province_weight = {p: 1.0 / (rank + 1) ** 0.7 for p, rank in zip(provinces, order, strict=True)}
    weights = np.empty(len(adcodes))
    position: dict[str, int] = {}
    for index, code in enumerate(adcodes):
        rank = position.get(code[:2], 0)
        position[code[:2]] = rank + 1
        weights[index] = province_weight[code[:2]] / (rank + 1) ** 0.9
    return adcodes, weights / weights.sum()


def _classes_under(code: str) -> list[str]:
    if len(code) == 4:
        return [code]
    return [c for c, e in table().items() if e.level == 4 and c.startswith(code)] or [code]


def _uscc(adcodes: np.ndarray, rng: np.random.Generator) -> list[str]:
    n = len(adcodes)
    body = np.empty((n, 17), dtype=np.int64)
    body[:, 0] = ALPHABET.index("9")
    body[:, 1] = ALPHABET.index("1")
    digits = np.array([list(map(int, code)) for code in adcodes], dtype=np.int64).reshape(n, 6)
    body[:, 2:8] = digits
    body[:, 8:17] = rng.integers(0, 31, size=(n, 9))
    body[:, 16] = rng.integers(0, 10, size=n)
    check = (31 - (body @ np.array(WEIGHTS, dtype=np.int64)) % 31) % 31
    symbols = np.array(list(ALPHABET))
    chars = np.concatenate([symbols[body], symbols[check][:, None]], axis=1)
    return ["".join(row) for row in chars.tolist()]


def _items(chain: Chain, segment: Segment, pick: Sequence[int]) -> list[str]:
    keywords = segment.keywords
    forms = VERB_FORMS[segment.effective_activity]
    first = forms[pick[0] % len(forms)].format(k=keywords[pick[1] % len(keywords)])
    items = [first]
    if pick[2] % 2:
        second = keywords[pick[3] % len(keywords)]
        items.append(forms[pick[4] % len(forms)].format(k=second))
    return items


def _name(place: str, brand: str, word: str, suffix: str) -> str:
    return f"{place}{brand}{word}{suffix}"


def _render(items: list[str], permit: list[str], style: int, boiler: bool) -> str:
    if style == 0:  # 2021+ 规范表述
        text = GENERAL + "；".join(items)
        if boiler:
            text += FREE
        if permit:
            text = PERMIT + "；".join(permit) + APPROVED + text
        return text
    separator = "、" if style == 1 else "；"
    text = separator.join(items)
    if permit:
        text += "；" + "；".join(permit)
    return text + ("。（依法须经批准的项目，经相关部门批准后方可开展经营活动）" if boiler else "。")


def generate(n: int, seed: int = 0) -> dict[str, Any]:
    """`n` synthetic enterprises as columns (see the module's docstring), the same for a seed."""
    rng = np.random.default_rng(seed)
    chains = list(shipped().values())
    segments = [(chain, segment) for chain in chains for segment in chain.segments]
    # what traders list among their goods: things made, not services or sales themselves
    sellable = [pair for pair in segments if pair[1].effective_activity in ("make", "grow")]
    counties, weights = _counties()
    county_index = rng.choice(len(counties), size=n, p=weights)
    adcodes = np.array(counties)[county_index]
    places = _place_names()
    kind = rng.random(n)
    in_chain = kind < CHAIN_SHARE
    trader = (kind >= CHAIN_SHARE) & (kind < CHAIN_SHARE + TRADER_SHARE)
    holding = (kind >= CHAIN_SHARE + TRADER_SHARE) & (
        kind < CHAIN_SHARE + TRADER_SHARE + HOLDING_SHARE
    )
    seg_pick = rng.integers(0, len(segments), size=n)
    other_pick = rng.integers(0, len(OTHER), size=n)
    picks = rng.integers(0, 1 << 30, size=(n, 12))
    filler_count = rng.integers(1, 9, size=n)
    style = rng.integers(0, 3, size=n)
    boiler = rng.random(n) < 0.8
    tech = rng.random(n) < 0.55
    traditional = rng.random(n) < TRADITIONAL_SHARE
    no_code = rng.random(n) < NO_CODE_SHARE
    capital_wan = np.exp(rng.normal(np.log(500), 1.4, size=n))
    capital_wan = np.where(in_chain, capital_wan * 2.5, capital_wan)
    capital_fen = (np.round(capital_wan, 2) * 1_000_000).astype(np.int64)
    listed = rng.random(n) < np.where(in_chain, 0.02, 0.003)
    high_tech = rng.random(n) < np.where(in_chain, 0.3, 0.04)
    specialised = rng.random(n) < np.where(in_chain, 0.08, 0.01)
    threshold = np.quantile(capital_fen, 0.99) if n else 0
    chain_leader = in_chain & (capital_fen >= threshold) & (rng.random(n) < 0.5)
    class_cache: dict[str, list[str]] = {}

    names: list[str] = []
    scopes: list[str] = []
    codes: list[str] = []
    truth_chain: list[str] = []
    truth_segment: list[str] = []
    for row in range(n):
        pick = picks[row]
        place = places.get(adcodes[row][:4], "")
        brand = BRAND[pick[5] % len(BRAND)] + BRAND[pick[6] % len(BRAND)]
        fillers = [FILLER[(pick[7] + 7 * i) % len(FILLER)] for i in range(filler_count[row])]
        permit: list[str] = []
        if in_chain[row]:
            chain, segment = segments[seg_pick[row]]
            items = _items(chain, segment, pick)
            words = chain.keywords or segment.keywords
            word = words[pick[8] % len(words)] + ("科技" if pick[9] % 2 else "")
            code_choices = segment.industry_codes or ("7320",)
            chosen = code_choices[pick[10] % len(code_choices)]
            options = class_cache.setdefault(chosen, _classes_under(chosen))
            code = options[pick[11] % len(options)]
            truth_chain.append(chain.key)
            truth_segment.append(segment.key)
            items = [*items, *fillers[: filler_count[row] // 2]]
            if tech[row]:
                items.append(TECH)
        elif trader[row]:
            chain, segment = sellable[seg_pick[row] % len(sellable)]
            goods = [TRADE_GOODS[(pick[7] + 3 * i) % len(TRADE_GOODS)] for i in range(6)]
            goods.insert(pick[1] % 5, segment.keywords[pick[2] % len(segment.keywords)])
            items = [f"{good}销售" if i % 3 else f"{good}批发" for i, good in enumerate(goods)]
            items.append("货物进出口")
            word = "商贸" if pick[9] % 2 else "贸易"
            code = "5179" if pick[10] % 2 else "5189"
            truth_chain.append("")
            truth_segment.append("")
        elif holding[row]:
            chain = chains[seg_pick[row] % len(chains)]
            items = ["以自有资金从事投资活动", "股权投资", "投资管理", "企业管理咨询", *fillers[:2]]
            word = (chain.keywords or ("实业",))[pick[8] % max(len(chain.keywords), 1)] + "投资"
            code = "7212"
            truth_chain.append("")
            truth_segment.append("")
        else:
            word, code, typical = OTHER[other_pick[row]]
            items = [typical[(pick[1] + i) % len(typical)] for i in range(1 + pick[2] % 3)]
            items = list(dict.fromkeys(items)) + fillers
            if tech[row]:
                items.append(TECH)
            if pick[3] % 4 == 0:
                permit = ["食品销售", "道路货物运输（不含危险货物）", "建设工程施工"][
                    pick[4] % 3 :
                ][:1]
            truth_chain.append("")
            truth_segment.append("")
        suffix = "有限公司" if pick[0] % 7 else "股份有限公司"
        name = _name(place, brand, word, suffix)
        scope = _render(items, permit, int(style[row]), bool(boiler[row]))
        if traditional[row]:
            scope = to_traditional(scope)
            name = to_traditional(name)
        names.append(name)
        scopes.append(scope)
        codes.append("" if no_code[row] else code)
    width = max(len(str(n)), 1)
    return {
        "id": [f"E{index:0{width}d}" for index in range(n)],
        "name": names,
        "uscc": _uscc(adcodes, rng),
        "adcode": adcodes,
        "industry_code": codes,
        "capital_fen": capital_fen,
        "listed": listed,
        "high_tech": high_tech,
        "chain_leader": chain_leader,
        "specialised": specialised,
        "scope": scopes,
        "chain": truth_chain,
        "segment": truth_segment,
    }


@cache
def _place_names() -> dict[str, str]:
    """City (first 4 digits) → a short place name for company names (成都, 眉山 …)."""
    from parklink.regions.table import CITY, PLACEHOLDER_NAMES, PROVINCE, build_rows

    rows = build_rows()
    provinces = {row.adcode[:2]: row.name for row in rows if row.level == PROVINCE}
    names: dict[str, str] = {}
    for row in rows:
        if row.level != CITY:
            continue
        # 市辖区 and 县 under a municipality stand for the municipality itself
        short = provinces[row.adcode[:2]] if row.name in PLACEHOLDER_NAMES else row.name
        if short.endswith("自治州"):
            short = short[:2]  # 甘孜藏族自治州 → 甘孜, 大理白族自治州 → 大理
        else:
            for suffix in ("市", "地区", "盟"):
                if short.endswith(suffix) and len(short) > len(suffix) + 1:
                    short = short[: -len(suffix)]
                    break
        names[row.adcode[:4]] = short[:4]
    return names


def records(columns: dict[str, Any]) -> list[dict[str, Any]]:
    """The columns as a list of row dicts (for small n)."""
    n = len(columns["id"])
    return [{key: columns[key][row] for key in COLUMNS} for row in range(n)]


def write_csv(columns: dict[str, Any], path: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        flags = {"listed", "high_tech", "chain_leader", "specialised"}
        data = [
            [("1" if value else "0") for value in columns[key]]
            if key in flags
            else [str(value) for value in columns[key]]
            for key in COLUMNS
        ]
        writer.writerows(zip(*data, strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("n", type=int, help="number of enterprises")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", required=True, help="CSV file to write")
    options = parser.parse_args(argv)
    start = time.perf_counter()
    columns = generate(options.n, options.seed)
    middle = time.perf_counter()
    write_csv(columns, options.output)
    sys.stderr.write(
        f"{options.n:,} enterprises generated in {middle - start:.1f} s, "
        f"written in {time.perf_counter() - middle:.1f} s → {options.output}\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
