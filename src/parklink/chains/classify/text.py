"""Text side of the classifier: normalising a scope, and the words that say what a firm does.

No Django. Traditional characters become simplified with OpenCC's own character table
(`TSCharacters.txt` shipped in the opencc package, first reading of each character), applied
with one `str.translate`; full-width letters and digits become ASCII, letters upper
case (punctuation stays as written: the grammar knows both widths). Only texts that contain a
character to change are translated (`_needs_translation`), so the common simplified row costs
an encoding check, not a copy.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import ahocorasick

# Verb classes (bit flags): what an item of a business scope does with the thing it names.
MAKE, GROW, RESEARCH, SERVE, TECH, TRADE, INVEST, INSTALL = 1, 2, 4, 8, 16, 32, 64, 128
STRONG, WEAK = "strong", "weak"  # separators: between items / within an item's list of nouns

VERBS: dict[int, tuple[str, ...]] = {
    MAKE: (
        "制造",
        "生产",
        "加工",
        "冶炼",
        "提纯",
        "合成",
        "组装",
        "装配",
        "制备",
        "铸造",
        "精制",
        "炼制",
        "提取",
        "屠宰",
        "拉制",
        "封装",
        "封测",
        "酿造",
        "制作",
        "制取",
        "改装",
        "总装",
        "锻造",
        "熔炼",
        "深加工",
        "灌装",
        "分装",
        "充装",
        "发酵",
        "炮制",
        "提炼",
        "纺丝",
        "拉丝",
        "打印",
        "烧结",
        "成型",
        "生产线",
        "研制",
        "加工制造",
        "烘焙",
        "腌制",
        "熟制",
        "压延",
        "涂覆",
        "镀膜",
        "刻蚀",
        "制剂",
        "配制",
        "组配",
        "集成制造",
        "开采",
        "选矿",
        "采选",
        "系统集成",
    ),
    GROW: (
        "种植",
        "养殖",
        "繁育",
        "培育",
        "制种",
        "育种",
        "育苗",
        "饲养",
        "选育",
        "栽培",
        "采集",
        "放牧",
        "繁殖",
        "良种",
    ),
    RESEARCH: (
        "研发",
        "研究",
        "研制",
        "试验发展",
        "设计",
        "开发",
        "研究开发",
        "技术研发",
        "产品研发",
        "新产品开发",
        "工艺开发",
    ),
    SERVE: (
        "安装",
        "维修",
        "维护",
        "运维",
        "运营",
        "施工",
        "服务",
        "检测",
        "测试",
        "检验",
        "租赁",
        "经营",
        "管理",
        "建设",
        "承包",
        "工程",
        "托管",
        "诊疗",
        "治疗",
        "美容",
        "培训",
        "演出",
        "展览",
        "调试",
        "修理",
        "保养",
        "营运",
        "接待",
        "游览",
        "发电",
        "供应",
        "充电",
        "加注",
        "运输",
        "仓储",
        "监测",
        "整形",
        "数据处理",
        "存储",
        "托运",
        "制作服务",
    ),
    TECH: (
        "咨询服务",
        "策划",
        "技术服务",
        "技术开发",
        "技术咨询",
        "技术交流",
        "技术转让",
        "技术推广",
        "信息咨询",
        "咨询",
        "科技中介",
        "技术进出口",
    ),
    TRADE: (
        "销售",
        "批发",
        "零售",
        "进出口",
        "经销",
        "代理",
        "贸易",
        "购销",
        "采购",
        "商贸",
        "网上销售",
        "互联网销售",
        "代购",
        "分销",
        "批零",
        "经营部",
        "回收销售",
        "零售批发",
        "货物进出口",
        "销售代理",
        "进口",
        "出口",
    ),
    INVEST: (
        "投资",
        "股权投资",
        "资产管理",
        "投资管理",
        "投资咨询",
        "创业投资",
        "资本投资",
        "以自有资金从事投资活动",
        "实业投资",
        "项目投资",
    ),
}
# Serving verbs that work on a product itself: a firm that installs or repairs the chain's
# products belongs to the chain's service segment (`Chain.service_segment`).
INSTALL_VERBS = ("安装", "维修", "维护", "运维", "施工", "调试", "修理", "保养", "维保")
SEPARATORS: dict[str, tuple[str, ...]] = {
    STRONG: (
        ";",
        "；",
        "。",
        ",",
        "，",
        "\n",
        "\r",
        "!",
        "！",
        "?",
        "？",
        "|",
        "◆",
        "●",
        "﹔",
    ),
    WEAK: ("、", "､", "/", "／", "\\", "和", "及", "与", "或", ":", "："),
}
# Words in a name that say the firm trades, or holds shares, rather than makes.
TRADER_NAME_WORDS = (
    "贸易",
    "商贸",
    "商行",
    "经营部",
    "销售",
    "门市",
    "供应链",
    "进出口",
    "电子商务",
    "商城",
    "批发",
    "超市",
    "经贸",
    "百货",
    "商店",
    "专卖",
    "物资",
)
HOLDING_NAME_WORDS = ("投资", "控股", "资本", "基金", "资产管理", "股权")
TRADE_COUNTED = ("销售", "批发", "零售", "进出口")  # how a trader's scope is recognised
MAKING = re.compile("|".join(VERBS[MAKE] + VERBS[GROW]))
TRADER_NAME = re.compile("|".join(TRADER_NAME_WORDS))
HOLDING_NAME = re.compile("|".join(HOLDING_NAME_WORDS))
NAME_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "分公司")


@cache
def _t2s_table() -> dict[int, str]:
    table: dict[int, str] = {}
    source = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt")
    for line in source.read_text(encoding="utf-8").splitlines():
        if "\t" not in line:
            continue
        traditional, simplified = line.split("\t", 1)
        first = simplified.split()[0] if simplified.split() else ""
        if len(traditional) == 1 and len(first) == 1 and traditional != first:
            table[ord(traditional)] = first
    for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B)):
        table[code] = chr(code - 0xFEE0)  # full-width digits and capitals
    for code in range(0xFF41, 0xFF5B):
        table[code] = chr(code - 0xFEE0 - 32)  # full-width small letters, as capitals
    for code in range(ord("a"), ord("z") + 1):
        table[code] = chr(code - 32)
    return table


_ODD_LATIN = re.compile("[a-z０-９Ａ-Ｚａ-ｚ]")


def _needs_translation(text: str) -> bool:
    """Whether `text` has a character the table changes. GB 2312 holds simplified characters
    only, so a text it can encode has no traditional one (a C codec: ~1 µs for a scope); the few
    rows with a rare character outside it are simply translated."""
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return _ODD_LATIN.search(text) is not None


def normalise(text: str | None) -> str:
    """Simplified characters, ASCII upper-case letters and digits: the form keywords match."""
    if not text:
        return ""
    if not _needs_translation(text):
        return text
    return text.translate(_t2s_table())


def as_bytes(text: str) -> str:
    """The UTF-8 bytes of `text`, one character per byte (U+0000–U+00FF).

    Automatons run over this form: pyahocorasick looks a node's children up one by one, and in
    byte form no node has more than a few dozen children (the root of a thousand Chinese
    keywords has hundreds), which makes a scan three times faster. Offsets are then byte
    offsets; `as_text` turns a slice back into text."""
    return text.encode("utf-8").decode("latin-1")


def as_text(coded: str) -> str:
    return coded.encode("latin-1").decode("utf-8")


# Sentences every other scope carries; they name no product, so they are cut before matching.
BOILERPLATE = (
    "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）",
    "除依法须经批准的项目外，凭营业执照依法自主开展经营活动",
    "（依法须经批准的项目，经相关部门批准后方可开展经营活动，"
    "具体经营项目以相关部门批准文件或许可证件为准）",
    "（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
    "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广",
    "（除许可业务外，可自主依法经营法律法规非禁止或限制的项目）",
    "除许可业务外，可自主依法经营法律法规非禁止或限制的项目",
)


STRONG_CODED = re.compile("|".join(re.escape(as_bytes(word)) for word in SEPARATORS[STRONG]))


def strip_boilerplate(text: str) -> str:
    """`text` with the common boilerplate sentences replaced by an item separator."""
    for sentence in BOILERPLATE:
        if sentence in text:
            text = text.replace(sentence, "；")
    return text


def to_traditional(text: str) -> str:
    """Simplified → traditional by OpenCC's character table (the generator's traditional rows)."""
    return text.translate(_s2t_table())


@cache
def _s2t_table() -> dict[int, str]:
    table: dict[int, str] = {}
    source = resources.files("opencc").joinpath("dictionary", "STCharacters.txt")
    for line in source.read_text(encoding="utf-8").splitlines():
        if "\t" not in line:
            continue
        simplified, traditional = line.split("\t", 1)
        first = traditional.split()[0] if traditional.split() else ""
        if len(simplified) == 1 and len(first) == 1 and simplified != first:
            table[ord(simplified)] = first
    return table


def core_name(name: str) -> str:
    """The name without its legal-form suffix or a bracketed place (（成都）)."""
    text = re.sub(r"[(（][^)）]*[)）]", "", name) if ("(" in name or "（" in name) else name
    for suffix in NAME_SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


@cache
def grammar() -> ahocorasick.Automaton:
    """One automaton over separators and verbs: value = (kind, verb class or 0, length)."""
    automaton = ahocorasick.Automaton()
    entries: dict[str, tuple[str, int, int]] = {}
    for kind, words in SEPARATORS.items():
        for word in words:
            entries[word] = (kind, 0, len(word))
    for flag, words in (*VERBS.items(), (INSTALL | SERVE, INSTALL_VERBS)):
        for word in words:
            if word in entries and entries[word][0] == "verb":
                kind, mask, length = entries[word]
                entries[word] = ("verb", mask | flag, length)
            else:
                entries[word] = ("verb", flag, len(word))
    for word, (kind, mask, _length) in entries.items():
        coded = as_bytes(word)
        automaton.add_word(coded, (kind, mask, len(coded)))
    automaton.make_automaton()
    return automaton
