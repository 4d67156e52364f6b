"""The demo's department (示例数据): 成都高新区's 招商一局, so a department page shows figures.

No article names a department of any demo organisation, so this one is invented for the demo
and says so in its note; it adds no fact to the articles' records. Its only member is the
organisation's demo officer (`cdht_committee`), who is the leader of the organisation's demo
projects, so the department's figures are those projects' figures from the pipeline (two of
them signed on 2025-03-21). Its 2025Q1 targets are illustrative like every demo target.
"""

from __future__ import annotations

from decimal import Decimal

from parklink.core import demo
from parklink.core.registry import DemoContext
from parklink.kpi.models import Department, DepartmentMember, SubjectKind, Target
from parklink.kpi.services import departments, targets

OWNER = "cdht_committee"
NAME = "招商一局"
NOTE = "示例数据:来源文章未提及该机构的内设部门,此部门仅用于演示部门目标和实绩。"
PERIOD = "2025Q1"
TARGETS = {"signed_count": Decimal("3"), "signed_amount": Decimal("500000000")}


def load(ctx: DemoContext) -> None:
    owner = demo.require(ctx, "organizations", OWNER)
    member = demo.require(ctx, "officers", OWNER)
    department = Department.objects.filter(organization=owner, name=NAME).first()
    if department is None:
        department = departments.save_department(
            ctx.admin, None, name=NAME, note=NOTE, organization=owner
        )
        ctx.count("kpi departments")
    if not DepartmentMember.objects.filter(user=member).exists():
        departments.set_members(ctx.admin, department, [member, *departments.members(department)])
        ctx.count("kpi department members")
    for kind, value in TARGETS.items():
        if Target.objects.filter(
            department=department, subject_kind=SubjectKind.DEPARTMENT, period=PERIOD, kind=kind
        ).exists():
            continue  # loaded before (or changed by a user since): a second load changes nothing
        targets.set_target(
            ctx.admin,
            owner,
            PERIOD,
            kind,
            value,
            subject_kind=SubjectKind.DEPARTMENT,
            department=department,
            note=NOTE,
            illustrative=True,
        )
        ctx.count("kpi targets")
