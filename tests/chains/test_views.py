"""Chain pages through the Django test client: they render, stay scoped, and run few queries."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from parklink.accounts.models import Organization, User
from parklink.chains.models import Assignment, ChainLead, GapRules, Source
from parklink.core.models import Job
from parklink.projects.models import Project
from tests.chains.world import CHAIN_TEXT, World, build
from tests.support import factories

pytestmark = pytest.mark.django_db
MAP = "/chains/map/?place=region:510106&chain=testpv"


@pytest.fixture
def world(orgs: dict[str, Organization], users: dict[str, User]) -> World:
    return build(orgs, users)


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def count(client: Client, url: str) -> tuple[int, int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries), response.content


class TestPages:
    @pytest.mark.parametrize(
        ("url", "limit"),
        [
            ("/chains/", 20),
            (MAP, 22),
            (MAP + "&segment=cell", 24),
            ("/chains/targets/?place=region:510106&chain=testpv", 24),
            ("/chains/compare/?chain=testpv&place=region:510106&place=region:510682", 40),
            ("/chains/accuracy/", 8),
            ("/chains/rules/", 8),
        ],
    )
    def test_renders_with_a_bounded_number_of_queries(
        self, world: World, url: str, limit: int
    ) -> None:
        status, queries, _body = count(client_of(world.users["jinniu"]), url)
        assert status == 200
        assert queries <= limit

    def test_the_map_does_not_grow_with_the_registry(self, world: World) -> None:
        client = client_of(world.users["jinniu"])
        _s, before, _b = count(client, MAP + "&segment=wafer")
        for n in range(25):
            made = factories.enterprise(world.orgs["jinniu"], f"新增切片{n}", "510106")
            Assignment.objects.create(
                enterprise=made,
                template=world.template,
                version=world.version,
                segment="wafer",
                score=0.9,
                source=Source.CLASSIFIER,
            )
        _s, after, body = count(client, MAP + "&segment=wafer")
        assert after == before
        assert "新增切片24".encode() in body

    def test_the_map_shows_labels_version_and_the_chart(self, world: World) -> None:
        body = client_of(world.users["jinniu"]).get(MAP).content.decode()
        assert 'data-segment="silicon" data-label="missing"' in body
        assert 'data-segment="cell" data-label="strong"' in body
        assert "模板第 1 版" in body
        assert 'id="chain-map-options"' in body and "saveAsImage" in body

    def test_a_segment_lists_its_enterprises_and_visible_projects(self, world: World) -> None:
        body = client_of(world.users["jinniu"]).get(MAP + "&segment=wafer").content.decode()
        assert "wafer0公司" in body
        assert "切片线索" not in body  # the city's unsigned lead
        body = client_of(world.users["city"]).get(MAP + "&segment=wafer").content.decode()
        assert "切片线索" in body

    def test_an_unknown_place_or_chain_is_a_404(self, world: World) -> None:
        client = client_of(world.users["jinniu"])
        assert client.get("/chains/map/?place=region:999999&chain=testpv").status_code == 404
        assert client.get("/chains/map/?place=region:510106&chain=nope").status_code == 404

    def test_another_organisations_template_is_a_404(self, world: World) -> None:
        from parklink.chains.services import templates

        copy = templates.copy_template(world.users["jinniu"], world.template)
        other = client_of(world.users["qingbaijiang"])
        assert other.get(f"/chains/templates/{copy.pk}/").status_code == 404
        assert other.get(f"/chains/map/?place=region:510106&chain={copy.pk}").status_code == 404

    def test_the_park_and_enterprise_pages_show_their_panels(self, world: World) -> None:
        client = client_of(world.users["jinniu"])
        park = world.parks["shifang_park"]
        body = client.get(f"/parks/{park.pk}/").content.decode()
        assert 'id="chains"' in body and "测试光伏链" in body
        body = client.get(f"/enterprises/{world.e['poly1'].pk}/").content.decode()
        assert 'data-candidate="poly"' in body and "保存归属" in body
        viewer = client_of(world.users["jinniu_viewer"])
        body = viewer.get(f"/enterprises/{world.e['poly1'].pk}/").content.decode()
        assert 'data-candidate="poly"' in body and "保存归属" not in body


class TestActions:
    def test_correcting_from_the_enterprise_page(self, world: World) -> None:
        client = client_of(world.users["jinniu"])
        response = client.post(
            f"/chains/enterprises/{world.e['poly1'].pk}/correct/",
            {"template": world.template.pk, "segments": ["wafer"], "action": "correct"},
        )
        assert response.status_code == 302
        row = Assignment.objects.get(enterprise=world.e["poly1"], source=Source.CORRECTION)
        assert row.segment == "wafer"
        body = client.get(f"/enterprises/{world.e['poly1'].pk}/").content.decode()
        assert 'data-source="correction"' in body and "人工修正" in body

    def test_a_viewer_cannot_correct(self, world: World) -> None:
        response = client_of(world.users["jinniu_viewer"]).post(
            f"/chains/enterprises/{world.e['poly1'].pk}/correct/",
            {"template": world.template.pk, "segments": ["wafer"]},
        )
        assert response.status_code == 403
        assert not Assignment.objects.filter(source=Source.CORRECTION).exists()

    def test_one_click_makes_a_lead(self, world: World) -> None:
        client = client_of(world.users["jinniu"])
        response = client.post(
            "/chains/targets/lead/",
            {
                "place": "region:510106",
                "chain": world.template.pk,
                "segment": "silicon",
                "enterprise": world.e["big_silicon"].pk,
            },
        )
        lead = ChainLead.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/projects/{lead.project_id}/"
        assert Project.objects.get(pk=lead.project_id).owner == world.orgs["jinniu"]

    def test_editing_a_template_shows_the_parsers_message(self, world: World) -> None:
        from parklink.chains.services import templates

        copy = templates.copy_template(world.users["jinniu"], world.template)
        client = client_of(world.users["jinniu"])
        broken = CHAIN_TEXT.replace("stage: upstream", "stage: sideways", 1)
        response = client.post(f"/chains/templates/{copy.pk}/edit/", {"text": broken})
        assert response.status_code == 422
        assert "sideways" in response.content.decode()
        good = CHAIN_TEXT.replace("测试光伏链", "测试光伏链(本地)")
        response = client.post(f"/chains/templates/{copy.pk}/edit/", {"text": good, "note": "改名"})
        assert response.status_code == 302
        assert copy.versions.count() == 2

    def test_gap_rules_by_the_organisations_admin_only(self, world: World) -> None:
        data = {
            "strong_enterprises": 5,
            "strong_leader_enterprises": 2,
            "strong_capital": "100000000",
            "present_enterprises": 2,
        }
        assert client_of(world.users["jinniu"]).post("/chains/rules/", data).status_code == 403
        admin = factories.user("jinniu_admin", world.orgs["jinniu"], role="admin")
        response = client_of(admin).post("/chains/rules/", {**data, "present_enterprises": 9})
        assert response.status_code == 422 and "不能少于" in response.content.decode()
        assert client_of(admin).post("/chains/rules/", data).status_code == 302
        assert GapRules.objects.get().strong_enterprises == 5

    def test_classification_runs_as_a_job(self, world: World) -> None:
        client = client_of(world.users["jinniu"])
        response = client.post("/chains/classify/", {"scope": "all"})
        assert response.status_code == 302
        job = Job.objects.get(kind="chains-classify")
        assert job.status == Job.Status.DONE
        assert job.result["enterprises"] == len(world.e)
        body = client.get(f"/chains/jobs/{job.pk}/").content.decode()
        assert 'data-status="done"' in body
        assert client_of(world.users["jinniu_viewer"]).post("/chains/classify/").status_code == 403


class TestExports:
    def test_the_gap_report(self, world: World) -> None:
        response = client_of(world.users["jinniu"]).get(
            "/chains/map/gaps.xlsx?place=region:510106&chain=testpv"
        )
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[1][2].startswith("testpv v1")
        by_key = {row[0]: row for row in rows[5:]}
        assert by_key["cell"][4] == "强" and by_key["cell"][6] == "2010000000.00"
        assert by_key["silicon"][4] == "缺"

    def test_the_target_list_keeps_text_as_text(self, world: World) -> None:
        world.e["plain"].name = '=HYPERLINK("x")'
        world.e["plain"].save()
        response = client_of(world.users["jinniu"]).get(
            "/chains/targets/targets.xlsx?place=region:510106&chain=testpv&segment=module"
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        names = [row[1].value for row in sheet.iter_rows(min_row=6)]
        assert names == ["partner公司", '=HYPERLINK("x")']
        assert sheet.cell(row=7, column=2).data_type == "s"


def test_placing_an_enterprise_by_hand_in_a_chain_it_has_no_row_in(world: World) -> None:
    client = client_of(world.users["jinniu"])
    enterprise = world.e["unplaced"]
    body = client.get(f"/enterprises/{enterprise.pk}/").content.decode()
    assert f'value="{world.template.pk}:silicon"' in body
    response = client.post(
        f"/chains/enterprises/{enterprise.pk}/correct/",
        {"pick": f"{world.template.pk}:silicon", "note": "走访确认"},
    )
    assert response.status_code == 302
    row = Assignment.objects.get(enterprise=enterprise, source=Source.CORRECTION)
    assert row.segment == "silicon"
    viewer = client_of(world.users["jinniu_viewer"]).get(f"/enterprises/{enterprise.pk}/")
    assert 'id="chain-pick"' not in viewer.content.decode()


def test_no_query_lists_the_registrys_ids(world: World) -> None:
    """Places and target pools are subqueries: no IN list grows past what a page shows."""
    client = client_of(world.users["jinniu"])
    for n in range(70):
        inside = factories.enterprise(world.orgs["jinniu"], f"本地电池{n}", "510106")
        outside = factories.enterprise(world.orgs["zhangye"], f"外地工业硅{n}", "620702")
        for made, segment in ((inside, "cell"), (outside, "silicon")):
            Assignment.objects.create(
                enterprise=made,
                template=world.template,
                version=world.version,
                segment=segment,
                score=0.7,
                source=Source.CLASSIFIER,
            )
    for url in (MAP + "&segment=cell", "/chains/targets/?place=region:510106&chain=testpv"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        lists = [
            found.count(",") + 1
            for q in queries.captured_queries
            for found in re.findall(r" IN \(([^()]*)\)", q["sql"])
        ]
        assert max(lists, default=0) <= 50, url  # the page shows 50 at most


def test_compare_keeps_the_chain_and_typed_places_selected(world: World) -> None:
    body = (
        client_of(world.users["jinniu"])
        .get("/chains/compare/?chain=testpv&place=region:510106&place=region:510682")
        .content.decode()
    )
    assert f'<option value="{world.template.pk}" selected>' in body
    assert 'value="region:510682"' in body
    assert 'data-place="region:510106"' in body and 'data-place="region:510682"' in body


def test_the_map_names_project_stages_in_words(world: World) -> None:
    body = client_of(world.users["jinniu"]).get(MAP).content.decode()
    assert "签约 1" in body


def test_search_finds_templates_the_user_may_see(world: World) -> None:
    from parklink.chains.services import templates

    own = templates.copy_template(world.users["jinniu"], world.template)
    body = client_of(world.users["jinniu"]).get("/search/?q=测试光伏").content.decode()
    assert f"/chains/templates/{world.template.pk}/" in body
    assert f"/chains/templates/{own.pk}/" in body
    body = client_of(world.users["qingbaijiang"]).get("/search/?q=testpv").content.decode()
    assert f"/chains/templates/{world.template.pk}/" in body
    assert f"/chains/templates/{own.pk}/" not in body


def test_the_metro_division_of_labour(world: World) -> None:
    from parklink.chains.models import MetroArea, MetroLead, MetroMember

    metro = MetroArea.objects.create(key="jinshi", name="金什")
    MetroMember.objects.create(metro=metro, region_id="510106", order=0)
    MetroMember.objects.create(metro=metro, region_id="510682", order=1)
    MetroLead.objects.create(metro=metro, chain_key="testpv", region_id="510106", label="光伏")
    status, queries, body = count(client_of(world.users["jinniu"]), "/chains/metro/jinshi/")
    assert status == 200 and queries <= 25
    page = body.decode()
    assert 'data-chain="testpv"' in page and 'data-lead="510106"' in page
    # 金牛 carries 拉晶切片, 电池片 and 电站 (present or strong); 什邡 none.
    assert 'data-carried="3"' in page and 'data-carried="0"' in page
    assert 'id="division-chart-options"' in page and "\\u2605 3" in page


def test_a_segment_shows_each_enterprises_evidence(world: World) -> None:
    from parklink.chains.services import classification

    classification.correct(
        world.users["jinniu"], world.e["wafer1"], world.template, ["wafer"], "走访"
    )
    body = client_of(world.users["jinniu"]).get(MAP + "&segment=wafer").content.decode()
    assert "关键词:wafer" in body  # the classifier's evidence for wafer0 and wafer2
    assert "人工修正:走访" in body  # the correction's, for wafer1
