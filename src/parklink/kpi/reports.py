"""The monthly investment-promotion report (招商引资月报) of one organisation, as xlsx or PDF.

One period (a month, a quarter or a year) of one organisation, as the acting user may see
it: the period's figures and the year to date, the signings, the starts, the funds in place
(evidenced, and the unevidenced apart), the key projects' progress and the problem projects
(stalled, or not started in time). Every cell of the xlsx is written through `core.xlsx`;
the PDF through `core.pdf` (Chinese in its embedded CJK font).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from parklink.accounts.models import Organization, User
from parklink.core import pdf, xlsx
from parklink.kpi import shown
from parklink.kpi.engine import fx, periods
from parklink.kpi.engine.names import FIGURES
from parklink.kpi.queries import get_assessable
from parklink.kpi.services import actuals
from parklink.kpi.services import visits as aftercare
from parklink.kpi.services.assess import year_to_date
from parklink.projects.models import Project

FORMATS = ("xlsx", "pdf")
Row = list[Any]


@dataclass
class Report:
    org: Organization
    period: periods.Period
    figures: list[Row]
    signings: list[Row]
    starts: list[Row]
    funds: list[Row]
    unevidenced: list[Row]
    key_projects: list[Row]
    problems: list[Row]
    visits: list[Row]


def _amount(value: Decimal | None, qualifier: str | None = None) -> str:
    """元 to the fen; an amount that is a lower bound or an estimate: 超X亿元 / 约X亿元."""
    return shown.amount(value, qualifier, "zh")


def _day(value: date | None) -> str:
    return value.isoformat() if value else "—"


def _in_usd(origin: str, amount: Decimal, rate: Decimal | None) -> str:
    """A foreign entry in US$ at its month's rate, or 无汇率; domestic money: —."""
    if origin != "foreign":
        return "—"
    return "无汇率" if rate is None else f"US${fx.usd(amount, rate):,.2f}"


def build(user: User, org_id: int, label: str) -> Report:
    org = get_assessable(user, org_id)
    period = periods.parse(label)
    now = actuals.figures(user, [org.pk], period)[org.pk]
    ytd = actuals.figures(user, [org.pk], year_to_date(period))[org.pk]
    words_now = actuals.qualifiers(user, [org.pk], period).get(org.pk, {})
    words_ytd = actuals.qualifiers(user, [org.pk], year_to_date(period)).get(org.pk, {})
    figures = [
        [
            f.zh,
            shown.figure(f.name, now[f.name], words_now, "zh"),
            shown.figure(f.name, ytd[f.name], words_ytd, "zh"),
        ]
        for f in FIGURES
    ]
    visit_now = aftercare.counts([org.pk], period)[org.pk]
    visit_ytd = aftercare.counts([org.pk], year_to_date(period))[org.pk]
    figures.append(["安商稳商走访次数", f"{visit_now:,}", f"{visit_ytd:,}"])
    visit_rows = [
        [
            _day(v.held_on),
            v.title,
            "、".join(e.name for e in v.enterprises.all()) or "—",
        ]
        for v in aftercare.listed(user, org.pk, period)
    ]
    signed = actuals.projects_behind(user, org.pk, period, "signed_count").order_by(
        "signed_on", "pk"
    )
    signings = [
        [
            p.name,
            _day(p.signed_on),
            _amount(p.total_investment, p.total_investment_qualifier),
            p.get_stage_display(),
        ]
        for p in signed
    ]
    # Annotated with `first_start` by the actuals (the typing does not follow annotations).
    started: Any = actuals.projects_behind(user, org.pk, period, "started_count")
    started = started.order_by("first_start", "pk")
    starts = [
        [p.name, _day(p.first_start), _amount(p.total_investment, p.total_investment_qualifier)]
        for p in started
    ]
    rates = actuals.exchange_rates()
    funds = [
        [
            f.project.name,
            _day(f.received_on),
            _amount(f.amount),
            _in_usd(f.project.capital_origin, f.amount, rates.get(f"{f.received_on:%Y-%m}")),
            f.evidence,
        ]
        for f in actuals.funds_behind(user, org.pk, period, "funds_total").order_by(
            "received_on", "pk"
        )
    ]
    unevidenced = [
        [f.project.name, _day(f.received_on), _amount(f.amount)]
        for f in actuals.funds_behind(user, org.pk, period, "funds_unevidenced").order_by(
            "received_on", "pk"
        )
    ]
    base = actuals.counted_projects(user, [org.pk], period, actuals.Rules())
    key = base.filter(tags__code__in=["key", "provincial_major"]).distinct().order_by("name")
    key_projects = [
        [
            p.name,
            p.get_stage_display(),
            _day(p.last_progress_on),
            _amount(p.total_investment, p.total_investment_qualifier),
        ]
        for p in key
    ]
    overdue = set(
        actuals.projects_behind(user, org.pk, period, "overdue_not_started").values_list(
            "pk", flat=True
        )
    )
    troubled = Project.objects.filter(pk__in=base.values("pk")).filter(
        stage="stalled"
    ) | Project.objects.filter(pk__in=overdue)
    problems = [
        [
            p.name,
            p.get_stage_display(),
            "停滞" if p.stage == "stalled" else "超时限未开工",
            _day(p.signed_on),
        ]
        for p in troubled.distinct().order_by("name")
    ]
    return Report(
        org,
        period,
        figures,
        signings,
        starts,
        funds,
        unevidenced,
        key_projects,
        problems,
        visit_rows,
    )


SECTIONS = (
    ("figures", "本期与本年累计实绩", ["指标", "本期", "本年累计"]),
    ("signings", "本期签约项目", ["项目", "签约日期", "总投资(元)", "当前阶段"]),
    ("starts", "本期开工项目", ["项目", "开工日期", "总投资(元)"]),
    ("funds", "本期到位资金(有凭证)", ["项目", "到位日期", "金额(元)", "外资折合美元", "凭证"]),
    ("unevidenced", "无凭证的到位资金(不计入实绩)", ["项目", "到位日期", "金额(元)"]),
    ("key_projects", "重点项目进展", ["项目", "当前阶段", "最近进展", "总投资(元)"]),
    ("problems", "问题项目", ["项目", "当前阶段", "问题", "签约日期"]),
    ("visits", "安商稳商走访", ["日期", "主题", "走访企业"]),
)


def title(report: Report) -> str:
    return f"{report.org.name} 招商引资月报 {report.period.label}"


def to_xlsx(report: Report) -> bytes:
    book = Workbook(write_only=True)
    for key, heading, header in SECTIONS:
        sheet = book.create_sheet(heading[:31])
        xlsx.append(sheet, [title(report)])
        xlsx.append(sheet, [heading])
        xlsx.append(sheet, header)
        for row in getattr(report, key):
            xlsx.append(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(report: Report) -> bytes:
    document = pdf.Document(
        title=title(report),
        subtitle=f"{report.period.start.isoformat()} 至 {report.period.end.isoformat()}",
        footer=report.org.name,
        page_text="第 {page} 页 / 共 {pages} 页",
        notices=["实绩由项目库计算;仅含本机构有权查看的项目"],
        wide=True,
    )
    for key, heading, header in SECTIONS:
        document.heading(heading)
        rows = getattr(report, key)
        if rows:
            document.table(header, rows)
        else:
            document.paragraph("无")
    return document.render()


def render(report: Report, fmt: str) -> bytes:
    return to_xlsx(report) if fmt == "xlsx" else to_pdf(report)
