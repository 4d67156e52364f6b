"""项目台账: the complete project ledger an officer keeps in Excel, built from the library.

One row per project the user may see under the list's filters, with every figure the officer's
own sheet carries: dates (signing, start, production; actual and by contract), investment
(total, first phase, this year's plan and completion), funds in place and their rate, funds by
origin, the warning colour and its reason, milestones, approvals, 五个一, the latest progress
and the open problems. The user picks the columns and their order (`COLUMNS`, remembered by
the ledger page); money is written as exact Decimal numbers with a number format, in 元 or
万元. `ProjectFacts` (what one project's row and brief say) is shared with `projects.brief`.

The progress log, the problem list, the yearly plan and contract-date warnings are recorded
by other parts of the projects app; `_hooks` reads them when their models exist, so the
ledger fills those columns as soon as they land and leaves them blank ("—") until then.
"""

from __future__ import annotations

import io
from argparse import ArgumentParser
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.core import xlsx
from parklink.core.errors import Invalid
from parklink.core.money import UNITS
from parklink.projects.ageing import Colour, Thresholds
from parklink.projects.amounts import format_qualified, prefix
from parklink.projects.lifecycle import LABELS_ZH, Stage
from parklink.projects.models import (
    Approval,
    ApprovalStatus,
    CapitalOrigin,
    FundsInPlace,
    Milestone,
    Project,
    StageTransition,
)
from parklink.projects.queries import (
    ProjectFilters,
    ageing_policies,
    apply_filters,
    default_thresholds,
    today,
    visible_projects,
    with_relations,
)

ILLUSTRATIVE = "示例数据"
UNIT_CHOICES = ("万元", "元")
CHUNK = 500

# ---------------------------------------------------------------- stage groups (sheets)

STAGE_GROUPS: tuple[tuple[str, tuple[Stage, ...]], ...] = (
    ("前期(线索在谈)", (Stage.LEAD, Stage.NEGOTIATING)),
    ("签约待开工", (Stage.SIGNED, Stage.APPROVALS)),
    ("在建", (Stage.STARTED, Stage.UNDER_CONSTRUCTION)),
    ("竣工投产", (Stage.COMPLETED, Stage.IN_PRODUCTION, Stage.FULL_PRODUCTION)),
    ("停滞终止", (Stage.STALLED, Stage.TERMINATED)),
)


def stage_group(stage: str) -> str:
    """The sheet a project of `stage` goes to when the ledger is split by stage group."""
    for title, stages in STAGE_GROUPS:
        if stage in stages:
            return title
    return STAGE_GROUPS[-1][0]


COLOUR_LABELS = {
    Colour.GREEN: "绿",
    Colour.YELLOW: "黄",
    Colour.RED: "红",
    Colour.REMOVAL: "建议出库",
    Colour.STALLED: "停滞",
}
ORIGIN_LABELS = {
    CapitalOrigin.IN_PROVINCE.value: "省内",
    CapitalOrigin.OUT_OF_PROVINCE.value: "省外",
    CapitalOrigin.FOREIGN.value: "外资",
}
APPROVAL_DONE = {ApprovalStatus.APPROVED.value, ApprovalStatus.WAIVED.value}
APPROVAL_LABELS = {value: str(label) for value, label in ApprovalStatus.choices}


# ---------------------------------------------------------------- one project's facts


