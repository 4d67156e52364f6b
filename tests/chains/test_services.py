"""Chain services on a real database: coverage and gap labels, targets, leads, visibility."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parklink.accounts.models import Organization, User
from parklink.chains.coverage import Label
from parklink.chains.models import ChainLead, GapRules
from parklink.chains.services import coverage, places, targets
from parklink.core.errors import Conflict, Forbidden, Invalid, NotFound
from parklink.projects.models import LeadSource, Project, StageTransition
from tests.chains.world import World, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(orgs: dict[str, Organization], users: dict[str, User]) -> World:
    return build(orgs, users)


def labels_of(found: coverage.Coverage) -> dict[str, str]:
    return {item.key: item.label.code for item in found.segments}


class TestCoverage:
    def test_labels_on_the_obvious_registry(self, world: World) -> None:
        user = world.users["jinniu"]
        found = coverage.coverage(user, places.resolve(user, "region:510106"), world.template)
        assert labels_of(found) == {
            "silicon": "missing",
            "poly": "weak",
            "wafer": "present",
            "cell": "strong",
            "module": "missing",
            "plant": "present",
        }
        cell = found.figures("cell")
        assert (cell.enterprises, cell.leaders) == (3, 1)
        assert cell.capital == Decimal("2010000000.00")  # 20 亿 + 2 × 500 万, exact
        assert found.figures("plant").listed == 1
        assert found.enterprise_total == 8
        assert found.version.number == 1

    def test_a_region_above_counts_everything_inside(self, world: World) -> None:
        user = world.users["province"]
        found = coverage.coverage(user, places.resolve(user, "region:510000"), world.template)
        # 青白江's small 工业硅 maker is in the province; 张掖's is not.
        assert found.figures("silicon").enterprises == 1

    def test_the_organisations_rules_change_the_labels(self, world: World) -> None:
        GapRules.objects.create(
            organization=world.orgs["jinniu"],
            strong_enterprises=2,
            strong_leader_enterprises=2,
            present_enterprises=1,
        )
        user = world.users["jinniu"]
        found = coverage.coverage(user, places.resolve(user, "region:510106"), world.template)
        assert labels_of(found)["wafer"] == "strong"
        assert labels_of(found)["poly"] == "present"
        other = world.users["city"]  # the city keeps the defaults
        found = coverage.coverage(other, places.resolve(other, "region:510106"), world.template)
        assert labels_of(found)["wafer"] == "present"

    def test_projects_are_counted_only_where_visible(self, world: World) -> None:
        place_ref = "region:510106"
        jinniu = world.users["jinniu"]
        found = coverage.coverage(jinniu, places.resolve(jinniu, place_ref), world.template)
        assert found.figures("cell").projects == {"signed": 1}
        assert found.figures("wafer").projects == {}  # the city's lead is not jinniu's to see
        city = world.users["city"]
        found = coverage.coverage(city, places.resolve(city, place_ref), world.template)
        assert found.figures("wafer").projects == {"lead": 1}
        assert found.figures("cell").projects == {"signed": 1}

    def test_a_park_counts_enterprises_with_a_site_there(self, world: World) -> None:
        user = world.users["jinniu"]
        found = coverage.coverage(
            user, places.resolve(user, f"park:{world.parks['shifang_park'].pk}"), world.template
        )
        assert found.figures("module").enterprises == 1
        assert found.members["module"] == [world.e["partner"].pk]

    def test_compare_says_who_manufactures(self, world: World) -> None:
        user = world.users["jinniu"]
        both = coverage.compare(
            user,
            [places.resolve(user, "region:510106"), places.resolve(user, "region:510682")],
            world.template,
        )
        assert both[0].figures("module").enterprises == 0
        assert both[1].figures("module").manufacturing_sites == 1


class TestPlaces:
    def test_unknown_forms_are_refused_with_the_expected_form(self, world: World) -> None:
        user = world.users["jinniu"]
        with pytest.raises(Invalid) as error:
            places.resolve(user, "county:510106")
        assert "region:" in error.value.message
        with pytest.raises(NotFound):
            places.resolve(user, "region:999999")

    def test_partners_of_a_region_are_its_linked_parks_regions(self, world: World) -> None:
        user = world.users["jinniu"]
        place = places.resolve(user, "region:510106")
        assert [region.adcode for region in place.partners] == ["510682"]


class TestTargets:
    def test_gaps_are_filled_from_outside_the_place(self, world: World) -> None:
        user = world.users["jinniu"]
        found = targets.targets(user, places.resolve(user, "region:510106"), world.template)
        assert found.segments == ["silicon", "poly", "module"]
        ids = [t.enterprise.pk for t in found.targets]
        inside = {world.e[key].pk for key in ("poly1", "wafer0", "cell_leader", "plant1")}
        assert not inside & set(ids)
        assert world.e["big_silicon"].pk in ids

    def test_the_large_leader_outranks_the_small_firm(self, world: World) -> None:
        user = world.users["jinniu"]
        found = targets.targets(
            user, places.resolve(user, "region:510106"), world.template, ["silicon"]
        )
        assert [t.enterprise.pk for t in found.targets] == [
            world.e["big_silicon"].pk,
            world.e["small_silicon"].pk,
        ]
        reasons = targets.reason_texts(found.targets[0].ranked, {"poly": "多晶硅"})
        assert "链主企业" in reasons and "上市企业" in reasons
        assert any("多晶硅 1 家" in text for text in reasons)  # it would supply 金牛's 多晶硅

    def test_a_site_in_the_partner_region_ranks_first(self, world: World) -> None:
        user = world.users["jinniu"]
        found = targets.targets(
            user, places.resolve(user, "region:510106"), world.template, ["module"]
        )
        assert [t.enterprise.pk for t in found.targets] == [
            world.e["partner"].pk,
            world.e["plain"].pk,
        ]
        assert any("什邡市" in text for text in targets.reason_texts(found.targets[0].ranked, {}))

    def test_an_unknown_segment_is_named(self, world: World) -> None:
        user = world.users["jinniu"]
        with pytest.raises(Invalid) as error:
            targets.targets(user, places.resolve(user, "region:510106"), world.template, ["nope"])
        assert "nope" in error.value.message


class TestMakeLead:
    def test_a_target_becomes_the_organisations_lead_with_its_reason(self, world: World) -> None:
        user = world.users["jinniu"]
        place = places.resolve(user, "region:510106")
        lead = targets.make_lead(user, place, world.template, "silicon", world.e["big_silicon"].pk)
        project = Project.objects.get(pk=lead.project_id)
        assert project.owner_id == world.orgs["jinniu"].pk
        assert project.stage == "lead"
        assert project.investor_id == world.e["big_silicon"].pk
        assert project.region_id == "510106"
        assert project.lead_source == LeadSource.OTHER
        assert "工业硅" in project.lead_source_detail and "缺" in project.lead_source_detail
        assert StageTransition.objects.filter(project=project, to_stage="lead").count() == 1
        assert (lead.segment, lead.label, lead.place, lead.version_id) == (
            "silicon",
            "missing",
            "region:510106",
            world.version.pk,
        )
        # The target list now shows it as taken, and the map counts it in its segment.
        found = targets.targets(user, place, world.template, ["silicon"])
        assert found.targets[0].lead is not None
        mapped = coverage.coverage(user, place, world.template)
        assert mapped.figures("silicon").projects == {"lead": 1}

    def test_a_lower_ranked_target_keeps_its_own_score(self, world: World) -> None:
        user = world.users["jinniu"]
        place = places.resolve(user, "region:510106")
        listed = targets.targets(user, place, world.template, ["silicon"])
        second = next(t for t in listed.targets if t.enterprise == world.e["small_silicon"])
        lead = targets.make_lead(
            user, place, world.template, "silicon", world.e["small_silicon"].pk
        )
        assert lead.score == second.score

    def test_the_same_lead_twice_is_a_conflict(self, world: World) -> None:
        user = world.users["jinniu"]
        place = places.resolve(user, "region:510106")
        targets.make_lead(user, place, world.template, "silicon", world.e["big_silicon"].pk)
        with pytest.raises(Conflict):
            targets.make_lead(user, place, world.template, "silicon", world.e["big_silicon"].pk)
        assert ChainLead.objects.count() == 1

    def test_an_enterprise_inside_the_place_is_no_target(self, world: World) -> None:
        user = world.users["jinniu"]
        place = places.resolve(user, "region:510106")
        with pytest.raises(Invalid):
            targets.make_lead(user, place, world.template, "poly", world.e["poly1"].pk)
        assert not Project.objects.filter(investor=world.e["poly1"]).exists()

    def test_a_viewer_cannot_make_a_lead(self, world: World) -> None:
        viewer = world.users["jinniu_viewer"]
        place = places.resolve(viewer, "region:510106")
        with pytest.raises(Forbidden):
            targets.make_lead(viewer, place, world.template, "silicon", world.e["big_silicon"].pk)
        assert ChainLead.objects.count() == 0

    def test_another_organisation_does_not_see_the_lead_in_its_targets(self, world: World) -> None:
        jinniu = world.users["jinniu"]
        targets.make_lead(
            jinniu,
            places.resolve(jinniu, "region:510106"),
            world.template,
            "silicon",
            world.e["big_silicon"].pk,
        )
        other = world.users["qingbaijiang"]
        found = targets.targets(
            other, places.resolve(other, "region:510106"), world.template, ["silicon"]
        )
        assert all(t.lead is None for t in found.targets)
        mapped = coverage.coverage(other, places.resolve(other, "region:510106"), world.template)
        assert mapped.figures("silicon").projects == {}


def test_labels_enum_is_ordered() -> None:
    assert Label.MISSING < Label.WEAK < Label.PRESENT < Label.STRONG
