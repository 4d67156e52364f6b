"""Places other than regions: parks as places of their own (a dataset's park rows, or the
registry's enterprises by their sites) and a metro area's counties as the comparison (real
database)."""

from __future__ import annotations

import pytest
from django.test import Client

from parklink.chains.models import MetroArea, MetroMember
from parklink.core.errors import Invalid, NotFound
from parklink.core.registry import DemoContext
from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.positioning import demo
from parklink.positioning.models import Dataset, DatasetFigure
from parklink.positioning.services.matrix import park_key, registry_matrix
from parklink.positioning.services.report import Options, place_report
from parklink.regions.models import Region
from tests.positioning.registry_world import build_registry
from tests.support import factories


@pytest.fixture
def gaoxin(db):
    owner = factories.organization("成都高新区管委会", "510100")
    return factories.park(owner, "成都高新区", "510100", kind="high_tech_zone")


@pytest.fixture
def sichuan(gaoxin) -> Dataset:
    ctx = DemoContext(admin=None)
    ctx.remember("parks", "cdht", gaoxin)
    demo.load_dataset(ctx)
    demo.load_dataset(ctx)  # twice: the park's rows are not added again
    return ctx.lookup("positioning", "sichuan")


@pytest.fixture
def metro(db) -> MetroArea:
    area = MetroArea.objects.create(key="cdmz", name="成德眉资")
    for order, adcode in enumerate(("510100", "510600", "511400", "512000")):
        MetroMember.objects.create(metro=area, region_id=adcode, order=order)
    return area


class TestParkInTheDemo:
    def test_the_park_has_its_own_rows_once(self, sichuan: Dataset, gaoxin) -> None:
        rows = DatasetFigure.objects.filter(dataset=sichuan, park=gaoxin)
        assert rows.count() >= 10
        assert not rows.filter(region__isnull=False).exists()
        assert {"39", "65", "27"} <= set(rows.values_list("industry_code", flat=True))

    def test_the_park_is_compared_with_the_provinces_counties(
        self, sichuan: Dataset, gaoxin
    ) -> None:
        report = place_report("", Options(dataset=sichuan, park=gaoxin.pk))
        counties = Region.objects.filter(level="county", path__startswith="510000/").count()
        m = report.placed.matrix
        assert report.key == park_key(gaoxin.pk) and report.name == "成都高新区"
        assert report.key in m.places and len(m.places) <= counties + 1
        assert sum(p.startswith("park:") for p in m.places) == 1
        assert report.compared_with == "四川省"
        assert len(report.found.candidates()) >= 10
        # a capable park: its ECI is above the median county's
        eci = report.result.eci
        assert report.found.eci > sorted(eci)[len(eci) // 2]

    def test_the_park_has_an_earlier_year_too(self, sichuan: Dataset, gaoxin) -> None:
        import math

        from parklink.positioning.models import Dataset as DatasetModel

        earlier = DatasetModel.objects.get(name=demo.EARLIER)
        assert DatasetFigure.objects.filter(dataset=earlier, park=gaoxin).count() >= 10
        report = place_report("", Options(dataset=sichuan, compare=earlier, park=gaoxin.pk))
        assert report.change is not None and math.isfinite(report.change.eci_change)

    def test_a_region_report_leaves_the_parks_out(self, sichuan: Dataset, gaoxin) -> None:
        report = place_report("510682", Options(dataset=sichuan))
        assert not any(p.startswith("park:") for p in report.placed.matrix.places)

    def test_page_and_api_show_the_park(self, sichuan: Dataset, gaoxin, api_client) -> None:
        user = factories.user("gx", factories.organization("成都市投促局", "510100"))
        client = Client()
        client.force_login(user)
        page = client.get(
            "/positioning/",
            {"dataset": sichuan.pk, "park": gaoxin.pk, "measure": "count", "digits": 2},
        )
        html = page.content.decode()
        assert page.status_code == 200, html
        assert "成都高新区" in html and "园区作为单独的地点" in html and "data-illustrative" in html
        answer = api_client(user).get(
            "/api/v1/positioning/recommend", {"dataset": sichuan.pk, "park": gaoxin.pk}
        )
        assert answer.status_code == 200, answer.content
        body = answer.json()
        assert body["place"] == f"park:{gaoxin.pk}" and body["park"] == gaoxin.pk
        assert body["place_name"] == "成都高新区" and body["illustrative"] is True

    def test_no_place_and_no_park_is_refused(self, sichuan: Dataset, api_client) -> None:
        user = factories.user("nobody", factories.organization("某机构", "510100"))
        answer = api_client(user).get("/api/v1/positioning/recommend", {"dataset": sichuan.pk})
        assert answer.status_code == 400
        assert "请填写地区或选择园区" in answer.content.decode()
        with pytest.raises(NotFound):
            place_report("", Options(dataset=sichuan, park=999_999))


class TestMetroArea:
    def test_the_metros_counties_are_the_comparison(self, sichuan: Dataset, metro) -> None:
        report = place_report("510682", Options(dataset=sichuan, metro="cdmz"))
        places = set(report.placed.matrix.places)
        members = ("510100/", "510600/", "511400/", "512000/")
        inside = {
            r.adcode
            for r in Region.objects.filter(level="county")
            if any(f"/{m}" in f"/{r.path}/" or r.path.startswith(f"510000/{m}") for m in members)
        }
        assert places and places <= inside
        assert "513330" not in places  # 德格县 is not in the metro area
        assert report.within is None and report.compared_with == "成德眉资"

    def test_a_place_outside_the_metro_is_refused(self, sichuan: Dataset, metro) -> None:
        with pytest.raises(Invalid) as error:
            place_report("513330", Options(dataset=sichuan, metro="cdmz"))
        assert "不在成德眉资内" in error.value.message
        with pytest.raises(NotFound):
            place_report("510682", Options(dataset=sichuan, metro="nowhere"))


@pytest.mark.django_db
class TestRegistryParks:
    def test_enterprises_by_their_sites_count_once_per_park(self) -> None:
        build_registry()
        owner = factories.organization("园区甲管委会", "510682")
        park_a = factories.park(owner, "什邡经开区", "510682")
        park_b = factories.park(owner, "成都某园区", "510107")
        for enterprise in Enterprise.objects.filter(region_id="510682")[:30]:
            for role in ("headquarters", "manufacturing"):  # two sites, one park
                EnterpriseSite.objects.create(enterprise=enterprise, park=park_a, role=role)
        for enterprise in Enterprise.objects.filter(region_id="510107")[:25]:
            EnterpriseSite.objects.create(enterprise=enterprise, park=park_b, role="rnd")
        placed = registry_matrix(
            within=Region.objects.get(adcode="510000"), parks=True, min_enterprises=20
        )
        quality = placed.matrix.quality
        assert quality[park_key(park_a.pk)].enterprises == 30
        assert quality[park_key(park_b.pk)].enterprises == 25
        assert placed.names[park_key(park_a.pk)] == "什邡经开区"
        report = place_report("", Options(park=park_a.pk))
        assert report.place.adcode == "510682" and report.found.place == park_key(park_a.pk)
