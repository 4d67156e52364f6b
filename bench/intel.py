"""The intelligence extractor alone: 10,000 generated articles (no database).

`python -m bench.intel [ARTICLES]` generates articles of realistic length and mess (navigation
bars, share buttons, bylines, a "相关文章" list about other places, emoji, broken lines, one in
ten in traditional characters, some with pinyin annotations, lists of projects in one
paragraph, output/revenue/capacity/land distractors), extracts every one in this process and
prints articles per CPU second, i.e. per core (target ≥ 200; CPU time, so other work on a shared
machine does not count against it), characters per second, projects found,
and the process's peak resident memory (VmHWM), first for the engine alone, then with the LAC
organisation tagger that `parklink intel extract` uses by default (it runs onnxruntime on the
names of projects whose clauses name no company): article by article, and as the command reads
a folder (extract_many, `BATCH` articles at a time), which is the product path the target is
checked on, beside the engine's. A last pass is the extraction of `parklink intel ingest` and
the ingest page's upload job (ingest.ingest_files without its database writes, which are not
timed here): each article as the bytes of a .txt file read by engine.read, then engine.run_many
`BATCH` at a time with a gazetteer of parks and enterprises like the registry's.
The first article's one-off start-up (region table, automata) is timed separately.
"""

from __future__ import annotations

import random
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

TARGET = 200
CITIES = [
    "成都市",
    "德阳市",
    "绵阳市",
    "宜宾市",
    "西安市",
    "合肥市",
    "襄阳市",
    "包头市",
    "赣州市",
    "滁州市",
]
COUNTIES = [
    "金牛区",
    "什邡市",
    "德格县",
    "平阳县",
    "仙居县",
    "高陵区",
    "金堂县",
    "太仓市",
    "荣成市",
]
ZONES = ["高新区", "经开区", "开发区", "产业园", "新区"]
FIRMS = [
    "宁远储能",
    "华辰新材料",
    "江城生物",
    "恒川汽车",
    "鼎晟半导体",
    "蓝岳新材料",
    "奥能氢能",
    "比德智能",
]
SUFFIXES = ["科技有限公司", "股份有限公司", "集团有限公司", "新能源有限公司"]
PRODUCTS = [
    "动力电池",
    "储能电池",
    "光伏组件",
    "碳纤维复合材料",
    "功率半导体",
    "创新药",
    "智能装备",
    "氢燃料电池",
]
KINDS = ["生产基地项目", "产业园项目", "研发中心项目", "智能制造项目", "扩能项目"]
VERBS = ["正式签约", "开工建设", "建成投产", "正在加快建设", "全面达产", "集中签约"]
FILLER = (
    "近年来,园区坚持把招商引资作为经济工作的生命线,围绕主导产业建圈强链,持续优化营商环境,"
    "推动产业集群发展壮大,为高质量发展注入强劲动能。"
)


def _firm(rng: random.Random) -> str:
    return rng.choice(FIRMS) + rng.choice(SUFFIXES)


def _project(rng: random.Random) -> str:
    return f"{rng.choice(FIRMS)}{rng.choice(PRODUCTS)}{rng.choice(KINDS)}"


def _amount(rng: random.Random) -> str:
    value = rng.choice([rng.randint(2, 150), round(rng.uniform(1, 80), 1)])
    qualifier = rng.choice(["", "", "", "超", "约", "近", "逾"])
    return f"{qualifier}{value}亿元"


def article(index: int) -> str:
    """One generated article: header noise, body paragraphs, distractors, a related list."""
    rng = random.Random(index)
    city, county, zone = rng.choice(CITIES), rng.choice(COUNTIES), rng.choice(ZONES)
    lines = [
        "首页 | 新闻中心 | 招商动态 | 政务公开 | 园区概况 | 联系我们",
        "当前位置:首页 > 招商动态 > 正文",
        f"{city}{zone}{rng.randint(3, 30)}个重大项目集中{rng.choice(VERBS)} 总投资{_amount(rng)}",
        f"发布时间:2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 来源:{city}融媒体中心",
    ]
    if rng.random() < 0.3:
        lines.insert(0, "👆点击蓝字 关注我们")
    body = [
        f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日,{city}{zone}举行重大项目集中签约活动,"
        f"共签约项目{rng.randint(5, 30)}个,总投资{_amount(rng)}。"
    ]
    listed = "、".join(f"{_project(rng)}(总投资{_amount(rng)})" for _ in range(rng.randint(2, 5)))
    body.append(f"此次签约的项目主要包括:{listed}等。")
    for _ in range(rng.randint(3, 7)):
        body.append(
            f"其中,{_firm(rng)}{_project(rng)}总投资{_amount(rng)},位于{county},"
            f"占地{rng.randint(50, 900)}亩,{rng.choice(VERBS)},"
            f"达产后预计年产值{rng.randint(5, 200)}亿元,年纳税{rng.randint(1, 20)}亿元,"
            f"年产{rng.choice(PRODUCTS)}{rng.randint(1, 60)}GWh。"
        )
    body.append(
        f"今年以来,全市累计完成固定资产投资{rng.randint(100, 3000)}亿元,"
        f"同比增长{rng.randint(1, 20)}%。"
    )
    body.extend(FILLER for _ in range(rng.randint(8, 20)))
    text = "\n".join(body)
    if rng.random() < 0.2:  # a paragraph broken mid-sentence, as pasted pages often are
        cut = len(text) // 2
        text = text[:cut] + "\n\n" + text[cut:]
    lines.append(text)
    lines += ["责任编辑:王敏", "分享到: 微信 微博 QQ空间", "相关文章"]
    lines += [f"· {rng.choice(CITIES)}总投资{_amount(rng)}{_project(rng)}签约" for _ in range(5)]
    lines.append("版权所有:某某招商网 川ICP备12345678号-1")
    result = "\n\n".join(lines)
    if index % 10 == 3:  # one in ten in traditional characters
        result = _s2t().convert(result)
    if index % 25 == 7:  # and some with pinyin annotations
        result = result.replace("张", "張(zhāng)").replace("项目", "項(xiàng)目")
    return result


