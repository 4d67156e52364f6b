"""The region registry and free-text resolution."""

import pytest

from parklink.regions.models import Region
from parklink.regions.services import load_regions, resolve_region
from parklink.regions.table import build_rows


class TestRegistry:
    def test_every_province_city_and_county_is_loaded(self, db):  # type: ignore[no-untyped-def]
        assert Region.objects.count() == len(build_rows()) > 3000
        assert Region.objects.filter(level="province").count() == 34

    def test_parents_and_paths(self, db):  # type: ignore[no-untyped-def]
        dege = Region.objects.get(adcode="513330")
        assert dege.parent.adcode == "513300" and dege.parent.parent.adcode == "510000"
        assert dege.path == "510000/513300/513330"
        assert dege.full_name == "四川省甘孜藏族自治州德格县"
        assert dege.longitude == pytest.approx(98.58, abs=0.01)

    def test_containment(self, db):  # type: ignore[no-untyped-def]
        sichuan = Region.objects.get(adcode="510000")
        assert sichuan.contains(Region.objects.get(adcode="513330"))
        assert not sichuan.contains(Region.objects.get(adcode="620700"))

    def test_municipality_districts_read_naturally(self, db):  # type: ignore[no-untyped-def]
        assert Region.objects.get(adcode="110101").full_name == "北京市东城区"

    def test_reloading_changes_nothing(self, db):  # type: ignore[no-untyped-def]
        before = Region.objects.count()
        assert load_regions() == before


class TestResolve:
    @pytest.mark.parametrize(
        ("text", "adcode"),
        [
            ("甘孜州德格县", "513330"),
            ("什邡市经开区", "510682"),
            ("德格", "513330"),
            ("张掖经开区", "620700"),
            ("510106", "510106"),
            ("浙江省台州市仙居县", "331024"),
        ],
    )
    def test_free_text_finds_the_most_specific_region(self, db, text, adcode):  # type: ignore[no-untyped-def]
        region = resolve_region(text)
        assert region is not None and region.adcode == adcode

    def test_nonsense_resolves_to_nothing(self, db):  # type: ignore[no-untyped-def]
        assert resolve_region("不存在的地方xyz") is None
