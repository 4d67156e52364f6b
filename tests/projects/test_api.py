"""Project library API: list filters, sorting, pagination, the full record, create and PATCH."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from parklink.core.models import SourceCitation
from parklink.core.sources import cite
from parklink.projects import services
from parklink.projects.models import ProjectStage


def _names(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


@pytest.fixture
def library(make_project, park, sub_park, enterprise):  # type: ignore[no-untyped-def]
    """金牛's projects: in its parks, in 德格 (co-built), of several ages, sizes and tags."""
    return {
        "solar": make_project(
            "光伏组件项目",
            park=park,
            investor=enterprise,
            sector="新能源",
            total_investment=Decimal("560000000"),
            maturity="A",
            tags=["key"],
            responsible_leader="王副区长",
        ),
        "chips": make_project(
            "芯片封测项目",
            stage="negotiating",
            park=sub_park,
            sector="电子信息",
            total_investment=Decimal("80000000"),
            days_ago=100,
        ),
        "dege": make_project(
            "德格农牧产品加工",
            region="513330",
            stage="started",
            sector="农产品加工",
            total_investment=Decimal("30000000"),
            tags=["aid"],
            days_ago=400,
        ),
        "lead": make_project("新材料线索", stage="lead", sector="新材料", days_ago=70),
    }


