"""The engagements demo step: 高德产业园's signing ceremony from the article (seed 000), and
illustrative contacts and aftercare visits (示例数据) that show coordination between agencies.

The ceremony's facts (date, place, what was signed, 15 projects, the six the article names)
are the article's and cite it; everything else is invented, marked `illustrative`, and says
示例数据 wherever it shows. Records are found by their natural keys, so a second run changes
nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from parklink.core import demo
from parklink.core.registry import DemoContext
from parklink.engagements.models import Contact, Engagement, EngagementKind
from parklink.engagements.services import follow_ups, records
from parklink.projects.models import Project

SEED = "000_37f854685ce8a0f4.txt"

CEREMONY: dict[str, Any] = {
    "owner": "dege_gov",
    "kind": EngagementKind.SIGNING,
    "held_on": "2025-03-21",
    "title": "成都高新区—德格县共建产业园区揭牌暨托底性帮扶项目合作协议集中签署活动",
    "place": "成都未来科技城",
    "purpose": ("高德产业园揭牌;签署共建产业园区合作协议;集中签约首批托底性帮扶产业化项目。"),
    "summary": (
        "成都高新区管委会与德格县人民政府签署"
        "《成都高新区管委会 德格县人民政府共建产业园区合作协议》,"
        "共建开放式合作园区高德产业园(“一区四园”),策划“三园联动”模式。"
        "首批15个托底性帮扶产业化项目现场集中签约,一期投资额超10亿元,涵盖科技创新、清洁能源、"
        "文化旅游、有机农牧、中藏药、数字经济等领域;文章点名其中6个项目。"
    ),
    "signed_count": 15,
    "participants": ["dege_gov", "cdht_committee"],
    # the six projects the article names (projects.yaml, owner and name)
    "signed": [
        ("dege_gov", "光伏及配套储能项目"),
        ("dege_gov", "智游德格项目"),
        ("dege_gov", "马麝养殖项目"),
        ("dege_gov", "优势中药材品种收购合作项目"),
        ("dege_gov", "“新能源+熊猫专列×文旅行业大模型及自驾游配套设施”项目"),
        ("cdht_committee", "3D打印设备及其工艺控制数字系统的研发与产业化基地项目"),
    ],
    "sources": [
        {
            "file": SEED,
            "quote": (
                "3 月 21 日成都高新区与德格县在成都未来科技城举"
                "行共建产业园区揭牌暨托底性帮扶项目合作协议集中签署活动"
            ),
        },
        {
            "file": SEED,
            "quote": (
                "首批 15 个托底性帮扶德格县的项目也在现场集"
                "中签约,这些项目一期的投资额超过了 10 亿元"
            ),
        },
        {
            "file": SEED,
            "quote": (
                "这些项目涵盖了科技创新、清洁能源、文化旅游、有机农牧"
                "、中藏药、数字经济等多个领域,一期投资额超 10 亿元"
            ),
        },
    ],
}

NOTE = "示例数据:演示用虚构联系人,并非真实人员。"

CONTACTS: list[dict[str, Any]] = [
    {
        "owner": "dege_gov",
        "enterprise": "zkdq",
        "name": "示例联系人甲",
        "title": "文旅事业部负责人",
    },
    {
        "owner": "dege_gov",
        "enterprise": "fengchun",
        "name": "示例联系人乙",
        "title": "养殖基地经理",
    },
    {
        "owner": "cdht_committee",
        "enterprise": "xinhehua",
        "name": "示例联系人丙",
        "title": "采购总监",
    },
    {
        "owner": "cdht_committee",
        "enterprise": "aotian",
        "name": "示例联系人丁",
        "title": "行政总监",
    },
]

# Two agencies visiting one firm within weeks (the coordination the briefing shows).
VISITS: list[dict[str, Any]] = [
    {
        "owner": "cdht_committee",
        "kind": EngagementKind.AFTERCARE,
        "held_on": "2025-03-12",
        "title": "示例:走访四川新荷花公司(安商稳商)",
        "place": "成都高新区",
        "enterprises": ["xinhehua"],
        "contacts": ["示例联系人丙"],
        "purpose": "示例数据:了解中药材收购合作项目的推进和企业用工、用地需求。",
        "summary": "示例数据:企业表示川贝母收购体系正在搭建,希望在德格县设立收购点。",
        "requests": "示例数据:协调德格县收购点用房;推荐本地农牧合作社。",
        "follow_up": ("示例:对接德格县农发公司商议收购点用房", "cdht_committee", "2025-03-24"),
    },
    {
        "owner": "dege_gov",
        "kind": EngagementKind.VISIT_OUT,
        "held_on": "2025-03-18",
        "title": "示例:赴成都拜访四川新荷花公司",
        "place": "成都",
        "enterprises": ["xinhehua", "dege_nongfa"],
        "contacts": [],
        "purpose": "示例数据:商议优势中药材品种收购合作项目的落地安排。",
        "summary": "示例数据:双方约定签约后一个月内确定收购点选址。",
        "requests": "示例数据:企业希望县里提供收购点选址建议。",
        "follow_up": ("示例:提出收购点选址建议", "dege_gov", "2025-04-18"),
    },
]


def load(ctx: DemoContext) -> None:
    _ceremony(ctx)
    for rec in CONTACTS:
        _contact(ctx, rec)
    for rec in VISITS:
        _visit(ctx, rec)


def _officer(ctx: DemoContext, key: str) -> Any:
    return demo.require(ctx, "officers", key)


def _ceremony(ctx: DemoContext) -> None:
    owner = demo.require(ctx, "organizations", CEREMONY["owner"])
    if Engagement.objects.filter(owner=owner, title=CEREMONY["title"]).exists():
        return
    signed = []
    for owner_key, name in CEREMONY["signed"]:
        found = Project.objects.filter(
            owner=demo.require(ctx, "organizations", owner_key), name=name
        ).first()
        if found is not None:
            signed.append(found)
    investors = [p.investor_id for p in signed if p.investor_id]
    made = records.create_engagement(
        ctx.admin,
        {
            "kind": CEREMONY["kind"],
            "held_on": date.fromisoformat(CEREMONY["held_on"]),
            "title": CEREMONY["title"],
            "place": CEREMONY["place"],
            "purpose": CEREMONY["purpose"],
            "summary": CEREMONY["summary"],
            "enterprises": investors,
            "signed_projects": [p.pk for p in signed],
            "projects": [],
            "signed_count": CEREMONY["signed_count"],
            "participants": [_officer(ctx, key).pk for key in CEREMONY["participants"]],
        },
        owner_id=owner.pk,
    )
    demo.created(ctx, "engagements", made, CEREMONY)


def _contact(ctx: DemoContext, rec: dict[str, Any]) -> None:
    owner = demo.require(ctx, "organizations", rec["owner"])
    enterprise = demo.require(ctx, "enterprises", rec["enterprise"])
    if Contact.objects.filter(owner=owner, enterprise=enterprise, name=rec["name"]).exists():
        return
    Contact.objects.create(
        owner=owner,
        enterprise=enterprise,
        name=rec["name"],
        title=rec["title"],
        notes=NOTE,
        illustrative=True,
    )
    ctx.count("engagement contacts")


def _visit(ctx: DemoContext, rec: dict[str, Any]) -> None:
    owner = demo.require(ctx, "organizations", rec["owner"])
    if Engagement.objects.filter(owner=owner, title=rec["title"]).exists():
        return
    contacts = Contact.objects.filter(owner=owner, name__in=rec["contacts"])
    officer = _officer(ctx, rec["owner"])
    made = records.create_engagement(
        ctx.admin,
        {
            "kind": rec["kind"],
            "held_on": date.fromisoformat(rec["held_on"]),
            "title": rec["title"],
            "place": rec["place"],
            "purpose": rec["purpose"],
            "summary": rec["summary"],
            "requests": rec["requests"],
            "enterprises": [demo.require(ctx, "enterprises", key).pk for key in rec["enterprises"]],
            "contacts": [c.pk for c in contacts],
            "participants": [officer.pk],
            "illustrative": True,
        },
        owner_id=owner.pk,
    )
    task, who, due = rec["follow_up"]
    follow_ups.add_follow_up(
        ctx.admin,
        made,
        {"task": task, "assignee": _officer(ctx, who), "due_on": date.fromisoformat(due)},
    )
    ctx.count("engagements")
    ctx.count("engagement follow-ups")
