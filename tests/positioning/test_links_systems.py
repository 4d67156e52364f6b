"""A recommendation's links (chain segments and the chains' targets view), saving it into the
place's industry system, and editing industry systems on pages (real database)."""

from __future__ import annotations

import pytest
from django.test import Client

from parklink.chains.services.templates import load_shipped
from parklink.core.errors import Forbidden, Invalid
from parklink.core.registry import DemoContext
from parklink.positioning import demo
from parklink.positioning.links import segments_by_industry
from parklink.positioning.models import Dataset, DeclaredIndustry, IndustrySystem
from parklink.positioning.services import systems as service
from parklink.regions.models import Region
from tests.support import factories


def test_segments_match_codes_in_either_direction() -> None:
    chains = [
        (1, "ic", "集成电路", [("design", "设计", ("6520",)), ("fab", "制造", ("3973",))]),
        (2, "med", "医疗器械", [("devices", "器械", ("358",)), ("none", "无", ())]),
    ]
    found = segments_by_industry(["39", "3581", "65", "13"], chains)
    assert [r.segment for r in found["39"]] == ["fab"]
    assert [r.segment for r in found["3581"]] == ["devices"]  # the segment's 358 covers it
    assert [r.segment for r in found["65"]] == ["design"]
    assert found["13"] == []


@pytest.fixture
def sichuan(db) -> Dataset:
    ctx = DemoContext(admin=None)
    demo.load_dataset(ctx)
    load_shipped()
    return ctx.lookup("positioning", "sichuan")


@pytest.fixture
def officer(db):
    org = factories.organization("什邡市经信局", "510682")
    return factories.user("shifang", org)


def _page(user, dataset: Dataset) -> tuple[Client, str, object]:
    client = Client()
    client.force_login(user)
    page = client.get(
        "/positioning/",
        {"dataset": dataset.pk, "place": "什邡市", "measure": "count", "digits": 2},
    )
    assert page.status_code == 200
    return client, page.content.decode(), page


class TestLinks:
    def test_candidates_open_their_segments_and_targets(self, sichuan, officer, api_client):
        client, html, page = _page(officer, sichuan)
        rows = page.context["candidates"]
        linked = [(item, links) for item, _n, _q, _r, links, _g in rows if links]
        assert linked, "some candidate industry must belong to a shipped chain's segment"
        item, links = linked[0]
        label, url = links[0]
        assert url.startswith("/chains/targets/?place=region%3A510682&chain=")
        assert "segment=" in url and url.replace("&", "&amp;") in html
        assert client.get(url).status_code == 200  # the chains' targets view takes it
        body = (
            api_client(officer)
            .get("/api/v1/positioning/recommend", {"dataset": sichuan.pk, "place": "510682"})
            .json()
        )
        by_code = {c["industry"]: c for c in body["candidates"]}
        assert by_code[item.industry]["segments"][0]["targets_url"] == url
        assert f"{by_code[item.industry]['segments'][0]['chain_name']}·" in label


class TestSaveRecommendation:
    def test_saved_into_a_working_draft_then_refused_twice(self, sichuan, officer) -> None:
        client, html, page = _page(officer, sichuan)
        first = page.context["candidates"][0][0].industry
        assert "存入产业体系" in html
        answer = client.post(
            "/positioning/systems/save/",
            {"place": "510682", "industry": first, "next": "/positioning/?place=510682"},
        )
        assert answer.status_code == 302 and answer["Location"] == "/positioning/?place=510682"
        system = IndustrySystem.objects.get(region_id="510682")
        assert system.owner_id == officer.organization_id and "工作稿" in system.name
        assert [d.codes for d in system.industries.all()] == [first]
        with pytest.raises(Invalid) as error:
            service.save_recommendation(officer, Region.objects.get(adcode="510682"), first)
        assert "已在" in error.value.message
        # the page now compares the place with it
        _c, html, page = _page(officer, sichuan)
        assert f'data-system="{system.pk}"' in html

    def test_a_viewer_and_a_foreign_url_get_nothing(self, sichuan) -> None:
        viewer = factories.user("viewer", factories.organization("某局", "510682"), role="viewer")
        client = Client()
        client.force_login(viewer)
        answer = client.post(
            "/positioning/systems/save/",
            {"place": "510682", "industry": "39", "next": "https://evil.example/"},
        )
        assert answer.status_code == 302 and answer["Location"] == "/positioning/systems/"
        assert not DeclaredIndustry.objects.filter(system__region_id="510682").exists()


@pytest.mark.django_db
class TestSystemPages:
    def test_create_add_edit_delete(self, officer) -> None:
        client = Client()
        client.force_login(officer)
        answer = client.post(
            "/positioning/systems/",
            {
                "region": "什邡市",
                "name": "什邡“1+3”产业体系",
                "declared_by": "什邡市",
                "source": "",
            },
        )
        assert answer.status_code == 302
        system = IndustrySystem.objects.get(name="什邡“1+3”产业体系")
        url = f"/positioning/systems/{system.pk}/"
        bad = client.post(
            url,
            {"action": "add", "add-name": "磷化工", "add-role": "leading", "add-codes": "26,9999"},
        )
        assert "GB/T 4754-2017 中没有代码“9999”" in bad.content.decode()
        client.post(
            url,
            {"action": "add", "add-name": "磷化工", "add-role": "leading", "add-codes": "26,2624"},
        )
        item = system.industries.get()
        assert item.codes == "26,2624" and item.role == "leading"
        client.post(
            f"/positioning/systems/industries/{item.pk}/",
            {
                "action": "save",
                f"item{item.pk}-name": "磷化工及新材料",
                f"item{item.pk}-role": "representative",
                f"item{item.pk}-codes": "26",
            },
        )
        item.refresh_from_db()
        assert (item.name, item.role, item.codes) == ("磷化工及新材料", "representative", "26")
        page = client.get(url).content.decode()
        assert "磷化工及新材料" in page and "与数据比较" in page
        client.post(f"/positioning/systems/industries/{item.pk}/", {"action": "delete"})
        assert not system.industries.exists()
        client.post(url, {"action": "delete", "system-name": system.name})
        assert not IndustrySystem.objects.filter(pk=system.pk).exists()

    def test_another_organisation_reads_but_cannot_change(self, officer) -> None:
        system = service.create_system(officer, Region.objects.get(adcode="510682"), "什邡产业体系")
        item = service.add_industry(officer, system, "磷化工", "leading", "26")
        other = factories.user("other", factories.organization("德阳市投促局", "510600"))
        client = Client()
        client.force_login(other)
        page = client.get(f"/positioning/systems/{system.pk}/").content.decode()
        assert "磷化工" in page and 'id="declared-add"' not in page
        client.post(
            f"/positioning/systems/industries/{item.pk}/",
            {
                "action": "save",
                f"item{item.pk}-name": "改",
                f"item{item.pk}-role": "leading",
                f"item{item.pk}-codes": "13",
            },
        )
        client.post(f"/positioning/systems/{system.pk}/", {"action": "delete"})
        item.refresh_from_db()
        assert item.codes == "26" and IndustrySystem.objects.filter(pk=system.pk).exists()
        with pytest.raises(Forbidden):
            service.delete_industry(other, item)
