"""Surveys (复工复产 / 运行监测) as data: questions, answers and the rates they give. No Django.

A survey's questions are a list of mappings (stored with the survey), each with a `key`, a
`type` and a `label`. The types are what the rates read, so each of the measuring types may
appear once:

| type | an answer is | read by |
|---|---|---|
| `status` | one of 复工 / 部分复工 / 未复工 / 停产 (required in every survey) | resumption rates |
| `capacity` | capacity utilisation, a percentage 0–100 | capacity recovery |
| `workforce` | `{on_duty, usual}`: staff at work and usually employed | workforce return |
| `orders` | orders in hand, in 元 (exact, two decimals) | — (shown) |
| `problems` | a list of `{category, text}`: what the enterprise needs help with | 诉求 |
| `text` | free text (any number of these questions) | — (shown) |

Rates (fractions, 0.96 = 96%) over a set of recipients, each with the recipients behind
its numerator and its denominator:

- resumption (复工率): answered 复工 or 部分复工, over the recipients that answered;
- full resumption (全面复工率): answered 复工, over those that answered;
- capacity recovery (产能恢复率): the mean capacity utilisation of those that answered it;
- workforce return (到岗率): staff on duty over staff usually employed, summed;
- response (回复率): recipients that answered, over all recipients.

Each is given overall, for 规上 enterprises and for key projects (省市重点项目).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

STATUSES: dict[str, tuple[str, str]] = {
    "resumed": ("复工", "resumed"),
    "partial": ("部分复工", "partly resumed"),
    "not_resumed": ("未复工", "not resumed"),
    "halted": ("停产", "halted"),
}
RESUMED = frozenset({"resumed", "partial"})

CATEGORIES: dict[str, tuple[str, str]] = {
    "labour": ("用工", "labour"),
    "funding": ("资金", "funding"),
    "supply": ("原材料与供应链", "supplies"),
    "logistics": ("物流运输", "logistics"),
    "protective": ("防疫物资", "protective supplies"),
    "energy": ("水电气要素", "utilities"),
    "approvals": ("审批与政策", "approvals and policy"),
    "market": ("订单与市场", "orders and markets"),
    "other": ("其他", "other"),
}

TYPES = ("status", "capacity", "workforce", "orders", "problems", "text")
ONCE = frozenset(TYPES) - {"text"}
MAX_TEXT = 2000
MAX_PROBLEMS = 20
CENT = Decimal("0.01")
MAX_ORDERS = Decimal(10) ** 16  # the column holds 16 digits before the point
MAX_HEADCOUNT = 2**31 - 1  # a positive integer column
RATE = Decimal("0.0001")


class SurveyError(ValueError):
    """Questions or answers that break the rules; `problems` lists every one (Chinese, English)."""

    def __init__(self, problems: Sequence[tuple[str, str, str]]) -> None:
        # (field, Chinese message, English message)
        self.problems = list(problems)
        super().__init__("; ".join(p[2] for p in self.problems))

    def messages(self, language: str = "zh") -> dict[str, str]:
        english = not language.startswith("zh")
        return {p[0]: p[2] if english else p[1] for p in self.problems}


@dataclass(frozen=True)
class Question:
    key: str
    type: str
    label: str
    required: bool = False
    help: str = ""


def read_questions(data: Any) -> list[Question]:
    """The questions of a survey document, or SurveyError listing every problem."""
    problems: list[tuple[str, str, str]] = []
    if not isinstance(data, list) or not data:
        raise SurveyError([("questions", "问题应为非空列表", "questions must be a non-empty list")])
    seen_keys: set[str] = set()
    seen_types: set[str] = set()
    out: list[Question] = []
    for n, item in enumerate(data, start=1):
        where = f"questions[{n}]"
        if not isinstance(item, Mapping):
            problems.append((where, f"第{n}个问题应为映射", f"question {n} must be a mapping"))
            continue
        unknown = set(item) - {"key", "type", "label", "required", "help"}
        if unknown:
            names = ", ".join(sorted(map(str, unknown)))
            problems.append(
                (where, f"第{n}个问题有未知字段:{names}", f"question {n}: unknown fields {names}")
            )
        key = str(item.get("key") or "").strip()
        kind = str(item.get("type") or "").strip()
        label = str(item.get("label") or "").strip()
        if not key or not key.replace("_", "").isalnum() or not key.isascii():
            problems.append(
                (
                    where,
                    f"第{n}个问题的 key 应由字母、数字和下划线组成",
                    f"question {n}: key must be letters, digits and underscores",
                )
            )
        elif key in seen_keys:
            problems.append((where, f"问题 key“{key}”重复", f"question key {key!r} repeated"))
        seen_keys.add(key)
        if kind not in TYPES:
            problems.append(
                (
                    where,
                    f"第{n}个问题的类型“{kind}”未知(可用:{'、'.join(TYPES)})",
                    f"question {n}: unknown type {kind!r} (known: {', '.join(TYPES)})",
                )
            )
        elif kind in ONCE and kind in seen_types:
            problems.append(
                (where, f"类型“{kind}”的问题只能有一个", f"only one question of type {kind!r}")
            )
        seen_types.add(kind)
        if not label:
            problems.append((where, f"第{n}个问题缺少题目", f"question {n} has no label"))
        out.append(
            Question(
                key,
                kind,
                label,
                bool(item.get("required", kind == "status")),
                str(item.get("help") or ""),
            )
        )
    if "status" not in seen_types and not problems:
        problems.append(
            (
                "questions",
                "调查必须有一个“status”(复工状态)问题",
                "a survey needs a 'status' question",
            )
        )
    if problems:
        raise SurveyError(problems)
    return out


def _decimal(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        found = Decimal(str(value).strip().replace(",", "").rstrip("%"))
    except InvalidOperation:
        raise ValueError(str(value)) from None
    if not found.is_finite():
        raise ValueError(str(value))
    return found


def _count(value: Any) -> int | None:
    number = _decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError(str(value))
    return int(number)


@dataclass
class Answer:
    """One recipient's answers, checked: the values the rates read, and every answer as data."""

    values: dict[str, Any] = field(default_factory=dict)
    status: str = ""
    capacity: Decimal | None = None
    on_duty: int | None = None
    usual: int | None = None
    orders: Decimal | None = None
    problems: list[dict[str, str]] = field(default_factory=list)


