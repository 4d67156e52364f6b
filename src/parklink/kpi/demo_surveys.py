"""The demo's 复工复产 survey: 德阳高新区, April 2020 (seed article 004).

The article states the figures: 350余家重点企业、重点项目复工复产, 复工率达96%, 省市重点在建项目、
规上工业企业复工复产率达100% (截至4月底). It names no list of surveyed firms, so the survey's
recipients are the article's own firms of the park plus numbered placeholders
("示例企业 001" …, no enterprise record), and every answer is illustrative (示例数据); the
counts are chosen so the computed rates reproduce the article's: 365 surveyed, 351 resumed
(96.2%), every 规上 firm and every key project resumed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from parklink.core import demo
from parklink.core.registry import DemoContext
from parklink.kpi.engine import periods
from parklink.kpi.models import HelpRequest, HelpStatus, Survey, SurveyRecipient
from parklink.kpi.services import surveys as service
from parklink.projects.models import Project

TITLE = "德阳高新区重点企业和重点项目复工复产调查(2020年4月)"
SOURCE = (
    "原文(德阳高新区,2020年5月):“截至目前,园区已有350余家重点企业、重点项目复工复产,"
    "复工率达96%,其中省市重点在建项目、规上工业企业复工复产率达100%。”"
    "调查对象名单和各企业答卷为示例数据,按原文比率构造。"
)
OWNER = "deyang_ht_committee"
PARK = "deyang_ht"
REAL = ("dongyu", "hanxing", "crcc_urban")  # the article's firms in the park
KEY_PROJECT = "德阳高新区水系综合整治项目"
TOTAL = 365
ABOVE_SCALE = 120  # all resumed
KEY_PROJECTS = 30  # all resumed
NOT_RESUMED = 14  # among the others: 351 of 365 resumed
PROBLEMS = (
    ("labour", "返岗员工不足,需协调跨区域招工和返岗专车(示例)"),
    ("protective", "口罩、测温枪等防疫物资缺口,需协调调配(示例)"),
    ("funding", "流动资金紧张,希望对接疫情防控专项贷款(示例)"),
    ("logistics", "原材料运输受阻,需办理重点物资运输通行证(示例)"),
    ("supply", "上游配套企业未复工,关键零部件断供(示例)"),
)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def load(ctx: DemoContext) -> None:
    owner = demo.require(ctx, "organizations", OWNER)
    if Survey.objects.filter(owner=owner, title=TITLE).exists():
        return  # loaded before: a second `parklink demo` changes nothing
    officer = ctx.lookup("officers", OWNER) or ctx.admin
    period = periods.parse("2020-04")
    survey = Survey.objects.create(
        owner=owner,
        title=TITLE,
        period=period.label,
        period_start=period.start,
        period_end=period.end,
        closes_on=date(2020, 4, 30),
        questions=service.default_questions("resumption"),
        park=ctx.lookup("parks", PARK),
        created_by=officer,
        illustrative=True,
        source_note=SOURCE,
    )
    key_project = Project.objects.filter(owner=owner, name=KEY_PROJECT).first()
    rows: list[SurveyRecipient] = []
    for key in REAL:
        enterprise = ctx.lookup("enterprises", key)
        if enterprise is None:
            continue
        is_key = key == "crcc_urban" and key_project is not None
        rows.append(
            SurveyRecipient(
                survey=survey,
                enterprise=enterprise,
                project=key_project if is_key else None,
                name=enterprise.name,
                above_scale=enterprise.is_above_scale,
                key_project=is_key,
            )
        )
    above = sum(r.above_scale for r in rows)
    keys = sum(r.key_project for r in rows)
    n = 0
    while len(rows) < TOTAL:
        n += 1
        rows.append(
            SurveyRecipient(
                survey=survey,
                name=f"示例企业 {n:03d}",
                above_scale=above < ABOVE_SCALE,
                key_project=above >= ABOVE_SCALE and keys < KEY_PROJECTS,
            )
        )
        above += rows[-1].above_scale
        keys += rows[-1].key_project
    others_seen = 0
    for i, r in enumerate(rows):
        r.illustrative = True
        placeholder = not (r.above_scale or r.key_project) and r.enterprise_id is None
        if placeholder:
            others_seen += 1
        halted = placeholder and others_seen <= NOT_RESUMED
        if halted:
            r.status = "halted" if others_seen % 3 == 0 else "not_resumed"
            r.capacity = Decimal(0)
        else:
            r.status = "partial" if i % 9 == 4 else "resumed"
            r.capacity = (
                Decimal(55 + (i * 7) % 45) if r.status == "partial" else Decimal(80 + (i * 3) % 21)
            )
        r.usual = 40 + (i * 13) % 260
        r.on_duty = r.usual * int(r.capacity) // 100 if not halted else 0
        r.answers = {
            "status": r.status,
            "capacity": f"{r.capacity:.2f}",
            "workforce": {"on_duty": r.on_duty, "usual": r.usual},
        }
        r.answered_at = _moment(date(2020, 4, 20) + timedelta(days=i % 10))
        r.answered_by = officer
    SurveyRecipient.objects.bulk_create(rows)
    ctx.count("kpi surveys")
    ctx.count("kpi survey recipients", len(rows))
    needy = list(survey.recipients.filter(enterprise=None).order_by("pk")[: len(PROBLEMS)])
    for i, (recipient, (category, text)) in enumerate(zip(needy, PROBLEMS, strict=False)):
        recipient.answers["problems"] = [{"category": category, "text": text}]
        recipient.save(update_fields=["answers"])
        resolved = i < 3
        HelpRequest.objects.create(
            owner=owner,
            survey=survey,
            recipient=recipient,
            category=category,
            text=text,
            assignee=officer,
            due_on=date(2020, 4, 27) + timedelta(days=i),
            status=HelpStatus.RESOLVED if resolved else HelpStatus.IN_PROGRESS,
            resolution="已协调解决(示例)" if resolved else "",
            resolved_on=date(2020, 4, 25) if resolved else None,
            illustrative=True,
        )
        ctx.count("kpi help requests")
