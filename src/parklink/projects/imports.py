"""Import projects from .xlsx/.csv into the library: all rows land together or none does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from parklink.accounts.imports import OwnedImporter, resolve_owner
from parklink.accounts.models import Organization, User
from parklink.core import cells, imports
from parklink.core.cells import Parser
from parklink.core.dates import DateKind
from parklink.core.imports import Column, ImportReport, Problem, Row, Source
from parklink.core.tabular import Limits
from parklink.core.text import normalise_name
from parklink.enterprises import uscc as uscc_rules
from parklink.enterprises.models import Enterprise
from parklink.parks.models import Park
from parklink.projects.amounts import WORDS as QUALIFIER_WORDS
from parklink.projects.lifecycle import LABELS_ZH, Stage
from parklink.projects.models import (
    AmountQualifier,
    CapitalOrigin,
    LeadSource,
    Maturity,
    ProjectTag,
)
from parklink.projects.queries import today
from parklink.projects.services import (
    AMOUNT_FIELDS,
    check_amounts,
    create_project,
    date_problem,
)
from parklink.regions.cells import RegionLookup

_BATCH = 500
NOT_AT_ENTRY = (Stage.STALLED, Stage.TERMINATED)


@dataclass(frozen=True)
class Heading:
    key: str
    zh: str
    en: str


# The layout shared by import and export, in column order (so an export re-imports).
LAYOUT: tuple[Heading, ...] = (
    Heading("name", "项目名称", "name"),
    Heading("code_name", "代号", "code_name"),
    Heading("park", "落地园区", "park"),
    Heading("region", "落地行政区", "region"),
    Heading("investor", "投资企业", "investor"),
    Heading("sector", "产业领域", "sector"),
    Heading("industry_code", "行业代码", "industry_code"),
    Heading("total_investment", "总投资(万元)", "total_investment"),
    Heading("total_investment_qualifier", "总投资口径", "total_investment_qualifier"),
    Heading("phase_investment", "一期投资(万元)", "phase_investment"),
    Heading("phase_investment_qualifier", "一期投资口径", "phase_investment_qualifier"),
    Heading("capital_origin", "资金来源", "capital_origin"),
    Heading("expected_annual_revenue", "达产年销售收入(万元)", "expected_annual_revenue"),
    Heading("expected_annual_tax", "达产年税收(万元)", "expected_annual_tax"),
    Heading("jobs", "带动就业", "jobs"),
    Heading("maturity", "成熟度", "maturity"),
    Heading("tags", "标签", "tags"),
    Heading("lead_source", "线索来源", "lead_source"),
    Heading("lead_source_detail", "来源说明", "lead_source_detail"),
    Heading("stage", "阶段", "stage"),
    Heading("stage_date", "阶段日期", "stage_date"),
    Heading("responsible_leader", "责任领导", "responsible_leader"),
    Heading("task_force", "工作专班", "task_force"),
    Heading("mechanism", "推进机制", "mechanism"),
    Heading("description", "简介", "description"),
)
HEADINGS = {heading.key: heading for heading in LAYOUT}
# Read-only columns an export adds after the layout; ignored when the file is imported.
EXPORT_ONLY: tuple[Heading, ...] = (
    Heading("id", "编号", "id"),
    Heading("owner", "所属机构", "owner"),
    Heading("last_progress_on", "最近进展日期", "last_progress_on"),
)
AMOUNT_PROBLEMS_EN = {
    "金额不是有效数字": "the amount is not a number",
    "金额不能为负数": "an amount cannot be negative",
    "金额过大": "the amount is too large",
    "金额最多精确到分": "an amount has at most two decimal places (fen)",
    "一期投资不能大于总投资": "the first-phase investment cannot exceed the total investment",
}
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("名称", "项目"),
    "code_name": ("项目代号",),
    "park": ("园区", "园区名称", "园区编号"),
    "region": ("行政区", "落地地区", "所在地", "行政区划代码", "adcode"),
    "investor": ("投资方", "投资主体", "企业", "企业名称", "投资企业名称"),
    "sector": ("产业", "行业", "产业方向"),
    "industry_code": ("国民经济行业代码", "行业分类代码"),
    "total_investment": ("总投资", "计划总投资", "总投资额"),
    "phase_investment": ("一期投资", "首期投资"),
    "total_investment_qualifier": ("总投资限定", "总投资精度", "金额口径"),
    "phase_investment_qualifier": ("一期投资限定", "首期投资口径"),
    "capital_origin": ("资金性质", "资金类别"),
    "expected_annual_revenue": (
        "达产年销售收入",
        "达产后年销售收入",
        "达产年产值",
        "达产后年产值",
        "年销售收入",
        "revenue",
    ),
    "expected_annual_tax": ("达产年税收", "达产后年税收", "年税收", "tax"),
    "jobs": ("带动就业(人)", "就业", "就业人数"),
    "maturity": ("成熟度分类", "项目成熟度"),
    "tags": ("项目标签",),
    "lead_source": ("信息来源", "项目来源", "来源"),
    "lead_source_detail": ("来源备注",),
    "stage": ("项目阶段", "进展阶段", "状态"),
    "stage_date": ("阶段时间", "进入阶段日期", "进入本阶段日期", "日期"),
    "responsible_leader": ("包抓领导", "联系领导", "牵头领导"),
    "task_force": ("专班",),
    "mechanism": ("推进机制说明",),
    "description": ("项目简介", "项目概况", "备注"),
}


def _labels(choices: Any) -> list[tuple[str, str]]:
    with translation.override("zh-hans"):
        return [(str(code), str(label)) for code, label in choices]


STAGE_CHOICES = [(stage.value, LABELS_ZH[stage]) for stage in Stage]
STAGE_ALIASES = {
    "洽谈": Stage.NEGOTIATING,
    "已签约": Stage.SIGNED,
    "供地": Stage.APPROVALS,
    "供地审批": Stage.APPROVALS,
    "已开工": Stage.STARTED,
    "已竣工": Stage.COMPLETED,
    "已投产": Stage.IN_PRODUCTION,
    "已达产": Stage.FULL_PRODUCTION,
}
CAPITAL_ALIASES = {
    "省内": CapitalOrigin.IN_PROVINCE,
    "省外": CapitalOrigin.OUT_OF_PROVINCE,
    "境外": CapitalOrigin.FOREIGN,
    "外商投资": CapitalOrigin.FOREIGN,
}
MATURITY_ALIASES = {
    "A类": Maturity.A,
    "B类": Maturity.B,
    "C类": Maturity.C,
    "成熟": Maturity.A,
    "较成熟": Maturity.B,
    "培育": Maturity.C,
}
LEAD_SOURCE_ALIASES = {
    "联络点": LeadSource.LIAISON_OFFICE,
    "联络点招商": LeadSource.LIAISON_OFFICE,
    "驻点": LeadSource.LIAISON_OFFICE,
    "驻点招商": LeadSource.LIAISON_OFFICE,  # a choice of its own until migration 0005
    "新闻": LeadSource.NEWS,
    "情报": LeadSource.NEWS,
    "推介": LeadSource.EVENT,
    "推介会": LeadSource.EVENT,
    "线上": LeadSource.ONLINE,
    "中介": LeadSource.AGENCY,
    "共建园区": LeadSource.COBUILT_PARK,
    "飞地招商": LeadSource.ENCLAVE,
}


# 超/以上/逾 → at least, 约/近/左右 → about, as the articles write them.
QUALIFIER_ALIASES = {word: str(q) for word, q in QUALIFIER_WORDS.items() if word}


class ProjectImporter(OwnedImporter):
    """The project layout of LAYOUT; owner is the importing organisation."""

    kind = "projects"
    ignored_headers = tuple(name for h in EXPORT_ONLY for name in (h.zh, h.en))

    def load(self) -> None:
        self.regions = RegionLookup()
        parks = list(
            Park.objects.select_related("region").only(
                "id",
                "name",
                "short_name",
                "region__adcode",
                "region__name",
                "region__path",
                "region__full_name",
            )
        )
        self.parks_by_id = {str(park.pk): park for park in parks}
        self.parks_by_name: dict[str, list[Park]] = {}
        for park in parks:
            for name in {cells.fold(park.name), cells.fold(park.short_name or "")} - {""}:
                self.parks_by_name.setdefault(name, []).append(park)
        self.tags: dict[str, str] = {}
        for tag in ProjectTag.objects.all():
            for name in (tag.code, tag.name, tag.name_en):
                if name:
                    self.tags.setdefault(cells.fold(name), tag.code)
        self.investors_by_uscc: dict[str, Enterprise] = {}
        self.investors_by_name: dict[str, list[Enterprise]] = {}

    def columns(self) -> Sequence[Column]:
        parsers: dict[str, Parser] = {
            "name": cells.text(200),
            "code_name": cells.text(64),
            "park": self._parks,
            "region": self.regions.parse,
            "investor": cells.text(128),
            "sector": cells.text(64),
            "industry_code": cells.industry_code,
            "total_investment_qualifier": cells.choice(
                _labels(AmountQualifier.choices), QUALIFIER_ALIASES
            ),
            "phase_investment_qualifier": cells.choice(
                _labels(AmountQualifier.choices), QUALIFIER_ALIASES
            ),
            "capital_origin": cells.choice(_labels(CapitalOrigin.choices), CAPITAL_ALIASES),
            "jobs": cells.integer,
            "maturity": cells.choice(_labels(Maturity.choices), MATURITY_ALIASES),
            "tags": self._tags,
            "lead_source": cells.choice(_labels(LeadSource.choices), LEAD_SOURCE_ALIASES),
            "lead_source_detail": cells.text(255),
            "stage": cells.choice(STAGE_CHOICES, STAGE_ALIASES),
            "stage_date": cells.day,
            "responsible_leader": cells.text(64),
            "task_force": cells.text(255),
            "mechanism": cells.text(),
            "description": cells.text(),
        }
        defaults: dict[str, Any] = {key: "" for key in parsers}
        defaults.update(
            park=None,
            region=None,
            investor="",
            jobs=None,
            tags=(),
            stage=Stage.LEAD.value,
            stage_date=None,
            total_investment_qualifier=AmountQualifier.EXACT.value,
            phase_investment_qualifier=AmountQualifier.EXACT.value,
        )
        columns = []
        for heading in LAYOUT:
            is_amount = heading.key in AMOUNT_FIELDS
            columns.append(
                Column(
                    heading.key,
                    heading.zh,
                    heading.en,
                    cells.amount("万元") if is_amount else parsers[heading.key],
                    required=heading.key == "name",
                    aliases=ALIASES.get(heading.key, ()),
                    default=None if is_amount else defaults[heading.key],
                    unit_parser=cells.amount if is_amount else None,
                )
            )
        return columns

    def _parks(self, value: Any) -> list[Park]:
        """Candidate parks for a name, short name or id; one is chosen in `check`."""
        key = cells.fold(cells.cell_text(value))
        found = [self.parks_by_id[key]] if key in self.parks_by_id else self.parks_by_name.get(key)
        if not found:
            raise cells.CellError(
                "园区不存在:请填写已登记园区的名称、简称或编号",
                "no such park: give the name, short name or id of a registered park",
            )
        return found

    def _tags(self, value: Any) -> list[str]:
        items = cells.split_list(value)
        unknown = [item for item in items if cells.fold(item) not in self.tags]
        if unknown:
            known = "、".join(sorted({code for code in self.tags.values()}))
            raise cells.CellError(
                f"未知的标签“{'、'.join(unknown)}”;可用标签代码:{known}",
                f"unknown tag(s) {', '.join(unknown)}; known codes: {known}",
            )
        return list(dict.fromkeys(self.tags[cells.fold(item)] for item in items))

    def prepare(self, rows: list[Row]) -> None:
        texts = {row.values["investor"] for row in rows if row.values.get("investor")}
        codes = sorted({uscc_rules.normalise(t) for t in texts if uscc_rules.is_valid(t)})
        names = sorted({normalise_name(t) for t in texts})
        for start in range(0, len(codes), _BATCH):
            for e in Enterprise.objects.filter(uscc__in=codes[start : start + _BATCH]):
                self.investors_by_uscc[e.uscc or ""] = e
        for start in range(0, len(names), _BATCH):
            chunk = Enterprise.objects.filter(normalized_name__in=names[start : start + _BATCH])
            for e in chunk.select_related("region"):
                self.investors_by_name.setdefault(e.normalized_name, []).append(e)

    def _choose_park(self, row: Row) -> list[Problem]:
        candidates: list[Park] = row.values.get("park") or []
        if len(candidates) <= 1:
            row.values["park"] = candidates[0] if candidates else None
            return []
        region = row.values.get("region")
        if region is not None:
            inside = [p for p in candidates if region.contains(p.region)]
            if len(inside) == 1:
                row.values["park"] = inside[0]
                return []
        ids = "、".join(str(p.pk) for p in candidates)
        return [
            self.problem(
                row,
                "park",
                f"有{len(candidates)}个同名园区(编号 {ids}),请填写园区编号或落地行政区",
                f"{len(candidates)} parks have this name (ids {ids}); give the id or the region",
            )
        ]

    def _choose_investor(self, row: Row) -> list[Problem]:
        text = row.values.get("investor")
        if not text:
            row.values["investor"] = None
            return []
        code = uscc_rules.normalise(text)
        found = (
            [self.investors_by_uscc[code]]
            if code in self.investors_by_uscc
            else self.investors_by_name.get(normalise_name(text), [])
        )
        if len(found) == 1:
            row.values["investor"] = found[0]
            return []
        row.values["investor"] = None
        if not found:
            return [
                self.problem(
                    row,
                    "investor",
                    "投资企业不存在:请先导入该企业,或留空",
                    "no such enterprise: import it first or leave the cell blank",
                )
            ]
        places = "、".join(e.region.name for e in found)
        return [
            self.problem(
                row,
                "investor",
                f"有{len(found)}家同名企业({places}),请改填统一社会信用代码",
                f"{len(found)} enterprises have this name; give the USCC",
            )
        ]

    def check(self, row: Row) -> list[Problem]:
        problems = self._choose_park(row) + self._choose_investor(row)
        values = row.values
        park = values.get("park")
        if values.get("region") is None and "region" not in row.failed:
            if park is not None:
                values["region"] = park.region
            elif "park" not in row.failed:
                problems.append(
                    self.problem(
                        row, "region", "请填写落地行政区或落地园区", "give the region or a park"
                    )
                )
        if values["stage"] in NOT_AT_ENTRY:
            problems.append(
                self.problem(
                    row,
                    "stage",
                    "新项目不能以停滞或终止阶段入库",
                    "a new project cannot enter as stalled or terminated",
                )
            )
        when = values.get("stage_date") or today()
        values["stage_date"] = when
        with translation.override("zh-hans"):
            date_zh = date_problem("stage_date", DateKind.EVENT, when)
        if date_zh:
            with translation.override("en"):
                date_en = date_problem("stage_date", DateKind.EVENT, when) or date_zh
            problems.append(self.problem(row, "stage_date", date_zh, date_en))
        amounts = {key: values.get(key) for key in AMOUNT_FIELDS if key not in row.failed}
        with translation.override("zh-hans"):  # reasons are keyed by their Chinese text
            amount_problems = check_amounts(amounts)
        for key, reason in amount_problems.items():
            problems.append(self.problem(row, key, reason, AMOUNT_PROBLEMS_EN.get(reason, reason)))
        return problems

    def save(self, row: Row) -> Any:
        values = dict(row.values)
        stage, when, tags = values.pop("stage"), values.pop("stage_date"), values.pop("tags")
        return create_project(
            self.user,
            owner_id=self.owner.pk,
            stage=stage,
            stage_date=when,
            tags=tags,
            note="导入",
            **values,
        )


def validate_projects(
    user: User,
    source: Source,
    owner: Organization | None = None,
    fmt: str | None = None,
    name: str | None = None,
    limits: Limits | None = None,
) -> ImportReport:
    """Check a file of projects; writes nothing."""
    importer = ProjectImporter(user, owner or resolve_owner(user))
    return imports.validate(importer, source, fmt, name, limits)


def import_projects(
    user: User,
    source: Source,
    owner: Organization | None = None,
    fmt: str | None = None,
    dry_run: bool = False,
    name: str | None = None,
    limits: Limits | None = None,
) -> ImportReport:
    """Create every project in the file, or none when any row has a problem."""
    importer = ProjectImporter(user, owner or resolve_owner(user))
    return imports.run(importer, source, fmt, dry_run, name, limits)
