"""The region registry and free-text resolution."""

import pytest

from parklink.regions.models import Region
from parklink.regions.services import load_regions, resolve_region, short_name
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

    @pytest.mark.parametrize(
        ("text", "adcode"),
        [
            ("海南州", "632500"),  # the prefecture in Qinghai, not Hainan province
            ("恩施州", "422800"),  # the prefecture, not its seat 恩施市
            ("大理州", "532900"),
            ("临夏州", "622900"),
            ("阿坝州", "513200"),
            ("甘南州", "623000"),
        ],
    )
    def test_a_prefecture_called_by_its_short_name_and_zhou_is_the_prefecture(  # type: ignore[no-untyped-def]
        self, db, text, adcode
    ):
        region = resolve_region(text)
        assert region is not None and region.adcode == adcode

    @pytest.mark.parametrize(("text", "adcode"), [("甘孜", "513300"), ("临夏", "622900")])
    def test_a_name_shared_by_a_prefecture_and_its_own_county_means_the_prefecture(  # type: ignore[no-untyped-def]
        self, db, text, adcode
    ):
        region = resolve_region(text)
        assert region is not None and region.adcode == adcode

    @pytest.mark.parametrize(
        ("text", "adcode"),
        [
            ("四川德格", "513330"),
            ("四川甘孜德格", "513330"),
            ("甘孜德格", "513330"),
            ("台州仙居", "331024"),
            ("中国四川德格", "513330"),
            ("四川省，甘孜州，德格县", "513330"),
        ],
    )
    def test_a_county_after_its_province_or_city_is_found(self, db, text, adcode):  # type: ignore[no-untyped-def]
        region = resolve_region(text)
        assert region is not None and region.adcode == adcode

    def test_a_name_several_unrelated_places_share_stays_unresolved(self, db):  # type: ignore[no-untyped-def]
        # 东乡族自治县 (甘肃) and 东乡区 (江西) are both called 东乡.
        assert resolve_region("东乡") is None
        assert resolve_region("东乡族自治县").adcode == "622926"  # type: ignore[union-attr]


class TestShortName:
    @pytest.mark.parametrize(
        ("name", "short"),
        [
            ("甘孜藏族自治州", "甘孜"),
            ("双江拉祜族佤族布朗族傣族自治县", "双江"),
            ("博尔塔拉蒙古自治州", "博尔塔拉"),
            ("青龙满族自治县", "青龙"),
            ("莫力达瓦达斡尔族自治旗", "莫力达瓦"),
            ("东乡族自治县", "东乡"),
            ("内蒙古自治区", "内蒙古"),
            ("广西壮族自治区", "广西"),
            ("神农架林区", "神农架"),
            ("德格县", "德格"),
        ],
    )
    def test_peoples_and_suffixes_are_dropped(self, name, short):  # type: ignore[no-untyped-def]
        assert short_name(name) == short
