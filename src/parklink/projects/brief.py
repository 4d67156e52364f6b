"""项目简报: one A4 page per project for the leader's folder (PDF through `core.pdf`).

The page holds the essentials: name, enterprise, park, stage and dates, investment with its
qualifier (超/约), funds in place and their rate, the warning colour and its reason,
milestones, the latest progress, the open problems and 五个一. It always fits one page: long
texts are cut with "…", and lists show their first items and say how many more there are;
when a page would still overflow, the brief is laid out again with shorter limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.core.errors import NotFound
from parklink.core.money import format_amount
from parklink.core.pdf import Document
from parklink.projects.amounts import format_qualified
from parklink.projects.ledger import ILLUSTRATIVE, ProjectFacts, facts_for
from parklink.projects.lifecycle import LABELS_ZH, Stage
from parklink.projects.models import Project
from parklink.projects.queries import today, visible_projects, with_relations


@dataclass(frozen=True)
class Limits:
    """How much of each list and text a brief shows."""

    milestones: int
    problems: int
    approvals: int
    text: int  # characters of a long text (progress, mechanism, reasons)
    name: int  # characters of the project's name in the title


# From roomy to tight: the first that fits on one page is used.
LIMITS = (
    Limits(milestones=10, problems=5, approvals=8, text=220, name=60),
    Limits(milestones=6, problems=3, approvals=5, text=120, name=40),
    Limits(milestones=3, problems=2, approvals=3, text=60, name=30),
)


def cut(value: str, limit: int) -> str:
    """`value` shortened to `limit` characters, ending in "…" when cut."""
    value = " ".join((value or "").split())
    return value if len(value) <= limit else value[: max(1, limit - 1)] + "…"


def more(shown: int, total: int) -> str:
    return f"…另有{total - shown}项未列出" if total > shown else ""


def _day(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else "—"


def _or_dash(value: object) -> str:
    text = str(value or "").strip()
    return text or "—"


def page_count(pdf: bytes) -> int:
    """Pages of a PDF reportlab wrote (its page tree's /Count)."""
    counts = [int(n) for n in re.findall(rb"/Count (\d+)", pdf)]
    return max(counts) if counts else 0


def render_brief(facts: ProjectFacts, *, on: date, author: str = "") -> bytes:
    """The brief of one project as PDF bytes, on one A4 page."""
    pdf = b""
    for limits in LIMITS:
        pdf = _render(facts, limits, on=on, author=author)
        if page_count(pdf) <= 1:
            return pdf
    return pdf


def _render(facts: ProjectFacts, limits: Limits, *, on: date, author: str) -> bytes:
    project = facts.project
    notices = []
    if facts.illustrative:
        notices.append(f"{ILLUSTRATIVE}:本简报部分数字为示意,非实际数据")
    if not project.is_disclosed:
        notices.append("未签约项目,仅限本机构内部使用")
    doc = Document(
        title=f"项目简报 · {cut(project.name, limits.name)}",
        subtitle=f"{project.owner.name} · 截至{on:%Y-%m-%d}"
        + (f" · 代号 {project.code_name}" if project.code_name else ""),
        footer=f"ParkLink 项目简报 · 生成于{timezone.localtime():%Y-%m-%d %H:%M}"
        + (f" · {author}" if author else ""),
        page_text="第 {page} 页 / 共 {pages} 页",
        notices=notices,
    )
    stage = LABELS_ZH[Stage(project.stage)]
    if project.stage == Stage.STALLED and project.stalled_from:
        stage += f"(停滞于{LABELS_ZH[Stage(project.stalled_from)]})"
    doc.heading("基本情况", level=2)
    doc.table(
        ["项目", "内容", "项目", "内容"],
        [
            ["投资企业", _or_dash(project.investor and project.investor.name), "阶段", stage],
            [
                "落地园区",
                _or_dash(project.park and project.park.name),
                "进入本阶段",
                _day(project.stage_since),
            ],
            ["落地行政区", project.region.full_name, "签约日期", _day(project.signed_on)],
            ["产业领域", _or_dash(project.sector), "实际开工", _day(facts.started_on)],
            ["约定开工", _day(facts.contract_start_on), "实际投产", _day(facts.production_on)],
            [
                "约定投产",
                _day(facts.contract_production_on),
                "最近进展日期",
                _day(project.last_progress_on),
            ],
        ],
        widths=[0.14, 0.36, 0.14, 0.36],
    )
    doc.heading("投资与资金", level=2)
    rate = facts.funds_rate
    doc.table(
        ["总投资", "一期投资", "本年计划/完成", "累计到位资金", "到位率", "资金来源"],
        [
            [
                format_qualified(project.total_investment, project.total_investment_qualifier),
                format_qualified(project.phase_investment, project.phase_investment_qualifier),
                f"{format_amount(facts.year_planned)} / {format_amount(facts.year_completed)}",
                format_amount(facts.funds_total) if facts.funds_count else "—",
                f"{rate * 100:.1f}%" if rate is not None and facts.funds_count else "—",
                _or_dash(project.get_capital_origin_display() if project.capital_origin else ""),
            ]
        ],
        numeric=[0, 1, 3, 4],
    )
    doc.heading(f"预警:{facts.colour_text}", level=2)
    doc.paragraph(cut(facts.reasons_text or "—", limits.text))
    _milestones(doc, facts, limits, on)
    _approvals(doc, facts, limits)
    doc.heading("最新进展", level=2)
    doc.paragraph(cut(facts.latest_progress or "暂无进展记录", limits.text))
    doc.heading(f"未解决问题({len(facts.open_problems)})", level=2)
    if facts.open_problems:
        shown = facts.open_problems[: limits.problems]
        for index, problem in enumerate(shown, start=1):
            doc.paragraph(f"{index}. {cut(problem, limits.text // 2)}")
        if len(facts.open_problems) > len(shown):
            doc.paragraph(more(len(shown), len(facts.open_problems)))
    else:
        doc.paragraph("无")
    doc.heading("五个一", level=2)
    doc.table(
        ["责任领导", "责任人", "工作专班", "推进机制"],
        [
            [
                _or_dash(project.responsible_leader),
                _or_dash(project.leader_user),
                cut(_or_dash(project.task_force), limits.text // 3),
                cut(_or_dash(project.mechanism), limits.text // 2),
            ]
        ],
        widths=[0.16, 0.16, 0.28, 0.40],
    )
    return doc.render()


def _milestones(doc: Document, facts: ProjectFacts, limits: Limits, on: date) -> None:
    total = facts.milestones_total
    doc.heading(
        f"里程碑:完成{facts.milestones_done}/{total}"
        + (f",逾期{len(facts.overdue)}项" if facts.overdue else ""),
        level=2,
    )
    if not total:
        doc.paragraph("尚未设置里程碑")
        return

    # Overdue first, then open ones by due date, then the done ones: what needs action leads.
    def rank(item: tuple[str, date, date | None]) -> tuple[int, date]:
        _name, due, done = item
        if done is None and due < on:
            return (0, due)
        return (1, due) if done is None else (2, due)

    ordered = sorted(facts.milestones, key=rank)
    shown = ordered[: limits.milestones]
    rows = []
    for name, due, done in shown:
        state = "已完成" if done else ("逾期" if due < on else "进行中")
        rows.append([cut(name, 40), _day(due), _day(done), state])
    if len(ordered) > len(shown):
        rows.append([more(len(shown), len(ordered)), "", "", ""])
    doc.table(["节点", "计划完成", "实际完成", "状态"], rows, widths=[0.52, 0.16, 0.16, 0.16])


def _approvals(doc: Document, facts: ProjectFacts, limits: Limits) -> None:
    if not facts.approvals:
        return
    shown = facts.approvals[: limits.approvals]
    text = ";".join(label for _kind, _status, label in shown)
    extra = more(len(shown), len(facts.approvals))
    doc.heading("审批办理", level=2)
    doc.paragraph(cut(text, limits.text) + (f" {extra}" if extra else ""))


def project_brief(user: User, pk: int) -> tuple[Project, bytes]:
    """The brief of a project `user` may see (NotFound otherwise), and the project."""
    project = (
        with_relations(visible_projects(user)).select_related("leader_user").filter(pk=pk).first()
    )
    if project is None:
        raise NotFound(_("项目不存在或无权查看。"))
    on = today()
    facts = facts_for([project], on)[project.pk]
    return project, render_brief(facts, on=on, author=str(user))