@dataclass
class ProjectFacts:
    """Everything the ledger row and the brief say about one project (computed in batches)."""

    project: Project
    colour: Colour | None = None
    colour_reason: str = ""
    funds_total: Decimal = Decimal(0)
    funds_this_year: Decimal = Decimal(0)
    funds_count: int = 0
    started_on: date | None = None  # first move to 开工
    production_on: date | None = None  # first move to 投产
    completed_on: date | None = None  # first move to 竣工
    milestones_total: int = 0
    milestones_done: int = 0
    overdue: list[tuple[str, date]] = field(default_factory=list)
    milestones: list[tuple[str, date, date | None]] = field(default_factory=list)
    approvals: list[tuple[str, str, str]] = field(default_factory=list)  # kind, status, text
    latest_progress: str = ""
    latest_progress_on: date | None = None
    open_problems: list[str] = field(default_factory=list)
    year_planned: Decimal | None = None
    year_completed: Decimal | None = None
    contract_start_on: date | None = None
    contract_production_on: date | None = None
    warnings: list[str] = field(default_factory=list)  # contract-date rules
    illustrative: bool = False

    @property
    def funds_rate(self) -> Decimal | None:
        """到位率 as a fraction (0.25 = 25%), None when the total is not disclosed."""
        total = self.project.total_investment
        if not total:
            return None
        return self.funds_total / Decimal(total)

    def funds_by_origin(self, origin: str) -> Decimal | None:
        """Funds in place counted under one origin: the project's own capital origin.

        A funds entry holds 元 only and no origin of its own, so all of a project's funds in
        place count under the project's 资金来源 (None for the other origins; None for all
        when the origin is not recorded).
        """
        if self.project.capital_origin != origin or not self.funds_count:
            return None
        return self.funds_total

    @property
    def approvals_text(self) -> str:
        if not self.approvals:
            return ""
        done = sum(1 for _kind, status, _text in self.approvals if status in APPROVAL_DONE)
        parts = ";".join(text for _kind, _status, text in self.approvals)
        return f"{done}/{len(self.approvals)}办结:{parts}"

    @property
    def milestones_text(self) -> str:
        if not self.milestones_total:
            return ""
        text = f"{self.milestones_done}/{self.milestones_total}"
        if self.overdue:
            text += f"(逾期{len(self.overdue)}项)"
        return text

    @property
    def overdue_text(self) -> str:
        return ";".join(f"{name}(应于{due:%Y-%m-%d})" for name, due in self.overdue)

    @property
    def colour_text(self) -> str:
        return COLOUR_LABELS.get(self.colour, "") if self.colour is not None else "不预警"

    @property
    def reasons_text(self) -> str:
        return ";".join([r for r in (self.colour_reason, *self.warnings) if r])


def _months(n: int) -> str:
    return f"{n}个月"


def colour_reason(project: Project, colour: Colour | None, thresholds: Thresholds, on: date) -> str:
    """Why the badge shows `colour`, in the words an officer would write in the sheet."""
    if colour is None:
        return f"{LABELS_ZH[Stage(project.stage)]}项目不参与预警"
    if colour is Colour.STALLED:
        before = project.stalled_from
        where = f"于“{LABELS_ZH[Stage(before)]}”阶段" if before else ""
        return f"项目停滞{where}(停滞不算进展)"
    last = f"最近进展{project.last_progress_on:%Y-%m-%d}"
    if colour is Colour.GREEN:
        return f"{last},未满{_months(thresholds.yellow_months)}"
    limit = {
        Colour.YELLOW: ("黄色预警", thresholds.yellow_months),
        Colour.RED: ("红色预警", thresholds.red_months),
        Colour.REMOVAL: ("建议出库", thresholds.removal_months),
    }[colour]
    return f"{last},已满{_months(limit[1])}无进展({limit[0]})"


def _is_illustrative(*texts: str) -> bool:
    return any("示例" in (text or "") for text in texts)


def facts_for(projects: Sequence[Project], on: date | None = None) -> dict[int, ProjectFacts]:
    """Facts of `projects` (already visible to the user), a fixed number of queries in all."""
    when = on or today()
    year = when.year
    ids = [p.pk for p in projects]
    found = {p.pk: ProjectFacts(p) for p in projects}
    if not ids:
        return found
    _colours(found, projects, when)
    for project_id, amount, received_on, evidence, note in FundsInPlace.objects.filter(
        project_id__in=ids
    ).values_list("project_id", "amount", "received_on", "evidence", "note"):
        facts = found[project_id]
        facts.funds_total += amount
        facts.funds_count += 1
        if received_on.year == year:
            facts.funds_this_year += amount
        facts.illustrative |= _is_illustrative(evidence, note)
    _transitions(found, ids)
    for project_id, name, due_on, done_on in Milestone.objects.filter(
        project_id__in=ids
    ).values_list("project_id", "name", "due_on", "done_on"):
        facts = found[project_id]
        facts.milestones_total += 1
        facts.milestones.append((name, due_on, done_on))
        if done_on is not None:
            facts.milestones_done += 1
        elif due_on < when:
            facts.overdue.append((name, due_on))
    for project_id, kind, status, label in _approvals(ids):
        found[project_id].approvals.append((kind, status, label))
    _hooks(found, ids, when)
    return found


