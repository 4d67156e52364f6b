"""Surveys, liaison offices and findings as data (the API's answers) and as Excel files.

One builder per record gives the rows both outputs use, read through the same scopes as the
pages: a survey with its recipients, answers and rates; offices with their staff, leads,
targets and results (summed amounts with their qualifier, 超/约); findings. Every cell goes
through `core.xlsx`, so text stays text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from parklink.accounts.models import User
from parklink.core import xlsx
from parklink.kpi import shown
from parklink.kpi.engine import periods
from parklink.kpi.engine import surveys as engine
from parklink.kpi.engine.names import BY_NAME
from parklink.kpi.models import Finding, LiaisonOffice, OfficeKind, Survey
from parklink.kpi.services import liaison
from parklink.kpi.services import surveys as survey_service

Sheet = tuple[str, Sequence[str], list[list[Any]]]


def workbook(sheets: Iterable[Sheet]) -> bytes:
    book = Workbook(write_only=True)
    for heading, header, rows in sheets:
        sheet = book.create_sheet(heading[:31])
        xlsx.append(sheet, list(header))
        for row in rows:
            xlsx.append(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(value)
    return value


# --------------------------------------------------------------------------- surveys


def survey_data(survey: Survey) -> dict[str, Any]:
    """A survey with its questions, recipients (answers included) and rates."""
    recipients = survey.recipients.select_related("enterprise").order_by("name", "pk")
    found = survey_service.rates(survey)
    return {
        "id": survey.pk,
        "owner": {"id": survey.owner_id, "name": survey.owner.name},
        "title": survey.title,
        "kind": survey.kind,
        "period": survey.period,
        "closes_on": survey.closes_on,
        "illustrative": survey.illustrative,
        "questions": survey.questions,
        "recipients": [
            {
                "id": r.pk,
                "name": r.name,
                "enterprise": r.enterprise_id,
                "above_scale": r.above_scale,
                "key_project": r.key_project,
                "status": r.status,
                "capacity": _text(r.capacity),
                "on_duty": r.on_duty,
                "usual": r.usual,
                "orders": _text(r.orders),
                "answered_at": r.answered_at,
                "answered_via_link": r.answered_via_link,
                "answers": r.answers,
            }
            for r in recipients
        ],
        "rates": [
            {
                "group": group,
                "rate": key,
                "value": _text(rate.value),
                "numerator": str(rate.numerator),
                "denominator": str(rate.denominator),
            }
            for (group, key), rate in found.items()
        ],
    }


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def survey_xlsx(survey: Survey) -> bytes:
    data = survey_data(survey)
    status_names = {code: zh for code, (zh, _en) in engine.STATUSES.items()}
    info: list[list[Any]] = [
        ["调查名称", survey.title],
        ["发起机构", survey.owner.name],
        ["类型", survey.get_kind_display()],
        ["调查期", survey.period],
        ["填报截止日", survey.closes_on.isoformat()],
        ["调查对象数", len(data["recipients"])],
        ["示例数据", "是" if survey.illustrative else "否"],
    ]
    info += [
        ["问题", f"{q.get('key')}:{q.get('label')}({q.get('type')})"] for q in survey.questions
    ]
    people = [
        [
            r["name"],
            "是" if r["above_scale"] else "",
            "是" if r["key_project"] else "",
            status_names.get(r["status"], "未填报") if r["status"] else "未填报",
            r["capacity"],
            r["on_duty"],
            r["usual"],
            r["orders"],
            r["answered_at"].strftime("%Y-%m-%d %H:%M") if r["answered_at"] else "",
            "企业自填" if r["answered_via_link"] else ("代填" if r["answered_at"] else ""),
        ]
        for r in data["recipients"]
    ]
    answers = [
        [r["name"], key, str(value)]
        for r in data["recipients"]
        for key, value in sorted((r["answers"] or {}).items())
    ]
    found = survey_service.rates(survey)
    rates = [
        [
            engine.GROUPS[group][0],
            engine.RATES[key][0],
            _percent(rate.value),
            str(rate.numerator),
            str(rate.denominator),
        ]
        for (group, key), rate in found.items()
    ]
    return workbook(
        [
            ("调查", ["项目", "内容"], info),
            (
                "调查对象",
                [
                    "企业",
                    "规上",
                    "重点项目",
                    "状态",
                    "产能利用率(%)",
                    "在岗人数",
                    "正常用工人数",
                    "在手订单(元)",
                    "填报时间",
                    "填报方式",
                ],
                people,
            ),
            ("答卷", ["企业", "问题", "回答"], answers),
            ("比率", ["范围", "比率", "数值", "分子", "分母"], rates),
        ]
    )


# --------------------------------------------------------------------------- offices


def offices_data(
    user: User, offices: Sequence[LiaisonOffice], period: periods.Period
) -> list[dict[str, Any]]:
    """Each office with its staff, leads (those the user may see), targets and results."""
    ids = [o.pk for o in offices]
    found = liaison.results(user, ids, period)
    goals = liaison.office_targets(ids, period)
    out = []
    for office in offices:
        result = found[office.pk]
        out.append(
            {
                "id": office.pk,
                "organization": {"id": office.organization_id, "name": office.organization.name},
                "kind": office.kind,
                "name": office.name,
                "region": office.region.name if office.region else None,
                "park": office.park.name if office.park else None,
                "since": office.since,
                "active": office.active,
                "illustrative": office.illustrative,
                "staff": [u.get_full_name() or u.username for u in office.staff.all()],
                "staff_names": [n for n in office.staff_names.split("、") if n.strip()],
                "leads": [
                    {
                        "id": p.pk,
                        "name": p.name,
                        "stage": p.stage,
                        "signed_on": p.signed_on,
                        "total_investment": _text(p.total_investment),
                        "total_investment_qualifier": p.total_investment_qualifier or "exact",
                    }
                    for p in liaison.lead_projects(user, office)[:1000]
                ],
                "period": period.label,
                "leads_brought": result.leads,
                "leads_in_period": result.leads_in_period,
                "results": {k: str(v) for k, v in result.values.items()},
                "qualifiers": dict(result.qualifiers),
                "targets": {k: str(v) for k, v in goals[office.pk].items()},
            }
        )
    return out


def offices_xlsx(user: User, offices: Sequence[LiaisonOffice], period: periods.Period) -> bytes:
    data = offices_data(user, offices, period)
    listing = [
        [
            o["name"],
            str(dict(OfficeKind.choices).get(o["kind"], o["kind"])),
            o["organization"]["name"],
            o["park"] or o["region"] or "—",
            o["since"].isoformat() if o["since"] else "",
            "在运行" if o["active"] else "已撤销",
            "、".join(o["staff"] + o["staff_names"]),
        ]
        for o in data
    ]
    leads = [
        [
            o["name"],
            p["name"],
            p["stage"],
            p["signed_on"].isoformat() if p["signed_on"] else "",
            shown.amount(
                Decimal(p["total_investment"]) if p["total_investment"] else None,
                p["total_investment_qualifier"],
                "zh",
            ),
        ]
        for o in data
        for p in o["leads"]
    ]
    results = []
    for o in data:
        for kind in liaison.RESULT_KINDS:
            actual = Decimal(o["results"][kind])
            goal = o["targets"].get(kind)
            results.append(
                [
                    o["name"],
                    period.label,
                    BY_NAME[kind].zh,
                    shown.figure(kind, goal, None, "zh") if goal is not None else "—",
                    shown.figure(kind, actual, o["qualifiers"], "zh"),
                    f"{actual / Decimal(goal) * 100:.1f}%" if goal and Decimal(goal) else "—",
                ]
            )
    return workbook(
        [
            (
                "驻点招商机构",
                ["名称", "类型", "所属机构", "城市或园区", "设立日期", "状态", "人员"],
                listing,
            ),
            ("带来的项目", ["驻点招商机构", "项目", "阶段", "签约日期", "总投资"], leads),
            ("目标与成绩", ["驻点招商机构", "期间", "指标", "目标", "实绩", "完成率"], results),
        ]
    )


# --------------------------------------------------------------------------- findings


def finding_data(f: Finding) -> dict[str, Any]:
    return {
        "id": f.pk,
        "project": {"id": f.project_id, "name": f.project.name, "owner": f.project.owner_id},
        "kind": f.kind,
        "noted_on": f.noted_on,
        "noted_by": {"id": f.noted_by_id, "name": f.noted_by.name},
        "note": f.note,
        "evidence": f.evidence,
        "recorded_by": f.recorded_by.username if f.recorded_by else None,
        "recorded_at": f.created_at,
    }


def findings_xlsx(rows: Iterable[Finding]) -> bytes:
    return workbook(
        [
            (
                "核查认定",
                ["项目", "类型", "认定日期", "认定机构", "说明", "证据", "录入人", "录入时间"],
                [
                    [
                        f.project.name,
                        f.get_kind_display(),
                        f.noted_on.isoformat(),
                        f.noted_by.name,
                        f.note,
                        f.evidence,
                        f.recorded_by.username if f.recorded_by else "",
                        f"{f.created_at:%Y-%m-%d %H:%M}",
                    ]
                    for f in rows
                ],
            )
        ]
    )
