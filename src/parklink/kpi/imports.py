"""The `kpi-targets` import: targets of organisations per period, all or nothing.

Columns: 机构 (an organisation the importing user may set targets for: its own or one below
it), 考核期 (2025, 2025Q1, 2025-03), 目标类型 (the name, 签约金额, or the code,
signed_amount), 目标值 (amounts in 元, or in the header's unit: 目标值(万元); rates as
0.85 or 85%), optional 工作专班 (a task force's target) or 部门 (a department of that
organisation, by name: the department's target), 说明. A row that names a target
already set replaces it. Every row is checked before anything is written.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from parklink.accounts.imports import OwnedImporter, importer_factory
from parklink.core import cells
from parklink.core.errors import ParkLinkError
from parklink.core.imports import Column, Problem, Row
from parklink.kpi.engine import periods
from parklink.kpi.engine.names import BY_NAME, TARGET_KINDS
from parklink.kpi.queries import assessable
from parklink.kpi.services import targets

UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


class Value:
    def __init__(self, number: Decimal, unit: str, percent: bool) -> None:
        self.number = number
        self.unit = unit
        self.percent = percent


def _value_parser(unit: str) -> cells.Parser:
    def parse(value: Any) -> Value:
        if isinstance(value, bool):
            raise cells.CellError("应为数字", "must be a number")
        text = repr(value) if isinstance(value, float) else cells.cell_text(value)
        folded = unicodedata.normalize("NFKC", str(text)).replace(",", "").strip()
        percent = folded.endswith("%")
        try:
            number = Decimal(folded.removesuffix("%"))
        except InvalidOperation as exc:
            raise cells.CellError("应为数字", "must be a number") from exc
        if not number.is_finite() or number < 0:
            raise cells.CellError("应为不小于0的数字", "must be a number of at least 0")
        return Value(number, unit, percent)

    return parse


# Names the schemes' own documents use for the same figures.
ALIASES = {
    "签约个数": "signed_count",
    "签约项目数": "signed_count",
    "到位资金": "funds_total",
    "省外资金": "funds_out_of_province",
    "省外内资": "funds_out_of_province",
    "外资": "funds_foreign",
    "落地率": "landing_rate",
    "开工项目数": "started_count",
    "重点项目": "key_projects",
    "省级重大项目": "provincial_major",
    "引进成功": "introduced",
    "产业契合度": "industrial_share",
}


def _kind_choices() -> list[tuple[str, str]]:
    return [(kind, BY_NAME[kind].zh) for kind in TARGET_KINDS]


class TargetImporter(OwnedImporter):
    kind = "kpi-targets"

    def load(self) -> None:
        from parklink.kpi.models import Department

        self.allowed = {o.name: o for o in assessable(self.user)}
        self.departments = {
            (d.organization_id, d.name): d
            for d in Department.objects.filter(
                organization_id__in=[o.pk for o in self.allowed.values()]
            )
        }

    def columns(self) -> Sequence[Column]:
        return [
            Column("organization", "机构", "organization", cells.text(128), required=True),
            Column("period", "考核期", "period", cells.text(16), required=True),
            Column(
                "kind", "目标类型", "kind", cells.choice(_kind_choices(), ALIASES), required=True
            ),
            Column(
                "value",
                "目标值",
                "value",
                _value_parser("元"),
                required=True,
                unit_parser=_value_parser,
            ),
            Column("task_force", "工作专班", "task force", cells.text(255)),
            Column("department", "部门", "department", cells.text(100), aliases=("处室",)),
            Column("note", "说明", "note", cells.text(255), aliases=("备注",)),
        ]

    def _number(self, row: Row) -> Decimal:
        found: Value = row.values["value"]
        kind = row.values["kind"]
        unit = BY_NAME[kind].unit
        number = found.number
        if found.percent:
            number = number / 100
        if unit == "yuan":
            number = number * UNITS[found.unit]
        return number

    def check(self, row: Row) -> list[Problem]:
        problems = []
        name = row.values.get("organization")
        if "organization" not in row.failed and name not in self.allowed:
            problems.append(
                self.problem(
                    row,
                    "organization",
                    "机构不存在,或不是本机构及其下级机构",
                    "no such organisation, or not this organisation or one below it",
                )
            )
        department = (row.values.get("department") or "").strip()
        if department and name in self.allowed:
            if (self.allowed[name].pk, department) not in self.departments:
                problems.append(
                    self.problem(
                        row,
                        "department",
                        "该机构没有这个部门(请先在“部门”页面建立)",
                        "the organisation has no such department (add it on the departments page)",
                    )
                )
            if (row.values.get("task_force") or "").strip():
                problems.append(
                    self.problem(
                        row,
                        "department",
                        "一行只能填写部门或工作专班之一",
                        "a row names a department or a task force, not both",
                    )
                )
        if "period" not in row.failed:
            try:
                periods.parse(row.values["period"])
            except periods.PeriodError as exc:
                problems.append(self.problem(row, "period", exc.reason_zh, exc.reason_en))
        if not ({"kind", "value"} & set(row.failed)):
            try:
                targets.check_value(row.values["kind"], self._number(row))
            except ParkLinkError as exc:
                problems.append(self.problem(row, "value", exc.message, exc.message))
        return problems

    def check_file(self, rows: list[Row]) -> list[Problem]:
        seen: dict[tuple[Any, ...], int] = {}
        problems = []
        for row in rows:
            key = tuple(
                row.values.get(k)
                for k in ("organization", "period", "kind", "task_force", "department")
            )
            if key in seen:
                problems.append(
                    self.problem(
                        row,
                        "kind",
                        f"与第{seen[key]}行重复(同一机构、考核期和目标类型)",
                        f"repeats row {seen[key]} (same organisation, period and kind)",
                    )
                )
            seen.setdefault(key, row.number)
        return problems

    def save(self, row: Row) -> Any:
        task_force = (row.values.get("task_force") or "").strip()
        org = self.allowed[row.values["organization"]]
        named = (row.values.get("department") or "").strip()
        department = self.departments.get((org.pk, named)) if named else None
        kind = "task_force" if task_force else "organization"
        return targets.set_target(
            self.user,
            org,
            row.values["period"],
            row.values["kind"],
            self._number(row),
            subject_kind="department" if department else kind,
            task_force=task_force,
            department=department,
            note=row.values.get("note") or "",
        )


build_importer = importer_factory(TargetImporter)
