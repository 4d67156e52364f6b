"""Park rules: hierarchy without cycles, carriers that add up, owner-only writes."""

from datetime import date
from decimal import Decimal

import pytest

from parklink.core.errors import Duplicate, Forbidden, Invalid
from parklink.parks.services import create_park, update_park


class TestParks:
    def test_a_park_cannot_become_its_own_ancestor(self, users):  # type: ignore[no-untyped-def]
        officer = users["zhangye"]
        zone = create_park(officer, name="张掖经开区", kind="national_etdz", region_id="620700")
        child = create_park(
            officer, name="循环经济示范园", kind="industrial_park", region_id="620700", parent=zone
        )
        with pytest.raises(Invalid) as caught:
            update_park(officer, zone, parent=child)
        assert "parent" in caught.value.detail

    def test_occupied_carrier_cannot_exceed_built(self, users):  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid):
            create_park(
                users["dege"],
                name="马尼干戈产业园",
                kind="industrial_park",
                region_id="513330",
                carrier_built_m2=Decimal(100),
                carrier_occupied_m2=Decimal(200),
            )

    def test_same_name_in_same_region_is_refused(self, users):  # type: ignore[no-untyped-def]
        create_park(
            users["dege"], name="马尼干戈产业园", kind="industrial_park", region_id="513330"
        )
        with pytest.raises(Duplicate):
            create_park(
                users["dege"], name="马尼干戈产业园", kind="industrial_park", region_id="513330"
            )

    def test_only_the_owner_changes_a_park(self, users):  # type: ignore[no-untyped-def]
        park = create_park(
            users["dege"], name="马尼干戈产业园", kind="industrial_park", region_id="513330"
        )
        with pytest.raises(Forbidden):
            update_park(users["city"], park, name="改名")


class TestEstablished:
    def test_a_park_established_in_2099_is_refused(self, users):  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            create_park(
                users["dege"],
                name="未来产业园",
                kind="industrial_park",
                region_id="513330",
                established=date(2099, 1, 1),
            )
        assert caught.value.detail == {"established": "设立日期不能晚于今天"}

    def test_a_park_established_before_1949_10_01_is_refused(self, users):  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            create_park(
                users["dege"],
                name="古代产业园",
                kind="industrial_park",
                region_id="513330",
                established=date(1900, 1, 1),
            )
        assert caught.value.detail == {"established": "设立日期不能早于1949-10-01"}


class TestColumnLimits:
    """Values the table cannot hold are refused by the rules, not by the database."""

    def test_an_area_too_wide_for_its_column_is_refused_and_nothing_is_stored(self, users):  # type: ignore[no-untyped-def]
        from parklink.parks.models import Park

        with pytest.raises(Invalid) as caught:
            create_park(
                users["dege"],
                name="规划面积过大园区",
                kind="industrial_park",
                region_id="513330",
                planned_area_mu=Decimal("1e15"),
            )
        assert "planned_area_mu" in caught.value.detail
        assert not Park.objects.filter(name="规划面积过大园区").exists()

    def test_a_carrier_too_wide_is_named_and_not_compared(self, users):  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            create_park(
                users["dege"],
                name="载体过大园区",
                kind="industrial_park",
                region_id="513330",
                carrier_built_m2=Decimal("1e12"),
                carrier_occupied_m2=Decimal(5),
            )
        assert set(caught.value.detail) == {"carrier_built_m2"}

    def test_a_name_longer_than_its_column_is_refused(self, users):  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            create_park(users["dege"], name="园" * 129, kind="industrial_park", region_id="513330")
        assert "name" in caught.value.detail

    def test_surrounding_spaces_do_not_make_a_second_park_of_the_same_name(self, users):  # type: ignore[no-untyped-def]
        create_park(
            users["dege"], name="马尼干戈产业园", kind="industrial_park", region_id="513330"
        )
        with pytest.raises(Duplicate):
            create_park(
                users["dege"], name=" 马尼干戈产业园 ", kind="industrial_park", region_id="513330"
            )
