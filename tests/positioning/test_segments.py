"""Chain segments as the product axis: the registry's enterprises by chains' effective
placements (corrections win), a dataset's figures by their codes, names, screening and links
(pure functions, then a real database)."""

from __future__ import annotations

import pytest
from django.test import Client

from parklink.chains.models import Assignment, ChainTemplate, Source
from parklink.chains.services.templates import (
    chain_of,
    current_version,
    load_shipped,
)
from parklink.enterprises.models import Enterprise
from parklink.positioning.links import segments_of_code, spread
from parklink.positioning.services.matrix import registry_matrix
from parklink.positioning.services.report import Options, place_report
from parklink.regions.models import Region
from tests.positioning.registry_world import build_registry
from tests.support import factories


def test_a_figure_falls_in_the_segments_whose_codes_it_starts_with() -> None:
    segments = [("a", ("397",)), ("b", ("3973", "3974")), ("c", ("26",))]
    assert segments_of_code("3973", segments) == ["a", "b"]
    assert segments_of_code("39", segments) == []  # a whole division cannot be split
    assert segments_of_code("2614", segments) == ["c"]


def test_a_row_in_two_segments_counts_once_towards_size() -> None:
    rows = [("p", "x", 5, 1), ("p", "y", 3, 1)]
    out = list(spread(rows, lambda code: ["s1", "s2"] if code == "x" else []))
    assert out == [("p", "s1", 5, 1), ("p", "s2", 5, 0)]


DIVISIONS = ("65", "64", "72", "39", "52", "51", "36", "34", "38", "26", "25", "31", "13")


@pytest.fixture
def chain_world(db) -> tuple[ChainTemplate, list[str]]:
    """The registry world, each enterprise placed by its division in one of the segments of a
    shipped chain (a classifier row), like a classification run would."""
    build_registry()
    load_shipped()
    template = ChainTemplate.objects.get(owner=None, key="integrated_circuits")
    version = current_version(template)
    keys = [s.key for s in chain_of(version).segments]
    segment_of = {d: keys[n % len(keys)] for n, d in enumerate(DIVISIONS)}
    Assignment.objects.bulk_create(
        Assignment(
            enterprise_id=pk,
            template=template,
            version=version,
            segment=segment_of[code[:2]],
            score=0.9,
            rank=1,
            accepted=True,
            source=Source.CLASSIFIER,
        )
        for pk, code in Enterprise.objects.values_list("pk", "industry_code")
        if code[:2] in segment_of
    )
    return template, keys


class TestRegistrySegments:
    def test_products_are_segments_with_their_names(self, chain_world) -> None:
        template, keys = chain_world
        report = place_report("510682", Options(chain=template, min_enterprises=5))
        products = report.placed.matrix.industries
        assert products and set(products) <= set(keys)
        names = report.product_names()
        chain = chain_of(current_version(template))
        assert names == {s.key: s.name for s in chain.segments}
        assert report.quality.classified_share == 1.0  # only the chain's enterprises count
        assert report.found.place == "510682"

    def test_a_correction_wins(self, chain_world) -> None:
        template, _keys = chain_world
        within = Region.objects.get(adcode="510000")
        before = registry_matrix(within=within, chain=template, min_enterprises=5)
        enterprise = Enterprise.objects.filter(region_id="510682").exclude(industry_code="")[0]
        Assignment.objects.create(
            enterprise=enterprise,
            template=template,
            version=current_version(template),
            segment="",  # "in no segment of this chain"
            source=Source.CORRECTION,
        )
        after = registry_matrix(within=within, chain=template, min_enterprises=5)
        assert (
            after.matrix.quality["510682"].enterprises
            == before.matrix.quality["510682"].enterprises - 1
        )

    def test_page_api_and_links(self, chain_world, api_client) -> None:
        template, keys = chain_world
        user = factories.user("ic", factories.organization("什邡市经信局", "510682"))
        client = Client()
        client.force_login(user)
        page = client.get(
            "/positioning/",
            {
                "place": "什邡市",
                "measure": "count",
                "digits": 2,
                "chain": template.pk,
                "min_enterprises": 5,
            },
        )
        assert page.status_code == 200
        rows = page.context["candidates"]
        assert rows, page.content.decode()[:2000]
        item, name, _q, _r, links, _g = rows[0]
        assert item.industry in keys and name
        assert links == [
            (
                f"{template.name}·{name}",
                f"/chains/targets/?place=region%3A510682&chain={template.pk}"
                f"&segment={item.industry}",
            )
        ]
        body = (
            api_client(user)
            .get(
                "/api/v1/positioning/recommend",
                {"place": "510682", "chain": template.pk, "min_enterprises": 5},
            )
            .json()
        )
        assert body["chain"] == template.pk
        assert {c["industry"] for c in body["candidates"]} <= set(keys)
        assert body["systems"] == []

    def test_another_organisations_template_is_a_404(self, chain_world, api_client) -> None:
        other = factories.organization("别的机构", "510100")
        private = ChainTemplate.objects.create(owner=other, key="own", name="自有模板")
        user = factories.user("ic2", factories.organization("什邡市经信局", "510682"))
        answer = api_client(user).get(
            "/api/v1/positioning/recommend", {"place": "510682", "chain": private.pk}
        )
        assert answer.status_code == 404


@pytest.mark.django_db
def test_a_datasets_figures_fall_in_segments_by_code() -> None:
    from decimal import Decimal

    from parklink.positioning.models import Dataset, DatasetFigure

    load_shipped()
    template = ChainTemplate.objects.get(owner=None, key="integrated_circuits")
    segments = [s for s in chain_of(current_version(template)).segments if s.industry_codes]
    data = Dataset.objects.create(name="四县", measure="enterprises", year=2024)
    counties = ["510104", "510105", "510106", "510107"]
    for n, adcode in enumerate(counties):
        for m, segment in enumerate(segments[:4]):
            value = 10 + ((n + 1) * (m + 2) * 7) % 23
            DatasetFigure.objects.create(
                dataset=data,
                region_id=adcode,
                industry_code=segment.industry_codes[0],
                value=Decimal(value),
            )
        DatasetFigure.objects.create(  # outside the chain: left out
            dataset=data, region_id=adcode, industry_code="0111", value=Decimal(500)
        )
    placed = registry_matrix(
        dataset=data, chain=template, within=Region.objects.get(adcode="510100"), min_enterprises=5
    )
    m = placed.matrix
    assert set(m.industries) <= {s.key for s in segments}
    assert all(q.enterprises < 500 for q in m.quality.values())
    assert m.values.sum() > 0
