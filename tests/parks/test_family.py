"""A park's 一区多园 family is walked once per park instance, whoever asks for it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parklink.parks.family import family_of
from parklink.parks.models import Park

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(orgs):  # type: ignore[no-untyped-def]
    def make(name: str, parent: Park | None = None) -> Park:
        return Park.objects.create(
            owner=orgs["jinniu"],
            name=name,
            kind="industrial_park",
            region_id="510106",
            parent=parent,
        )

    top = make("主园")
    middle = make("分园", top)
    return top, middle, make("子园", middle)


class TestFamilyOf:
    def test_a_middle_park_sees_the_whole_family_and_what_lies_under_it(self, tree) -> None:  # type: ignore[no-untyped-def]
        top, middle, leaf = tree
        family = family_of(Park.objects.get(pk=middle.pk))
        assert family.top == top
        assert set(family.parks) == {top.pk, middle.pk, leaf.pk}
        assert family.descendants == [leaf.pk]

    def test_children_of_are_one_level_down(self, tree) -> None:  # type: ignore[no-untyped-def]
        top, middle, _leaf = tree
        family = family_of(Park.objects.get(pk=top.pk))
        assert [p.pk for p in family.children_of(family.parks[top.pk])] == [middle.pk]

    def test_a_second_ask_reads_nothing(self, tree) -> None:  # type: ignore[no-untyped-def]
        park = Park.objects.get(pk=tree[1].pk)
        first = family_of(park)
        with CaptureQueriesContext(connection) as captured:
            again = family_of(park)
        assert again is first and len(captured) == 0
