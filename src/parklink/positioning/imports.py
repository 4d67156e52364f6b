"""Datasets from a spreadsheet (`parklink import positioning-figures FILE`, or the import page):
one row per place × industry, all or nothing.

Columns: 数据集 (name), 度量 (企业数 / 从业人员 / 产值 / 注册资本), 年份, 地区 (adcode or name) or
园区 (a park's exact name; exactly one of the two), 行业代码 (GB/T 4754, 2–4 digits), 数值 (≥ 0, at
most two decimals), optional 来源. The rows of one (数据集, 度量, 年份) make one new dataset owned
by the importing organisation (seen by its members only); a dataset of that name and year that
the organisation already has is refused (import under another name, or delete it first). A
second row for the same dataset, place and code is refused naming the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from parklink.accounts.imports import OwnedImporter, importer_factory
from parklink.core import cells
from parklink.core.cells import CellError
from parklink.core.imports import Column, Problem, Row
from parklink.parks.models import Park
from parklink.positioning.models import Dataset, DatasetFigure, DatasetMeasure
from parklink.regions.cells import RegionLookup

MEASURE_ALIASES = {
    "enterprises": "enterprises",
    "企业数": "enterprises",
    "企业数量": "enterprises",
    "employment": "employment",
    "从业人员": "employment",
    "就业人数": "employment",
    "output": "output",
    "产值": "output",
    "营业收入": "output",
    "capital": "capital",
    "注册资本": "capital",
}


def _value(value: Any) -> Decimal:
    text = cells.cell_text(value).replace(",", "").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError("数值应为数字", "the value is not a number") from None
    if not number.is_finite() or number < 0:
        raise CellError("数值应为不小于 0 的数", "the value must be 0 or more")
    if number != number.quantize(Decimal("0.01")):
        raise CellError("数值最多保留两位小数", "at most two decimal places")
    if number >= Decimal(10) ** 18:
        raise CellError("数值过大", "the value is too large")
    return number.quantize(Decimal("0.01"))


def _year(value: Any) -> int:
    year = cells.integer(value)
    if not 1949 <= year <= 2100:
        raise CellError("年份应在 1949 至 2100 之间", "the year must be between 1949 and 2100")
    return year


class FigureImporter(OwnedImporter):
    kind = "positioning-figures"
    ignored_headers = ("地区名称", "行业名称", "备注", "note")

    def load(self) -> None:
        self.regions = RegionLookup()
        self.parks: dict[str, list[Park]] = {}
        for park in Park.objects.only("pk", "name"):
            self.parks.setdefault(cells.fold(park.name), []).append(park)

    def _park(self, value: Any) -> Park:
        found = self.parks.get(cells.fold(cells.cell_text(value)), [])
        if not found:
            raise CellError("没有此名称的园区", "no park has this name")
        if len(found) > 1:
            raise CellError("有多个同名园区,无法确定", "several parks have this name")
        return found[0]

    def columns(self) -> Sequence[Column]:
        return [
            Column("dataset", "数据集", "dataset", cells.text(128), required=True, repeats=True),
            Column(
                "measure",
                "度量",
                "measure",
                cells.choice(
                    [(c, str(label)) for c, label in DatasetMeasure.choices], MEASURE_ALIASES
                ),
                required=True,
                repeats=True,
            ),
            Column("year", "年份", "year", _year, required=True, repeats=True),
            Column(
                "region",
                "地区",
                "region",
                self.regions.parse,
                repeats=True,
                aliases=("行政区划代码", "adcode"),
            ),
            Column("park", "园区", "park", self._park, repeats=True),
            Column(
                "code",
                "行业代码",
                "industry_code",
                cells.industry_code,
                required=True,
                aliases=("国民经济行业代码", "code"),
                repeats=True,
            ),
            Column("value", "数值", "value", _value, required=True, aliases=("值", "val")),
            Column("source", "来源", "source", cells.text(255), repeats=True),
        ]

    def prepare(self, rows: list[Row]) -> None:
        names = {row.values.get("dataset") for row in rows if row.values.get("dataset")}
        self.existing = set(
            Dataset.objects.filter(owner=self.owner, name__in=names).values_list("name", "year")
        )

    def check(self, row: Row) -> list[Problem]:
        values = row.values
        problems = []
        region, park = values.get("region"), values.get("park")
        if (
            "region" not in row.failed
            and "park" not in row.failed
            and (region is None) == (park is None)
        ):
            problems.append(
                self.problem(
                    row,
                    "region",
                    "地区与园区须填且只填一项",
                    "give either a region or a park, not both or neither",
                )
            )
        if (values.get("dataset"), values.get("year")) in self.existing:
            problems.append(
                self.problem(
                    row,
                    "dataset",
                    f"本机构已有 {values.get('year')} 年的数据集“{values.get('dataset')}”,"
                    "请换一个名称或先删除原数据集",
                    "your organisation already has this dataset for this year",
                )
            )
        return problems

    def check_file(self, rows: list[Row]) -> list[Problem]:
        problems = []
        seen: dict[tuple[Any, ...], int] = {}
        measures: dict[tuple[Any, ...], tuple[Any, int]] = {}
        for row in rows:
            v = row.values
            if not v.get("dataset") or not v.get("code"):
                continue
            place = (
                v["region"].adcode if v.get("region") else None,
                getattr(v.get("park"), "pk", None),
            )
            key = (v["dataset"], v.get("year"), place, v["code"])
            first = seen.setdefault(key, row.number)
            if first != row.number:
                problems.append(
                    self.problem(
                        row,
                        "code",
                        f"与第{first}行重复(同一数据集、地点与行业代码)",
                        f"repeats row {first} (same dataset, place and code)",
                    )
                )
            named = (v["dataset"], v.get("year"))
            measure = measures.setdefault(named, (v.get("measure"), row.number))
            if measure[0] != v.get("measure"):
                problems.append(
                    self.problem(
                        row,
                        "measure",
                        f"同一数据集的度量应一致(第{measure[1]}行为另一度量)",
                        f"one dataset has one measure (row {measure[1]} gives another)",
                    )
                )
        return problems

    def save_all(self, rows: list[Row]) -> int | None:
        made: dict[tuple[str, int], Dataset] = {}
        figures = []
        for row in rows:
            v = row.values
            key = (v["dataset"], v["year"])
            if key not in made:
                made[key] = Dataset.objects.create(
                    name=v["dataset"],
                    owner=self.owner,
                    measure=v["measure"],
                    year=v["year"],
                    source=v.get("source") or "",
                )
            figures.append(
                DatasetFigure(
                    dataset=made[key],
                    region=v.get("region"),
                    park=v.get("park"),
                    industry_code=v["code"],
                    value=v["value"],
                )
            )
        DatasetFigure.objects.bulk_create(figures, batch_size=5000)
        return len(figures)


build_importer = importer_factory(FigureImporter)
