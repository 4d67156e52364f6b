"""`parklink intel extract`: JSON lines by the issue's contract, folders, bad files, no DB."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.intel import evaluation

KEYS = {
    "file",
    "project",
    "investment_yuan",
    "enterprise",
    "location",
    "stage",
    "amount_kind",
    "lower_bound",
    "approx",
    "currency",
    "date",
    "evidence",
}
STAGES = {
    "planned",
    "signed",
    "started",
    "under_construction",
    "in_production",
    "full_production",
    "unknown",
}


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("intel", "extract", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_folder_gives_one_line_per_project(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in (
        "a06_list_paragraph.txt",
        "a07_foreign_rate.txt",
        "a27_html_page.html",
        "a09_distractors.txt",
    ):
        shutil.copy(evaluation.ARTICLES / name, folder / name)
    (folder / "notes.md").write_text("总投资99亿元的某某项目开工。", "utf-8")  # not .txt/.html
    target = tmp_path / "out.jsonl"
    _, err = run(str(folder), "-o", str(target))
    lines = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    assert set(lines[0]) >= KEYS
    assert {line["file"] for line in lines} == {
        "a06_list_paragraph.txt",
        "a07_foreign_rate.txt",
        "a27_html_page.html",
    }
    assert all(line["stage"] in STAGES for line in lines)
    by_name = {line["project"]: line for line in lines}
    huike = by_name["惠科光电8.6代线配套模组项目"]
    assert huike["investment_yuan"] == 3_000_000_000 and isinstance(huike["investment_yuan"], int)
    assert huike["amount_kind"] == "total_investment" and huike["currency"] == "CNY"
    assert huike["location"] and huike["stage"] == "started"
    assert any("30亿元" in sentence for sentence in huike["evidence"])
    euro = by_name["博瑞克斯亚太生产中心项目"]
    assert euro["currency"] == "EUR" and euro["investment_yuan"] == 1_170_000_000
    dollar = by_name["美国艾维斯医疗器械项目"]
    assert dollar["currency"] == "USD" and dollar["investment_yuan"] is None
    battery = by_name["中创新航科技集团股份有限公司成都基地一期项目"]
    assert battery["date"] == "2025-09-17" and battery["stage"] == "in_production"
    assert "5 个文件" not in err and "共 4 个文件" in err


def test_exact_decimal_amounts(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("蓝岳高端氟硅材料项目落户淄博高新区,项目总投资1.23456789亿元。", "utf-8")
    out, _ = run(str(source))
    line = json.loads(out.splitlines()[0])
    assert '"investment_yuan": 123456789,' in out  # written as digits, never through a float
    assert line["investment_yuan"] == 123456789


def test_a_bad_file_is_reported_and_the_others_go_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    shutil.copy(evaluation.ARTICLES / "a13_phase.txt", good)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    target = tmp_path / "out.jsonl"
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 个文件未能读取"):
        call_command(
            "intel",
            "extract",
            str(bad),
            str(tmp_path / "missing.txt"),
            str(good),
            "-o",
            str(target),
            stderr=err,
            stdout=io.StringIO(),
        )
    assert "bad.pdf: 出错:不是有效的 PDF 文件" in err.getvalue() or "bad.pdf" in err.getvalue()
    lines = target.read_text("utf-8").splitlines()
    assert [json.loads(line)["file"] for line in lines] == ["good.txt"]


def test_an_extractor_failure_on_one_file_spares_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import parklink.intel.extract as extractor

    real = extractor._normalise

    def flaky(text: str):  # type: ignore[no-untyped-def]
        if "POISON" in text:
            raise RuntimeError("boom")
        return real(text)

    # The articles of a folder are extracted together (extract_many): one failing article
    # gives its error, the others of its batch still give their projects.
    monkeypatch.setattr(extractor, "_normalise", flaky)
    (tmp_path / "a.txt").write_text("POISON 总投资10亿元的甲乙丙丁项目开工。", "utf-8")
    shutil.copy(evaluation.ARTICLES / "a13_phase.txt", tmp_path / "b.txt")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 个文件"):
        call_command("intel", "extract", str(tmp_path), stdout=out, stderr=err)
    assert "a.txt: 出错:提取失败" in err.getvalue() and "RuntimeError: boom" in err.getvalue()
    assert [json.loads(line)["file"] for line in out.getvalue().splitlines()] == ["b.txt"]
