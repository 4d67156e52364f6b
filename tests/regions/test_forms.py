"""Region form parts: a typed region read as a Region, and filter choices under their parents."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from parklink.regions.forms import RegionField, region_choices

pytestmark = pytest.mark.django_db


class TestRegionField:
    @pytest.mark.parametrize("typed", ["513330", "德格县", "甘孜州德格县", "德格县 (513330)"])
    def test_reads_an_adcode_a_name_or_both(self, typed: str) -> None:
        region = RegionField().clean(typed)
        assert region is not None and region.adcode == "513330"

    def test_blank_is_no_region(self) -> None:
        assert RegionField(required=False).clean("") is None

    def test_an_unknown_region_is_refused_with_the_text(self) -> None:
        with pytest.raises(forms.ValidationError) as refused:
            RegionField().clean("Atlantis")
        assert "Atlantis" in str(refused.value)

    def test_an_adcode_is_shown_with_its_full_name(self) -> None:
        assert RegionField().prepare_value("513330") == "四川省甘孜藏族自治州德格县 (513330)"


class TestRegionChoices:
    def test_regions_are_indented_under_their_parents(self, db: Any) -> None:
        choices = region_choices(["510000/513300/513330"])
        assert choices == [
            ("", "全部地区"),
            ("510000", "四川省"),
            ("513300", "\u3000甘孜藏族自治州"),
            ("513330", "\u3000\u3000德格县"),
        ]

    def test_the_selected_region_is_offered_too(self, db: Any) -> None:
        assert ("620700", "\u3000张掖市") in region_choices([], selected="620700")
