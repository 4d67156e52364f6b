"""projects.imports: rows checked against parks, enterprises, tags and rules; all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from parklink.accounts.models import User
from parklink.enterprises.models import Enterprise
from parklink.enterprises.services import create_enterprise
from parklink.parks.models import Park
from parklink.projects.imports import import_projects, validate_projects
from parklink.projects.models import Project, StageTransition
from parklink.regions.models import Region
from tests.support.import_files import make_uscc

HEADER = [
    "项目名称",
    "代号",
    "落地园区",
    "落地行政区",
    "投资企业",
    "产业领域",
    "行业代码",
    "总投资(万元)",
    "一期投资(万元)",
    "资金来源",
    "达产年销售收入(万元)",
    "达产年税收(万元)",
    "带动就业",
    "成熟度",
    "标签",
    "线索来源",
    "阶段",
    "阶段日期",
    "责任领导",
    "工作专班",
    "推进机制",
    "简介",
]
COLUMN = {name: index for index, name in enumerate(HEADER)}


def row(name: str, **cells: object) -> list[object]:
    values: list[object] = [""] * len(HEADER)
    values[COLUMN["项目名称"]] = name
    values[COLUMN["落地行政区"]] = "510106"
    for header, value in cells.items():
        values[COLUMN[header]] = value
    return values


@pytest.fixture
def investor(users: dict[str, User]) -> Enterprise:
    return create_enterprise(
        users["jinniu"],
        name="宁德储能科技有限公司",
        uscc=make_uscc(77),
        region=Region.objects.get(pk="510106"),
    )


class TestProjectImport:
    def test_good_file_imports_every_field(
        self,
        users: dict[str, User],
        park: Park,
        investor: object,
        xlsx: Callable[..., Path],
        today: date,
    ) -> None:
        signed_on = today - timedelta(days=10)
        rows = [
            row(
                "储能电池项目",
                代号="X-1",
                落地园区="金牛高新",
                落地行政区="",
                投资企业=make_uscc(77),
                产业领域="新能源",
                行业代码="3841",
                **{
                    "总投资(万元)": "5.6亿元",
                    "一期投资(万元)": 20000,
                    "达产年销售收入(万元)": "12亿元",
                    "达产年税收(万元)": "1,200",
                },
                资金来源="省外",
                带动就业=800,
                成熟度="A类",
                标签="重点项目、aid",
                线索来源="以商招商",
                阶段="签约",
                阶段日期=signed_on.strftime("%Y年%m月%d日"),
                责任领导="张三",
                工作专班="储能专班",
                推进机制="周调度",
                简介="年产10GWh",
            ),
            row("线索项目", 投资企业="宁德储能科技有限公司"),
        ]
        report = import_projects(users["jinniu"], xlsx(HEADER, rows))
        assert report.problems == [] and report.created == 2
        project = Project.objects.get(name="储能电池项目")
        assert project.owner == users["jinniu"].organization
        assert (project.park, project.region_id) == (park, "510106")
        assert project.investor == investor
        assert project.total_investment == Decimal("560000000.00")
        assert project.phase_investment == Decimal("200000000.00")
        assert project.expected_annual_revenue == Decimal("1200000000.00")
        assert project.expected_annual_tax == Decimal("12000000.00")
        assert (project.capital_origin, project.maturity, project.jobs) == (
            "out_of_province",
            "A",
            800,
        )
        assert sorted(project.tags.values_list("code", flat=True)) == ["aid", "key"]
        assert (project.lead_source, project.stage, project.stage_since) == (
            "business_referral",
            "signed",
            signed_on,
        )
        assert project.signed_on == signed_on
        lead = Project.objects.get(name="线索项目")
        assert (lead.stage, lead.stage_since, lead.investor) == ("lead", today, investor)
        assert StageTransition.objects.filter(project=lead).count() == 1

    @pytest.mark.parametrize("source", ["驻点招商", "驻点", "驻点/联络点招商"])
    def test_every_name_of_a_resident_team_is_the_one_liaison_choice(
        self, users: dict[str, User], xlsx: Callable[..., Path], source: str
    ) -> None:
        report = import_projects(users["jinniu"], xlsx(HEADER, [row("驻点项目", 线索来源=source)]))
        assert report.problems == []
        assert Project.objects.get(name="驻点项目").lead_source == "liaison_office"

    def test_stage_codes_and_labels_both_work(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        rows = [
            row("甲", 阶段="negotiating"),
            row("乙", 阶段="在谈"),
            row("丙", 阶段="洽谈"),
            row("丁", 阶段="开工"),
        ]
        import_projects(users["jinniu"], xlsx(HEADER, rows))
        assert dict(Project.objects.values_list("name", "stage")) == {
            "甲": "negotiating",
            "乙": "negotiating",
            "丙": "negotiating",
            "丁": "started",
        }

    def test_new_project_cannot_enter_stalled(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        report = import_projects(users["jinniu"], xlsx(HEADER, [row("甲", 阶段="停滞")]))
        assert [(p.column, p.reason_zh) for p in report.problems] == [
            ("阶段", "新项目不能以停滞或终止阶段入库")
        ]

    def test_unknown_park_is_reported_and_nothing_written(
        self, users: dict[str, User], park: Park, xlsx: Callable[..., Path]
    ) -> None:
        rows = [row("甲", 落地园区="金牛高新"), row("乙", 落地园区="不存在的园区")]
        report = import_projects(users["jinniu"], xlsx(HEADER, rows))
        [problem] = report.problems
        assert (problem.row, problem.column, problem.value) == (3, "落地园区", "不存在的园区")
        assert problem.reason_zh.startswith("园区不存在")
        assert not Project.objects.exists()

    def test_region_is_required_unless_the_park_gives_it(
        self, users: dict[str, User], park: Park, xlsx: Callable[..., Path]
    ) -> None:
        rows = [row("甲", 落地行政区="", 落地园区=park.pk), row("乙", 落地行政区="")]
        report = import_projects(users["jinniu"], xlsx(HEADER, rows))
        assert [(p.row, p.column, p.reason_zh) for p in report.problems] == [
            (3, "落地行政区", "请填写落地行政区或落地园区")
        ]

    def test_future_stage_date_is_refused(
        self, users: dict[str, User], xlsx: Callable[..., Path], today: date
    ) -> None:
        tomorrow = today + timedelta(days=1)
        report = import_projects(users["jinniu"], xlsx(HEADER, [row("甲", 阶段日期=tomorrow)]))
        [problem] = report.problems
        assert (problem.column, problem.value, problem.reason_zh) == (
            "阶段日期",
            tomorrow.isoformat(),
            "阶段日期不能晚于今天",
        )

    def test_stage_date_before_1949_10_01_is_refused(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        report = import_projects(
            users["jinniu"], xlsx(HEADER, [row("甲", 阶段日期=date(1900, 1, 1))])
        )
        [problem] = report.problems
        assert (problem.column, problem.reason_zh) == ("阶段日期", "阶段日期不能早于1949-10-01")

    def test_amount_rules_are_reported_per_field(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        rows = [
            row("甲", **{"总投资(万元)": "1亿元", "一期投资(万元)": "2亿元"}),
            row("乙", **{"达产年税收(万元)": -5}),
        ]
        report = import_projects(users["jinniu"], xlsx(HEADER, rows))
        assert [(p.row, p.column, p.reason_zh) for p in report.problems] == [
            (2, "一期投资(万元)", "一期投资不能大于总投资"),
            (3, "达产年税收(万元)", "金额不能为负数"),
        ]

    def test_amount_too_large_to_store_is_reported_before_anything_is_written(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        # 2×10^15 元: fits the column's 18 digits but would not read back from SQLite
        rows = [row("甲", **{"总投资(万元)": "200000000000"}), row("乙")]
        checked = validate_projects(users["jinniu"], xlsx(HEADER, rows))
        assert [(p.row, p.column, p.reason_zh, p.reason_en) for p in checked.problems] == [
            (2, "总投资(万元)", "金额过大", "the amount is too large"),
        ]
        report = import_projects(users["jinniu"], xlsx(HEADER, rows))
        assert len(report.problems) == 1 and not Project.objects.exists()

    def test_amount_problems_keep_both_languages_when_the_page_is_in_english(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        rows = [row("乙", **{"达产年税收(万元)": -5})]
        with translation.override("en"):
            report = validate_projects(users["jinniu"], xlsx(HEADER, rows))
        assert [(p.reason_zh, p.reason_en) for p in report.problems] == [
            ("金额不能为负数", "an amount cannot be negative")
        ]

    def test_unknown_investor_and_tag_are_reported(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        report = import_projects(
            users["jinniu"],
            xlsx(HEADER, [row("甲", 投资企业="查无此企业", 标签="重点项目,神秘标签")]),
        )
        assert [(p.column, p.reason_zh[:7]) for p in report.problems] == [
            ("投资企业", "投资企业不存在"),
            ("标签", "未知的标签“神"),
        ]

    def test_project_amounts_in_a_header_in_yi_yuan(
        self, users: dict[str, User], csv_file: Callable[..., Path]
    ) -> None:
        path = csv_file(["项目名称", "落地行政区", "总投资(亿元)"], [["甲", "成都市金牛区", "2.5"]])
        assert import_projects(users["jinniu"], path).created == 1
        assert Project.objects.get().total_investment == Decimal("250000000.00")

    def test_validation_queries_do_not_grow_with_rows(
        self, users: dict[str, User], park: Park, investor: object, xlsx: Callable[..., Path]
    ) -> None:
        def rows(count: int) -> list[list[object]]:
            return [
                row(
                    f"项目{n}",
                    落地园区="金牛高新",
                    投资企业="宁德储能科技有限公司",
                    标签="重点项目",
                )
                for n in range(count)
            ]

        small, large = xlsx(HEADER, rows(5), "s.xlsx"), xlsx(HEADER, rows(300))
        with CaptureQueriesContext(connection) as few:
            validate_projects(users["jinniu"], small)
        with CaptureQueriesContext(connection) as many:
            validate_projects(users["jinniu"], large)
        assert len(many) == len(few)
        assert not Project.objects.exists()
