"""The projects app's demo step: projects.yaml, replayed through the lifecycle.

Each project is created at its first recorded stage and moved through the rest by
`projects.services`, as a user would; owners, officers, parks and investors come from the
"organizations", "officers", "parks" and "enterprises" namespaces of the earlier steps.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from parklink.core import demo
from parklink.core.money import parse_amount
from parklink.core.registry import DemoContext
from parklink.core.sources import cite
from parklink.projects import services
from parklink.projects.models import Approval, Milestone, Project

NOTE = "据来源文章录入"


def load_projects(ctx: DemoContext) -> None:
    for rec in demo.read("projects"):
        owner = demo.require(ctx, "organizations", rec["owner"])
        if Project.objects.filter(owner=owner, name=rec["name"]).exists():
            continue
        project = _replay(ctx, rec, owner)
        _milestones_and_approvals(project, rec)
        for item in rec.get("funds") or []:
            services.add_funds(
                ctx.admin,
                project,
                date.fromisoformat(str(item["date"])),
                parse_amount(item["amount"], default_unit="元"),
                evidence=item.get("evidence", ""),
            )
        cite(project, demo.sources(rec))
        ctx.count("projects")


def _replay(ctx: DemoContext, rec: dict[str, Any], owner: Any) -> Project:
    """Create the project at its first stage, then move it through the recorded history."""
    steps = [(s["stage"], demo.to_date(s["date"])) for s in rec.get("history") or []]
    steps.append((rec["stage"], demo.to_date(rec["stage_date"])))
    first_stage, first_date = steps[0]
    project = services.create_project(
        ctx.admin,
        owner_id=owner.pk,
        stage=first_stage,
        stage_date=first_date,
        tags=rec.get("tags") or [],
        note=NOTE,
        **_fields(ctx, rec),
    )
    for stage, when in steps[1:]:
        services.transition(ctx.admin, project, stage, on=when, note=NOTE)
        project.refresh_from_db()
    return project


def _fields(ctx: DemoContext, rec: dict[str, Any]) -> dict[str, Any]:
    park = demo.require(ctx, "parks", rec["park"]) if rec.get("park") else None
    if rec.get("region"):
        region = demo.require(ctx, "regions", rec["region"])
    else:
        region = park.region if park else None
    text = {
        "code_name": "code_name",
        "sector": "sector",
        "industry_code": "industry_code",
        "description": "description",
        "capital_origin": "capital_origin",
        "remarks": "note",
        "maturity": "maturity",
        "lead_source": "lead_source",
        "responsible_leader": "leader",
        "task_force": "task_force",
        "mechanism": "mechanism",
    }
    amounts = (
        "total_investment",
        "phase_investment",
        "expected_annual_revenue",
        "expected_annual_tax",
    )
    return {
        "name": rec["name"],
        "park": park,
        "region": region,
        "investor": ctx.lookup("enterprises", rec.get("investor") or ""),
        "jobs": rec.get("jobs"),
        "land_area_mu": demo.to_decimal(rec.get("land_area_mu")),
        "floor_area_m2": demo.to_decimal(rec.get("floor_area_m2")),
        "leader_user": demo.require(ctx, "officers", rec["owner"]),
        **{field: demo.text(rec, name) for field, name in text.items()},
        **{field: demo.to_amount(rec.get(field)) for field in amounts},
        # 超/以上 → at_least, 约/近/左右 → about, as the article words the figure.
        "total_investment_qualifier": rec.get("total_investment_qualifier") or "exact",
        "phase_investment_qualifier": rec.get("phase_investment_qualifier") or "exact",
    }


def _milestones_and_approvals(project: Project, rec: dict[str, Any]) -> None:
    for item in rec.get("milestones") or []:
        Milestone.objects.create(
            project=project,
            name=item["name"],
            due_on=date.fromisoformat(str(item["due_date"])),
            done_on=demo.to_date(item.get("done_date")),
            note=demo.text(item, "note"),
        )
    for item in rec.get("approvals") or []:
        Approval.objects.create(
            project=project,
            kind=item["kind"],
            status=item.get("status", "not_started"),
            due_on=demo.to_date(item.get("due_date")),
            note=demo.text(item, "note"),
        )


# ---------------------------------------------------------------- the daily work (示例数据)

# A few projects of the articles, with an illustrative progress log and problems: the articles
# report signings and starts, not the weekly follow-up, so none of this is quoted from them and
# every record is stored as illustrative (示例数据) and shown so. Dates are counted from the
# project's current stage date (the article's), never beyond the demo's today.
DAILY: tuple[dict[str, Any], ...] = (
    {
        "project": "沃飞长空全球总部基地",
        "progress": (
            (12, "(示例)主体结构施工过半,设备采购招标完成", "协调供电部门确定双回路接入方案"),
            (40, "(示例)专班现场调度,解决塔吊用电临时增容", "月底前完成三层封顶"),
        ),
        "problems": (("power", "(示例)双回路供电接入方案待供电公司批复", "区经信局", 30, "open"),),
    },
    {
        "project": "正威电子项目",
        "progress": ((20, "(示例)厂房钢结构吊装完成", "启动设备基础施工"),),
        "problems": (
            ("staffing", "(示例)一线技术工人招聘缺口约200人", "区人社局", 45, "coordinating"),
        ),
    },
    {
        "project": "冷链物联网设备生产企业入驻项目",
        "progress": ((15, "(示例)环评报告已报送,等待专家评审", "跟进评审会时间"),),
        "problems": (("approvals", "(示例)环评专家评审会排期较晚", "市生态环境局", 20, "solved"),),
    },
    {
        "project": "光伏及配套储能项目",
        "progress": ((30, "(示例)完成项目选址踏勘,对接用地预审", "准备用地预审材料"),),
        "problems": (
            ("land", "(示例)项目用地涉及林地,需办理使用林地审核", "县自然资源局", 60, "escalated"),
        ),
    },
)


def load_daily_work(ctx: DemoContext) -> None:
    """Illustrative progress entries and problems on a handful of the demo projects."""
    from datetime import timedelta

    from parklink.projects.models import ProgressEntry
    from parklink.projects.queries import today

    on = today()
    for rec in DAILY:
        project = Project.objects.filter(name=rec["project"]).order_by("pk").first()
        if (
            project is None
            or ProgressEntry.objects.filter(project=project, illustrative=True).exists()
        ):
            continue
        officer = project.leader_user or ctx.admin
        for days, summary, next_step in rec["progress"]:
            when = min(project.stage_since + timedelta(days=days), on)
            services.add_entry(
                ctx.admin, project, when, summary, next_step, str(officer), illustrative=True
            )
            ctx.count("progress entries")
        for category, text, department, days, status in rec["problems"]:
            raised = min(project.stage_since + timedelta(days=5), on)
            problem = services.raise_problem(
                ctx.admin,
                project,
                category=category,
                description=text,
                department=department,
                owner=project.leader_user,
                deadline=raised + timedelta(days=days),
                raised_on=raised,
                illustrative=True,
            )
            _walk_problem(ctx, problem, status, raised)
            ctx.count("problems")


def _walk_problem(ctx: DemoContext, problem: Any, status: str, raised: date) -> None:
    """Move a demo problem to `status` the way a user would."""
    from datetime import timedelta

    from parklink.projects.queries import today

    if status == "open":
        return
    services.change_status(ctx.admin, problem, "coordinating", "(示例)专班已召开协调会")
    if status == "solved":
        services.change_status(
            ctx.admin,
            problem,
            "solved",
            "(示例)经协调已落实",
            on=min(raised + timedelta(days=10), today()),
        )
    elif status == "escalated":
        services.change_status(ctx.admin, problem, "escalated", "(示例)提请市级领导协调")
