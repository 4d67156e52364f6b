"""Two years side by side: RCA and ECI changes per place, the industries' growth elsewhere in
the ranking (pure functions, then the demo's 2020 and 2024 tables on a real database)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from django.test import Client

from parklink.core.errors import Invalid
from parklink.core.registry import DemoContext
from parklink.positioning import demo
from parklink.positioning.change import growth_elsewhere, place_change
from parklink.positioning.complexity import compute
from parklink.positioning.models import Dataset
from parklink.positioning.recommend import recommend
from parklink.positioning.services.report import Options, place_report
from tests.support import factories


def test_growth_elsewhere_leaves_the_place_out() -> None:
    earlier = (["a", "b", "c"], ["x", "y"], np.array([[10.0, 0], [5, 4], [5, 0]]))
    later = (["a", "b", "c"], ["x", "y", "z"], np.array([[100.0, 0, 1], [10, 2, 0], [10, 0, 0]]))
    growth = growth_elsewhere("a", earlier, later)
    assert growth["x"] == pytest.approx(1.0)  # b + c: 10 → 20, a's 10 → 100 ignored
    assert growth["y"] == pytest.approx(-0.5)
    assert math.isnan(growth["z"])  # not in the earlier year
    change = place_change("a", 0.1, 0.4, {"x": 1.2}, {"x": 2.0, "y": 0.5}, growth)
    assert change.eci_change == pytest.approx(0.3)
    rows = {c.industry: c for c in change.industries}
    assert rows["x"].rca_change == pytest.approx(0.8) and math.isnan(rows["y"].rca_change)


def test_growth_moves_the_ranking() -> None:
    rng = np.random.default_rng(3)
    values = rng.lognormal(0, 1, (30, 12)) * (rng.random((30, 12)) < 0.5)
    result = compute(values)
    codes = [f"{j:02d}" for j in range(12)]
    plain = recommend(result, 0, codes)
    candidates = [c.industry for c in plain.candidates()]
    last = candidates[-1]
    boosted = recommend(result, 0, codes, growth={c: (10.0 if c == last else -0.5) for c in codes})
    ranks = {c.industry: c.rank for c in boosted.candidates()}
    assert sorted(ranks.values()) == list(range(1, len(candidates) + 1))
    assert ranks[last] < len(candidates)  # the only growing industry climbs
    ordered = boosted.candidates()
    assert all(a.score >= b.score for a, b in itertools.pairwise(ordered))
    item = next(c for c in boosted.candidates() if c.industry == last)
    assert ("growth_elsewhere", 10.0) in item.reasons
    assert all(r[0] != "growth_elsewhere" for c in plain.candidates() for r in c.reasons)


@pytest.fixture
def years(db) -> tuple[Dataset, Dataset]:
    ctx = DemoContext(admin=None)
    demo.load_dataset(ctx)
    demo.load_dataset(ctx)
    return ctx.lookup("positioning", "sichuan_2020"), ctx.lookup("positioning", "sichuan")


class TestTwoYears:
    def test_the_demo_has_an_earlier_year(self, years) -> None:
        earlier, later = years
        assert (earlier.year, later.year) == (2020, 2024) and earlier.illustrative
        assert Dataset.objects.filter(name=demo.EARLIER).count() == 1
        assert 0 < earlier.figures.count() <= later.figures.count()

    def test_changes_and_growth_in_the_report(self, years) -> None:
        earlier, later = years
        report = place_report("510682", Options(dataset=later, compare=earlier))
        change = report.change
        assert change is not None and math.isfinite(change.eci_change)
        assert change.eci_to == pytest.approx(report.found.eci)
        alone = place_report("510682", Options(dataset=earlier))
        assert change.eci_from == pytest.approx(alone.found.eci)
        growth = change.growth()
        assert sum(math.isfinite(g) for g in growth.values()) >= 30
        # harder divisions grew faster in the demo: software (65) faster than farming (01)
        assert growth["65"] > growth["01"]
        candidates = report.found.candidates()
        assert all(any(r[0] == "growth_elsewhere" for r in c.reasons) for c in candidates)
        assert [c.rank for c in candidates] == list(range(1, len(candidates) + 1))

    def test_refusals(self, years) -> None:
        earlier, later = years
        with pytest.raises(Invalid) as error:
            place_report("510682", Options(dataset=earlier, compare=later))
        assert "早于" in error.value.message
        with pytest.raises(Invalid) as error:
            place_report("510682", Options(compare=earlier))
        assert "需要选择数据集" in error.value.message

    def test_page_and_api(self, years, api_client) -> None:
        earlier, later = years
        user = factories.user("sf", factories.organization("什邡市经信局", "510682"))
        client = Client()
        client.force_login(user)
        query = {"dataset": later.pk, "compare": earlier.pk, "place": "什邡市"}
        page = client.get("/positioning/", {**query, "measure": "count", "digits": 2})
        html = page.content.decode()
        assert page.status_code == 200 and "2020 年至 2024 年的变化" in html
        assert 'id="change-table"' in html and "data-growth" in html
        body = (
            api_client(user)
            .get("/api/v1/positioning/recommend", {**query, "place": "510682"})
            .json()
        )
        assert body["change"]["year_from"] == 2020 and body["change"]["year_to"] == 2024
        assert body["change"]["eci_change"] is not None
        assert any(c["growth_elsewhere"] is not None for c in body["candidates"])


def test_the_export_has_the_change_sheet(years) -> None:
    import io

    from openpyxl import load_workbook

    earlier, later = years
    user = factories.user("sx", factories.organization("什邡市经信局", "510682"))
    client = Client()
    client.force_login(user)
    answer = client.get(
        "/positioning/export.xlsx",
        {
            "dataset": later.pk,
            "compare": earlier.pk,
            "place": "什邡市",
            "measure": "count",
            "digits": 2,
        },
    )
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["推荐产业", "已具优势", "已排除", "变化", "说明"]
    notes = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert notes["比较年份"] == 2020 and "示例数据 / synthetic" in notes
    header = next(book["变化"].iter_rows(values_only=True))
    assert header[:2] == ("行业代码", "行业名称") and header[-1] == "其他地区增长"
