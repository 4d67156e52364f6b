"""Project pages: list filters and scoping, detail, stage changes, small htmx writes, forms."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parklink.accounts.models import User
from parklink.projects import services
from parklink.projects.models import Approval, FundsInPlace, Milestone, Project, StageTransition
from tests.projects import projectworld

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def world(users, today):  # type: ignore[no-untyped-def]
    return projectworld.build(users, today)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(response: Any) -> set[str]:
    return {row.project.name for row in response.context["rows"]}


class TestProjectList:
    def test_owner_sees_its_projects_and_disclosed_ones_only(self, users, world):  # type: ignore[no-untyped-def]
        response = client_for(users["jinniu"]).get(reverse("projects:list"))
        assert response.status_code == 200
        assert listed(response) == {"智能制造产业基地", "新材料研发中心", "保密洽谈项目"}

    def test_confidential_project_never_appears_for_another_organisation(self, users, world):  # type: ignore[no-untyped-def]
        for key in ("city", "province", "qingbaijiang", "zhangye"):
            response = client_for(users[key]).get(reverse("projects:list"), {"q": "保密"})
            assert "保密洽谈项目" not in response.content.decode()
            assert response.context["page"].paginator.count == 0

    def test_city_sees_signed_projects_of_both_counties(self, users, world):  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(reverse("projects:list"))
        assert listed(response) == {"智能制造产业基地", "新材料研发中心", "中欧班列物流枢纽"}

    def test_filters_by_park_and_stage(self, users, world):  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(
            reverse("projects:list"),
            {"park": world.parks["jinniu"].pk, "stage": ["signed", "approvals"]},
        )
        assert listed(response) == {"智能制造产业基地"}

    def test_filters_by_several_stages(self, users, world):  # type: ignore[no-untyped-def]
        response = client_for(users["jinniu"]).get(
            reverse("projects:list"), {"stage": ["signed", "started"]}
        )
        assert listed(response) == {"智能制造产业基地", "新材料研发中心"}

    def test_filters_by_region_name_sector_tag_maturity_and_leader(self, users, world):  # type: ignore[no-untyped-def]
        client = client_for(users["city"])
        assert listed(client.get(reverse("projects:list"), {"region": "青白江区"})) == {
            "中欧班列物流枢纽"
        }
        assert listed(client.get(reverse("projects:list"), {"region": "510106"})) == {
            "智能制造产业基地",
            "新材料研发中心",
        }
        assert listed(client.get(reverse("projects:list"), {"sector": "新材料"})) == {
            "新材料研发中心"
        }
        assert listed(client.get(reverse("projects:list"), {"tag": "aid"})) == {"中欧班列物流枢纽"}
        assert listed(client.get(reverse("projects:list"), {"maturity": "A"})) == {
            "智能制造产业基地"
        }
        assert listed(client.get(reverse("projects:list"), {"leader": "王"})) == {
            "智能制造产业基地",
            "新材料研发中心",
        }

    def test_filters_by_ageing_colour(self, users, world):  # type: ignore[no-untyped-def]
        client = client_for(users["jinniu"])
        assert listed(client.get(reverse("projects:list"), {"colour": "green"})) == {
            "智能制造产业基地",
            "保密洽谈项目",
        }
        quiet = listed(client.get(reverse("projects:list"), {"colour": "yellow"})) | listed(
            client.get(reverse("projects:list"), {"colour": "red"})
        )
        assert quiet == {"新材料研发中心"}

    def test_text_search_matches_names_and_investors(self, users, world):  # type: ignore[no-untyped-def]
        client = client_for(users["jinniu"])
        assert listed(client.get(reverse("projects:list"), {"q": "高新发展"})) == {
            "智能制造产业基地"
        }

    @pytest.mark.parametrize("keyword", ["zhineng", "znzz", "gaoxinfazhan", "ZNZZ"])
    def test_keyword_matches_pinyin_and_initials_like_the_search(self, users, world, keyword):  # type: ignore[no-untyped-def]
        client = client_for(users["jinniu"])
        assert listed(client.get(reverse("projects:list"), {"q": keyword})) == {"智能制造产业基地"}

    def test_a_signing_range_ending_before_it_starts_is_an_error_not_an_empty_list(
        self, users, world, today
    ):  # type: ignore[no-untyped-def]
        start, end = today, today - timedelta(days=30)
        response = client_for(users["jinniu"]).get(
            reverse("projects:list"),
            {"signed_from": start.isoformat(), "signed_to": end.isoformat()},
        )
        assert response.status_code == 200
        assert "签约日期范围无效" in response.content.decode()
        assert response.context["form"].errors["signed_to"]
        assert len(listed(response)) == 3  # reported and ignored, like any invalid filter

    def test_unknown_region_is_reported_and_ignored(self, users, world):  # type: ignore[no-untyped-def]
        response = client_for(users["jinniu"]).get(
            reverse("projects:list"), {"region": "不存在的地方"}
        )
        assert response.status_code == 200
        assert "无法识别行政区" in response.content.decode()
        assert len(listed(response)) == 3

    def test_sorts_by_total_investment_both_ways(self, users, world):  # type: ignore[no-untyped-def]
        client = client_for(users["city"])
        down = client.get(reverse("projects:list"), {"sort": "-total_investment"})
        assert down.context["rows"][0].project.name == "智能制造产业基地"
        up = client.get(reverse("projects:list"), {"sort": "total_investment"})
        assert up.context["rows"][0].project.name == "新材料研发中心"
        assert 'data-sort="total_investment"' in up.content.decode()

    def test_paginates_by_25(self, users, world, today):  # type: ignore[no-untyped-def]
        for number in range(30):
            services.create_project(
                users["jinniu"],
                name=f"批量项目{number:02d}",
                region_id="510106",
                stage="lead",
                stage_date=today,
            )
        client = client_for(users["jinniu"])
        first = client.get(reverse("projects:list"))
        assert len(first.context["rows"]) == 25
        assert first.context["page"].paginator.count == 33
        second = client.get(reverse("projects:list"), {"page": 2})
        assert len(second.context["rows"]) == 8
        assert "第 2/2 页" in second.content.decode()

    def test_htmx_request_gets_only_the_results(self, users, world):  # type: ignore[no-untyped-def]
        response = client_for(users["jinniu"]).get(
            reverse("projects:list"), {"stage": "signed"}, headers=HTMX
        )
        body = response.content.decode()
        assert "<html" not in body and 'id="project-table"' in body
        assert listed(response) == {"智能制造产业基地"}

    def test_htmx_history_restore_gets_the_whole_page(self, users, world):  # type: ignore[no-untyped-def]
        response = client_for(users["jinniu"]).get(
            reverse("projects:list"), headers={**HTMX, "HX-History-Restore-Request": "true"}
        )
        assert "<html" in response.content.decode()

    def test_amounts_show_with_units_and_badges(self, users, world):  # type: ignore[no-untyped-def]
        body = client_for(users["jinniu"]).get(reverse("projects:list")).content.decode()
        assert "12亿元" in body
        assert 'data-stage="signed"' in body and 'data-colour="green"' in body

    def test_export_link_carries_the_filters(self, users, world):  # type: ignore[no-untyped-def]
        body = (
            client_for(users["jinniu"])
            .get(reverse("projects:list"), {"stage": "signed"})
            .content.decode()
        )
        assert f'href="{reverse("projects:export")}?stage=signed"' in body

    def test_new_project_button_only_for_writers(self, users, world):  # type: ignore[no-untyped-def]
        create = reverse("projects:create")
        assert create in client_for(users["jinniu"]).get(reverse("projects:list")).content.decode()
        viewer = client_for(users["jinniu_viewer"]).get(reverse("projects:list"))
        assert create not in viewer.content.decode()

    def test_anonymous_user_is_sent_to_login(self, db):  # type: ignore[no-untyped-def]
        response = Client().get(reverse("projects:list"))
        assert response.status_code == 302 and reverse("login") in response.url


class TestProjectExport:
    def test_exports_the_filtered_visible_projects_as_xlsx(self, users, world):  # type: ignore[no-untyped-def]
        from openpyxl import load_workbook

        response = client_for(users["city"]).get(
            reverse("projects:export"), {"park": world.parks["jinniu"].pk}
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert names == {"智能制造产业基地", "新材料研发中心"}


class TestProjectDetail:
    def test_owner_sees_key_figures_with_units(self, users, world):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        response = client_for(users["jinniu"]).get(reverse("projects:detail", args=[project.pk]))
        body = response.content.decode()
        assert response.status_code == 200
        assert "智能制造产业基地" in body and "12亿元" in body and "5亿元" in body
        assert "成都高新发展股份有限公司" in body and "王主任" in body

    def test_other_organisation_gets_404_for_a_confidential_project(self, users, world):  # type: ignore[no-untyped-def]
        secret = world.projects["secret"]
        for key in ("city", "qingbaijiang", "zhangye"):
            response = client_for(users[key]).get(reverse("projects:detail", args=[secret.pk]))
            assert response.status_code == 404

    def test_hidden_and_missing_projects_look_the_same(self, users, world):  # type: ignore[no-untyped-def]
        client = client_for(users["city"])
        hidden = client.get(reverse("projects:detail", args=[world.projects["secret"].pk]))
        missing = client.get(reverse("projects:detail", args=[999_999]))
        assert hidden.status_code == missing.status_code == 404

    def test_city_sees_county_signed_project_read_only(self, users, world):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        response = client_for(users["city"]).get(reverse("projects:detail", args=[project.pk]))
        body = response.content.decode()
        assert response.status_code == 200
        assert "data-next-stage" not in body and "data-read-only" in body
        assert reverse("projects:edit", args=[project.pk]) not in body
        assert reverse("projects:milestone_add", args=[project.pk]) not in body

    def test_owner_sees_only_the_allowed_next_stages(self, users, world):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        body = (
            client_for(users["jinniu"])
            .get(reverse("projects:detail", args=[project.pk]))
            .content.decode()
        )
        offered = {
            code
            for code in (
                "approvals",
                "started",
                "stalled",
                "terminated",
                "negotiating",
                "completed",
                "full_production",
            )
            if f'data-next-stage="{code}"' in body
        }
        assert offered == set(services.allowed_next(project))

    def test_timeline_shows_who_when_and_the_note(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        services.transition(users["jinniu"], project, "approvals", on=today, note="完成供地手续")
        body = (
            client_for(users["jinniu"])
            .get(reverse("projects:detail", args=[project.pk]))
            .content.decode()
        )
        timeline = body[body.index('id="timeline"') :]
        assert "完成供地手续" in timeline and str(users["jinniu"]) in timeline
        assert f"{today.year}年{today.month}月{today.day}日" in timeline

    def test_overdue_milestone_is_highlighted(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        services.add_milestone(users["jinniu"], project, "完成环评", today - timedelta(days=5))
        services.add_milestone(users["jinniu"], project, "主体开工", today + timedelta(days=30))
        body = (
            client_for(users["jinniu"])
            .get(reverse("projects:detail", args=[project.pk]))
            .content.decode()
        )
        assert body.count("data-overdue") == 1
        assert "1个节点逾期" in body

    def test_funds_chart_and_ratio(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        services.add_funds(
            users["jinniu"], project, today - timedelta(days=3), Decimal("300000000")
        )
        response = client_for(users["jinniu"]).get(reverse("projects:detail", args=[project.pk]))
        body = response.content.decode()
        assert 'data-options="chart-funds"' in body and 'id="chart-funds"' in body
        assert "25.0%" in body  # 3亿 of 12亿
        chart = response.context["funds_chart"]
        assert chart["series"][1]["data"] == [3.0]
        assert chart["series"][1]["markLine"]["data"] == [{"yAxis": 12.0}]

    def test_sources_are_listed_with_their_quote(self, users, world):  # type: ignore[no-untyped-def]
        from parklink.core.sources import cite

        project = world.projects["signed"]
        cite(project, [{"file": "000_article.txt", "quote": "首批15个项目现场集中签约"}])
        body = (
            client_for(users["jinniu"])
            .get(reverse("projects:detail", args=[project.pk]))
            .content.decode()
        )
        assert "000_article.txt" in body and "首批15个项目现场集中签约" in body

    def test_a_known_document_is_cited_by_its_title_and_date(self, users, world):  # type: ignore[no-untyped-def]
        from parklink.core.sources import cite

        project = world.projects["signed"]
        cite(project, [{"file": "000_37f854685ce8a0f4.txt", "quote": "首批 15 个项目"}])
        body = (
            client_for(users["jinniu"])
            .get(reverse("projects:detail", args=[project.pk]))
            .content.decode()
        )
        sources = body[body.index('id="sources"') :]
        assert "“高德产业园”揭牌,15 亿产业帮扶项目助力德格发展" in sources
        assert '<time datetime="2025-03-21">2025-03-21</time>' in sources
        assert ">000_37f854685ce8a0f4.txt<" not in sources


class TestStageTransition:
    def test_confirmation_form_offers_date_and_note(self, users, world):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        response = client_for(users["jinniu"]).get(
            reverse("projects:transition_form", args=[project.pk]),
            {"to": "approvals"},
            headers=HTMX,
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert 'name="date"' in body and 'name="note"' in body and 'value="approvals"' in body

    def test_post_moves_the_project_and_records_history(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        response = client_for(users["jinniu"]).post(
            reverse("projects:transition", args=[project.pk]),
            {"to": "approvals", "date": today.isoformat(), "note": "进入审批"},
            headers=HTMX,
        )
        assert response.status_code == 200
        project.refresh_from_db()
        assert project.stage == "approvals"
        record = StageTransition.objects.filter(project=project).latest("id")
        assert (record.from_stage, record.to_stage, record.note, record.actor) == (
            "signed",
            "approvals",
            "进入审批",
            users["jinniu"],
        )
        body = response.content.decode()
        assert 'id="project-status"' in body and 'id="timeline" hx-swap-oob="true"' in body
        assert "进入审批" in body

    def test_plain_post_redirects_to_the_project(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        response = client_for(users["jinniu"]).post(
            reverse("projects:transition", args=[project.pk]),
            {"to": "started", "date": today.isoformat()},
        )
        assert response.status_code == 302
        assert response.url == reverse("projects:detail", args=[project.pk])

    def test_illegal_transition_shows_the_services_reason(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        response = client_for(users["jinniu"]).post(
            reverse("projects:transition", args=[project.pk]),
            {"to": "full_production", "date": today.isoformat()},
            headers=HTMX,
        )
        assert response.status_code == 422
        assert response["HX-Retarget"] == "#transition-dialog"
        assert "不能从“签约”直接变更为“达产”" in response.content.decode()
        project.refresh_from_db()
        assert project.stage == "signed"

    def test_stalling_without_a_reason_is_refused_next_to_the_note(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        response = client_for(users["jinniu"]).post(
            reverse("projects:transition", args=[project.pk]),
            {"to": "stalled", "date": today.isoformat(), "note": ""},
            headers=HTMX,
        )
        assert response.status_code == 422
        assert response.context["form"].errors["note"] == ["停滞或终止项目时必须说明原因"]

    def test_city_cannot_move_a_county_project(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        response = client_for(users["city"]).post(
            reverse("projects:transition", args=[project.pk]),
            {"to": "approvals", "date": today.isoformat()},
        )
        assert response.status_code == 403
        project.refresh_from_db()
        assert project.stage == "signed"

    def test_hidden_project_cannot_be_moved(self, users, world, today):  # type: ignore[no-untyped-def]
        response = client_for(users["qingbaijiang"]).post(
            reverse("projects:transition", args=[world.projects["secret"].pk]),
            {"to": "signed", "date": today.isoformat()},
        )
        assert response.status_code == 404


class TestSmallWrites:
    def test_officer_adds_and_completes_a_milestone(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        client = client_for(users["jinniu"])
        response = client.post(
            reverse("projects:milestone_add", args=[project.pk]),
            {"name": "完成供地", "due_on": today.isoformat()},
            headers=HTMX,
        )
        assert response.status_code == 200 and 'id="milestones"' in response.content.decode()
        milestone = Milestone.objects.get(project=project, name="完成供地")
        response = client.post(
            reverse("projects:milestone_done", args=[project.pk, milestone.pk]), headers=HTMX
        )
        assert response.status_code == 200
        milestone.refresh_from_db()
        assert milestone.done_on == today

    def test_milestone_without_a_name_shows_the_error_next_to_the_field(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        response = client_for(users["jinniu"]).post(
            reverse("projects:milestone_add", args=[project.pk]),
            {"name": "", "due_on": today.isoformat()},
            headers=HTMX,
        )
        assert response.status_code == 422
        assert 'class="pl-field-error"' in response.content.decode()

    def test_officer_records_an_approval(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        response = client_for(users["jinniu"]).post(
            reverse("projects:approval_set", args=[project.pk]),
            {
                "kind": "environmental",
                "status": "approved",
                "submitted_on": (today - timedelta(days=9)).isoformat(),
                "decided_on": today.isoformat(),
                "reference": "金环审〔2025〕12号",
            },
            headers=HTMX,
        )
        assert response.status_code == 200
        approval = Approval.objects.get(project=project, kind="environmental")
        assert approval.status == "approved" and approval.reference == "金环审〔2025〕12号"
        assert "已批复" in response.content.decode()

    def test_approval_decided_before_submission_is_refused(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        response = client_for(users["jinniu"]).post(
            reverse("projects:approval_set", args=[project.pk]),
            {
                "kind": "safety",
                "status": "approved",
                "submitted_on": today.isoformat(),
                "decided_on": (today - timedelta(days=2)).isoformat(),
            },
            headers=HTMX,
        )
        assert response.status_code == 422
        assert response.context["approval_form"].errors["decided_on"] == [
            "批复日期不能早于报审日期"
        ]

    def test_officer_adds_funds_in_wan(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        response = client_for(users["jinniu"]).post(
            reverse("projects:funds_add", args=[project.pk]),
            {"received_on": today.isoformat(), "amount_wan": "2500", "evidence": "银行回单"},
            headers=HTMX,
        )
        assert response.status_code == 200
        assert FundsInPlace.objects.get(project=project).amount == Decimal("25000000")
        body = response.content.decode()
        assert 'id="project-figures" class="pl-grid pl-grid--stats"' in body
        assert "2,500万元" in body

    def test_funds_in_the_future_are_refused_next_to_the_date(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        response = client_for(users["jinniu"]).post(
            reverse("projects:funds_add", args=[project.pk]),
            {"received_on": (today + timedelta(days=1)).isoformat(), "amount_wan": "10"},
            headers=HTMX,
        )
        assert response.status_code == 422
        assert response.context["funds_form"].errors["received_on"] == ["到位日期不能晚于今天"]

    def test_funds_above_the_total_ask_for_a_confirmation_checkbox(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        Project.objects.filter(pk=project.pk).update(total_investment=Decimal("100000"))
        url = reverse("projects:funds_add", args=[project.pk])
        payload = {"received_on": today.isoformat(), "amount_wan": "11"}
        client = client_for(users["jinniu"])
        response = client.post(url, payload, headers=HTMX)
        assert response.status_code == 422
        assert response.context["funds_form"].needs_confirm
        assert 'name="confirm"' in response.content.decode()
        assert not project.funds.exists()
        response = client.post(url, {**payload, "confirm": "on"}, headers=HTMX)
        assert response.status_code == 200
        assert project.funds.count() == 1

    def test_viewer_cannot_add_funds(self, users, world, today):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        response = client_for(users["jinniu_viewer"]).post(
            reverse("projects:funds_add", args=[project.pk]),
            {"received_on": today.isoformat(), "amount_wan": "10"},
        )
        assert response.status_code == 403
        assert not FundsInPlace.objects.exists()


class TestCreateAndEdit:
    def form_data(self, **overrides: Any) -> dict[str, Any]:
        data = {
            "name": "氢能装备制造项目",
            "region_text": "金牛区",
            "stage": "negotiating",
            "stage_date": "",
            "total_investment_wan": "50000",
            "phase_investment_wan": "20000",
            "sector": "氢能",
            "tags": ["key"],
        }
        data.update(overrides)
        return data

    def test_officer_creates_a_project_in_wan(self, users, world, today):  # type: ignore[no-untyped-def]
        response = client_for(users["jinniu"]).post(
            reverse("projects:create"), self.form_data(stage_date=today.isoformat())
        )
        project = Project.objects.get(name="氢能装备制造项目")
        assert response.status_code == 302
        assert response.url == reverse("projects:detail", args=[project.pk])
        assert project.total_investment == Decimal("500000000")
        assert project.phase_investment == Decimal("200000000")
        assert project.region_id == "510106" and project.stage == "negotiating"
        assert project.owner == users["jinniu"].organization
        assert [t.code for t in project.tags.all()] == ["key"]

    def test_phase_above_total_is_shown_next_to_the_phase_field(self, users, world, today):  # type: ignore[no-untyped-def]
        response = client_for(users["jinniu"]).post(
            reverse("projects:create"),
            self.form_data(stage_date=today.isoformat(), phase_investment_wan="60000"),
        )
        assert response.status_code == 422
        assert response.context["form"].errors["phase_investment_wan"] == ["一期投资不能大于总投资"]
        assert not Project.objects.filter(name="氢能装备制造项目").exists()

    def test_unresolved_region_is_a_field_error(self, users, world, today):  # type: ignore[no-untyped-def]
        response = client_for(users["jinniu"]).post(
            reverse("projects:create"),
            self.form_data(stage_date=today.isoformat(), region_text="火星基地"),
        )
        assert response.status_code == 422
        assert "无法识别行政区" in response.context["form"].errors["region_text"][0]

    def test_future_stage_date_from_the_service_lands_on_its_field(self, users, world, today):  # type: ignore[no-untyped-def]
        response = client_for(users["jinniu"]).post(
            reverse("projects:create"),
            self.form_data(stage_date=(today + timedelta(days=3)).isoformat()),
        )
        assert response.status_code == 422
        assert response.context["form"].errors["stage_date"] == ["阶段日期不能晚于今天"]

    def test_viewer_gets_403_on_the_create_page(self, users, world):  # type: ignore[no-untyped-def]
        assert client_for(users["jinniu_viewer"]).get(reverse("projects:create")).status_code == 403

    def test_edit_form_shows_amounts_in_wan(self, users, world):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        response = client_for(users["jinniu"]).get(reverse("projects:edit", args=[project.pk]))
        assert response.status_code == 200
        form = response.context["form"]
        assert form["total_investment_wan"].value() == Decimal("120000")
        assert form["region_text"].value() == "四川省成都市金牛区"
        assert "万元" in response.content.decode()
        # written out, as an officer types it, not as 1.2E+5
        assert 'name="total_investment_wan" value="120000"' in response.content.decode()

    def test_officer_edits_a_project_through_the_service(self, users, world):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        client = client_for(users["jinniu"])
        data = {
            name: value
            for name, value in client.get(reverse("projects:edit", args=[project.pk]))
            .context["form"]
            .initial.items()
            if value is not None and name not in ("tags", "park", "investor", "leader_user")
        }
        data.update(
            name="智能制造产业基地(二期)",
            total_investment_wan="150000",
            park=world.parks["jinniu"].pk,
            investor=world.investor.pk,
            tags=["key", "aid"],
            responsible_leader="李局长",
            task_force="智能制造专班",
            mechanism="周调度",
        )
        response = client.post(reverse("projects:edit", args=[project.pk]), data)
        assert response.status_code == 302
        project.refresh_from_db()
        assert project.name == "智能制造产业基地(二期)"
        assert project.total_investment == Decimal("1500000000")
        assert project.responsible_leader == "李局长" and project.task_force == "智能制造专班"
        assert {t.code for t in project.tags.all()} == {"key", "aid"}
        assert project.stage == "signed"  # stages change only through transitions

    def test_city_gets_403_editing_a_county_project(self, users, world):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        assert (
            client_for(users["city"]).get(reverse("projects:edit", args=[project.pk])).status_code
            == 403
        )

    def test_hidden_project_edit_page_is_404(self, users, world):  # type: ignore[no-untyped-def]
        project = world.projects["secret"]
        assert (
            client_for(users["qingbaijiang"])
            .get(reverse("projects:edit", args=[project.pk]))
            .status_code
            == 404
        )


class TestPagesInEnglish:
    def test_list_and_project_page_render_in_english(self, users, world):  # type: ignore[no-untyped-def]
        client = Client(headers={"Accept-Language": "en"})
        client.force_login(users["jinniu"])
        listing = client.get(reverse("projects:list"))
        page = client.get(reverse("projects:detail", args=[world.projects["signed"].pk]))
        assert listing.status_code == page.status_code == 200
        assert '<html lang="en">' in page.content.decode()
        assert 'data-stage="signed">签约<' not in page.content.decode()

    def test_tags_show_their_english_names(self, users, world):  # type: ignore[no-untyped-def]
        client = Client(headers={"Accept-Language": "en"})
        client.force_login(users["jinniu"])
        project = world.projects["signed"]
        assert project.tags.filter(code="key").exists()
        for url in (
            reverse("projects:list"),
            reverse("projects:detail", args=[project.pk]),
            reverse("projects:edit", args=[project.pk]),
        ):
            body = client.get(url).content.decode()
            assert "Key project" in body and "重点项目" not in body, url

    def test_tags_stay_chinese_in_chinese(self, users, world):  # type: ignore[no-untyped-def]
        project = world.projects["signed"]
        body = client_for(users["jinniu"]).get(reverse("projects:detail", args=[project.pk]))
        assert "重点项目" in body.content.decode()


class TestAdminCreatesForAnOrganisation:
    def test_installation_admin_picks_the_owner(self, users, orgs, today):  # type: ignore[no-untyped-def]
        from django.test import Client

        from parklink.projects.models import Project

        client = Client()
        client.force_login(users["root"])
        page = client.get("/projects/new/")
        assert page.status_code == 200 and 'name="owner"' in page.content.decode()
        response = client.post(
            "/projects/new/",
            {
                "owner": orgs["dege"].pk,
                "name": "马麝养殖项目",
                "stage": "signed",
                "stage_date": today.isoformat(),
                "region_text": "德格县",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        project = Project.objects.get(name="马麝养殖项目")
        assert project.owner == orgs["dege"] and project.region_id == "513330"
