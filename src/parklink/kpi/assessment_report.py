"""The quarterly assessment (季度考核结果) of one organisation as a document, xlsx or PDF.

It is the stored assessment of the organisation when one exists for the scheme and period
(the newest the user may see), else a preview computed now among the organisations the
user assesses (said so on the document). It gives the total, the rank among how many, the
三类三色 standing, each item's points with its derivation, and the figures and targets used.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from parklink.accounts.models import Organization, User
from parklink.core import pdf, xlsx
from parklink.kpi import shown
from parklink.kpi.engine import periods, scoring
from parklink.kpi.engine.names import BY_NAME, FIGURES
from parklink.kpi.models import SchemeVersion
from parklink.kpi.queries import get_assessable, visible_assessments, visible_schemes
from parklink.kpi.services import assess as assessing
from parklink.kpi.services import schemes

STANDING = {"green": "绿(一类)", "yellow": "黄(二类)", "red": "红(三类)", "": "—"}
TYPES = {
    "positive": "正向",
    "negative": "扣分",
    "binary": "是否",
    "stepped": "分档",
    "formula": "公式",
}
Row = list[Any]


@dataclass
class AssessmentReport:
    org: Organization
    period: periods.Period
    version: SchemeVersion
    total: Decimal
    rank: int | None
    of: int
    standing: str
    stored: bool
    basis: str
    items: list[Row]
    figures: list[Row]


def _shown(name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    number = Decimal(str(value))
    unit = BY_NAME[name].unit if name in BY_NAME else "count"
    if unit == "rate":
        return f"{number * 100:.1f}%"
    if unit == "yuan":
        return f"{number:,.2f}"
    if unit == "usd":
        return f"US${number:,.2f}"
    return f"{number:,.0f}"


def _items(result: dict[str, Any]) -> list[Row]:
    return [
        [
            item["label"],
            TYPES.get(item["type"], item["type"]),
            item["points"],
            ";".join(item["steps"]) + (f"({item['problem']})" if item.get("problem") else ""),
        ]
        for item in result["items"]
    ]


def _figures(
    figures: dict[str, Any], targets: dict[str, Any], qualifiers: dict[str, str] | None = None
) -> list[Row]:
    return [
        [
            f.zh,
            shown.figure(f.name, figures.get(f.name), qualifiers, "zh"),
            _shown(f.name, targets.get(f.name)),
        ]
        for f in FIGURES
        if f.name in figures
    ]


def build(
    user: User, org_id: int, scheme_key: str, label: str, version: int | None = None
) -> AssessmentReport:
    org = get_assessable(user, org_id)
    period = periods.parse(label)
    chosen = schemes.get_version(visible_schemes(user), scheme_key, version)
    stored = (
        visible_assessments(user)
        .filter(organization=org, scheme=chosen, period=period.label, subject_kind="organization")
        .select_related("assessor")
        .order_by("-computed_at", "-pk")
        .first()
    )
    if stored is not None:
        peers = (
            visible_assessments(user)
            .filter(
                scheme=chosen,
                period=period.label,
                assessor_id=stored.assessor_id,
                subject_kind="organization",
            )
            .count()
        )
        figures = {k: v for k, v in stored.figures.items() if not k.startswith("__")}
        words = stored.figures.get("__qualifiers__") or {}
        who = stored.assessor.name if stored.assessor else "系统管理员"
        return AssessmentReport(
            org,
            period,
            chosen,
            stored.total,
            stored.rank,
            peers,
            stored.standing,
            True,
            f"已保存的考核结果:{who}于{timezone.localtime(stored.computed_at):%Y-%m-%d %H:%M}计算",
            _items(stored.result),
            _figures(figures, stored.targets, words),
        )
    group = assessing.organizations_for(user)
    if org.pk not in {o.pk for o in group}:
        group = [org]
    scored = assessing.compute(user, chosen, period, group)
    totals = [s.result.total for s in scored]
    ranks = scoring.rank(totals)
    colours = scoring.standings(schemes.scheme_of(chosen), totals)
    index = next(i for i, s in enumerate(scored) if s.organization.pk == org.pk)
    mine = scored[index]
    return AssessmentReport(
        org,
        period,
        chosen,
        mine.result.total,
        ranks[index] if len(scored) > 1 else None,
        len(scored),
        colours[index],
        False,
        "预览:本期考核结果尚未保存,按当前项目库实时计算",
        _items(mine.result.as_json()),
        _figures(
            {k: str(v) for k, v in mine.figures.items()},
            {k: str(v) for k, v in mine.targets.items()},
            mine.qualifiers,
        ),
    )


def title(report: AssessmentReport) -> str:
    return f"{report.org.name} 季度考核结果 {report.period.label}"


def summary(report: AssessmentReport) -> list[Row]:
    note = "(示例方案:权重和分值并非来自正式文件)" if report.version.illustrative else ""
    return [
        ["考核方案", f"{report.version.name} v{report.version.version}{note}"],
        ["考核期", f"{report.period.label}({report.period.start} 至 {report.period.end})"],
        ["总分", str(report.total)],
        ["排名", f"{report.rank} / {report.of}" if report.rank else "—"],
        ["三类三色", STANDING.get(report.standing, report.standing)],
        ["依据", report.basis],
    ]


ITEM_HEADER = ["考核项", "类型", "得分", "推导"]
FIGURE_HEADER = ["指标", "实绩", "目标"]


def to_xlsx(report: AssessmentReport) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("考核结果")
    xlsx.append(sheet, [title(report)])
    for row in summary(report):
        xlsx.append(sheet, row)
    xlsx.append(sheet, [])
    xlsx.append(sheet, ITEM_HEADER)
    for row in report.items:
        xlsx.append(sheet, row)
    figures = book.create_sheet("实绩与目标")
    xlsx.append(figures, [title(report)])
    xlsx.append(figures, FIGURE_HEADER)
    for row in report.figures:
        xlsx.append(figures, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(report: AssessmentReport) -> bytes:
    document = pdf.Document(
        title=title(report),
        subtitle=f"{report.version.name} v{report.version.version}",
        footer=report.org.name,
        page_text="第 {page} 页 / 共 {pages} 页",
        notices=[report.basis, "实绩由项目库计算;仅含考核机构有权查看的已签约项目"],
        wide=True,
    )
    document.heading("考核结果")
    document.table(["项目", "内容"], summary(report))
    document.heading("逐项得分与推导")
    document.table(ITEM_HEADER, report.items)
    document.heading("所用实绩与目标")
    document.table(FIGURE_HEADER, report.figures)
    return document.render()


def render(report: AssessmentReport, fmt: str) -> bytes:
    return to_xlsx(report) if fmt == "xlsx" else to_pdf(report)