def _colours(found: dict[int, ProjectFacts], projects: Sequence[Project], when: date) -> None:
    from parklink.projects.services import colours_of

    colours = colours_of(projects, when)
    policies = ageing_policies()
    default = default_thresholds()
    for project in projects:
        facts = found[project.pk]
        facts.colour = colours[project.pk]
        facts.colour_reason = colour_reason(
            project, facts.colour, policies.get(project.owner_id, default), when
        )


def _transitions(found: dict[int, ProjectFacts], ids: list[int]) -> None:
    """Actual start, completion and production dates; the latest recorded stage change."""
    rows = StageTransition.objects.filter(project_id__in=ids).order_by("effective_on", "id")
    for project_id, from_stage, to_stage, on, note in rows.values_list(
        "project_id", "from_stage", "to_stage", "effective_on", "note"
    ):
        facts = found[project_id]
        if to_stage == Stage.STARTED and facts.started_on is None:
            facts.started_on = on
        if to_stage == Stage.COMPLETED and facts.completed_on is None:
            facts.completed_on = on
        if to_stage == Stage.IN_PRODUCTION and facts.production_on is None:
            facts.production_on = on
        if facts.latest_progress_on is None or on >= facts.latest_progress_on:
            move = LABELS_ZH.get(Stage(to_stage), to_stage) if to_stage else ""
            start = LABELS_ZH.get(Stage(from_stage), from_stage) if from_stage else ""
            text = f"{start}→{move}" if start else f"入库({move})"
            facts.latest_progress = f"{on:%Y-%m-%d} {text}" + (f":{note}" if note else "")
            facts.latest_progress_on = on


def _approvals(ids: list[int]) -> Iterable[tuple[int, str, str, str]]:
    with translation.override("zh-hans"):
        for approval in Approval.objects.filter(project_id__in=ids).order_by("project_id", "kind"):
            status = approval.status
            label = f"{approval.get_kind_display()}{APPROVAL_LABELS.get(status, status)}"
            if approval.reference:
                label += f"({approval.reference})"
            yield approval.project_id, approval.kind, status, label


# ---------------------------------------------------------------- hooks: other parts of the app


def _hooks(found: dict[int, ProjectFacts], ids: list[int], when: date) -> None:
    """The progress log, the problem list, the yearly plan and the contract-date warnings.

    They are kept by the daily-work part of the projects app (`ProgressEntry`, `Problem`,
    `ProjectYearPlan`, `services.standing`); each reader returns nothing while that part is
    not installed, so the ledger and the brief show "—" in those columns until then.
    """
    for project_id, (on, text, illustrative) in progress_entries(ids).items():
        facts = found[project_id]
        if facts.latest_progress_on is None or on >= facts.latest_progress_on:
            facts.latest_progress = f"{on:%Y-%m-%d} {text}"
            facts.latest_progress_on = on
        facts.illustrative |= illustrative
    for project_id, (problems, illustrative) in open_problems(ids, when).items():
        found[project_id].open_problems = problems
        found[project_id].illustrative |= illustrative
    for project_id, (planned, completed) in year_plans(ids, when.year).items():
        found[project_id].year_planned = planned
        found[project_id].year_completed = completed
    for facts in found.values():
        facts.contract_start_on = _date_field(facts.project, "contract_start_date")
        facts.contract_production_on = _date_field(facts.project, "contract_production_date")
    projects = [facts.project for facts in found.values()]
    for project_id, (reason, warnings) in standings(projects, when).items():
        found[project_id].colour_reason = reason or found[project_id].colour_reason
        found[project_id].warnings = warnings


