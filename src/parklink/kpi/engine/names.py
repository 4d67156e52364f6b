"""The figures an assessment reads: actuals computed from the pipeline, and target kinds.

Each name is what a formula writes (`{"var": "signed_amount"}`, `{"var":
"target.signed_amount"}`); amounts are in 元, rates are fractions (0.85 = 85%), counts are
numbers of projects. No Django: the labels are plain Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    zh: str
    en: str
    unit: str  # "count" | "yuan" | "usd" | "rate"
    target: bool = True  # a target may be set for it


FIGURES: tuple[Figure, ...] = (
    Figure("signed_count", "签约项目个数", "projects signed", "count"),
    Figure("signed_amount", "签约金额", "amount signed", "yuan"),
    Figure("funds_total", "到位资金(有凭证)", "funds in place (evidenced)", "yuan"),
    Figure("funds_in_province", "省内到位资金", "funds in place from the province", "yuan"),
    Figure(
        "funds_out_of_province", "省外到位资金", "funds in place from outside the province", "yuan"
    ),
    Figure("funds_foreign", "外资到位资金", "foreign funds in place", "yuan"),
    Figure("funds_foreign_usd", "外资到位资金(美元)", "foreign funds in place (US$)", "usd"),
    Figure(
        "funds_foreign_unconverted",
        "无汇率的外资到位资金",
        "foreign funds in months without an exchange rate",
        "yuan",
        False,
    ),
    Figure(
        "funds_unevidenced", "无凭证的到位资金", "funds reported without evidence", "yuan", False
    ),
    Figure("started_count", "开工项目个数", "projects started", "count"),
    Figure("landing_rate", "项目落地率", "landing rate", "rate"),
    Figure("start_rate", "开工率", "start rate", "rate"),
    Figure("performance_rate", "履约率", "performance rate", "rate"),
    Figure("band_3_10", "3–10亿元项目个数", "projects of ¥0.3–1 bn", "count"),
    Figure("band_10_20", "10–20亿元项目个数", "projects of ¥1–2 bn", "count"),
    Figure("band_20_plus", "20亿元以上项目个数", "projects of ¥2 bn and more", "count"),
    Figure("key_projects", "重点项目个数", "key projects", "count"),
    Figure("provincial_major", "省级重大项目个数", "provincial major projects", "count"),
    Figure("industrial_share", "产业项目占比(产业契合度)", "share of industrial projects", "rate"),
    Figure("introduced", "引进成功项目个数", "projects successfully introduced", "count"),
    Figure(
        "overdue_not_started",
        "超时限未开工项目个数",
        "projects not started in time",
        "count",
        False,
    ),
    Figure("falsified", "弄虚作假项目个数", "projects found falsified", "count", False),
    Figure(
        "late_reported",
        "突击上报(不计)项目个数",
        "projects reported late (not counted)",
        "count",
        False,
    ),
)
BY_NAME: dict[str, Figure] = {f.name: f for f in FIGURES}
ACTUALS: frozenset[str] = frozenset(BY_NAME)
TARGET_KINDS: tuple[str, ...] = tuple(f.name for f in FIGURES if f.target)
# What a formula may read: every actual by its name, every target as `target.<kind>`.
VARIABLES: frozenset[str] = ACTUALS | {f"target.{kind}" for kind in TARGET_KINDS}
# Size bands of 总投资 in 元: [from, to) — 3–10亿, 10–20亿, 20亿+.
YI = 100_000_000
BANDS: dict[str, tuple[int, int | None]] = {
    "band_3_10": (3 * YI, 10 * YI),
    "band_10_20": (10 * YI, 20 * YI),
    "band_20_plus": (20 * YI, None),
}