class TestProjectList:
    def test_owner_lists_all_its_projects_with_display_amounts(self, client_for, library):  # type: ignore[no-untyped-def]
        body = client_for("jinniu").get("/api/v1/projects/?sort=name").json()
        assert body["count"] == 4
        solar = next(item for item in body["items"] if item["name"] == "光伏组件项目")
        assert solar["total_investment"] == "560000000.00"
        assert solar["total_investment_display"] == "5.6亿元"
        assert solar["stage_label"] == "签约"
        assert solar["colour"] == "green"
        assert solar["tags"] == [{"code": "key", "name": "重点项目"}]
        assert solar["investor"]["name"] == "成都星河光伏科技有限公司"

    def test_chinese_text_is_sent_as_utf8_not_escapes(self, client_for, library):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").get("/api/v1/projects/?tag=key")
        assert "光伏组件项目" in response.content.decode("utf-8")
        assert response["Content-Type"].startswith("application/json")

    def test_labels_follow_the_accept_language_header(self, client_for, library):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").get(
            f"/api/v1/projects/{library['solar'].pk}", headers={"Accept-Language": "en"}
        )
        with translation.override("en"):
            assert response.json()["stage_label"] == str(ProjectStage.SIGNED.label)

    def test_stage_filter_is_repeatable(self, client_for, library):  # type: ignore[no-untyped-def]
        names = _names(
            client_for("jinniu").get("/api/v1/projects/?stage=lead&stage=negotiating&sort=name")
        )
        assert sorted(names) == sorted(["芯片封测项目", "新材料线索"])

    def test_park_filter_includes_sub_parks(self, client_for, library, park, sub_park):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        assert sorted(_names(client.get(f"/api/v1/projects/?park={park.pk}"))) == sorted(
            ["光伏组件项目", "芯片封测项目"]
        )
        assert _names(client.get(f"/api/v1/projects/?park={sub_park.pk}")) == ["芯片封测项目"]

    def test_region_filter_includes_sub_regions(self, client_for, library):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        in_chengdu = _names(client.get("/api/v1/projects/?region=510100"))
        in_sichuan = _names(client.get("/api/v1/projects/?region=510000"))
        in_ganzi = _names(client.get("/api/v1/projects/?region=513300"))
        assert "德格农牧产品加工" not in in_chengdu
        assert len(in_chengdu) == 3
        assert len(in_sichuan) == 4
        assert in_ganzi == ["德格农牧产品加工"]

    def test_text_filter_reads_pinyin_and_initials(self, client_for, library):  # type: ignore[no-untyped-def]
        for keyword in ("guangfu", "gf"):
            response = client_for("jinniu").get(f"/api/v1/projects/?q={keyword}")
            assert _names(response) == ["光伏组件项目"], keyword

    def test_signing_range_is_inclusive_and_a_reversed_one_is_refused(
        self, client_for, library, today
    ):  # type: ignore[no-untyped-def]
        day = library["solar"].signed_on.isoformat()
        found = client_for("jinniu").get(f"/api/v1/projects/?signed_from={day}&signed_to={day}")
        assert "光伏组件项目" in _names(found)
        later = (library["solar"].signed_on + timedelta(days=1)).isoformat()
        response = client_for("jinniu").get(
            f"/api/v1/projects/?signed_from={later}&signed_to={day}"
        )
        assert response.status_code == 400
        assert list(response.json()["detail"]) == ["signed_to"]

    def test_colour_filter(self, client_for, library):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        assert _names(client.get("/api/v1/projects/?colour=red")) == ["芯片封测项目"]
        assert _names(client.get("/api/v1/projects/?colour=yellow")) == ["新材料线索"]
        assert _names(client.get("/api/v1/projects/?colour=removal")) == ["德格农牧产品加工"]
        rows = client.get("/api/v1/projects/?colour=red").json()["items"]
        assert rows[0]["colour"] == "red"

    def test_tag_sector_maturity_leader_and_text_filters(self, client_for, library):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        assert _names(client.get("/api/v1/projects/?tag=aid")) == ["德格农牧产品加工"]
        assert _names(client.get("/api/v1/projects/?sector=电子信息")) == ["芯片封测项目"]
        assert _names(client.get("/api/v1/projects/?maturity=A")) == ["光伏组件项目"]
        assert _names(client.get("/api/v1/projects/?leader=王")) == ["光伏组件项目"]
        assert _names(client.get("/api/v1/projects/?q=星河")) == ["光伏组件项目"]

    def test_sort_by_investment_descending_and_by_name(self, client_for, library):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        by_investment = _names(
            client.get(
                "/api/v1/projects/?sort=-total_investment&stage=signed"
                "&stage=negotiating&stage=started"
            )
        )
        assert by_investment == ["光伏组件项目", "芯片封测项目", "德格农牧产品加工"]
        by_name = _names(client.get("/api/v1/projects/?sort=name"))
        assert by_name == sorted(by_name)

    def test_unknown_sort_field_is_400_listing_the_allowed_ones(self, client_for, library):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").get("/api/v1/projects/?sort=owner__password")
        assert response.status_code == 400
        assert "name" in response.json()["detail"]["allowed"]

    def test_unknown_stage_or_colour_is_422(self, client_for, library):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        assert client.get("/api/v1/projects/?stage=dreaming").status_code == 422
        assert client.get("/api/v1/projects/?colour=purple").status_code == 422

    def test_pagination_gives_the_total_and_the_slice(self, client_for, make_project):  # type: ignore[no-untyped-def]
        for number in range(23):
            make_project(f"批量项目{number:02d}")
        client = client_for("jinniu")
        first = client.get("/api/v1/projects/?sort=name&limit=10").json()
        last = client.get("/api/v1/projects/?sort=name&limit=10&offset=20").json()
        assert first["count"] == last["count"] == 23
        assert len(first["items"]) == 10
        assert [item["name"] for item in last["items"]] == [f"批量项目{n}" for n in (20, 21, 22)]