def _model(name: str) -> Any:
    from django.apps import apps

    try:
        return apps.get_model("projects", name)
    except LookupError:
        return None


def _module(dotted: str) -> Any:
    from importlib import import_module
    from importlib.util import find_spec

    return import_module(dotted) if find_spec(dotted) is not None else None


def _date_field(project: Project, name: str) -> date | None:
    value = getattr(project, name, None)
    return value if isinstance(value, date) else None


def progress_entries(ids: list[int]) -> dict[int, tuple[date, str, bool]]:
    """Project id → (date, text, illustrative) of its latest progress log entry (进展情况)."""
    model = _model("ProgressEntry")
    if model is None:
        return {}
    latest: dict[int, tuple[date, str, bool]] = {}
    rows = model._default_manager.filter(project_id__in=ids).order_by("happened_on", "pk")
    for project_id, on, summary, next_step, reporter, illustrative in rows.values_list(
        "project_id", "happened_on", "summary", "next_step", "reporter", "illustrative"
    ):
        text = " ".join(summary.split())
        if reporter:
            text += f"({reporter})"
        if next_step:
            text += f";下一步:{' '.join(next_step.split())}"
        if illustrative:
            text = f"[{ILLUSTRATIVE}] {text}"
        latest[project_id] = (on, text, bool(illustrative))
    return latest


def open_problems(ids: list[int], when: date) -> dict[int, tuple[list[str], bool]]:
    """Project id → its problems not yet solved (问题清单), one line each, and whether any of
    them is illustrative."""
    model = _model("Problem")
    if model is None:
        return {}
    found: dict[int, tuple[list[str], bool]] = {}
    rows = (
        model._default_manager.filter(project_id__in=ids)
        .exclude(status="solved")
        .order_by("deadline", "pk")
    )
    with translation.override("zh-hans"):
        for problem in rows:
            extra = [problem.get_status_display()]
            if problem.department:
                extra.append(problem.department)
            if problem.deadline is not None:
                late = "已逾期" if problem.deadline < when else "限"
                extra.append(f"{late}{problem.deadline:%Y-%m-%d}")
            text = f"[{problem.get_category_display()}]{' '.join(problem.description.split())}"
            lines, illustrative = found.get(problem.project_id, ([], False))
            lines.append(f"{text}({','.join(extra)})")
            found[problem.project_id] = (lines, illustrative or problem.illustrative)
    return found


def year_plans(ids: list[int], year: int) -> dict[int, tuple[Decimal | None, Decimal | None]]:
    """Project id → (planned, completed) investment of `year` in 元 (年度计划 / 完成投资)."""
    module = _module("parklink.projects.services.year_plans")
    if module is None:
        return {}
    return {pk: (plan.planned, plan.completed) for pk, plan in module.year_plan(ids, year).items()}


def standings(projects: list[Project], when: date) -> dict[int, tuple[str, list[str]]]:
    """Project id → (the colour's reason, the contract-date warnings' reasons), as the badge
    on the project's page gives them (签约未开工, 开工未投产, 资金到位滞后)."""
    module = _module("parklink.projects.services.standing")
    if module is None:
        return {}
    with translation.override("zh-hans"):
        return {
            pk: (
                standing.colour_reason,
                [f"{label}:{reason}" for _r, label, reason in standing.warning_items],
            )
            for pk, standing in module.standings_of(projects, when).items()
        }


# ---------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """One ledger column: its key (the picker's value), header, kind of cell and width."""

    key: str
    header: str
    kind: str  # text, money, date, int, rate
    width: int
    group: str

    def value(self, facts: ProjectFacts, unit: str) -> Any:
        raw = VALUES[self.key](facts)
        if self.kind == "money":
            return None if raw is None else _in(Decimal(raw), unit)
        if self.kind == "text":
            return raw or ""
        return raw


def _in(yuan: Decimal, unit: str) -> Decimal:
    """元 → the export's unit, exact (Decimal division by a power of ten never rounds)."""
    return (yuan / UNITS[unit]).normalize() if unit != "元" else yuan


