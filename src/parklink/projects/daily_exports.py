"""The problem list as an Excel workbook (问题清单), every cell through core.xlsx."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone, translation

from parklink.core import xlsx
from parklink.projects.models import Problem, ProblemCategory, ProblemStatus
from parklink.projects.problem_lifecycle import is_overdue

SHEET_TITLE = "问题清单"
HEADINGS: tuple[tuple[str, int], ...] = (
    ("编号", 8),
    ("项目", 28),
    ("问题类别", 10),
    ("问题描述", 48),
    ("责任部门", 18),
    ("责任人", 12),
    ("协调领导", 12),
    ("提出日期", 12),
    ("办结时限", 12),
    ("状态", 10),
    ("是否逾期", 10),
    ("逾期天数", 10),
    ("解决日期", 12),
    ("解决情况", 40),
    ("示例数据", 10),
)


def _day(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def problem_values(problem: Problem, on: date) -> list[object]:
    with translation.override("zh-hans"):
        category = str(dict(ProblemCategory.choices).get(problem.category, problem.category))
        status = str(dict(ProblemStatus.choices).get(problem.status, problem.status))
    late = is_overdue(problem.status, problem.deadline, on)
    return [
        problem.pk,
        problem.project.name,
        category,
        problem.description,
        problem.department,
        str(problem.owner) if problem.owner else "",
        problem.leader_name or (str(problem.leader) if problem.leader else ""),
        _day(problem.raised_on),
        _day(problem.deadline),
        status,
        "是" if late else "否",
        (on - problem.deadline).days if late and problem.deadline else "",
        _day(problem.solved_on),
        problem.resolution,
        "是" if problem.illustrative else "",
    ]


def export_problems(problems: QuerySet[Problem] | Iterable[Problem], on: date) -> bytes:
    """The given (already scoped and filtered) problems as an .xlsx."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    for index, (_title, width) in enumerate(HEADINGS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title, _width in HEADINGS:
        cell = xlsx.cell(sheet, title)
        cell.font = bold
        header.append(cell)
    xlsx.append(sheet, header)
    rows = problems.iterator(chunk_size=500) if isinstance(problems, QuerySet) else problems
    count = 0
    for problem in rows:
        xlsx.append(sheet, problem_values(problem, on))
        count += 1
    notes = book.create_sheet("说明")
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 50
    xlsx.append(notes, ["导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    xlsx.append(notes, ["统计日期", _day(on)])
    xlsx.append(notes, ["问题数", count])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
