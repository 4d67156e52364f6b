"""The registry's matrix in Django's cache: read again while nothing changed, computed anew when
an enterprise, a site or a dataset figure changes (real database, the configured cache)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache

from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.positioning.models import Dataset, DatasetFigure
from parklink.positioning.services.matrix import registry_matrix
from parklink.regions.models import Region
from tests.positioning.registry_world import build_registry
from tests.support import factories


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_the_registry_matrix_is_cached_until_an_enterprise_changes() -> None:
    build_registry()
    sichuan = Region.objects.get(adcode="510000")
    first = registry_matrix(within=sichuan)
    again = registry_matrix(within=sichuan)
    assert not first.cached and again.cached
    assert (again.matrix.values == first.matrix.values).all()
    assert registry_matrix(within=sichuan, digits=3).cached is False  # other options
    enterprise = Enterprise.objects.filter(region_id="510682").exclude(industry_code="")[0]
    enterprise.region_id = "510107"
    enterprise.save()
    moved = registry_matrix(within=sichuan)
    assert not moved.cached
    assert (
        moved.matrix.quality["510682"].enterprises == first.matrix.quality["510682"].enterprises - 1
    )
    Enterprise.objects.filter(region_id="510107").delete()  # a queryset delete: signals, counts
    assert "510107" not in registry_matrix(within=sichuan).matrix.quality


@pytest.mark.django_db
def test_a_site_moved_to_another_park_is_seen() -> None:
    build_registry()
    owner = factories.organization("园区管委会", "510682")
    a = factories.park(owner, "甲园", "510682")
    b = factories.park(owner, "乙园", "510682")
    sites = [
        EnterpriseSite.objects.create(enterprise=e, park=a, role="manufacturing")
        for e in Enterprise.objects.filter(region_id="510682")[:25]
    ]
    sichuan = Region.objects.get(adcode="510000")
    before = registry_matrix(within=sichuan, parks=True)
    assert before.matrix.quality[f"park:{a.pk}"].enterprises == 25
    site = sites[0]
    site.park = b
    site.save()  # no count, id or timestamp changes: the generation does
    after = registry_matrix(within=sichuan, parks=True)
    assert not after.cached
    assert after.matrix.quality[f"park:{a.pk}"].enterprises == 24


@pytest.mark.django_db
def test_a_datasets_new_figure_is_seen() -> None:
    data = Dataset.objects.create(name="四县", measure="employment", year=2024)
    for adcode, code, value in [
        ("510603", "34", 9),
        ("510623", "26", 3),
        ("510682", "26", 12),
        ("510682", "34", 2),
    ]:
        DatasetFigure.objects.create(
            dataset=data, region_id=adcode, industry_code=code, value=Decimal(value)
        )
    first = registry_matrix(dataset=data, min_enterprises=1)
    assert registry_matrix(dataset=data, min_enterprises=1).cached
    DatasetFigure.objects.bulk_create(  # no signal: the fingerprint (count, id) changes
        [DatasetFigure(dataset=data, region_id="510683", industry_code="26", value=Decimal(5))]
    )
    later = registry_matrix(dataset=data, min_enterprises=1)
    assert not later.cached and len(later.matrix.places) == len(first.matrix.places) + 1
