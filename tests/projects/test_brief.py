"""projects.brief: one A4 page per project, its Chinese text and figures read back with pypdf."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from pypdf import PdfReader

from parklink.accounts.models import User
from parklink.core.errors import NotFound
from parklink.parks.models import Park
from parklink.projects import services
from parklink.projects.brief import cut, page_count, project_brief
from tests.projects.test_ledger_world import LedgerWorld, build


@pytest.fixture
def world(users: dict[str, User], park: Park, today: date) -> LedgerWorld:
    return build(users, park, today)


def read(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), "".join(text.split())


class TestContent:
    def test_the_essentials_are_on_one_page(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        _project, pdf = project_brief(users["jinniu"], world.projects["built"].pk)
        pages, text = read(pdf)
        assert pages == 1
        for expected in (
            "项目简报",
            "智能制造产业基地",
            "成都智造装备股份有限公司",
            "金牛高新技术产业园区",
            "在建",
            f"{world.projects['built'].signed_on:%Y-%m-%d}",
            "超12亿元",  # the qualifier travels with the figure
            "3亿元",  # funds in place
            "25.0%",
            "预警:绿",
            "完成1/3",
            "逾期1项",
            "取得施工许可证",
            "环评已批复",
            "主体结构施工",
            "王主任",
            "智能制造项目专班",
            "ZZ-1",
        ):
            assert expected in text, expected

    def test_a_confidential_project_says_so(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        _project, pdf = project_brief(users["jinniu"], world.projects["lead"].pk)
        assert "未签约项目,仅限本机构内部使用" in read(pdf)[1]

    def test_illustrative_figures_are_marked(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        _project, pdf = project_brief(users["qingbaijiang"], world.projects["foreign"].pk)
        text = read(pdf)[1]
        assert "示例数据" in text
        assert "约5亿元" in text

    def test_a_long_name_and_many_milestones_still_fit_one_page(
        self, users: dict[str, User], world: LedgerWorld, today: date
    ) -> None:
        jinniu = users["jinniu"]
        project = services.create_project(
            jinniu,
            name="年产" + "高性能锂离子动力电池及储能系统集成" * 8 + "项目",
            region_id="510106",
            stage="signed",
            stage_date=today - timedelta(days=30),
            mechanism="推进机制" * 120,
        )
        for n in range(40):
            services.add_milestone(jinniu, project, f"第{n + 1}个节点:" + "配套工程" * 8, today)
        _project, pdf = project_brief(jinniu, project.pk)
        pages, text = read(pdf)
        assert pages == 1
        assert page_count(pdf) == 1
        assert "…另有" in text
        assert "项未列出" in text
        assert "完成0/40" in text

    def test_cut_marks_what_it_left_out(self) -> None:
        assert cut("一二三四五", 3) == "一二…"
        assert cut("一二三", 3) == "一二三"


class TestVisibility:
    def test_another_organisation_cannot_read_a_confidential_brief(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        with pytest.raises(NotFound):
            project_brief(users["qingbaijiang"], world.projects["lead"].pk)
        with pytest.raises(NotFound):
            project_brief(users["city"], world.projects["lead"].pk)

    def test_the_page_answers_404_for_a_hidden_project(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        client = Client()
        client.force_login(users["qingbaijiang"])
        response = client.get(f"/projects/{world.projects['lead'].pk}/brief.pdf")
        assert response.status_code == 404

    def test_the_api_answers_404_for_a_hidden_project(
        self, client_for: Callable[[str], Client], world: LedgerWorld
    ) -> None:
        response = client_for("qingbaijiang").get(
            f"/api/v1/projects/{world.projects['lead'].pk}/brief.pdf"
        )
        assert response.status_code == 404


class TestEndpoints:
    def test_the_project_page_links_the_brief_which_is_a_pdf(
        self, users: dict[str, User], world: LedgerWorld
    ) -> None:
        client = Client()
        client.force_login(users["jinniu"])
        pk = world.projects["built"].pk
        page = client.get(f"/projects/{pk}/").content.decode()
        assert f'href="/projects/{pk}/brief.pdf"' in page
        response = client.get(f"/projects/{pk}/brief.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline")
        assert "智能制造产业基地" in read(response.content)[1]

    def test_the_api_returns_the_file(
        self, client_for: Callable[[str], Client], world: LedgerWorld
    ) -> None:
        pk = world.projects["foreign"].pk
        response = client_for("city").get(f"/api/v1/projects/{pk}/brief.pdf")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert "中欧班列冷链物流中心" in read(response.content)[1]
