"""projects.ledger: the complete ledger (项目台账) as an officer's Excel, opened with openpyxl."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from parklink.accounts.models import User
from parklink.core.errors import Invalid
from parklink.parks.models import Park
from parklink.projects import ledger, services
from parklink.projects.ledger import DEFAULT_KEYS, LedgerOptions, export_ledger, parse_columns
from parklink.projects.queries import ProjectFilters
from tests.projects.test_ledger_world import LedgerWorld, build

HEADER_ROW = 3


@pytest.fixture
def world(users: dict[str, User], park: Park, today: date) -> LedgerWorld:
    return build(users, park, today)


def table(data: bytes, sheet: str | None = None) -> list[dict[str, Any]]:
    """The rows below the header of a sheet, as header → cell."""
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet] if sheet else book.worksheets[0]
    rows = list(ws.iter_rows(min_row=HEADER_ROW))
    header = [cell.value for cell in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def by_name(data: bytes, sheet: str | None = None) -> dict[str, dict[str, Any]]:
    return {row["项目名称"].value: row for row in table(data, sheet)}


def export(user: User, **options: Any) -> bytes:
    on = options.pop("on", None)
    return export_ledger(user, ProjectFilters(), LedgerOptions(on=on, **options))


class TestCells:
    def test_the_row_of_a_project_under_construction_has_what_the_officer_keeps(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        row = by_name(export(users["jinniu"], on=world.today))["智能制造产业基地"]
        assert row["投资企业"].value == "成都智造装备股份有限公司"
        assert row["落地园区"].value == "金牛高新技术产业园区"
        assert "金牛区" in row["落地行政区"].value
        assert row["阶段"].value == "在建"
        started = world.projects["built"].transitions.get(to_stage="started").effective_on
        assert row["实际开工日期"].value.date() == started
        assert row["实际开工日期"].number_format == "yyyy-mm-dd"
        assert row["签约日期"].value.date() == world.projects["built"].signed_on
        # 12亿 at least, in 万元, a number with a number format; its qualifier beside it.
        assert row["总投资(万元)"].value == 120000
        assert row["总投资(万元)"].data_type == "n"
        assert row["总投资(万元)"].number_format.startswith("#,##0.00")
        assert row["总投资口径"].value == "超"
        assert row["累计到位资金(万元)"].value == 30000
        assert row["资金到位率"].value == pytest.approx(0.25)
        assert row["资金到位率"].number_format == "0.0%"
        assert row["资金来源"].value == "省内"
        assert row["省内资金到位(万元)"].value == 30000
        assert row["省外资金到位(万元)"].value is None
        assert row["外资到位(万元)"].value is None
        assert row["预警颜色"].value == "绿"
        assert row["预警原因"].value
        assert row["里程碑(完成/总数)"].value == "1/3(逾期1项)"
        assert "取得施工许可证" in row["逾期节点"].value
        assert "环评已批复(金环审〔2025〕8号)" in row["审批办理情况"].value
        assert row["审批办理情况"].value.startswith("1/2办结")
        assert row["责任领导"].value == "王主任"
        assert row["工作专班"].value == "智能制造项目专班"
        assert row["推进机制"].value == "每周调度,每月现场督导"
        assert "开工→在建" in row["最新进展"].value
        assert "主体结构施工" in row["最新进展"].value

    def test_a_stalled_project_is_never_green_and_says_where_it_stopped(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        row = by_name(export(users["jinniu"], on=world.today))["停滞的物流园项目"]
        assert row["预警颜色"].value == "停滞"
        assert "停滞" in row["预警原因"].value

    def test_money_is_written_exactly_in_wan_and_in_yuan(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        keys = ("name", "phase_investment")
        wan = export(users["jinniu"], columns=keys, unit="万元")
        yuan = export(users["jinniu"], columns=keys, unit="元")
        # The stored text of the cell, not a float's approximation of it.
        assert "<v>1234.567891</v>" in _sheet_xml(wan)
        assert "<v>12345678.91</v>" in _sheet_xml(yuan)
        assert table(yuan)[0]["一期投资(元)"].value == pytest.approx(12345678.91)

    def test_the_foreign_funds_count_under_foreign_origin(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        row = by_name(export(users["qingbaijiang"], unit="元"))["中欧班列冷链物流中心"]
        assert row["外资到位(元)"].value == 50000000
        assert row["省内资金到位(元)"].value is None
        assert row["总投资口径"].value == "约"


def _sheet_xml(data: bytes, index: int = 1) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(f"xl/worksheets/sheet{index}.xml").decode()


class TestLayout:
    def test_title_note_frozen_header_and_filter(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        data = export(users["jinniu"])
        ws = load_workbook(io.BytesIO(data)).worksheets[0]
        assert ws.title == "项目台账"
        assert ws["A1"].value == "金牛区投资促进局项目台账(项目台账)"
        assert re.search(r"导出时间:\d{4}-\d\d-\d\d \d\d:\d\d", ws["A2"].value)
        assert "金额单位:万元" in ws["A2"].value
        assert ws.freeze_panes == "B4"  # the header and the project's name stay in view
        assert ws.auto_filter.ref == f"A3:{ws.cell(3, len(DEFAULT_KEYS)).column_letter}6"
        assert ws.column_dimensions["A"].width == 32
        assert ws["A3"].font.bold

    def test_the_chosen_columns_in_the_chosen_order(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        data = export(users["jinniu"], columns=("stage", "name", "funds_total"))
        ws = load_workbook(io.BytesIO(data)).worksheets[0]
        assert [c.value for c in ws[HEADER_ROW]] == ["阶段", "项目名称", "累计到位资金(万元)"]

    def test_one_sheet_per_stage_group(self, users: dict[str, User], world: LedgerWorld) -> None:
        data = export(users["jinniu"], by_stage=True)
        book = load_workbook(io.BytesIO(data))
        assert book.sheetnames == [title for title, _stages in ledger.STAGE_GROUPS]
        assert set(by_name(data, "在建")) == {"智能制造产业基地"}
        assert set(by_name(data, "前期(线索在谈)")) == {"保密线索项目"}
        assert set(by_name(data, "停滞终止")) == {"停滞的物流园项目"}
        assert by_name(data, "竣工投产") == {}

    def test_illustrative_figures_are_marked(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        data = export(users["qingbaijiang"], columns=("name", "funds_total", "data_note"))
        ws = load_workbook(io.BytesIO(data)).worksheets[0]
        assert "示例数据" in ws["A2"].value
        assert by_name(data)["中欧班列冷链物流中心"]["数据说明"].value == "示例数据"
        assert (
            "示例数据"
            not in load_workbook(io.BytesIO(export(users["jinniu"]))).worksheets[0]["A2"].value
        )

    def test_text_that_looks_like_a_formula_stays_text(
        self, users: dict[str, User], world: LedgerWorld, today: date
    ) -> None:
        services.create_project(
            users["jinniu"],
            name='=HYPERLINK("http://x.example","点击")',
            region_id="510106",
            sector="+1",
            stage="signed",
            stage_date=today,
        )
        rows = table(export(users["jinniu"], columns=("name", "sector")))
        cell = next(r["项目名称"] for r in rows if r["项目名称"].value.startswith("="))
        assert cell.data_type == "s"
        assert next(r["产业领域"] for r in rows if r["产业领域"].value == "+1").data_type == "s"


class TestColumns:
    def test_unknown_column_is_refused_by_name(self) -> None:
        with pytest.raises(Invalid) as refused:
            parse_columns(["name", "salary"])
        assert "salary" in refused.value.message

    def test_no_column_is_refused(self) -> None:
        with pytest.raises(Invalid, match="至少选择一列"):
            parse_columns(["", " "])

    def test_duplicates_are_dropped_in_order(self) -> None:
        assert parse_columns(["stage", "name", "stage"]) == ("stage", "name")

    def test_unknown_unit_is_refused(self) -> None:
        with pytest.raises(Invalid, match="金额单位"):
            LedgerOptions(unit="亿元")


class TestVisibility:
    def test_another_organisation_never_sees_a_confidential_project(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        names = set(by_name(export(users["qingbaijiang"])))
        assert names == {"中欧班列冷链物流中心"}
        city = set(by_name(export(users["city"])))
        assert "保密线索项目" not in city
        assert {"智能制造产业基地", "中欧班列冷链物流中心"} <= city
        assert "保密线索项目" in set(by_name(export(users["jinniu"])))

    def test_filters_of_the_list_apply(self, users: dict[str, User], world: LedgerWorld) -> None:
        data = export_ledger(users["jinniu"], ProjectFilters(stage=["stalled"]), LedgerOptions())
        assert set(by_name(data)) == {"停滞的物流园项目"}
        assert "阶段=停滞" in load_workbook(io.BytesIO(data)).worksheets[0]["A2"].value

    def test_queries_do_not_grow_with_the_projects(
        self, users: dict[str, User], world: LedgerWorld, today: date
    ) -> None:
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                export(users["jinniu"])
            return len(queries)

        before = count()
        for n in range(5):
            project = services.create_project(
                users["jinniu"],
                name=f"批量项目{n}",
                region_id="510106",
                stage="signed",
                stage_date=today,
            )
            services.add_milestone(users["jinniu"], project, "节点", today)
        assert count() == before


class TestCommand:
    def test_export_project_ledger_writes_the_chosen_file(
        self, users: dict[str, User], world: LedgerWorld, tmp_path: Path
    ) -> None:
        target = tmp_path / "ledger.xlsx"
        call_command(
            "export",
            "project-ledger",
            str(target),
            "--as",
            users["jinniu"].username,
            "--columns",
            "name,stage,total_investment",
            "--unit",
            "元",
            "--by-stage",
            "--stage",
            "under_construction",
        )
        data = target.read_bytes()
        ws = load_workbook(io.BytesIO(data))["在建"]
        assert [c.value for c in ws[HEADER_ROW]] == ["项目名称", "阶段", "总投资(元)"]
        assert ws.cell(4, 3).value == 1200000000
        assert by_name(data, "前期(线索在谈)") == {}


class TestPages:
    def login(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def test_picker_shows_every_column_with_the_standard_ones_checked(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        response = self.login(users["jinniu"]).get("/projects/ledger/?stage=signed")
        assert response.status_code == 200
        body = response.content.decode()
        assert body.count('name="col"') == len(ledger.COLUMNS)
        assert 'value="stage" id="col-stage" checked' in body
        assert 'id="col-remarks" checked' not in body
        assert '<input type="hidden" name="stage" value="signed">' in body

    def test_export_remembers_the_choice_for_that_user_only(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        client = self.login(users["jinniu"])
        chosen = client.get(
            "/projects/ledger/export/",
            {"col": ["name", "stage"], "order-name": "2", "order-stage": "1", "unit": "元"},
        )
        assert chosen.status_code == 200
        assert chosen["Content-Type"].startswith("application/vnd.openxmlformats")
        first = load_workbook(io.BytesIO(chosen.content)).worksheets[0]
        assert [c.value for c in first[HEADER_ROW]] == ["阶段", "项目名称"]
        again = client.get("/projects/ledger/export/")
        headers = [c.value for c in load_workbook(io.BytesIO(again.content)).worksheets[0][3]]
        assert headers == ["阶段", "项目名称"]
        page = client.get("/projects/ledger/").content.decode()
        assert 'value="元" checked' in page
        # Another account in the same browser (the cookie stays) gets the standard ledger.
        client.force_login(users["qingbaijiang"])
        other = client.get("/projects/ledger/export/")
        headers = [c.value for c in load_workbook(io.BytesIO(other.content)).worksheets[0][3]]
        assert len(headers) == len(DEFAULT_KEYS)

    def test_a_forged_cookie_is_ignored(self, users: dict[str, User], world: LedgerWorld) -> None:
        client = self.login(users["jinniu"])
        client.cookies["parklink_ledger"] = '{"columns": ["name"]}'
        response = client.get("/projects/ledger/export/")
        headers = [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][3]]
        assert len(headers) == len(DEFAULT_KEYS)

    def test_an_unknown_column_gets_a_page_that_names_it(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        response = self.login(users["jinniu"]).get("/projects/ledger/export/?col=salary")
        assert response.status_code == 400
        assert "未知的台账列“salary”" in response.content.decode()

    def test_an_impossible_date_range_is_refused(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        response = self.login(users["jinniu"]).get(
            "/projects/ledger/export/?signed_from=2025-05-01&signed_to=2025-01-01"
        )
        assert response.status_code == 400
        assert "起始日期2025-05-01晚于截止日期2025-01-01" in response.content.decode()

    def test_the_list_links_to_the_ledger_with_its_filters(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        body = self.login(users["jinniu"]).get("/projects/?sector=现代物流").content.decode()
        assert "/projects/ledger/export/?sector=" in body
        assert "/projects/ledger/?sector=" in body


class TestApi:
    def test_the_file_holds_what_the_token_user_may_see(
        self, client_for: Callable[[str], Client], world: LedgerWorld
    ) -> None:
        response = client_for("qingbaijiang").get(
            "/api/v1/projects/export/ledger.xlsx", {"columns": "name,funds_foreign", "unit": "元"}
        )
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        rows = by_name(response.content)
        assert set(rows) == {"中欧班列冷链物流中心"}
        assert rows["中欧班列冷链物流中心"]["外资到位(元)"].value == 50000000

    def test_an_unknown_column_is_a_400_naming_it(
        self, client_for: Callable[[str], Client], world: LedgerWorld
    ) -> None:
        response = client_for("jinniu").get(
            "/api/v1/projects/export/ledger.xlsx?columns=name,salary"
        )
        assert response.status_code == 400
        assert "salary" in response.json()["message"]


def test_the_picker_refuses_an_impossible_date_range_with_a_page(
    users: dict[str, User], world: LedgerWorld
) -> None:
    client = Client()
    client.force_login(users["jinniu"])
    response = client.get("/projects/ledger/?signed_from=2025-05-01&signed_to=2025-01-01")
    assert response.status_code == 400
    assert "晚于截止日期" in response.content.decode()
