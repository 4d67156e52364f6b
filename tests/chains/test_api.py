"""The chains API (/api/v1/chains/): scoped like the pages, refusals as JSON."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from parklink.accounts.models import Organization, User
from parklink.chains.models import ChainLead
from parklink.chains.services import templates
from tests.chains.world import CHAIN_TEXT, World, build

pytestmark = pytest.mark.django_db
BASE = "/api/v1/chains"


@pytest.fixture
def world(orgs: dict[str, Organization], users: dict[str, User]) -> World:
    return build(orgs, users)


@pytest.fixture
def api(world: World, api_client: Callable[[User], Client]) -> Callable[[str], Client]:
    return lambda key: api_client(world.users[key])


class TestTemplates:
    def test_list_and_one(self, world: World, api: Callable[[str], Client]) -> None:
        listed = api("jinniu").get(f"{BASE}/templates").json()
        assert [t["key"] for t in listed] == ["testpv"]
        one = api("jinniu").get(f"{BASE}/templates/{world.template.pk}").json()
        assert one["version"] == 1 and len(one["segment_list"]) == 6
        assert ["silicon", "poly"] in one["edges"]

    def test_copy_and_new_version(self, world: World, api: Callable[[str], Client]) -> None:
        copied = api("jinniu").post(f"{BASE}/templates/{world.template.pk}/copy")
        assert copied.status_code == 201
        pk = copied.json()["id"]
        bad = api("jinniu").post(
            f"{BASE}/templates/{pk}/versions",
            {"text": CHAIN_TEXT.replace("role: service", "role: magic")},
            content_type="application/json",
        )
        assert bad.status_code == 400 and "magic" in bad.json()["detail"]["text"]
        good = api("jinniu").post(
            f"{BASE}/templates/{pk}/versions",
            {"text": CHAIN_TEXT.replace("测试光伏链", "测试链二"), "note": "改名"},
            content_type="application/json",
        )
        assert good.status_code == 201 and good.json()["version"] == 2
        assert api("qingbaijiang").get(f"{BASE}/templates/{pk}").status_code == 404


class TestAssignments:
    def test_read_and_correct(self, world: World, api: Callable[[str], Client]) -> None:
        url = f"{BASE}/enterprises/{world.e['poly1'].pk}/assignments"
        rows = api("jinniu").get(url).json()
        assert [(r["segment"], r["source"]) for r in rows] == [("poly", "classifier")]
        put = api("jinniu").put(
            url,
            {"template": world.template.pk, "segments": ["wafer"]},
            content_type="application/json",
        )
        assert put.status_code == 200 and put.json()[0]["source"] == "correction"
        assert put.json()[0]["corrected_by"] == "jinniu_officer"
        deleted = api("jinniu").delete(f"{url}/{world.template.pk}")
        assert deleted.status_code == 204

    def test_no_correction_through_another_organisations_template(
        self, world: World, api: Callable[[str], Client]
    ) -> None:
        own = templates.copy_template(world.users["jinniu"], world.template)
        url = f"{BASE}/enterprises/{world.e['poly1'].pk}/assignments"
        body = {"template": own.pk, "segments": ["poly"]}
        assert (
            api("qingbaijiang").put(url, body, content_type="application/json").status_code == 404
        )
        assert (
            api("jinniu_viewer").put(url, body, content_type="application/json").status_code == 403
        )


class TestCoverage:
    def test_coverage(self, world: World, api: Callable[[str], Client]) -> None:
        found = api("jinniu").get(f"{BASE}/coverage?place=region:510106&chain=testpv").json()
        labels = {s["key"]: s["label"] for s in found["segments"]}
        assert labels["cell"] == "strong" and labels["silicon"] == "missing"
        cell = next(s for s in found["segments"] if s["key"] == "cell")
        assert cell["registered_capital"] == "2010000000.00"
        assert found["version"] == 1 and found["rules"]["strong_enterprises"] == 10

    def test_projects_only_where_visible(self, world: World, api: Callable[[str], Client]) -> None:
        url = f"{BASE}/coverage?place=region:510106&chain=testpv"
        wafer = lambda key: next(  # noqa: E731
            s for s in api(key).get(url).json()["segments"] if s["key"] == "wafer"
        )
        assert wafer("jinniu")["projects"] == {}
        assert wafer("city")["projects"] == {"lead": 1}

    def test_compare(self, world: World, api: Callable[[str], Client]) -> None:
        found = (
            api("jinniu")
            .get(f"{BASE}/compare?chain=testpv&place=region:510106&place=region:510682")
            .json()
        )
        assert [p["place"] for p in found["places"]] == ["region:510106", "region:510682"]
        one = api("jinniu").get(f"{BASE}/compare?chain=testpv&place=region:510106")
        assert one.status_code == 400

    def test_a_bad_place(self, world: World, api: Callable[[str], Client]) -> None:
        response = api("jinniu").get(f"{BASE}/coverage?place=somewhere&chain=testpv")
        assert response.status_code == 400


class TestTargets:
    def test_targets_and_a_lead(self, world: World, api: Callable[[str], Client]) -> None:
        found = (
            api("jinniu")
            .get(f"{BASE}/targets?place=region:510106&chain=testpv&segment=silicon")
            .json()
        )
        assert [t["enterprise"] for t in found["targets"]] == [
            world.e["big_silicon"].pk,
            world.e["small_silicon"].pk,
        ]
        assert "链主企业" in found["targets"][0]["reasons"]
        made = api("jinniu").post(
            f"{BASE}/leads",
            {
                "place": "region:510106",
                "chain": "testpv",
                "segment": "silicon",
                "enterprise": world.e["big_silicon"].pk,
            },
            content_type="application/json",
        )
        assert made.status_code == 201
        assert made.json()["label"] == "missing"
        again = api("jinniu").post(
            f"{BASE}/leads",
            {
                "place": "region:510106",
                "chain": "testpv",
                "segment": "silicon",
                "enterprise": world.e["big_silicon"].pk,
            },
            content_type="application/json",
        )
        assert again.status_code == 409
        assert ChainLead.objects.count() == 1


def test_coverage_and_targets_run_a_fixed_number_of_queries(
    world: World, api: Callable[[str], Client]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from parklink.chains.models import Assignment, Source
    from tests.support import factories

    client = api("jinniu")
    urls = [
        f"{BASE}/coverage?place=region:510106&chain=testpv",
        f"{BASE}/targets?place=region:510106&chain=testpv",
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    for n in range(20):
        for adcode, segment in (("510106", "wafer"), ("620702", "module")):
            made = factories.enterprise(world.orgs["jinniu"], f"新增{segment}{n}", adcode)
            Assignment.objects.create(
                enterprise=made, template=world.template, version=world.version,
                segment=segment, score=0.8, source=Source.CLASSIFIER,
            )  # fmt: skip
    assert counts() == before