def _project(name: str) -> Any:
    return lambda f: getattr(f.project, name)


def _stage(f: ProjectFacts) -> str:
    return LABELS_ZH.get(Stage(f.project.stage), f.project.stage)


def _qualifier(name: str) -> Any:
    def read(f: ProjectFacts) -> str:
        if getattr(f.project, name) is None:
            return ""
        word = prefix(getattr(f.project, f"{name}_qualifier"))
        return word or "确数"

    return read


def _investment_text(name: str) -> Any:
    def read(f: ProjectFacts) -> str:
        amount = getattr(f.project, name)
        if amount is None:
            return "未披露"
        return format_qualified(amount, getattr(f.project, f"{name}_qualifier"))

    return read


VALUES: dict[str, Any] = {
    "id": lambda f: f.project.pk,
    "name": _project("name"),
    "code_name": _project("code_name"),
    "owner": lambda f: f.project.owner.name,
    "investor": lambda f: f.project.investor.name if f.project.investor else "",
    "park": lambda f: f.project.park.name if f.project.park else "",
    "region": lambda f: f.project.region.full_name,
    "sector": _project("sector"),
    "industry_code": _project("industry_code"),
    "stage": _stage,
    "stage_since": _project("stage_since"),
    "signed_on": _project("signed_on"),
    "started_on": lambda f: f.started_on,
    "contract_start_on": lambda f: f.contract_start_on,
    "completed_on": lambda f: f.completed_on,
    "production_on": lambda f: f.production_on,
    "contract_production_on": lambda f: f.contract_production_on,
    "total_investment": _project("total_investment"),
    "total_investment_qualifier": _qualifier("total_investment"),
    "total_investment_text": _investment_text("total_investment"),
    "phase_investment": _project("phase_investment"),
    "phase_investment_qualifier": _qualifier("phase_investment"),
    "year_planned": lambda f: f.year_planned,
    "year_completed": lambda f: f.year_completed,
    "funds_total": lambda f: f.funds_total if f.funds_count else None,
    "funds_rate": lambda f: f.funds_rate,
    "funds_this_year": lambda f: f.funds_this_year if f.funds_count else None,
    "capital_origin": lambda f: ORIGIN_LABELS.get(f.project.capital_origin, ""),
    "funds_in_province": lambda f: f.funds_by_origin(CapitalOrigin.IN_PROVINCE),
    "funds_out_of_province": lambda f: f.funds_by_origin(CapitalOrigin.OUT_OF_PROVINCE),
    "funds_foreign": lambda f: f.funds_by_origin(CapitalOrigin.FOREIGN),
    "colour": lambda f: f.colour_text,
    "colour_reason": lambda f: f.reasons_text,
    "last_progress_on": _project("last_progress_on"),
    "latest_progress": lambda f: f.latest_progress,
    "milestones": lambda f: f.milestones_text,
    "milestones_overdue": lambda f: f.overdue_text,
    "approvals": lambda f: f.approvals_text,
    "open_problems": lambda f: ";".join(f.open_problems),
    "responsible_leader": _project("responsible_leader"),
    "leader_user": lambda f: str(f.project.leader_user) if f.project.leader_user else "",
    "task_force": _project("task_force"),
    "mechanism": _project("mechanism"),
    "maturity": _project("maturity"),
    "jobs": _project("jobs"),
    "expected_annual_revenue": _project("expected_annual_revenue"),
    "expected_annual_tax": _project("expected_annual_tax"),
    "land_area_mu": _project("land_area_mu"),
    "remarks": _project("remarks"),
    "data_note": lambda f: ILLUSTRATIVE if f.illustrative else "",
}

