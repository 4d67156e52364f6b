"""Export the projects a user may see, filtered like the list, as an .xlsx that re-imports."""

from __future__ import annotations

import io
from argparse import ArgumentParser
from collections.abc import Mapping
from dataclasses import fields
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation

from parklink.accounts.models import User
from parklink.core import xlsx
from parklink.core.cells import CellError, choice
from parklink.core.errors import Invalid
from parklink.core.money import in_unit
from parklink.projects.amounts import format_qualified, sum_qualified
from parklink.projects.imports import (
    AMOUNT_FIELDS,
    EXPORT_ONLY,
    LAYOUT,
    STAGE_ALIASES,
    STAGE_CHOICES,
)
from parklink.projects.lifecycle import LABELS_ZH, Stage
from parklink.projects.models import Project
from parklink.projects.queries import (
    ProjectFilters,
    apply_filters,
    visible_projects,
    with_relations,
)

SHEET_TITLE = "项目"
NOTES_TITLE = "说明"
WIDTHS = {
    "name": 32,
    "park": 24,
    "region": 24,
    "investor": 28,
    "tags": 20,
    "mechanism": 30,
    "description": 40,
    "task_force": 20,
    "lead_source": 16,
    "owner": 20,
}
FILTER_LABELS = {
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
    "sort": "排序",
}


def _wan(yuan: Decimal | None) -> Decimal | None:
    """元 → 万元 as a number for the cell (Decimal keeps the fen exact)."""
    value = in_unit(yuan, "万元")
    return value.normalize() if value is not None else None


def row_values(project: Project) -> list[Any]:
    """The cells of one project, in LAYOUT order then the export-only columns."""
    with translation.override("zh-hans"):
        cells: dict[str, Any] = {
            "name": project.name,
            "code_name": project.code_name,
            "park": project.park.name if project.park else "",
            "region": project.region.full_name,
            "investor": project.investor.name if project.investor else "",
            "sector": project.sector,
            "industry_code": project.industry_code,
            "total_investment_qualifier": project.get_total_investment_qualifier_display(),
            "phase_investment_qualifier": project.get_phase_investment_qualifier_display(),
            "capital_origin": project.get_capital_origin_display()
            if project.capital_origin
            else "",
            "jobs": project.jobs,
            "maturity": project.maturity,
            "tags": "、".join(tag.name for tag in project.tags.all()),
            "lead_source": project.get_lead_source_display() if project.lead_source else "",
            "lead_source_detail": project.lead_source_detail,
            "stage": LABELS_ZH[Stage(project.stage)],
            "stage_date": project.stage_since,
            "responsible_leader": project.responsible_leader,
            "task_force": project.task_force,
            "mechanism": project.mechanism,
            "description": project.description,
            "id": project.pk,
            "owner": project.owner.name,
            "last_progress_on": project.last_progress_on,
        }
    for key in AMOUNT_FIELDS:
        cells[key] = _wan(getattr(project, key))
    return [cells[heading.key] for heading in (*LAYOUT, *EXPORT_ONLY)]


def _stage_label(stage: str) -> str:
    try:
        return LABELS_ZH[Stage(stage)]
    except ValueError:
        return stage


def _describe(filters: ProjectFilters) -> list[tuple[str, str]]:
    described = []
    for item in fields(filters):
        value = getattr(filters, item.name)
        if item.name == "sort" or value in (None, "", []):
            continue
        if item.name == "stage":
            value = "、".join(_stage_label(stage) for stage in value)
        described.append((FILTER_LABELS.get(item.name, item.name), str(value)))
    return described


def export_projects(user: User, filters: ProjectFilters) -> bytes:
    """An .xlsx of exactly the projects the list shows `user` under `filters`.

    Every cell goes through `core.xlsx`, so text a user entered is never a live formula.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    qs = apply_filters(visible_projects(user), filters)
    projects = with_relations(qs)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    headings = (*LAYOUT, *EXPORT_ONLY)
    for index, heading in enumerate(headings, start=1):
        width = WIDTHS.get(heading.key, max(12, len(heading.zh) * 2 + 2))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    header = []
    for heading in headings:
        cell = xlsx.cell(sheet, heading.zh)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        header.append(cell)
    xlsx.append(sheet, header)
    count = 0
    figures: list[tuple[Decimal | None, str]] = []
    for project in projects.iterator(chunk_size=500):
        xlsx.append(sheet, row_values(project))
        figures.append((project.total_investment, project.total_investment_qualifier))
        count += 1
    total, qualifier = sum_qualified(figures)
    notes = book.create_sheet(NOTES_TITLE)
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 60
    exported_at = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    title = xlsx.cell(notes, "项目导出说明")
    title.font = bold
    xlsx.append(notes, [title])
    xlsx.append(notes, ["导出时间", exported_at])
    xlsx.append(notes, ["导出人", str(user)])
    xlsx.append(notes, ["项目数", count])
    # A sum including a lower bound is a lower bound (超), one with an estimate is about (约).
    xlsx.append(notes, ["总投资合计", format_qualified(total, qualifier) if total else "—"])
    described = _describe(filters)
    xlsx.append(notes, ["筛选条件", "无(全部可见项目)" if not described else ""])
    for label, value in described:
        xlsx.append(notes, [label, value])
    xlsx.append(notes, ["金额单位", "万元"])
    xlsx.append(
        notes,
        [
            "说明",
            "本文件可直接用“parklink import projects”重新导入"
            "(停滞、终止的项目不能以该阶段入库,请先删去或改为停滞前的阶段);"
            "编号、所属机构、最近进展日期三列仅供查看,导入时忽略。",
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_arguments(parser: ArgumentParser) -> None:
    """The filters of `parklink export projects`, as on the project list."""
    parser.add_argument(
        "--stage",
        action="append",
        default=[],
        help="stage code or Chinese label; repeat or separate with commas",
    )
    parser.add_argument("--park", type=int, default=None, help="park id (sub-parks included)")
    parser.add_argument("--region", default=None, help="adcode; everything inside it")
    parser.add_argument("--sector", default=None)
    parser.add_argument("--maturity", default=None, choices=("A", "B", "C"))
    parser.add_argument("--tag", default=None, help="tag code")
    parser.add_argument("--q", default=None, help="keyword in name, code name or investor")


def _stages(given: list[str]) -> list[str]:
    parse = choice(STAGE_CHOICES, STAGE_ALIASES)
    stages = []
    for item in (part for text in given for part in text.split(",") if part.strip()):
        try:
            stages.append(str(parse(item.strip())))
        except CellError as exc:
            raise Invalid(f"--stage {item}: {exc.reason_zh}") from exc
    return stages


def filters_from_options(options: Mapping[str, Any]) -> ProjectFilters:
    """The list filters that `export_arguments` parsed."""
    return ProjectFilters(
        stage=_stages(options.get("stage") or []),
        park=options.get("park"),
        region=options.get("region"),
        sector=options.get("sector"),
        maturity=options.get("maturity"),
        tag=options.get("tag"),
        q=options.get("q"),
    )


def export_from_options(user: User, options: Mapping[str, Any]) -> bytes:
    """`TabularKind.exporter`: the export of `user`'s projects under the parsed filters."""
    return export_projects(user, filters_from_options(options))
