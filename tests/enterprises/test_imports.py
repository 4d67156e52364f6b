"""enterprises.imports: every row checked, then all enterprises written or none."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parklink.accounts.models import User
from parklink.core.imports import ImportForbidden
from parklink.enterprises.imports import import_enterprises, validate_enterprises
from parklink.enterprises.models import Enterprise
from parklink.enterprises.services import create_enterprise
from parklink.enterprises.uscc import problem as uscc_problem
from parklink.regions.models import Region
from tests.support.import_files import make_uscc, write_csv, wrong_check

HEADER_ZH = [
    "企业名称",
    "统一社会信用代码",
    "注册地",
    "行业代码",
    "简称",
    "链主企业",
    "上市企业",
    "高新技术企业",
    "规上企业",
    "专精特新",
    "注册资本(万元)",
    "简介",
]
HEADER_EN = [
    "name",
    "uscc",
    "region",
    "industry_code",
    "short_name",
    "chain_leader",
    "listed",
    "high_tech",
    "above_scale",
    "specialised_sme",
    "registered_capital",
    "description",
]


def good_rows(count: int = 3) -> list[list[object]]:
    return [
        [
            f"成都测试科技{n}有限公司",
            make_uscc(n),
            "510106",
            "3985",
            f"测试{n}",
            "是",
            "否",
            "Y",
            "N",
            "1",
            "1,200",
            "锂电池材料",
        ]
        for n in range(1, count + 1)
    ]


class TestEnterpriseImport:
    def test_good_file_imports_every_row(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        report = import_enterprises(users["jinniu"], xlsx(HEADER_ZH, good_rows(3)))
        assert (report.ok, report.rows_read, report.created) == (True, 3, 3)
        first = Enterprise.objects.get(uscc=make_uscc(1))
        assert first.owner == users["jinniu"].organization
        assert first.region_id == "510106"
        assert first.industry_code == "3985"
        assert (first.is_chain_leader, first.is_listed, first.is_high_tech) == (True, False, True)
        assert (first.is_above_scale, first.is_specialised_sme) == (False, True)
        assert first.registered_capital == Decimal("12000000.00")

    def test_one_bad_uscc_among_good_rows_writes_nothing(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        rows = good_rows(3)
        bad = wrong_check(make_uscc(2))
        rows[1][1] = bad
        before = Enterprise.objects.count()
        report = import_enterprises(users["jinniu"], xlsx(HEADER_ZH, rows))
        assert Enterprise.objects.count() == before
        assert report.created == 0
        [problem] = report.problems
        found = uscc_problem(bad)
        assert found is not None
        assert (problem.row, problem.column, problem.value) == (3, "统一社会信用代码", bad)
        assert problem.reason_zh == found.message_zh
        assert problem.reason_zh.startswith("校验码错误:第18位应为“")

    def test_every_problem_in_the_file_is_reported_at_once(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        rows = good_rows(4)
        rows[0][0] = ""
        rows[1][2] = "火星"
        rows[2][3] = "9901"
        rows[3][5] = "也许"
        rows[3][10] = "很多"
        report = import_enterprises(users["jinniu"], xlsx(HEADER_ZH, rows))
        assert [(p.row, p.column) for p in report.problems] == [
            (2, "企业名称"),
            (3, "注册地"),
            (4, "行业代码"),
            (5, "链主企业"),
            (5, "注册资本(万元)"),
        ]
        assert not Enterprise.objects.exists()

    def test_english_headers_import(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        report = import_enterprises(users["jinniu"], xlsx(HEADER_EN, good_rows(2)))
        assert report.created == 2

    def test_gb18030_csv_with_place_names_imports(
        self, users: dict[str, User], csv_file: Callable[..., Path]
    ) -> None:
        rows = [
            ["德格县藏药有限公司", "", "甘孜州德格县", "27", "", "", "", "", "", "", "350万元", ""]
        ]
        report = import_enterprises(users["dege"], csv_file(HEADER_ZH, rows, "gb18030"))
        assert report.created == 1
        enterprise = Enterprise.objects.get(name="德格县藏药有限公司")
        assert enterprise.region_id == "513330"
        assert enterprise.registered_capital == Decimal("3500000.00")
        assert enterprise.uscc is None

    def test_amount_in_yi_yuan_text(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        rows = good_rows(1)
        rows[0][10] = "5.6亿元"
        import_enterprises(users["jinniu"], xlsx(HEADER_ZH, rows))
        assert Enterprise.objects.get().registered_capital == Decimal("560000000.00")

    def test_duplicate_inside_the_file_names_both_rows(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        rows = good_rows(3)
        rows[2][1] = rows[0][1]
        report = import_enterprises(users["jinniu"], xlsx(HEADER_ZH, rows))
        [problem] = report.problems
        assert (problem.row, problem.column) == (4, "统一社会信用代码")
        assert problem.reason_zh == "与第2行的统一社会信用代码重复"
        assert not Enterprise.objects.exists()

    def test_same_name_in_same_region_inside_the_file_is_a_duplicate(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        rows = good_rows(2)
        rows[1][0] = str(rows[0][0]).replace("有限公司", "（有限公司）")
        rows[1][1] = ""
        report = import_enterprises(users["jinniu"], xlsx(HEADER_ZH, rows))
        assert [(p.row, p.reason_zh) for p in report.problems] == [
            (3, "与第2行重复:同一注册地的同名企业")
        ]

    def test_duplicate_of_an_existing_enterprise_names_the_record(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        existing = create_enterprise(
            users["qingbaijiang"],
            name="已登记企业有限公司",
            uscc=make_uscc(2),
            region=Region.objects.get(pk="510113"),
        )
        report = import_enterprises(users["jinniu"], xlsx(HEADER_ZH, good_rows(3)))
        [problem] = report.problems
        assert problem.row == 3
        assert problem.reason_zh == (
            f"统一社会信用代码 {make_uscc(2)} 已登记为“已登记企业有限公司”(编号 {existing.pk})"
        )
        assert Enterprise.objects.count() == 1

    def test_missing_required_column_is_reported_once(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        report = import_enterprises(users["jinniu"], xlsx(["企业名称"], [["甲公司"]]))
        assert [(p.row, p.column, p.reason_zh) for p in report.problems] == [
            (1, "注册地/region", "缺少必填列")
        ]

    def test_validate_writes_nothing(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        report = validate_enterprises(users["jinniu"], xlsx(HEADER_ZH, good_rows(2)))
        assert report.ok and report.rows_read == 2 and report.created == 0
        assert report.preview[0]["企业名称"] == "成都测试科技1有限公司"
        assert not Enterprise.objects.exists()

    def test_viewer_cannot_import(self, users: dict[str, User], xlsx: Callable[..., Path]) -> None:
        with pytest.raises(ImportForbidden):
            import_enterprises(users["jinniu_viewer"], xlsx(HEADER_ZH, good_rows(1)))
        assert not Enterprise.objects.exists()

    def test_validation_queries_do_not_grow_with_rows(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        small, large = xlsx(HEADER_ZH, good_rows(5), "s.xlsx"), xlsx(HEADER_ZH, good_rows(200))
        with CaptureQueriesContext(connection) as few:
            validate_enterprises(users["jinniu"], small)
        with CaptureQueriesContext(connection) as many:
            validate_enterprises(users["jinniu"], large)
        assert len(many) == len(few)


class TestNulInAFile:
    def test_a_nul_in_a_csv_is_reported_with_its_cell_and_nothing_is_written(
        self, users: dict[str, User], tmp_path: Path
    ) -> None:
        rows = good_rows(3)
        rows[1][0] = "成都测试\x00科技有限公司"
        report = import_enterprises(users["jinniu"], write_csv(tmp_path / "e.csv", HEADER_ZH, rows))
        assert not report.ok
        assert any("第3行第A列" in p.reason_zh for p in report.problems)
        assert not Enterprise.objects.exists()