BASIC, DATES, MONEY, WARN, DUTY, MORE = (
    "基本信息",
    "时间节点",
    "投资与资金",
    "预警与进度",
    "五个一",
    "其他",
)
COLUMNS: tuple[Column, ...] = (
    Column("id", "编号", "int", 8, BASIC),
    Column("name", "项目名称", "text", 32, BASIC),
    Column("code_name", "代号", "text", 12, BASIC),
    Column("owner", "所属机构", "text", 20, BASIC),
    Column("investor", "投资企业", "text", 28, BASIC),
    Column("park", "落地园区", "text", 24, BASIC),
    Column("region", "落地行政区", "text", 24, BASIC),
    Column("sector", "产业领域", "text", 14, BASIC),
    Column("industry_code", "行业代码", "text", 10, BASIC),
    Column("stage", "阶段", "text", 8, BASIC),
    Column("stage_since", "进入本阶段日期", "date", 13, DATES),
    Column("signed_on", "签约日期", "date", 12, DATES),
    Column("started_on", "实际开工日期", "date", 13, DATES),
    Column("contract_start_on", "合同约定开工日期", "date", 15, DATES),
    Column("completed_on", "竣工日期", "date", 12, DATES),
    Column("production_on", "实际投产日期", "date", 13, DATES),
    Column("contract_production_on", "合同约定投产日期", "date", 15, DATES),
    Column("total_investment", "总投资", "money", 14, MONEY),
    Column("total_investment_qualifier", "总投资口径", "text", 10, MONEY),
    Column("total_investment_text", "总投资(文字)", "text", 14, MONEY),
    Column("phase_investment", "一期投资", "money", 14, MONEY),
    Column("phase_investment_qualifier", "一期投资口径", "text", 10, MONEY),
    Column("year_planned", "本年计划投资", "money", 14, MONEY),
    Column("year_completed", "本年完成投资", "money", 14, MONEY),
    Column("funds_total", "累计到位资金", "money", 14, MONEY),
    Column("funds_rate", "资金到位率", "rate", 11, MONEY),
    Column("funds_this_year", "本年到位资金", "money", 14, MONEY),
    Column("capital_origin", "资金来源", "text", 9, MONEY),
    Column("funds_in_province", "省内资金到位", "money", 14, MONEY),
    Column("funds_out_of_province", "省外资金到位", "money", 14, MONEY),
    Column("funds_foreign", "外资到位", "money", 14, MONEY),
    Column("colour", "预警颜色", "text", 9, WARN),
    Column("colour_reason", "预警原因", "text", 40, WARN),
    Column("last_progress_on", "最近进展日期", "date", 13, WARN),
    Column("latest_progress", "最新进展", "text", 40, WARN),
    Column("milestones", "里程碑(完成/总数)", "text", 16, WARN),
    Column("milestones_overdue", "逾期节点", "text", 30, WARN),
    Column("approvals", "审批办理情况", "text", 36, WARN),
    Column("open_problems", "未解决问题", "text", 36, WARN),
    Column("responsible_leader", "责任领导", "text", 12, DUTY),
    Column("leader_user", "责任人", "text", 12, DUTY),
    Column("task_force", "工作专班", "text", 20, DUTY),
    Column("mechanism", "推进机制", "text", 30, DUTY),
    Column("maturity", "成熟度", "text", 8, MORE),
    Column("jobs", "带动就业(人)", "int", 12, MORE),
    Column("expected_annual_revenue", "达产年产值", "money", 14, MORE),
    Column("expected_annual_tax", "达产年税收", "money", 14, MORE),
    Column("land_area_mu", "用地面积(亩)", "number", 12, MORE),
    Column("remarks", "备注", "text", 30, MORE),
    Column("data_note", "数据说明", "text", 10, MORE),
)
BY_KEY = {column.key: column for column in COLUMNS}
# What the ledger holds before the user picks: what the officer's sheet has, no duplicates.
DEFAULT_KEYS: tuple[str, ...] = tuple(
    key
    for key in BY_KEY
    if key
    not in {
        "id",
        "code_name",
        "industry_code",
        "total_investment_text",
        "leader_user",
        "maturity",
        "jobs",
        "expected_annual_revenue",
        "expected_annual_tax",
        "land_area_mu",
        "remarks",
    }
)


def money_header(column: Column, unit: str) -> str:
    return f"{column.header}({unit})" if column.kind == "money" else column.header


