"""Datasets imported from a spreadsheet: all or nothing, each problem naming its row and column,
the dataset its organisation's own and usable at once (real database, real .xlsx files)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from parklink.core import imports
from parklink.core.registry import registry
from parklink.positioning.imports import FigureImporter
from parklink.positioning.models import Dataset, DatasetFigure
from parklink.positioning.queries import visible_datasets
from parklink.positioning.services.report import Options, place_report
from tests.support import factories

HEADER = ["数据集", "度量", "年份", "地区", "园区", "行业代码", "数值", "来源"]


@pytest.fixture
def officer(db):
    return factories.user("stats", factories.organization("德阳市统计局", "510600"))


def test_the_kind_is_registered() -> None:
    kind = registry.tabular["positioning-figures"]
    assert kind.importer is not None and kind.import_arguments is None  # the page offers it


def test_bad_rows_are_named_and_nothing_is_written(officer, xlsx: Callable[..., Path]) -> None:
    owner = officer.organization
    factories.park(owner, "什邡经开区", "510682")
    bad = xlsx(
        HEADER,
        [
            ["德阳从业人员", "从业人员", "2023", "什邡市", "", "2614", "1200", ""],
            ["德阳从业人员", "从业人员", "2023", "999999", "", "2614", "10", ""],
            ["德阳从业人员", "从业人员", "2023", "什邡市", "", "9999", "10", ""],
            ["德阳从业人员", "从业人员", "2023", "什邡市", "", "2614", "5", ""],
            ["德阳从业人员", "产值", "2023", "广汉市", "", "3411", "5", ""],
            ["德阳从业人员", "从业人员", "2023", "", "", "3411", "-3", ""],
            ["德阳从业人员", "从业人员", "2023", "广汉市", "什邡经开区", "3411", "1.005", ""],
        ],
    )
    report = imports.run(FigureImporter(officer, owner), bad)
    assert not report.written and not Dataset.objects.filter(owner=owner).exists()
    rendered = [p.render("zh") for p in report.problems]
    assert any(r.startswith("第3行 [地区]") for r in rendered), rendered
    assert any(r.startswith("第4行 [行业代码]") and "99" in r for r in rendered), rendered
    assert any(r.startswith("第5行 [行业代码]") and "与第2行重复" in r for r in rendered)
    assert any(r.startswith("第6行 [度量]") and "度量应一致" in r for r in rendered)
    assert any(r.startswith("第7行 [数值]") for r in rendered), rendered
    assert any(r.startswith("第7行 [地区]") and "只填一项" in r for r in rendered)
    assert any(r.startswith("第8行 [数值]") and "两位小数" in r for r in rendered)
    assert any(r.startswith("第8行 [地区]") and "只填一项" in r for r in rendered)


def test_a_good_file_makes_the_organisations_own_datasets(
    officer, xlsx: Callable[..., Path]
) -> None:
    owner = officer.organization
    park = factories.park(owner, "什邡经开区", "510682")
    rows = []
    for year, scale in (("2020", 1), ("2024", 2)):
        for adcode, figures in {
            "510603": {"34": 900, "38": 500, "13": 50},
            "510623": {"26": 300, "34": 200, "13": 80},
            "510682": {"26": 1200, "27": 400, "13": 90},
            "510683": {"13": 600, "26": 100, "34": 30},
        }.items():
            for code, value in figures.items():
                rows.append(
                    [
                        "德阳从业人员",
                        "employment",
                        year,
                        adcode,
                        "",
                        code,
                        str(value * scale),
                        "统计年鉴",
                    ]
                )
        rows.append(["德阳从业人员", "从业人员", year, "", "什邡经开区", "26", "700", ""])
    report = imports.run(FigureImporter(officer, owner), xlsx(HEADER, rows, name="good.xlsx"))
    assert report.written, [p.render("zh") for p in report.problems]
    assert report.created == len(rows)
    made = Dataset.objects.filter(owner=owner).order_by("year")
    assert [(d.year, d.measure) for d in made] == [(2020, "employment"), (2024, "employment")]
    later = made[1]
    assert DatasetFigure.objects.get(dataset=later, park=park).value == Decimal("700.00")
    assert DatasetFigure.objects.get(
        dataset=later, region_id="510682", industry_code="26"
    ).value == Decimal("2400.00")
    other = factories.user("other", factories.organization("成都市统计局", "510100"))
    assert not visible_datasets(other).filter(owner=owner).exists()
    report = place_report("510682", Options(dataset=later, compare=made[0], min_enterprises=1))
    assert report.change is not None and report.placed.measure == "employment"
    # importing the same dataset and year again is refused, naming it
    again = imports.run(FigureImporter(officer, owner), xlsx(HEADER, rows[:1], name="again.xlsx"))
    assert not again.written
    assert "已有 2020 年的数据集“德阳从业人员”" in again.problems[0].render("zh")


def test_a_viewer_cannot_import(db, xlsx: Callable[..., Path]) -> None:
    owner = factories.organization("某统计局", "510600")
    viewer = factories.user("viewer", owner, role="viewer")
    path = xlsx(HEADER, [["甲", "企业数", "2024", "什邡市", "", "26", "3", ""]])
    with pytest.raises(imports.ImportForbidden):
        imports.run(FigureImporter(viewer, owner), path)
    assert not Dataset.objects.filter(owner=owner).exists()
