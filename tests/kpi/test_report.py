"""The monthly report as xlsx and PDF (the PDF's Chinese read back as text)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.kpi.support import World


def test_report_xlsx_and_pdf(world: World, tmp_path: Path) -> None:
    org = world.orgs["jinniu"].name
    target = tmp_path / "report.xlsx"
    call_command("kpi", "report", "--org", org, "--period", "2025Q1", "--format", "xlsx",
                 "-o", str(target), "--as", "city", stdout=io.StringIO())  # fmt: skip
    book = load_workbook(target)
    signings = [row for row in book["本期签约项目"].iter_rows(values_only=True)]
    names = {row[0] for row in signings[3:]}
    assert names == {world.projects["alpha"].name, world.projects["beta"].name}
    unevidenced = list(book["无凭证的到位资金(不计入实绩)"].iter_rows(values_only=True))[3:]
    assert unevidenced == [(world.projects["alpha"].name, "2025-03-06", "3,000,000.00")]
    problems = {row[0] for row in list(book["问题项目"].iter_rows(values_only=True))[3:]}
    assert problems == {world.projects["old"].name}
    figures = {
        row[0]: row[1] for row in list(book["本期与本年累计实绩"].iter_rows(values_only=True))[3:]
    }
    assert figures["签约项目个数"] == "2" and figures["无凭证的到位资金"] == "3,000,000.00"
    pdf_path = tmp_path / "report.pdf"
    call_command("kpi", "report", "--org", org, "--period", "2025Q1", "--format", "pdf",
                 "-o", str(pdf_path), "--as", "city", stdout=io.StringIO())  # fmt: skip
    text = "".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    assert "招商引资月报" in text and world.projects["alpha"].name in text
    assert "问题项目" in text and "超时限未开工" in text
    assert world.projects["lead"].name not in text
    # A county may not write its neighbour's report.
    with pytest.raises(CommandError):
        call_command("kpi", "report", "--org", world.orgs["qingbaijiang"].name, "--period",
                     "2025Q1", "-o", str(tmp_path / "x.xlsx"), "--as", "jinniu")  # fmt: skip
