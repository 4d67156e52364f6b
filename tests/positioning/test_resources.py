"""Resource fit: the shipped table, the pure rule, and a place's parks' recorded resources
applied before ranking (real database)."""

from __future__ import annotations

import pytest
from django.test import Client

from parklink.parks.models import ParkResource, ResourceKind
from parklink.positioning.resources import KINDS, fit, needs_of, table
from parklink.positioning.services.report import Options, place_report
from tests.positioning.registry_world import build_registry
from tests.support import factories


class TestTable:
    def test_every_code_exists_and_every_kind_is_a_park_resource(self) -> None:
        from parklink.chains.industry_codes import table as codes

        assert set(KINDS) == set(ResourceKind.values)
        for code, entry in table().items():
            assert code in codes()
            assert entry.needs or entry.uses

    def test_the_longest_code_decides(self) -> None:
        assert "wind_potential" in needs_of("4415").needs
        assert not needs_of("4411").needs and "water" in needs_of("4411").uses
        assert needs_of("3911").needs == frozenset()


class TestFit:
    def test_needs_exclude_only_when_required_and_uses_favour(self) -> None:
        loose = fit(["13", "26", "6450", "39"], ["green_power"])
        assert loose.excluded == {} and loose.missing == {
            "13": ["needs:water"],
            "26": ["needs:water"],
        }
        assert loose.favoured == {"26": ["uses:green_power"], "6450": ["uses:green_power"]}
        strict = fit(["13", "26", "6450", "39"], ["green_power"], require=True)
        assert strict.excluded == {"13": ["needs:water"], "26": ["needs:water"]}

    def test_a_place_without_recorded_resources_is_not_judged(self) -> None:
        found = fit(["13", "26"], [], require=True)
        assert not found.judged and found.excluded == {} and found.missing == {}


@pytest.mark.django_db
class TestOnThePlace:
    def test_parks_resources_exclude_before_ranking(self) -> None:
        build_registry()
        owner = factories.organization("什邡市经信局", "510682")
        park = factories.park(owner, "什邡经济开发区", "510682")
        ParkResource.objects.create(park=park, kind="green_power")
        report = place_report("510682", Options(require_resources=True))
        assert report.resources == ["green_power"]
        assert report.found.excluded["13"] == ["needs:water"]
        assert "13" not in {c.industry for c in report.found.candidates()}
        loose = place_report("510682", Options())
        assert "13" in {i.industry for i in loose.found.items}
        assert loose.resource_fit is not None and loose.resource_fit.favoured["26"] == [
            "uses:green_power"
        ]

    def test_the_page_says_what_was_recorded(self) -> None:
        build_registry()
        client = Client()
        client.force_login(factories.user("u", factories.organization("德格县", "513330")))
        page = client.get("/positioning/", {"place": "513330", "measure": "count", "digits": 2})
        assert "本地园区未记录资源禀赋" in page.content.decode()
