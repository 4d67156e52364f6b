"""Reports on a page and on a schedule; the quarterly assessment as its own document; the
aftercare visits (engagements) counted on the ranking and listed in the monthly report."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from parklink.engagements.services import create_engagement
from parklink.kpi.engine import periods
from parklink.kpi.models import GeneratedReport
from parklink.kpi.services import assess as assessing
from parklink.kpi.services import generated, schemes
from tests.kpi.support import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def visit(world: World, on: date, title: str) -> None:
    create_engagement(
        world.jinniu,
        {
            "kind": "aftercare",
            "held_on": on,
            "title": title,
            "enterprises": [world.projects["alpha"].investor_id],
        },
    )


def test_monthly_report_is_made_in_the_background_then_downloaded(
    world: World, media: Path
) -> None:
    visit(world, date(2025, 2, 10), "走访新材料企业")
    visit(world, date(2025, 5, 1), "下季度走访")
    client = Client()
    client.force_login(world.jinniu)
    url = reverse("kpi:reports")
    asked = {"org": world.orgs["jinniu"].pk, "kind": "monthly", "period": "2025Q1",
             "format": "xlsx"}  # fmt: skip
    response = client.post(url, asked)
    assert response.status_code == 302
    # The tests' task backend runs the queued task at once: the row is ready, with its file.
    row = GeneratedReport.objects.get(organization=world.orgs["jinniu"], period="2025Q1")
    assert (row.status, row.generated_by, row.scheduled) == ("ready", world.jinniu, False)
    listing = client.get(response["Location"]).content.decode()
    assert 'data-status="ready"' in listing and reverse("kpi:report_file", args=[row.pk]) in listing
    assert 'http-equiv="refresh"' not in listing
    download = client.get(reverse("kpi:report_file", args=[row.pk]))
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(book["安商稳商走访"].iter_rows(values_only=True))[3:]
    assert rows == [("2025-02-10", "走访新材料企业", "成都某新材料有限公司")]
    figures = {r[0]: r[1] for r in book["本期与本年累计实绩"].iter_rows(values_only=True)}
    assert figures["安商稳商走访次数"] == "1"
    # Asking again replaces the report rather than adding a second one.
    assert client.post(url, asked).status_code == 302
    assert GeneratedReport.objects.filter(organization=world.orgs["jinniu"]).count() == 1
    bad = client.post(url, {"org": world.orgs["jinniu"].pk, "kind": "quarterly",
                            "period": "2025-03", "format": "pdf"})  # fmt: skip
    assert bad.status_code == 400 and "季度" in bad.content.decode()
    # A neighbour's report is refused (404), not queued.
    other = client.post(url, {"org": world.orgs["qingbaijiang"].pk, "kind": "monthly",
                              "period": "2025-03", "format": "xlsx"})  # fmt: skip
    assert other.status_code == 404
    assert not GeneratedReport.objects.filter(organization=world.orgs["qingbaijiang"]).exists()
    qbj = Client()
    qbj.force_login(world.qingbaijiang)
    assert qbj.get(reverse("kpi:report_file", args=[row.pk])).status_code == 404


def test_a_pending_report_shows_its_status_and_a_failed_one_its_reason(
    world: World, media: Path
) -> None:
    from parklink.kpi.tasks import make_report

    pending = GeneratedReport.objects.create(
        organization=world.orgs["jinniu"], kind="monthly", period="2025-03", format="pdf",
        status="pending", generated_by=world.jinniu,
    )  # fmt: skip
    client = Client()
    client.force_login(world.jinniu)
    page = client.get(reverse("kpi:reports")).content.decode()
    assert 'data-status="pending"' in page and "生成中" in page
    assert 'http-equiv="refresh"' in page  # the page looks again until it is ready
    assert client.get(reverse("kpi:report_file", args=[pending.pk])).status_code == 404
    make_report.call(pending.pk, world.jinniu.pk)
    pending.refresh_from_db()
    assert pending.status == "ready" and pending.size > 0
    # A worker told to make what the user may not see fails with the reason, writes nothing.
    refused = GeneratedReport.objects.create(
        organization=world.orgs["qingbaijiang"], kind="monthly", period="2025-03",
        format="xlsx", status="pending", generated_by=world.jinniu,
    )  # fmt: skip
    make_report.call(refused.pk, world.jinniu.pk)
    refused.refresh_from_db()
    assert refused.status == "failed" and refused.error and not refused.file


def test_ranking_counts_aftercare_visits(world: World) -> None:
    visit(world, date(2025, 2, 10), "走访一")
    visit(world, date(2025, 3, 11), "走访二")
    client = Client()
    client.force_login(world.city)
    page = client.get(reverse("kpi:ranking"), {"scheme": "city-districts", "period": "2025Q1"})
    text = page.content.decode()
    row = text[text.index(f'data-org="{world.orgs["jinniu"].pk}"') :]
    assert '<td class="pl-num" data-visits>2</td>' in row[: row.index("</tr>")]


def test_quarterly_assessment_document(world: World, tmp_path: Path) -> None:
    schemes.load_shipped()
    version = schemes.get_version(schemes.SchemeVersion.objects.all(), "city-districts")
    # A preview when nothing is stored, then the stored one with its rank.
    preview = generated.make(world.city, world.orgs["jinniu"].pk, "quarterly", "2025Q1", "pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(preview.data)).pages)
    assert "季度考核结果" in text and "预览" in text and "签约个数" in text
    assessing.assess(world.city, version, periods.parse("2025Q1"))
    stored = generated.make(world.city, world.orgs["jinniu"].pk, "quarterly", "2025Q1", "xlsx")
    book = load_workbook(io.BytesIO(stored.data))
    summary = {r[0]: r[1] for r in book["考核结果"].iter_rows(values_only=True) if r and r[0]}
    assert summary["排名"] in {"1 / 2", "2 / 2"}
    assert summary["依据"].startswith("已保存的考核结果")
    assert "示例方案" in summary["考核方案"]
    items = [r for r in book["考核结果"].iter_rows(values_only=True) if r and r[0] == "签约个数"]
    assert items and items[0][3]  # the derivation is written out
    target = tmp_path / "q.pdf"
    call_command("kpi", "report", "--kind", "quarterly", "--org", world.orgs["jinniu"].name,
                 "--period", "2025Q1", "--format", "pdf", "-o", str(target), "--as", "city",
                 stdout=io.StringIO())  # fmt: skip
    assert "排名" in "".join(p.extract_text() for p in PdfReader(target).pages)


def test_scheduled_reports_are_written_once_and_listed(
    world: World, media: Path, django_assert_max_num_queries: Any
) -> None:
    out = io.StringIO()
    call_command("kpi", "reports", "--due", "--today", "2025-04-02", "--format", "xlsx",
                 "--org", world.orgs["jinniu"].name, stdout=out, stderr=io.StringIO())  # fmt: skip
    rows = list(GeneratedReport.objects.order_by("kind"))
    assert [(r.kind, r.period) for r in rows] == [("monthly", "2025-03"), ("quarterly", "2025Q1")]
    assert all(r.scheduled and (media / r.file.name).exists() for r in rows)
    assert "2 份报告" in out.getvalue()
    # Again: nothing new; --force writes them again (replacing, not adding).
    generated.run_due(date(2025, 4, 2), ("xlsx",), orgs=[world.orgs["jinniu"]])
    assert GeneratedReport.objects.count() == 2
    generated.run_due(date(2025, 4, 2), ("xlsx",), force=True, orgs=[world.orgs["jinniu"]])
    assert GeneratedReport.objects.count() == 2
    # May: only April's monthly report is due.
    assert generated.due(date(2025, 5, 3)) == [("monthly", "2025-04")]
    assert generated.due(date(2025, 1, 5)) == [("monthly", "2024-12"), ("quarterly", "2024Q4")]
    client = Client()
    client.force_login(world.jinniu)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("kpi:reports"))
    assert page.status_code == 200 and "2025Q1" in page.content.decode()
    monthly = GeneratedReport.objects.get(kind="monthly")
    download = client.get(reverse("kpi:report_file", args=[monthly.pk]))
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert "本期签约项目" in book.sheetnames
    # A sibling county sees neither the list entry nor the file.
    client.force_login(world.qingbaijiang)
    assert client.get(reverse("kpi:report_file", args=[monthly.pk])).status_code == 404
    assert (
        "2025Q1"
        not in client.get(reverse("kpi:reports")).content.decode().split('id="generated-table"')[1]
    )
