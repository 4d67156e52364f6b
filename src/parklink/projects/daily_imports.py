"""Imports of the daily work: progress entries (TabularKind `progress`) and annual investment
plans (`project-year-plans`); all rows land together or none does (core.imports).

A row names its project by the library's 编号 (id), its name or its code name, among the
projects of the organisation importing: another organisation's projects cannot be written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import translation

from parklink.accounts.imports import OwnedImporter
from parklink.core import cells
from parklink.core.dates import DateKind
from parklink.core.imports import Column, Problem, Row
from parklink.projects.models import Project, ProjectYearPlan
from parklink.projects.services import add_entry, amount_problem, date_problem, set_year_plan
from parklink.projects.services.year_plans import FIRST_YEAR, LAST_YEAR

PROJECT_ALIASES = ("项目", "项目编号", "编号", "代号", "项目代号", "project_id", "project")


class ProjectRowsImporter(OwnedImporter):
    """Rows that belong to a project of the owner: finds it by id, name or code name."""

    def load(self) -> None:
        self.by_id: dict[str, Project] = {}
        self.by_name: dict[str, list[Project]] = {}
        rows = Project.objects.filter(owner=self.owner).only("id", "name", "code_name", "owner")
        for project in rows:
            self.by_id[str(project.pk)] = project
            for name in {cells.fold(project.name), cells.fold(project.code_name)} - {""}:
                self.by_name.setdefault(name, []).append(project)

    def project_column(self) -> Column:
        return Column(
            "project", "项目名称", "project", self._project, required=True, aliases=PROJECT_ALIASES
        )

    def _project(self, value: Any) -> Project:
        key = cells.fold(cells.cell_text(value))
        if key in self.by_id:
            return self.by_id[key]
        found = self.by_name.get(key, [])
        if len(found) == 1:
            return found[0]
        if found:
            ids = "、".join(str(p.pk) for p in found)
            raise cells.CellError(
                f"本机构有{len(found)}个同名项目(编号 {ids}),请改填项目编号",
                f"{len(found)} of your projects have this name (ids {ids}); give the id",
            )
        raise cells.CellError(
            "本机构没有这个项目:请填写项目库中的项目名称、代号或编号",
            "no such project of your organisation: give its name, code name or id",
        )

    def date_check(self, row: Row, key: str, kind: DateKind) -> list[Problem]:
        day = row.values.get(key)
        if day is None or key in row.failed:
            return []
        with translation.override("zh-hans"):
            zh = date_problem(key, kind, day)
        if not zh:
            return []
        with translation.override("en"):
            en = date_problem(key, kind, day) or zh
        return [self.problem(row, key, zh, en)]


class ProgressImporter(ProjectRowsImporter):
    """进展情况: 项目, 进展日期, 进展情况, 下一步工作, 填报人."""

    kind = "progress"

    def columns(self) -> Sequence[Column]:
        return [
            self.project_column(),
            Column(
                "happened_on",
                "进展日期",
                "date",
                cells.day,
                required=True,
                aliases=("日期", "时间", "调度日期"),
            ),
            Column(
                "summary",
                "进展情况",
                "progress",
                cells.text(5000),
                required=True,
                aliases=("进展", "工作进展", "推进情况", "summary"),
            ),
            Column(
                "next_step",
                "下一步工作",
                "next_step",
                cells.text(5000),
                aliases=("下一步", "下步计划", "下一步计划"),
                default="",
            ),
            Column(
                "reporter",
                "填报人",
                "reporter",
                cells.text(64),
                aliases=("跟进人", "报送人"),
                default="",
            ),
        ]

    def check(self, row: Row) -> list[Problem]:
        return self.date_check(row, "happened_on", DateKind.EVENT)

    def save(self, row: Row) -> Any:
        v = row.values
        return add_entry(
            self.user,
            v["project"],
            v["happened_on"],
            v["summary"],
            v["next_step"],
            v["reporter"] or "",
        )


class YearPlanImporter(ProjectRowsImporter):
    """年度计划: 项目, 年度, 年度计划投资(万元), 年度完成投资(万元); a row replaces that year."""

    kind = "project-year-plans"

    def columns(self) -> Sequence[Column]:
        return [
            self.project_column(),
            Column("year", "年度", "year", cells.integer, required=True, aliases=("年份",)),
            Column(
                "planned",
                "年度计划投资(万元)",
                "planned",
                cells.amount("万元"),
                aliases=("计划投资", "年度计划投资", "本年计划投资"),
                unit_parser=cells.amount,
            ),
            Column(
                "completed",
                "年度完成投资(万元)",
                "completed",
                cells.amount("万元"),
                aliases=("完成投资", "年度完成投资", "本年完成投资"),
                unit_parser=cells.amount,
            ),
        ]

    def check(self, row: Row) -> list[Problem]:
        problems: list[Problem] = []
        year = row.values.get("year")
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            problems.append(
                self.problem(
                    row,
                    "year",
                    f"年度必须在{FIRST_YEAR}到{LAST_YEAR}之间",
                    f"the year must lie between {FIRST_YEAR} and {LAST_YEAR}",
                )
            )
        for key in ("planned", "completed"):
            value = row.values.get(key)
            if value is None or key in row.failed:
                continue
            with translation.override("zh-hans"):
                zh = amount_problem(value)
            if zh:
                with translation.override("en"):
                    en = amount_problem(value) or zh
                problems.append(self.problem(row, key, zh, en))
        if (
            row.values.get("planned") is None
            and row.values.get("completed") is None
            and not row.failed
        ):
            problems.append(
                self.problem(
                    row,
                    "planned",
                    "请至少填写年度计划投资或年度完成投资",
                    "give the planned or the completed investment",
                )
            )
        return problems

    def check_file(self, rows: list[Row]) -> list[Problem]:
        seen: dict[tuple[int, int], int] = {}
        problems = []
        for row in rows:
            project, year = row.values.get("project"), row.values.get("year")
            if project is None or year is None:
                continue
            first = seen.setdefault((project.pk, year), row.number)
            if first != row.number:
                problems.append(
                    self.problem(
                        row,
                        "year",
                        f"与第{first}行重复:同一项目同一年度只能有一行",
                        f"repeats row {first}: one row per project and year",
                    )
                )
        return problems

    def save(self, row: Row) -> ProjectYearPlan | None:
        v = row.values
        return set_year_plan(self.user, v["project"], v["year"], v["planned"], v["completed"])
