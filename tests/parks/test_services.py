"""Park rules: hierarchy without cycles, carriers that add up, owner-only writes."""

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