def read_answer(questions: Sequence[Question], raw: Mapping[str, Any]) -> Answer:
    """Check one recipient's answers against the questions; SurveyError names each bad one.

    `raw` maps question keys to values; a workforce answer is `{on_duty, usual}` (or the keys
    `<key>_on_duty`, `<key>_usual`), a problems answer a list of `{category, text}`.
    """
    out = Answer()
    problems: list[tuple[str, str, str]] = []

    def bad(key: str, zh: str, en: str) -> None:
        problems.append((key, zh, en))

    for q in questions:
        value = raw.get(q.key)
        if q.type == "workforce":
            pair = value if isinstance(value, Mapping) else {}
            on_raw = pair.get("on_duty", raw.get(f"{q.key}_on_duty"))
            usual_raw = pair.get("usual", raw.get(f"{q.key}_usual"))
            try:
                on_duty, usual = _count(on_raw), _count(usual_raw)
            except ValueError:
                bad(q.key, f"“{q.label}”应填整数人数", f"{q.label}: enter whole numbers")
                continue
            if (on_duty is None) != (usual is None):
                bad(
                    q.key,
                    f"“{q.label}”需同时填写在岗人数和正常用工人数",
                    f"{q.label}: enter both numbers",
                )
                continue
            if on_duty is None:
                if q.required:
                    bad(q.key, f"请填写“{q.label}”", f"{q.label} is required")
                continue
            assert usual is not None
            if on_duty < 0 or usual < 0:
                bad(q.key, f"“{q.label}”不能为负数", f"{q.label} cannot be negative")
                continue
            if on_duty > MAX_HEADCOUNT or usual > MAX_HEADCOUNT:
                bad(q.key, f"“{q.label}”人数过大", f"{q.label}: the number is too large")
                continue
            if usual == 0 and on_duty > 0:
                bad(
                    q.key,
                    f"“{q.label}”的正常用工人数为0时在岗人数也应为0",
                    f"{q.label}: usual staff is 0",
                )
                continue
            out.on_duty, out.usual = on_duty, usual
            out.values[q.key] = {"on_duty": on_duty, "usual": usual}
            continue
        if q.type == "problems":
            items = value if isinstance(value, list) else []
            kept: list[dict[str, str]] = []
            for n, item in enumerate(items, start=1):
                if not isinstance(item, Mapping):
                    continue
                text = str(item.get("text") or "").strip()
                category = str(item.get("category") or "").strip()
                if not text and not category:
                    continue
                if category not in CATEGORIES:
                    bad(q.key, f"第{n}条诉求的类别无效", f"request {n}: unknown category")
                    continue
                if not text:
                    bad(q.key, f"第{n}条诉求缺少内容", f"request {n}: describe the request")
                    continue
                if len(text) > MAX_TEXT:
                    bad(q.key, f"第{n}条诉求过长(最多{MAX_TEXT}字)", f"request {n} is too long")
                    continue
                kept.append({"category": category, "text": text})
            if len(kept) > MAX_PROBLEMS:
                bad(q.key, f"诉求最多{MAX_PROBLEMS}条", f"at most {MAX_PROBLEMS} requests")
                continue
            if q.required and not kept:
                bad(q.key, f"请填写“{q.label}”", f"{q.label} is required")
            out.problems = kept
            out.values[q.key] = kept
            continue
        empty = value is None or (isinstance(value, str) and not value.strip())
        if empty:
            if q.required:
                bad(q.key, f"请填写“{q.label}”", f"{q.label} is required")
            continue
        if q.type == "status":
            code = str(value).strip()
            by_label = {zh: c for c, (zh, _en) in STATUSES.items()}
            code = by_label.get(code, code)
            if code not in STATUSES:
                bad(
                    q.key,
                    f"“{q.label}”应为复工、部分复工、未复工或停产",
                    f"{q.label}: choose a status",
                )
                continue
            out.status = code
            out.values[q.key] = code
        elif q.type == "capacity":
            try:
                pct = _decimal(value)
            except ValueError:
                bad(
                    q.key,
                    f"“{q.label}”应为0到100之间的数",
                    f"{q.label}: enter a number from 0 to 100",
                )
                continue
            assert pct is not None
            if pct < 0 or pct > 100:
                bad(q.key, f"“{q.label}”应在0到100之间", f"{q.label} must be between 0 and 100")
                continue
            out.capacity = pct.quantize(CENT)
            out.values[q.key] = str(out.capacity)
        elif q.type == "orders":
            try:
                amount = _decimal(value)
            except ValueError:
                bad(q.key, f"“{q.label}”应为金额(元)", f"{q.label}: enter an amount in yuan")
                continue
            assert amount is not None
            if amount < 0:
                bad(q.key, f"“{q.label}”不能为负数", f"{q.label} cannot be negative")
                continue
            if amount >= MAX_ORDERS:
                bad(q.key, f"“{q.label}”金额过大", f"{q.label}: the amount is too large")
                continue
            out.orders = amount.quantize(CENT)
            out.values[q.key] = str(out.orders)
        else:  # text
            text = str(value).strip()
            if len(text) > MAX_TEXT:
                bad(q.key, f"“{q.label}”过长(最多{MAX_TEXT}字)", f"{q.label} is too long")
                continue
            out.values[q.key] = text
    if out.status in {"not_resumed", "halted"} and out.capacity not in (None, Decimal(0)):
        key = next(q.key for q in questions if q.type == "capacity")
        bad(key, "未复工或停产的企业产能利用率应为0", "capacity must be 0 when not working")
    if problems:
        raise SurveyError(problems)
    return out