def parse_columns(keys: Iterable[str]) -> tuple[str, ...]:
    """The chosen column keys in the given order, duplicates dropped; unknown ones refused."""
    chosen: list[str] = []
    for key in keys:
        key = key.strip()
        if not key or key in chosen:
            continue
        if key not in BY_KEY:
            raise Invalid.on(
                "columns",
                _("未知的台账列“%(key)s”;可选:%(keys)s") % {"key": key, "keys": "、".join(BY_KEY)},
            )
        chosen.append(key)
    if not chosen:
        raise Invalid.on("columns", _("请至少选择一列"))
    return tuple(chosen)


# ---------------------------------------------------------------- the workbook


@dataclass(frozen=True)
class LedgerOptions:
    columns: tuple[str, ...] = DEFAULT_KEYS
    unit: str = "万元"
    by_stage: bool = False
    on: date | None = None  # the day the ledger is judged on (the library's today)

    def __post_init__(self) -> None:
        if self.unit not in UNIT_CHOICES:
            raise Invalid.on(
                "unit", _("金额单位只能是%(units)s") % {"units": "或".join(UNIT_CHOICES)}
            )
        parse_columns(self.columns)


MONEY_FORMAT = {"万元": "#,##0.00####", "元": "#,##0.00"}
DATE_FORMAT = "yyyy-mm-dd"
RATE_FORMAT = "0.0%"


@dataclass
class _Sheet:
    title: str
    rows: list[ProjectFacts] = field(default_factory=list)


def ledger_rows(user: User, filters: ProjectFilters) -> QuerySet[Project]:
    """The projects of the ledger: what the list shows `user` under `filters`, in its order."""
    return with_relations(apply_filters(visible_projects(user), filters)).select_related(
        "leader_user"
    )


def collect(user: User, filters: ProjectFilters, on: date | None = None) -> list[ProjectFacts]:
    """The ledger's facts, read in chunks (a fixed number of queries per chunk)."""
    projects = ledger_rows(user, filters)
    found: list[ProjectFacts] = []
    chunk: list[Project] = []
    for project in projects.iterator(chunk_size=CHUNK):
        chunk.append(project)
        if len(chunk) == CHUNK:
            found += _in_order(chunk, on)
            chunk = []
    if chunk:
        found += _in_order(chunk, on)
    return found


def _in_order(chunk: list[Project], on: date | None) -> list[ProjectFacts]:
    facts = facts_for(chunk, on)
    return [facts[p.pk] for p in chunk]


def organisation_name(user: User) -> str:
    if user.organization_id and user.organization is not None:
        return user.organization.name
    return "全部机构" if user.is_superuser else ""


