"""The `kpi-department-members` import: who is in which department, all or nothing.

Columns: 部门 (a department of the importing organisation, by name: add it on the departments
page first) and 用户名 (a user of that organisation), optional 姓名 (only read back in the
report). Each row puts the user in the department, moving them from another department of
the organisation; members not named keep their department (removing one is on the
department's page). Every row is checked before anything is written, and every bad row is
reported: an unknown department, a user who is not the organisation's (an unknown user and
another organisation's are told apart by no one), a user named twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parklink.accounts.imports import OwnedImporter, importer_factory
from parklink.accounts.models import User
from parklink.core import cells
from parklink.core.imports import Column, Problem, Row
from parklink.kpi.models import Department, DepartmentMember


class MemberImporter(OwnedImporter):
    kind = "kpi-department-members"

    def load(self) -> None:
        self.departments = {d.name: d for d in Department.objects.filter(organization=self.owner)}
        self.users: dict[str, User] = {}

    def columns(self) -> Sequence[Column]:
        return [
            Column("department", "部门", "department", cells.text(100), required=True),
            Column(
                "username",
                "用户名",
                "username",
                cells.text(150),
                required=True,
                aliases=("账号", "登录名"),
            ),
            Column("name", "姓名", "name", cells.text(150)),
        ]

    def prepare(self, rows: list[Row]) -> None:
        names = {(row.values.get("username") or "").strip() for row in rows}
        names.discard("")
        self.users.update(
            (u.username, u)
            for u in User.objects.filter(organization=self.owner, username__in=names)
        )

    def check(self, row: Row) -> list[Problem]:
        problems = []
        department = (row.values.get("department") or "").strip()
        if "department" not in row.failed and department not in self.departments:
            problems.append(
                self.problem(
                    row,
                    "department",
                    "本机构没有这个部门(请先在“部门”页面建立)",
                    "the organisation has no such department (add it on the departments page)",
                )
            )
        username = (row.values.get("username") or "").strip()
        if "username" not in row.failed and username not in self.users:
            problems.append(
                self.problem(
                    row,
                    "username",
                    "用户不存在或不是本机构的用户",
                    "no such user, or not a user of this organisation",
                )
            )
        return problems

    def check_file(self, rows: list[Row]) -> list[Problem]:
        seen: dict[str, int] = {}
        problems = []
        for row in rows:
            username = (row.values.get("username") or "").strip()
            if not username:
                continue
            if username in seen:
                problems.append(
                    self.problem(
                        row,
                        "username",
                        f"与第{seen[username]}行重复(一个用户只能在一个部门)",
                        f"repeats row {seen[username]} (a user is in one department)",
                    )
                )
            seen.setdefault(username, row.number)
        return problems

    def save(self, row: Row) -> Any:
        department = self.departments[row.values["department"].strip()]
        user = self.users[row.values["username"].strip()]
        member, _created = DepartmentMember.objects.update_or_create(
            user=user, defaults={"department": department}
        )
        return member


build_importer = importer_factory(MemberImporter)
