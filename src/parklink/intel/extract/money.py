"""Amounts of money and capacity in normalised text: value, currency, qualifiers and kind.

`find_amounts(text)` returns every figure with its span; the kind comes from the nearest
keyword to the left in the same sentence (总投资 → total, 一期…投资 → phase, 签约 → agreed,
到位 → funds in place, 累计完成投资 → cumulative spend, 产值 → output, 营收/销售收入 → revenue,
税收 → tax; 融资/信贷/中标/补贴… → "other", never an investment). Qualifiers: 超/超过/逾/突破/
不低于/以上/多/余 → lower bound; 约/近/大约/左右/上下 → approximate. Values are exact Decimals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MULTIPLIERS = {
    "万亿": Decimal("1000000000000"),
    "千亿": Decimal("100000000000"),
    "百亿": Decimal("10000000000"),
    "亿": Decimal("100000000"),
    "千万": Decimal("10000000"),
    "百万": Decimal("1000000"),
    "万": Decimal("10000"),
    "千": Decimal("1000"),
    "": Decimal(1),
}
CURRENCIES = {
    "元人民币": "CNY",
    "人民币": "CNY",
    "元": "CNY",
    "美元": "USD",
    "美金": "USD",
    "欧元": "EUR",
    "日元": "JPY",
    "港元": "HKD",
    "港币": "HKD",
    "英镑": "GBP",
    "韩元": "KRW",
    "新加坡元": "SGD",
    "新元": "SGD",
    "澳元": "AUD",
    "加元": "CAD",
    "瑞士法郎": "CHF",
    "卢布": "RUB",
    "泰铢": "THB",
    "林吉特": "MYR",
    "迪拉姆": "AED",
    "新台币": "TWD",
}
_CURRENCY = "|".join(sorted(CURRENCIES, key=len, reverse=True))
_MULT = "万亿|千亿|百亿|亿|千万|百万|万|千"
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
MONEY = re.compile(
    rf"(?P<rmb>人民币|新台币|港币|港元|美元|欧元|日元|韩元|英镑)?(?P<num>{_NUMBER})(?P<more1>多|余)?(?P<mult>{_MULT})?(?P<more2>多|余)?"
    rf"(?:(?P<cur>{_CURRENCY})|(?P<bare>(?<=亿)(?![千万百]?(?:瓦|度|吨|公斤|千克|立方|方|人|户|件|头|只"
    r"|个|元|台|套|辆|平方|株|斤|条|张|片|颗|次|年|小时|块|粒|千|kW|GW|MW)))"
    r")(?P<after>以上|左右|上下|多)?"
)
CAPACITY = re.compile(
    rf"(?P<num>{_NUMBER})(?P<more1>多|余)?(?P<mult>万|亿|千)?"
    r"(?P<unit>GWh|MWh|kWh|GW|MW|kW|千瓦时|千瓦|兆瓦时|兆瓦|吉瓦时|吉瓦|度|吨|标准立方米|立方米|方"
    r"|台|套|辆|片|颗|头|只|羽|平方米|亩|公斤|千克)"
)
_SENTENCE_END = "。!?;\n"
_CLAUSE_END = _SENTENCE_END + ","

_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("funds_in_place", re.compile(r"到位资金|资金到位|实际到位|到位|到资|实缴")),
    (
        "cumulative_spend",
        re.compile(
            r"累计(?:完成)?(?:投资|投入|完成)|已完成(?:投资|投入)|完成(?:固定资产)?投资"
            r"|已投资|已投入|已累计"
        ),
    ),
    (
        "agreed_investment",
        re.compile(
            r"签约(?:金额|资金|总额|投资|额)?|合同(?:金额|投资|额)|协议(?:投资|金额|资金)"
            r"|意向投资|引资"
        ),
    ),
    (
        "phase_investment",
        re.compile(r"(?:[一二三四五六首\d]|第[一二三四五\d])期[^,。;完累已到]{0,8}?(?:投资|投入)"),
    ),
    (
        "total_investment",
        re.compile(
            r"总投资|投资总额|投资额|投资规模|计划投资|拟投资|估算投资|投资|投入|注资|出资|投建"
        ),
    ),
    ("output", re.compile(r"产值|工业总产值|增加值")),
    (
        "revenue",
        re.compile(
            r"营业收入|销售收入|主营业务收入|营收|收入|销售额|营业额|交易额|销售|利润|GDP"
            r"|生产总值|进出口|出口额|外贸"
        ),
    ),
    ("tax", re.compile(r"税收|纳税|利税|税金|缴税|税")),
    (
        "other",
        re.compile(
            r"融资|贷款|信贷|授信|补贴|补助|奖励|资金支持|中标|价格|售价|基金|注册资本|估值"
            r"|市值|募资|募集|理财|消费|工资|薪|成本|费用|预算|债|保费|资产|规模以上"
            r"|亩均投资|投资强度|亩均|每亩|人均|单位投资|门槛"
        ),
    ),
)
_RANGE_LOW = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:-|—|~|～|至|到)\s*$")
_LOWER_BEFORE = re.compile(r"(?:超过|超|逾|突破|不低于|不少于|至少|高于|大于|以上)$")
_APPROX_BEFORE = re.compile(r"(?:约合|大约|约|近|将近|接近|近乎|差不多)$")
_CONVERSION = re.compile(r"^[((]?\s*(?:约合|折合|合计约|约)?\s*(?:人民币)?")
_RATE = re.compile(
    r"(?:1|一)(?P<cur>美元|欧元|日元|港元|英镑|韩元|新加坡元|澳元|加元|瑞士法郎|卢布)"
    r"\s*(?:兑|=|折合|约合|合|兑换)\s*(?:人民币)?\s*(?P<rate>\d+(?:\.\d+)?)\s*元?"
    r"|(?P<cur2>美元|欧元|日元|港元|英镑)(?:兑人民币)?汇率(?:按|为|以)?\s*(?:1\s*[::]\s*)?"
    r"(?P<rate2>\d+(?:\.\d+)?)"
)


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    value: Decimal
    currency: str
    yuan: Decimal | None
    kind: str
    lower_bound: bool
    approx: bool
    unit: str = ""
    bare: bool = False  # "15亿" without 元


def parse_number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = start
    while left > 0 and text[left - 1] not in _SENTENCE_END:
        left -= 1
    right = end
    while right < len(text) and text[right] not in _SENTENCE_END:
        right += 1
    if right < len(text) and text[right] != "\n":
        right += 1
    return left, right


_ANY_KIND = re.compile(
    "|".join(f"(?P<k{i}>{pattern.pattern})" for i, (_, pattern) in enumerate(_KINDS))
)


def classify(text: str, start: int, window: int = 40) -> str:
    """The kind of the figure starting at `start`, from the nearest keyword on its left."""
    limit = max(0, start - window)
    left = max(text.rfind(ch, limit, start) for ch in _SENTENCE_END) + 1
    left = max(left, limit)
    last: re.Match[str] | None = None
    for match in _ANY_KIND.finditer(text, left, start):
        last = match
    if last is None:
        return "unknown"
    kind = _KINDS[int(str(last.lastgroup)[1:])][0]
    # A keyword three clauses back says less than none: "X项目,占地115亩,总投资…" is fine,
    # "税收…,园区…,10亿元" is not; keep it only within the last two clauses.
    return kind if text.count(",", last.end(), start) <= 1 else "unknown"


def find_rates(text: str) -> dict[str, Decimal]:
    rates: dict[str, Decimal] = {}
    for match in _RATE.finditer(text):
        cur = match.group("cur") or match.group("cur2")
        rate = parse_number(match.group("rate") or match.group("rate2"))
        if cur and rate and rate > 0:
            rates[CURRENCIES[cur]] = rate
    return rates


def find_amounts(text: str) -> list[Figure]:
    """Every money figure in `text`, with its kind, qualifiers and value in 元 when known."""
    rates = find_rates(text)
    figures: list[Figure] = []
    for match in MONEY.finditer(text):
        number = parse_number(match.group("num"))
        if number is None or number == 0:
            continue
        start = match.start()
        mult = match.group("mult") or ""
        low = _RANGE_LOW.search(text, max(0, start - 12), start)
        if low is not None and not match.group("rmb"):
            # "投资10-15亿元", "10至15亿元": at least the low end.
            number, start = parse_number(low.group(1)) or number, low.start()
            ranged = True
        elif start and (text[start - 1].isdigit() or text[start - 1] in ".-—~"):
            continue  # a year, a phone number or a code is not money
        else:
            ranged = False
        bare = match.group("bare") is not None
        if bare and mult not in {"亿", "万亿", "千亿", "百亿"}:
            continue
        prefix = match.group("rmb") or ""
        cur_text = match.group("cur") or ""
        if prefix and cur_text in {"", "元"}:
            cur_text = prefix  # 新台币50亿元, 美元5000万: the prefix names the currency
        currency = CURRENCIES.get(cur_text or "元", "CNY")
        value = number * MULTIPLIERS[mult]
        before = text[max(0, start - 4) : start]
        after = match.group("after") or ""
        lower = bool(
            ranged
            or match.group("more1")
            or match.group("more2")
            or after in {"以上", "多"}
            or _LOWER_BEFORE.search(before)
        )
        approx = bool(after in {"左右", "上下"} or _APPROX_BEFORE.search(before))
        end = match.end()
        kind = classify(text, start)
        yuan: Decimal | None = value if currency == "CNY" else None
        if currency != "CNY" and currency in rates:
            yuan = (value * rates[currency]).quantize(Decimal(1))
        figures.append(
            Figure(start, end, value, currency, yuan, kind, lower, approx and not lower, bare=bare)
        )
    return _pair_conversions(text, figures)


def _pair_conversions(text: str, figures: list[Figure]) -> list[Figure]:
    """A foreign figure followed by "(约合人民币X亿元)" takes X as its value in 元, and the
    conversion itself is not a figure of its own."""
    result: list[Figure] = []
    skip: set[int] = set()
    for index, figure in enumerate(figures):
        if index in skip:
            continue
        if figure.currency != "CNY" and index + 1 < len(figures):
            follower = figures[index + 1]
            gap = text[figure.end : follower.start]
            if (
                follower.currency == "CNY"
                and len(gap) <= 8
                and _CONVERSION.match(gap)
                and ("合" in gap or "人民币" in gap or gap.startswith("("))
            ):
                figure = Figure(
                    figure.start,
                    figure.end,
                    figure.value,
                    figure.currency,
                    follower.value,
                    figure.kind,
                    figure.lower_bound,
                    figure.approx,
                )
                skip.add(index + 1)
        result.append(figure)
    return result


def find_capacities(text: str) -> list[Figure]:
    """Capacity and quantity figures (30GWh, 17万吨, 2000头): never investment."""
    figures = []
    for match in CAPACITY.finditer(text):
        number = parse_number(match.group("num"))
        if number is None:
            continue
        value = number * MULTIPLIERS[match.group("mult") or ""]
        unit = (match.group("mult") or "") + match.group("unit")
        figures.append(
            Figure(
                match.start(),
                match.end(),
                value,
                "",
                None,
                "capacity",
                bool(match.group("more1")),
                False,
                unit=unit,
            )
        )
    return figures
