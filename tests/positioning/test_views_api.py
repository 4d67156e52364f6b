"""The positioning page and API on the registry (real database): the same figures as the
command, the scatter's options, errors named, sign-in required."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from parklink.positioning.services.report import Options, place_report
from tests.positioning.registry_world import build_registry
from tests.support import factories


@pytest.fixture
def signed_in(db) -> Client:
    org = factories.organization("成都市投促局", "510100")
    user = factories.user("analyst", org)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
class TestPage:
    def test_a_place_with_screening(self, signed_in: Client) -> None:
        build_registry()
        page = signed_in.get(
            "/positioning/",
            {"place": "什邡市", "measure": "count", "digits": 2, "exclude_tags": ["two_high"]},
        )
        assert page.status_code == 200
        html = page.content.decode()
        assert "四川省德阳市什邡市" in html and 'data-figure="grade">C<' in html
        assert 'data-industry="26"' in html and "“两高”行业" in html
        options = page.context["chart"]
        assert json.loads(json.dumps(options)) == options
        names = {s["name"] for s in options["series"]}
        assert {"优势", "机会"} <= names
        expected = place_report("510682", Options(exclude_tags=["two_high"])).found
        first = expected.candidates()[0]
        assert page.context["candidates"][0][0].industry == first.industry

    def test_a_place_below_the_thresholds_is_explained(self, signed_in: Client) -> None:
        build_registry()
        page = signed_in.get("/positioning/", {"place": "510115", "measure": "count", "digits": 2})
        assert "未参与计算:企业数低于门槛" in page.content.decode()

    def test_the_empty_form_and_sign_in(self, signed_in: Client) -> None:
        assert signed_in.get("/positioning/").status_code == 200
        assert Client().get("/positioning/").status_code == 302


@pytest.mark.django_db
class TestApi:
    def test_recommend(self, client_for) -> None:
        build_registry()
        answer = client_for("jinniu").get(
            "/api/v1/positioning/recommend",
            {"place": "513330", "exclude_tags": "chemical_park", "top": 5},
        )
        assert answer.status_code == 200, answer.content
        body = answer.json()
        assert body["place_name"].endswith("德格县") and body["within"] == "510000"
        assert body["quality"]["grade"] in {"A", "B", "C"} and len(body["candidates"]) <= 5
        ranks = [c["rank"] for c in body["candidates"]]
        assert ranks == sorted(ranks) and ranks[0] == 1
        assert {"industry": "26", "name": "化学原料和化学制品制造业"}.items() <= next(
            e for e in body["excluded"] if e["industry"] == "26"
        ).items()

    def test_errors(self, client_for) -> None:
        build_registry()
        api = client_for("jinniu")
        assert api.get("/api/v1/positioning/recommend", {"place": "999999"}).status_code == 404
        small = api.get("/api/v1/positioning/recommend", {"place": "510115"})
        assert small.status_code == 400 and "企业数低于门槛" in small.content.decode()
        assert Client().get("/api/v1/positioning/recommend", {"place": "510682"}).status_code == 401
        bad = api.get("/api/v1/positioning/recommend", {"place": "510682", "exclude_tags": "noisy"})
        assert bad.status_code == 400 and "noisy" in bad.content.decode()


@pytest.mark.django_db
class TestExportAndSpace:
    def test_the_workbook_holds_the_pages_figures(self, signed_in: Client) -> None:
        import io

        from openpyxl import load_workbook

        build_registry()
        query = {"place": "510682", "measure": "count", "digits": 2, "exclude_tags": ["two_high"]}
        answer = signed_in.get("/positioning/export.xlsx", query)
        assert answer.status_code == 200
        assert answer["Content-Disposition"].endswith('positioning-510682.xlsx"')
        book = load_workbook(io.BytesIO(answer.content))
        assert book.sheetnames == ["推荐产业", "已具优势", "已排除", "说明"]
        ranked = list(book["推荐产业"].iter_rows(min_row=2, values_only=True))
        expected = place_report("510682", Options(exclude_tags=["two_high"])).found.candidates()
        assert [(r[0], r[1]) for r in ranked] == [(c.rank, c.industry) for c in expected]
        excluded = {r[0]: r[2] for r in book["已排除"].iter_rows(min_row=2, values_only=True)}
        assert excluded["26"] == "“两高”行业"
        assert signed_in.get("/positioning/export.xlsx").status_code == 404

    def test_the_industry_space_highlights_the_places_industries(self, signed_in: Client) -> None:
        build_registry()
        page = signed_in.get("/positioning/", {"place": "510682", "measure": "count", "digits": 2})
        space = page.context["space"]["series"][0]
        present = {n["name"].split()[0] for n in space["data"] if n["category"] == 0}
        report = place_report("510682", Options())
        assert present == {i.industry for i in report.found.items if i.present}
        n = len(space["data"])
        assert len(space["links"]) >= n - 1  # at least a spanning tree
        assert 'id="industry-space"' in page.content.decode()