def build_workbook(
    facts: Sequence[ProjectFacts],
    options: LedgerOptions,
    *,
    organisation: str,
    exported_at: datetime,
    filters_text: str = "",
) -> bytes:
    """The ledger as .xlsx bytes: a title row, a note row, the header (frozen, filtered), rows."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    columns = [BY_KEY[key] for key in options.columns]
    if options.by_stage:
        sheets = [_Sheet(title) for title, _stages in STAGE_GROUPS]
        by_title = {sheet.title: sheet for sheet in sheets}
        for item in facts:
            by_title[stage_group(item.project.stage)].rows.append(item)
    else:
        sheets = [_Sheet("项目台账", list(facts))]
    illustrative = any(item.illustrative for item in facts)
    for sheet in sheets:
        _write_sheet(
            book,
            sheet,
            columns,
            options,
            organisation=organisation,
            exported_at=exported_at,
            filters_text=filters_text,
            illustrative=illustrative,
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(
    book: Any,
    sheet: _Sheet,
    columns: list[Column],
    options: LedgerOptions,
    *,
    organisation: str,
    exported_at: datetime,
    filters_text: str,
    illustrative: bool,
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(sheet.title)
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    # Header frozen, and the project's name with it when it is among the first columns.
    name_at = next((i for i, c in enumerate(columns[:3], start=1) if c.key == "name"), 0)
    ws.freeze_panes = f"{get_column_letter(name_at + 1)}4"
    title = xlsx.cell(ws, f"{organisation}项目台账({sheet.title})" if organisation else "项目台账")
    title.font = Font(bold=True, size=14)
    xlsx.append(ws, [title])
    note = [
        f"导出时间:{exported_at:%Y-%m-%d %H:%M}",
        f"金额单位:{options.unit}",
        f"项目数:{len(sheet.rows)}",
        f"筛选条件:{filters_text or '全部可见项目'}",
    ]
    if illustrative:
        note.append(
            f"含{ILLUSTRATIVE}:“数据说明”列标为{ILLUSTRATIVE}的行,部分数字为示意,非实际数据"
        )
    note_cell = xlsx.cell(ws, " | ".join(note))
    note_cell.font = Font(color="A8071A" if illustrative else "57606A")
    xlsx.append(ws, [note_cell])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    header = []
    for column in columns:
        cell = xlsx.cell(ws, money_header(column, options.unit))
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    xlsx.append(ws, header)
    for facts in sheet.rows:
        xlsx.append(ws, [_cell(ws, column, facts, options.unit) for column in columns])
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A3:{last}{3 + len(sheet.rows)}"


def _cell(ws: Any, column: Column, facts: ProjectFacts, unit: str) -> Any:
    value = column.value(facts, unit)
    cell = xlsx.cell(ws, value)
    if value is None:
        return cell
    if column.kind == "money":
        cell.number_format = MONEY_FORMAT[unit]
    elif column.kind == "date":
        cell.number_format = DATE_FORMAT
    elif column.kind == "rate":
        cell.number_format = RATE_FORMAT
    elif column.kind == "number":
        cell.number_format = "#,##0.00"
    return cell


# ---------------------------------------------------------------- entry points


FILTER_WORDS = {
    "stage": "阶段",
    "park": "园区编号",
    "region": "行政区划代码",
    "sector": "产业领域",
    "maturity": "成熟度",
    "colour": "预警颜色",
    "tag": "标签",
    "leader": "责任领导",
    "q": "关键词",
    "owner": "所属机构编号",
    "signed_from": "签约日期自",
    "signed_to": "签约日期至",
}


def describe_filters(filters: ProjectFilters) -> str:
    parts = []
    for name, word in FILTER_WORDS.items():
        value = getattr(filters, name)
        if value in (None, "", []):
            continue
        if name == "stage":
            value = "、".join(LABELS_ZH.get(Stage(s), s) for s in value)
        parts.append(f"{word}={value}")
    return ";".join(parts)


def export_ledger(user: User, filters: ProjectFilters, options: LedgerOptions) -> bytes:
    """The ledger of what `user` sees under `filters`, as .xlsx bytes."""
    facts = collect(user, filters, options.on)
    return build_workbook(
        facts,
        options,
        organisation=organisation_name(user),
        exported_at=timezone.localtime(),
        filters_text=describe_filters(filters),
    )


def export_arguments(parser: ArgumentParser) -> None:
    """`parklink export project-ledger`: the list's filters plus the ledger's options."""
    from parklink.projects.exports import export_arguments as list_filters

    list_filters(parser)
    parser.add_argument(
        "--columns",
        default=None,
        help="column keys in order, separated by commas (default: the standard ledger); "
        "keys: " + ",".join(BY_KEY),
    )
    parser.add_argument("--unit", default="万元", choices=UNIT_CHOICES, help="money unit")
    parser.add_argument(
        "--by-stage", action="store_true", help="one sheet per stage group (前期, 签约待开工, …)"
    )


def options_from(values: Mapping[str, Any]) -> LedgerOptions:
    columns = values.get("columns")
    keys = parse_columns(columns.split(",")) if columns else DEFAULT_KEYS
    return LedgerOptions(
        columns=keys, unit=values.get("unit") or "万元", by_stage=bool(values.get("by_stage"))
    )


def export_from_options(user: User, values: Mapping[str, Any]) -> bytes:
    """`TabularKind.exporter` of `project-ledger`."""
    from parklink.projects.exports import filters_from_options

    return export_ledger(user, filters_from_options(values), options_from(values))