class TestProjectRead:
    def test_full_record(self, client_for, users, library, today):  # type: ignore[no-untyped-def]
        project = library["solar"]
        services.add_milestone(users["jinniu"], project, "完成环评", today - timedelta(days=3))
        services.add_milestone(users["jinniu"], project, "取得施工许可", today + timedelta(days=30))
        services.set_approval(
            users["jinniu"], project, "environmental", "submitted", submitted_on=today
        )
        services.add_funds(users["jinniu"], project, today, Decimal("12000000"))
        cite(project, [{"file": "金牛区重点项目清单.docx", "quote": "光伏组件项目总投资5.6亿元"}])

        body = client_for("jinniu").get(f"/api/v1/projects/{project.pk}").json()

        assert body["overdue_milestones"] == 1
        assert [m["name"] for m in body["milestones"]] == ["完成环评", "取得施工许可"]
        assert body["approvals"][0]["kind_label"] == "环评"
        assert body["funds_total"] == "12000000.00"
        assert body["funds_total_display"] == "1,200万元"
        assert body["allowed_next"] == ["approvals", "started", "stalled", "terminated"]
        assert body["transitions"][0]["to_stage"] == "signed"
        assert body["transitions"][0]["actor"]["username"] == "jinniu_officer"
        assert body["sources"][0]["quote"] == SourceCitation.objects.get().quote
        assert body["colour"] == "green"

    def test_missing_project_is_404(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").get("/api/v1/projects/31337")
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


class TestProjectCreate:
    def test_create_with_amounts_in_wan(self, client_for, orgs, park, enterprise):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/projects/",
            {
                "name": "储能电池项目",
                "park": park.pk,
                "investor": enterprise.pk,
                "total_investment_wan": 56000,
                "phase_investment": "200000000",
                "stage": "negotiating",
                "tags": ["key", "provincial_major"],
                "maturity": "B",
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["owner"]["id"] == orgs["jinniu"].pk
        assert body["region"]["adcode"] == "510106"  # taken from the park
        assert body["total_investment"] == "560000000.00"
        assert body["total_investment_display"] == "5.6亿元"
        assert body["phase_investment_display"] == "2亿元"
        assert body["stage"] == "negotiating"
        assert {t["code"] for t in body["tags"]} == {"key", "provincial_major"}

    def test_region_may_be_given_as_place_name(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("dege").post(
            "/api/v1/projects/",
            {"name": "牦牛乳制品项目", "region": "甘孜州德格县"},
            content_type="application/json",
        )
        assert response.status_code == 201
        assert response.json()["region"]["adcode"] == "513330"
        assert response.json()["stage"] == "lead"

    def test_phase_above_total_is_400(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/projects/",
            {
                "name": "投资倒挂项目",
                "region": "510106",
                "total_investment_wan": 100,
                "phase_investment_wan": 200,
            },
            content_type="application/json",
        )
        assert response.status_code == 400
        assert "phase_investment" in response.json()["detail"]

    def test_unknown_tag_is_400(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/projects/",
            {"name": "标签错误项目", "region": "510106", "tags": ["nope"]},
            content_type="application/json",
        )
        assert response.status_code == 400

    def test_amount_too_wide_to_store_is_422_and_the_list_still_reads(self, client_for):  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        response = client.post(
            "/api/v1/projects/",
            {"name": "天文数字项目", "region": "510106", "total_investment": "1e20"},
            content_type="application/json",
        )
        assert response.status_code == 422  # declared in the OpenAPI document
        assert {e["loc"][-1] for e in response.json()["detail"]} >= {"total_investment"}
        assert client.get("/api/v1/projects/").json()["count"] == 0

    def test_text_longer_than_its_column_is_422_naming_the_field(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/projects/",
            {"name": "长" * 201, "region": "510106"},
            content_type="application/json",
        )
        assert response.status_code == 422  # maxLength is declared in the OpenAPI document
        assert [e["loc"][-1] for e in response.json()["detail"]] == ["name"]

    def test_viewer_cannot_create(self, client_for):  # type: ignore[no-untyped-def]
        response = client_for("jinniu_viewer").post(
            "/api/v1/projects/",
            {"name": "只读用户项目", "region": "510106"},
            content_type="application/json",
        )
        assert response.status_code == 403


class TestProjectUpdate:
    def test_patch_changes_only_the_given_fields(self, client_for, library):  # type: ignore[no-untyped-def]
        project = library["solar"]
        response = client_for("jinniu").patch(
            f"/api/v1/projects/{project.pk}",
            {
                "total_investment_wan": 60000,
                "tags": ["aid"],
                "maturity": None,
                "land_area_mu": "120.5",
                "remarks": "需协调电力增容",
            },
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["total_investment_display"] == "6亿元"
        assert body["tags"] == [{"code": "aid", "name": "托底性帮扶"}]
        assert body["maturity"] == ""
        assert body["land_area_mu"] == "120.50"
        assert body["remarks"] == "需协调电力增容"
        assert body["sector"] == "新能源"

    def test_stage_cannot_be_patched(self, client_for, library):  # type: ignore[no-untyped-def]
        response = client_for("jinniu").patch(
            f"/api/v1/projects/{library['lead'].pk}",
            {"stage": "signed"},
            content_type="application/json",
        )
        assert response.status_code == 422
