"""Contacts and engagements from spreadsheets: all or nothing, each problem names its row,
column and reason; an exported sheet imports again."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.management import call_command

from parklink.core import imports
from parklink.core.registry import registry
from parklink.engagements.models import Contact, Engagement, FollowUp


def _run(kind: str, user, path):
    importer = registry.tabular[kind].build_importer(user, None)
    return imports.run(importer, path)


def test_contacts_all_or_nothing(world, xlsx) -> None:
    path = xlsx(
        ["企业", "姓名", "职务", "邮箱"],
        [
            [world.firm.name, "钱总", "总经理", "qian@example.org"],
            ["没有这家公司", "赵", "", ""],
            [world.firm.name, "李经理", "", ""],
            [world.firm.name, "冯", "", "feng@"],
        ],
    )
    report = _run("engagement-contacts", world.jinniu_officer, path)
    problems = {(p.row, p.column): p.reason_zh for p in report.problems}
    assert problems[(3, "企业")].startswith("企业库中没有")
    assert problems[(4, "姓名")] == "本机构已有该企业的同名联系人"
    assert problems[(5, "邮箱")] == "邮箱格式不正确"
    assert not Contact.objects.filter(name="钱总").exists()
    good = xlsx(["企业", "姓名", "微信"], [[world.firm.name, "钱总", "qian"]], name="good.xlsx")
    assert _run("engagement-contacts", world.jinniu_officer, good).created == 1
    assert Contact.objects.get(name="钱总").owner == world.jinniu


def test_viewer_cannot_import(world, xlsx) -> None:
    path = xlsx(["企业", "姓名"], [[world.firm.name, "钱总"]])
    import pytest

    from parklink.core.errors import Forbidden

    with pytest.raises(Forbidden):
        _run("engagement-contacts", world.jinniu_viewer, path)


HEADER = [
    "类型",
    "日期",
    "主题",
    "对接企业",
    "联系人",
    "相关项目",
    "参加人员",
    "跟进事项",
    "跟进负责人",
    "跟进期限",
]


def test_engagements_with_follow_ups(world, xlsx) -> None:
    due = (world.today + timedelta(days=3)).isoformat()
    path = xlsx(
        HEADER,
        [
            [
                "安商稳商走访",
                world.today.isoformat(),
                "走访一",
                world.firm.name,
                "李经理",
                "金牛扩产项目",
                "dg_officer",
                "回复用地",
                "dg_officer",
                due,
            ],
            ["电话", world.today.isoformat(), "电话二", world.firm.name, "", "", "", "", "", ""],
        ],
    )
    report = _run("engagements", world.jinniu_officer, path)
    assert report.ok and report.created == 2, report.problems
    first = Engagement.objects.get(title="走访一")
    assert first.kind == "aftercare" and list(first.contacts.all()) == [world.jinniu_contact]
    assert list(first.projects.all()) == [world.jinniu_project]
    assert FollowUp.objects.get().assignee == world.dege_officer


def test_engagement_problems_named(world, xlsx) -> None:
    path = xlsx(
        HEADER,
        [
            ["聚餐", world.today.isoformat(), "一", world.firm.name, "", "", "", "", "", ""],
            ["会谈", world.today.isoformat(), "二", "", "", "", "", "", "", ""],
            [
                "会谈",
                world.today.isoformat(),
                "三",
                world.firm.name,
                "王总",
                "德格牦牛加工项目",
                "nobody",
                "",
                "",
                "",
            ],
            [
                "会谈",
                world.today.isoformat(),
                "四",
                world.firm.name,
                "",
                "",
                "",
                "寄资料",
                "zy_officer",
                world.today.isoformat(),
            ],
            ["会谈", world.today.isoformat(), "五", world.firm.name, "", "", "", "寄资料", "", ""],
        ],
    )
    report = _run("engagements", world.jinniu_officer, path)
    problems = {(p.row, p.column): p.reason_zh for p in report.problems}
    assert problems[(2, "类型")].startswith("应为以下之一")
    assert problems[(3, "对接企业")] == "请至少选择一家对接企业"
    assert problems[(4, "联系人")] == "本机构没有名为“王总”的联系人"
    assert problems[(4, "相关项目")] == "没有可查看的项目名为“德格牦牛加工项目”"
    assert problems[(4, "参加人员")] == "没有用户“nobody”"
    assert problems[(5, "跟进负责人")].startswith("负责人须是本机构")
    assert problems[(6, "跟进负责人")] == "填写跟进事项时,事项、负责人和期限都要填"
    assert not Engagement.objects.exists()


def test_export_imports_again(world, tmp_path) -> None:
    world.engagement(
        title="往返", contacts=[world.jinniu_contact.pk], participants=[world.dege_officer.pk]
    )
    path = tmp_path / "out.xlsx"
    call_command("export", "engagements", str(path), "--as", "jn_officer", stdout=io.StringIO())
    Engagement.objects.all().delete()
    report = _run("engagements", world.jinniu_officer, path)
    assert report.ok and report.created == 1, report.problems
    again = Engagement.objects.get(title="往返")
    assert list(again.contacts.all()) == [world.jinniu_contact]
    assert list(again.participants.all()) == [world.dege_officer]
