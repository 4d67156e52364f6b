"""A party's statement as PDF (Chinese read back out of the file) and xlsx with the appendix,
and the two statistical views (在地统计 / 分成后): pure, service, page, export, API."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from parklink.accounts.models import User
from parklink.cobuild.ledger import twoviews as pure
from parklink.cobuild.models import Run
from parklink.cobuild.services import confirmations, runs, statements, twoviews
from tests.cobuild.support import add_records, ratio_rule

pytestmark = pytest.mark.django_db

LABEL = "仅用于考核,不得对外公布"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def settled(world: dict[str, Any]) -> Run:
    """2025Q1 confirmed: VAT 3:2 (dege's figures) and output 50:50 (jinniu's figures)."""
    users, made, firms = world["users"], world["agreement"], world["enterprises"]
    ratio_rule(users["jinniu"], made, "output", jinniu="1/2", dege="1/2")
    add_records(users["jinniu"], made, "jinniu", "2025Q1", [(firms[0], "output", 30_000_001)])
    run = runs.run_period(users["jinniu"], made, "2025Q1")
    confirmations.confirm(users["jinniu"], run)
    confirmations.confirm(users["dege"], run)
    run.refresh_from_db()
    return run


class TestStatementPdf:
    def test_the_chinese_text_and_figures_come_back_out(
        self, world: dict[str, Any], settled: Run
    ) -> None:
        made = world["agreement"]
        found = statements.statement(made, settled, statements.find_party(made, "jinniu"))
        from parklink.cobuild import exports

        data = exports.render(found, "pdf")
        assert data.startswith(b"%PDF-")
        pages = pdf_pages(data)
        text = "\n".join(pages)
        jinniu = world["orgs"]["jinniu"].name
        assert f"{jinniu} · 2025Q1 对账单" in text
        assert made.title in text
        # VAT: 100,001 fen × 3/5 = 60,000.6 → 60,001 (largest remainder); 2,000,000 × 3/5.
        assert "12,600.01 元" in text  # jinniu's VAT: 600.01 + 12,000.00
        assert "150,000.00 元" in text  # jinniu's half of output 300,000.01 (tie → jinniu first)
        assert "150,000.01 元" in text
        # Both parties' totals are printed: dege's VAT 400.00 + 8,000.00.
        assert "8,400.00 元" in text
        # The appendix: the engine's sentence of each of the party's allocations.
        assert "附录:逐笔计算" in text
        assert "增值税地方留成 1,000.01 元 × 60% = 600.01 元" in text
        assert "工业总产值 300,000.01 元 × 50% = 150,000.01 元" in text
        # The assessment label on every page (output is in it), and page x of n.
        for number, page in enumerate(pages, start=1):
            assert LABEL in page
            assert f"第 {number} 页 / 共 {len(pages)} 页" in page
        # The two views of the period for this party: in place 0, after the split its part.
        assert "在地统计" in text and "分成后" in text

    def test_the_command_writes_a_pdf(
        self, world: dict[str, Any], settled: Run, tmp_path: Path
    ) -> None:
        target = tmp_path / "dege.pdf"
        call_command(
            "ledger", "statement", "--agreement", str(world["agreement"].pk), "--period",
            "2025Q1", "--party", "dege", "--format", "pdf", "-o", str(target),
            "--as", "dege_officer", stdout=io.StringIO(),
        )  # fmt: skip
        text = "\n".join(pdf_pages(target.read_bytes()))
        assert f"{world['orgs']['dege'].name} · 2025Q1 对账单" in text
        assert "增值税地方留成 20,000.00 元 × 40% = 8,000.00 元" in text

    def test_the_page_offers_it_to_a_party_and_an_outsider_gets_404(
        self, world: dict[str, Any], settled: Run
    ) -> None:
        url = reverse(
            "cobuild:statement_download", args=[world["agreement"].pk, "2025Q1", "jinniu", "pdf"]
        )
        page = client_for(world["users"]["dege"]).get(
            reverse("cobuild:statement", args=[world["agreement"].pk, "2025Q1", "jinniu"])
        )
        assert url in page.content.decode()
        # The page shows the party's two views too: jinniu in place 0, after the split its VAT.
        html = page.content.decode()
        assert 'id="two-views-table"' in html and "12,600.01 元" in html
        response = client_for(world["users"]["dege"]).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "附录:逐笔计算" in "\n".join(pdf_pages(response.content))
        assert client_for(world["users"]["qingbaijiang"]).get(url).status_code == 404

    def test_a_long_appendix_is_cut_and_says_so(
        self, world: dict[str, Any], settled: Run, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from parklink.cobuild import exports

        monkeypatch.setattr(exports, "PDF_DERIVATION_LINES", 1)
        made = world["agreement"]
        found = statements.statement(made, settled, statements.find_party(made, "jinniu"))
        text = "\n".join(pdf_pages(exports.render(found, "pdf")))
        assert "本附录列出前 1 条,共 3 条" in text


class TestStatementXlsx:
    def test_the_appendix_views_and_all_parties_sheets(
        self, world: dict[str, Any], settled: Run
    ) -> None:
        from parklink.cobuild import exports

        made = world["agreement"]
        found = statements.statement(made, settled, statements.find_party(made, "jinniu"))
        book = load_workbook(io.BytesIO(exports.render(found, "xlsx")))
        appendix = list(book["附录 逐笔计算"].iter_rows(values_only=True))
        assert appendix[0][0] == LABEL + " / assessment only, not for publication"
        lines = [row for row in appendix[2:]]
        assert [row[5] for row in lines] == [60_001, 1_200_000, 15_000_001]
        assert (
            lines[0][6] == "增值税地方留成 1,000.01 元 × 60% = 600.01 元(协议第1版,2025Q1,固定比例)"
        )
        views = list(book["两种口径"].iter_rows(values_only=True))
        body = {row[0]: row[1:] for row in views[2:]}
        assert body["增值税地方留成"][:3] == (0, 1_260_001, 1_260_001)
        assert body["工业总产值"][3].startswith(LABEL)
        every = list(book["各方合计"].iter_rows(values_only=True))
        assert every[1][2:] == (world["orgs"]["jinniu"].name, world["orgs"]["dege"].name)

    def test_json_says_which_figures_are_assessment_only(
        self, world: dict[str, Any], settled: Run
    ) -> None:
        from parklink.cobuild import exports

        made = world["agreement"]
        found = statements.statement(made, settled, statements.find_party(made, "dege"))
        data = json.loads(exports.render(found, "json"))
        assert data["assessment_notice"].startswith(LABEL)
        assert {row["indicator"]: row["assessment"] for row in data["by_indicator"]} == {
            "output": True,
            "vat_local": False,
        }


class TestTwoViewsPure:
    def test_in_place_goes_to_the_host_and_the_views_reconcile(self) -> None:
        views = pure.compare(
            "2025Q1",
            [("jinniu", ["source"]), ("dege", ["host"])],
            {"vat_local": 2_100_001, "output": 500},
            {"output": 100},
            {("vat_local", "jinniu"): 1_260_001, ("vat_local", "dege"): 840_000,
             ("output", "jinniu"): 200, ("output", "dege"): 200},
            ["vat_local", "output", "fai"],
        )  # fmt: skip
        assert views.host == "dege"
        vat, output = views.indicators
        assert [(f.party, f.in_place, f.split, f.difference) for f in vat.parties] == [
            ("jinniu", 0, 1_260_001, 1_260_001),
            ("dege", 2_100_001, 840_000, -1_260_001),
        ]
        assert not vat.assessment and output.assessment
        # In place adds up to the figures; after the split to the figures less the unsplit.
        assert sum(f.in_place for f in output.parties) == output.recorded
        assert sum(f.split for f in output.parties) == output.recorded - output.unsplit

    @pytest.mark.parametrize(
        "parties",
        [[("a", ["source"]), ("b", ["aid_receiver"])], [("a", ["host"]), ("b", ["host"])]],
    )
    def test_without_a_single_host_the_in_place_figure_is_unattributed(
        self, parties: list[tuple[str, list[str]]]
    ) -> None:
        views = pure.compare("2025", parties, {"jobs": 10}, {}, {("jobs", "a"): 10}, ["jobs"])
        assert views.host is None
        assert [(f.party, f.in_place, f.split) for f in views.indicators[0].parties] == [
            ("a", 0, 10),
            ("b", 0, 0),
            (None, 10, 0),
        ]


class TestTwoViewsSettled:
    def test_service_page_export_and_api(
        self,
        world: dict[str, Any],
        settled: Run,
        api_client: Callable[[User], Client],
    ) -> None:
        made = world["agreement"]
        (period,) = twoviews.two_views(made)
        assert period.period == "2025Q1" and period.host == "dege"
        figures = {
            (row.indicator, f.party): (f.in_place, f.split)
            for row in period.indicators
            for f in row.parties
        }
        assert figures == {
            ("vat_local", "jinniu"): (0, 1_260_001),
            ("vat_local", "dege"): (2_100_001, 840_000),
            ("output", "jinniu"): (0, 15_000_001),
            ("output", "dege"): (30_000_001, 15_000_000),
        }

        page = client_for(world["users"]["dege"]).get(reverse("cobuild:views", args=[made.pk]))
        html = page.content.decode()
        assert page.status_code == 200
        assert 'data-period="2025Q1"' in html
        assert "150,000.01 元" in html and "300,000.01 元" in html
        assert LABEL in html

        data = client_for(world["users"]["jinniu"]).get(
            reverse("cobuild:views_download", args=[made.pk, "xlsx"]) + "?period=2025Q1"
        )
        rows = list(load_workbook(io.BytesIO(data.content)).active.iter_rows(values_only=True))
        assert rows[0][0].startswith(LABEL)
        assert (rows[2][0], rows[2][2], rows[2][3], rows[2][4]) == (
            "2025Q1",
            world["orgs"]["jinniu"].name,
            0,
            1_260_001,
        )

        body = api_client(world["users"]["jinniu"]).get(f"/api/v1/cobuild/{made.pk}/views").json()
        (indicators,) = [p["indicators"] for p in body["periods"]]
        output = next(row for row in indicators if row["indicator"] == "output")
        assert output["assessment"] and output["notice"].startswith(LABEL)
        assert [(p["party"], p["in_place"], p["split"]) for p in output["parties"]] == [
            ("jinniu", 0, 15_000_001),
            ("dege", 30_000_001, 15_000_000),
        ]

    def test_unsplit_figures_count_in_place_only(self, world: dict[str, Any]) -> None:
        users, made, firms = world["users"], world["agreement"], world["enterprises"]
        add_records(users["jinniu"], made, "jinniu", "2025Q1", [(firms[1], "jobs", 12)])
        runs.run_period(users["jinniu"], made, "2025Q1")
        (period,) = twoviews.two_views(made, "2025Q1")
        jobs = next(row for row in period.indicators if row.indicator == "jobs")
        assert (jobs.recorded, jobs.unsplit) == (12, 12)
        assert [(f.party, f.in_place, f.split) for f in jobs.parties] == [
            ("jinniu", 0, 0),
            ("dege", 12, 0),
        ]

    def test_an_outsider_gets_404_everywhere(
        self, world: dict[str, Any], settled: Run, api_client: Callable[[User], Client]
    ) -> None:
        outsider = world["users"]["qingbaijiang"]
        pk = world["agreement"].pk
        for url in (
            reverse("cobuild:views", args=[pk]),
            reverse("cobuild:views_download", args=[pk, "csv"]),
        ):
            assert client_for(outsider).get(url).status_code == 404
        assert api_client(outsider).get(f"/api/v1/cobuild/{pk}/views").status_code == 404

    def test_no_run_yet_says_so(self, world: dict[str, Any]) -> None:
        pk = world["agreement"].pk
        page = client_for(world["users"]["jinniu"]).get(reverse("cobuild:views", args=[pk]))
        assert 'id="no-views"' in page.content.decode()