@cache
def _s2t() -> Any:
    from opencc import OpenCC

    return OpenCC("s2t")


def _high_water_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 10_000
    articles = [article(i) for i in range(count)]
    chars = sum(len(a) for a in articles)
    from parklink.intel import engine
    from parklink.intel.extract import BATCH, Article, extract, extract_many, ner

    registry = engine.gazetteer(
        [(f"{city.removesuffix('市')}{zone}", "", "") for city in CITIES for zone in ZONES],
        # enterprises of the registry that the articles do not name: their firms are new
        # to it, as a lead's usually is (a known firm's name would spare the tagger's question)
        [
            (f"{place}{kind}有限公司", place + kind)
            for place in "东南西北中"
            for kind in ("重工", "医药")
        ],
    )

    start = time.perf_counter()
    extract(articles[0])
    warm = time.perf_counter() - start
    extract(articles[0], organisations=True)  # load the tagger's model outside the timing
    ner.clear_memo()
    # (label, tagger, how): "one" extracts article by article (the queue's ingest), with the
    # tagger's memory cleared before each article when `forget`; "folder" is what `parklink
    # intel extract` does with a folder (its default, with the tagger): extract_many, BATCH
    # articles at a time, the memory cleared before each batch (so only the articles of one
    # batch share answers: a name asked in two of them is read once).
    passes = [
        ("engine", False, "one", False),
        ("with the LAC tagger, article by article, each new to it", True, "one", True),
        (
            f"the extract command's path: tagger, {BATCH} articles at a time, new to it",
            True,
            "folder",
            True,
        ),
        ("the same with the tagger's memory kept, as in a long run", True, "folder", False),
        (
            f"the ingest path's extraction: .txt bytes read, run_many, {BATCH} at a time, "
            "registry gazetteer, new to the tagger, no database writes",
            True,
            "ingest",
            True,
        ),
    ]
    rates: list[float] = []
    product = ingest_rate = 0.0
    for label, organisations, how, forget in passes:
        ner.clear_memo()
        start, cpu_start = time.perf_counter(), time.process_time()
        projects = 0
        if how == "one":
            for text in articles:
                if forget:
                    ner.clear_memo()
                projects += len(extract(text, organisations=organisations).projects)
        elif how == "ingest":
            files = [(f"{i:05d}.txt", text.encode()) for i, text in enumerate(articles)]
            for first in range(0, count, BATCH):
                if forget:
                    ner.clear_memo()
                read = [engine.read(name, data) for name, data in files[first : first + BATCH]]
                for result in engine.run_many(read, gazetteer=registry):
                    assert not isinstance(result, Exception), result
                    projects += len(result.projects)
        else:
            for first in range(0, count, BATCH):
                if forget:
                    ner.clear_memo()
                batch = [Article(text) for text in articles[first : first + BATCH]]
                for result in extract_many(batch, organisations=organisations):
                    assert not isinstance(result, Exception), result
                    projects += len(result.projects)
        wall = time.perf_counter() - start
        seconds = time.process_time() - cpu_start  # CPU time: per core, whatever else runs
        rate = count / seconds
        rates.append(rate)
        if how == "folder" and forget:
            product = rate
        if how == "ingest":
            ingest_rate = rate
        verdict = "ok" if rate >= TARGET else f"BELOW target {TARGET}"
        ratio = f"; {rate / rates[0]:.2f} × the engine's rate in this run" if rates[1:] else ""
        print(
            f"intel extract ({label}): {count} articles ({chars / count:.0f} chars on average) "
            f"in {seconds:.2f} CPU s ({wall:.2f} s wall): {rate:.0f} articles/s per core "
            f"({verdict}{ratio}), {chars / seconds / 1e6:.2f} M chars/s, {projects} projects; "
            f"first call {warm * 1000:.0f} ms; peak memory {_high_water_mb():.0f} MB"
        )
    return 0 if rates[0] >= TARGET and min(product, ingest_rate) >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
