"""Datasets (a statistical table or the demo's 示例数据) as the matrix's source: the demo step,
recommendations on it, and who may read which dataset (real database)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from parklink.core.registry import DemoContext
from parklink.positioning import demo
from parklink.positioning.models import Dataset, DatasetFigure
from parklink.positioning.queries import visible_datasets
from parklink.positioning.services.report import Options, place_report
from parklink.regions.models import Region
from tests.support import factories


@pytest.fixture
def sichuan(db) -> Dataset:
    ctx = DemoContext(admin=None)
    demo.load_dataset(ctx)
    demo.load_dataset(ctx)  # twice: nothing more
    return ctx.lookup("positioning", "sichuan")


@pytest.fixture
def private(db) -> Dataset:
    """An organisation's own employment table of four counties."""
    owner = factories.organization("德阳市统计局", "510600")
    data = Dataset.objects.create(name="德阳从业人员", owner=owner, measure="employment", year=2023)
    for adcode, figures in {
        "510603": {"34": 900, "38": 500, "13": 50},
        "510623": {"26": 300, "34": 200, "13": 80},
        "510682": {"26": 1200, "27": 400, "13": 90},
        "510683": {"13": 600, "26": 100, "34": 30},
    }.items():
        for code, value in figures.items():
            DatasetFigure.objects.create(
                dataset=data, region_id=adcode, industry_code=code, value=Decimal(value)
            )
    return data


class TestDemoDataset:
    def test_every_county_of_sichuan_once(self, sichuan: Dataset) -> None:
        counties = Region.objects.filter(level="county", path__startswith="510000/").count()
        assert Dataset.objects.filter(name=demo.NAME).count() == 1
        assert sichuan.illustrative and sichuan.owner is None
        places = set(sichuan.figures.values_list("region_id", flat=True))
        assert len(places) == counties

    @pytest.mark.parametrize("place", ["513330", "510682"])
    def test_dege_and_shifang_get_recommendations(self, sichuan: Dataset, place: str) -> None:
        report = place_report(place, Options(dataset=sichuan, min_enterprises=20))
        assert not report.result.codes() & {"weak_structure", "disconnected"}
        assert len(report.found.candidates()) >= 10
        assert report.quality.grade in {"A", "B", "C"}
        assert report.placed.measure == "enterprises"

    def test_the_page_marks_it_illustrative(self, sichuan: Dataset) -> None:
        org = factories.organization("什邡市经信局", "510682")
        client = Client()
        client.force_login(factories.user("shifang", org))
        page = client.get(
            "/positioning/",
            {"dataset": sichuan.pk, "place": "什邡市", "digits": 2, "measure": "count"},
        )
        html = page.content.decode()
        assert page.status_code == 200 and "data-illustrative" in html
        assert "示例数据 / synthetic" in html


class TestVisibility:
    def test_an_organisations_dataset_is_its_own(self, private: Dataset, client_for) -> None:
        report = place_report("510682", Options(dataset=private, min_enterprises=1))
        assert report.placed.measure == "employment" and len(report.placed.matrix.places) == 4
        # jinniu (金牛区) is another organisation: the dataset does not exist for it.
        api = client_for("jinniu")
        answer = api.get(
            "/api/v1/positioning/recommend", {"place": "510682", "dataset": private.pk}
        )
        assert answer.status_code == 404
        owner_user = factories.user("deyang", private.owner)
        assert private in visible_datasets(owner_user)
        assert private not in visible_datasets(
            factories.user("outsider", factories.organization("外地", "110101"))
        )

    def test_the_page_refuses_another_organisations_dataset(self, private: Dataset) -> None:
        client = Client()
        client.force_login(factories.user("outsider", factories.organization("外地", "110101")))
        page = client.get(
            "/positioning/",
            {"dataset": private.pk, "place": "510682", "digits": 2, "measure": "count"},
        )
        assert page.status_code == 200 and "report" not in page.context
        assert page.context["form"].errors["dataset"]

    def test_the_command_needs_a_user_who_may_see_it(self, private: Dataset) -> None:
        factories.user("outsider", factories.organization("外地", "110101"))
        with pytest.raises(CommandError, match="--as"):
            call_command(
                "positioning", "recommend", "--place", "510682", "--dataset", str(private.pk)
            )
        with pytest.raises(CommandError, match="数据集不存在"):
            call_command(
                "positioning",
                "recommend",
                "--place",
                "510682",
                "--dataset",
                str(private.pk),
                "--as",
                "outsider",
                stdout=io.StringIO(),
            )
        factories.user("deyang", private.owner)
        out = io.StringIO()
        call_command(
            "positioning",
            "recommend",
            "--place",
            "510682",
            "--dataset",
            str(private.pk),
            "--as",
            "deyang",
            "--min-enterprises",
            "1",
            stdout=out,
        )
        assert "什邡市:ECI" in out.getvalue()


class TestAdmin:
    def test_staff_list_only_the_datasets_they_may_see(
        self, private: Dataset, sichuan: Dataset
    ) -> None:
        outsider = factories.user("outsider", factories.organization("外地", "110101"))
        outsider.is_staff = True
        outsider.is_superuser = False
        outsider.save()
        from django.contrib.auth.models import Permission

        outsider.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_dataset", "change_dataset"])
        )
        client = Client()
        client.force_login(outsider)
        page = client.get("/admin/positioning/dataset/")
        assert page.status_code == 200
        html = page.content.decode()
        assert sichuan.name in html and private.name not in html
        assert client.get(f"/admin/positioning/dataset/{private.pk}/change/").status_code in {
            302,
            404,
        }