# --------------------------------------------------------------------------- rates


@dataclass(frozen=True)
class Reply:
    """One recipient as the rates read it (`status` empty: not answered)."""

    id: int
    name: str
    above_scale: bool = False
    key_project: bool = False
    status: str = ""
    capacity: Decimal | None = None
    on_duty: int | None = None
    usual: int | None = None

    @property
    def answered(self) -> bool:
        return bool(self.status)


@dataclass(frozen=True)
class Rate:
    """A rate and the recipients behind it; `value` None when nothing is in the denominator."""

    key: str
    group: str
    value: Decimal | None
    numerator: Decimal
    denominator: Decimal
    counted: tuple[int, ...]  # recipients in the numerator
    base: tuple[int, ...]  # recipients in the denominator


GROUPS = {
    "all": ("全部", "all"),
    "above_scale": ("规上企业", "above-scale firms"),
    "key_projects": ("重点项目", "key projects"),
}
RATES = {
    "resumption": ("复工率", "resumption rate"),
    "full_resumption": ("全面复工率", "full resumption rate"),
    "capacity": ("产能恢复率", "capacity recovery"),
    "workforce": ("到岗率", "workforce return"),
    "response": ("回复率", "response rate"),
}


def _ratio(num: Decimal, den: Decimal) -> Decimal | None:
    if den == 0:
        return None
    return (num / den).quantize(RATE)


