"""Classifying the registry: bulk runs, changed enterprises, corrections that survive, accuracy."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parklink.accounts.models import Organization, User
from parklink.chains.models import Assignment, ChangedEnterprise, Source
from parklink.chains.services import classification, templates
from parklink.core.errors import Forbidden, Invalid
from parklink.enterprises.models import Enterprise
from tests.chains.world import World, build, shipped_template
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(orgs: dict[str, Organization], users: dict[str, User]) -> World:
    return build(orgs, users)


def make(org: Organization, name: str, scope: str) -> Enterprise:
    return factories.enterprise(org, name, "510106", description=scope)


def segments(enterprise: Enterprise, source: str = Source.CLASSIFIER) -> list[str]:
    return list(
        Assignment.objects.filter(enterprise=enterprise, source=source)
        .order_by("rank")
        .values_list("segment", flat=True)
    )


class TestRun:
    def test_the_registry_is_classified_in_bulk(self, orgs: dict[str, Organization]) -> None:
        template, _version = shipped_template()
        poly = make(orgs["jinniu"], "金牛多晶硅材料有限公司", "一般项目:多晶硅的研发、生产和销售。")
        plain = make(orgs["jinniu"], "金牛餐饮管理有限公司", "餐饮服务;食品销售。")
        for n in range(30):
            make(
                orgs["jinniu"],
                f"光伏组件制造{n}号有限公司",
                "光伏组件的生产、制造;太阳能发电技术服务。",
            )
        with CaptureQueriesContext(connection) as queries:
            summary = classification.classify_registry(batch=10)
        assert summary.enterprises == 32
        assert segments(poly)[0] == "poly"
        assert segments(plain) == []
        # Per batch of 10: a read, a delete, an insert, the changed rows' delete (+ savepoints):
        # never a query per enterprise.
        assert len(queries) < 40
        assert Assignment.objects.filter(segment="module", accepted=True).count() == 30
        assert template.versions.get().classified_at is not None

    def test_a_second_run_replaces_the_classifiers_rows(
        self, orgs: dict[str, Organization]
    ) -> None:
        shipped_template()
        poly = make(orgs["jinniu"], "金牛多晶硅材料有限公司", "多晶硅的研发、生产和销售。")
        classification.classify_registry()
        before = Assignment.objects.filter(enterprise=poly).count()
        classification.classify_registry()
        assert Assignment.objects.filter(enterprise=poly).count() == before

    def test_saving_an_enterprise_marks_it_changed(self, orgs: dict[str, Organization]) -> None:
        shipped_template()
        poly = make(orgs["jinniu"], "金牛硅材料有限公司", "技术服务。")
        other = make(orgs["jinniu"], "金牛餐饮有限公司", "餐饮服务。")
        classification.classify_registry()
        assert not ChangedEnterprise.objects.exists()
        poly.description = "多晶硅的研发、生产和销售。"
        poly.save()
        assert list(ChangedEnterprise.objects.values_list("enterprise_id", flat=True)) == [poly.pk]
        summary = classification.classify_registry(changed_only=True)
        assert summary.enterprises == 1
        assert segments(poly)[:1] == ["poly"]
        assert not ChangedEnterprise.objects.exists()
        assert other.pk not in set(Assignment.objects.values_list("enterprise_id", flat=True))


class TestCorrections:
    def test_a_correction_wins_and_survives_a_rerun(self, world: World) -> None:
        officer = world.users["jinniu"]
        enterprise = world.e["poly1"]
        classification.correct(officer, enterprise, world.template, ["wafer"], "实地走访")
        classification.classify_registry()
        placed = classification.placements([world.template.pk])
        assert [p.segment for p in placed[(enterprise.pk, world.template.pk)]] == ["wafer"]
        row = Assignment.objects.get(enterprise=enterprise, source=Source.CORRECTION)
        assert (row.corrected_by, row.segment) == (officer, "wafer")
        assert "实地走访" in row.evidence[0]

    def test_not_in_this_chain(self, world: World) -> None:
        classification.correct(world.users["jinniu"], world.e["poly1"], world.template, [])
        placed = classification.placements([world.template.pk])
        assert (world.e["poly1"].pk, world.template.pk) not in placed

    def test_clearing_hands_the_enterprise_back(self, world: World) -> None:
        officer = world.users["jinniu"]
        classification.correct(officer, world.e["poly1"], world.template, [])
        classification.clear_correction(officer, world.e["poly1"], world.template)
        placed = classification.placements([world.template.pk])
        assert [p.segment for p in placed[(world.e["poly1"].pk, world.template.pk)]] == ["poly"]

    def test_an_unknown_segment_is_named(self, world: World) -> None:
        with pytest.raises(Invalid) as error:
            classification.correct(world.users["jinniu"], world.e["poly1"], world.template, ["x"])
        assert "x" in error.value.message

    def test_a_viewer_cannot_correct(self, world: World) -> None:
        with pytest.raises(Forbidden):
            classification.correct(
                world.users["jinniu_viewer"], world.e["poly1"], world.template, ["wafer"]
            )

    def test_nobody_corrects_through_another_organisations_template(self, world: World) -> None:
        own = templates.copy_template(world.users["jinniu"], world.template)
        with pytest.raises(Forbidden):
            classification.correct(world.users["qingbaijiang"], world.e["poly1"], own, ["poly"])
        classification.correct(world.users["jinniu"], world.e["poly1"], own, ["poly"])
        assert Assignment.objects.filter(template=own, source=Source.CORRECTION).count() == 1


class TestAccuracy:
    def test_top1_and_top3_against_the_corrections(self, world: World) -> None:
        officer = world.users["jinniu"]
        version = world.version
        # poly1: classifier says poly (rank 1) — confirmed: a top-1 hit.
        classification.correct(officer, world.e["poly1"], world.template, ["poly"])
        # wafer0: classifier says wafer first, cell second — truth is cell: top-3 only.
        Assignment.objects.create(
            enterprise=world.e["wafer0"],
            template=world.template,
            version=version,
            segment="cell",
            score=0.4,
            rank=2,
            accepted=False,
            source=Source.CLASSIFIER,
        )
        classification.correct(officer, world.e["wafer0"], world.template, ["cell"])
        # plant1: truth is "no segment" but the classifier accepted plant: a miss.
        classification.correct(officer, world.e["plant1"], world.template, [])
        # unplaced: truth is "no segment" and the classifier accepted none: a hit.
        classification.correct(officer, world.e["unplaced"], world.template, [])
        found = classification.accuracy(officer)
        assert (found.corrections, found.top1, found.top3) == (4, 2, 3)
        assert found.per_chain == {"testpv": [4, 2, 3]}
        assert found.rate(found.top1) == 0.5

    def test_another_organisations_template_is_not_counted(self, world: World) -> None:
        own = templates.copy_template(world.users["jinniu"], world.template)
        classification.correct(world.users["jinniu"], world.e["poly1"], own, ["poly"])
        assert classification.accuracy(world.users["qingbaijiang"]).corrections == 0
        assert classification.accuracy(world.users["jinniu"]).corrections == 1


def test_a_correction_elsewhere_removes_an_enterprise_from_a_segments_pool(world: World) -> None:
    classification.correct(
        world.users["jinniu"], world.e["small_silicon"], world.template, ["plant"]
    )
    placed = classification.placements([world.template.pk], segments=["silicon"])
    assert (world.e["small_silicon"].pk, world.template.pk) in placed  # read, and placed …
    assert [p.segment for p in placed[(world.e["small_silicon"].pk, world.template.pk)]] == [
        "plant"
    ]
    assert (world.e["poly1"].pk, world.template.pk) not in placed  # … others not read at all


def test_an_enterprise_created_through_its_service_is_marked_changed(
    users: dict[str, User],
) -> None:
    from parklink.enterprises import services as enterprise_services

    made = enterprise_services.create_enterprise(
        users["jinniu"], name="新建多晶硅有限公司", region_id="510106"
    )
    assert ChangedEnterprise.objects.filter(enterprise=made).exists()