def _rates_of(group: str, replies: list[Reply]) -> list[Rate]:
    answered = [r for r in replies if r.answered]
    resumed = [r for r in answered if r.status in RESUMED]
    full = [r for r in answered if r.status == "resumed"]
    with_capacity = [r for r in answered if r.capacity is not None]
    capacity_sum = sum((r.capacity for r in with_capacity if r.capacity is not None), Decimal(0))
    with_staff = [r for r in answered if r.usual is not None and r.on_duty is not None]
    on_duty = Decimal(sum(r.on_duty or 0 for r in with_staff))
    usual = Decimal(sum(r.usual or 0 for r in with_staff))
    ids = tuple(r.id for r in answered)

    def rate(key: str, num: Decimal, den: Decimal, counted: list[Reply], base: list[Reply]) -> Rate:
        return Rate(
            key,
            group,
            _ratio(num, den),
            num,
            den,
            tuple(r.id for r in counted),
            tuple(r.id for r in base),
        )

    capacity = rate(
        "capacity",
        capacity_sum / 100,
        Decimal(len(with_capacity)),
        with_capacity,
        with_capacity,
    )
    return [
        rate("resumption", Decimal(len(resumed)), Decimal(len(ids)), resumed, answered),
        rate("full_resumption", Decimal(len(full)), Decimal(len(ids)), full, answered),
        capacity,
        rate("workforce", on_duty, usual, with_staff, with_staff),
        rate("response", Decimal(len(answered)), Decimal(len(replies)), answered, replies),
    ]


def rates(replies: Iterable[Reply]) -> dict[tuple[str, str], Rate]:
    """Every rate of every group, keyed by (group, rate)."""
    everyone = list(replies)
    groups = {
        "all": everyone,
        "above_scale": [r for r in everyone if r.above_scale],
        "key_projects": [r for r in everyone if r.key_project],
    }
    out: dict[tuple[str, str], Rate] = {}
    for group, members in groups.items():
        for found in _rates_of(group, members):
            out[(group, found.key)] = found
    return out


def status_counts(replies: Iterable[Reply]) -> dict[str, int]:
    """How many recipients answered each status ('' for those that have not answered)."""
    counts = {code: 0 for code in STATUSES} | {"": 0}
    for reply in replies:
        counts[reply.status if reply.status in STATUSES else ""] += 1
    return counts
