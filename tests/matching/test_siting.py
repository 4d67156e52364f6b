"""Park siting (项目选址): parks ranked for a project from the database, as the user may see
them; the pages, the API, the command; who may write needs and capacity."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template import Context, Template
from django.test import Client, RequestFactory

from parklink.accounts.models import Organization, User
from parklink.chains.models import ChainTemplate, TemplateVersion
from parklink.chains.services import templates
from parklink.cobuild.models import Agreement, Party, SharedPolicy
from parklink.core.errors import Forbidden, Invalid, NotFound
from parklink.matching.models import Policy
from parklink.matching.models_siting import ParkCapacity, SitingNeeds
from parklink.matching.services import siting
from parklink.parks.models import Park, ParkIndustry
from parklink.projects.models import Project
from tests.chains.world import place_in
from tests.support import factories

CHAINS = Path(__file__).resolve().parents[2] / "src" / "parklink" / "data" / "chains"


@dataclass
class Site:
    orgs: dict[str, Organization]
    users: dict[str, User]
    parks: dict[str, Park]
    project: Project
    version: TemplateVersion


def _gases() -> TemplateVersion:
    text = (CHAINS / "specialty_gases.yaml").read_text("utf-8")
    chain = templates.check_text(text)
    template = ChainTemplate.objects.create(key=chain.key, name=chain.name)
    return TemplateVersion.objects.create(
        template=template, number=1, text=text, catalog_version=chain.version
    )


@pytest.fixture
def site(db: Any) -> Site:
    orgs = {
        "cdht": factories.organization("成都高新区管委会", "510100", "park_committee"),
        "ganzi": factories.organization("甘孜州人民政府", "513300", "government"),
        "shifang": factories.organization("什邡市人民政府", "510682", "government"),
        "jinniu": factories.organization("金牛区人民政府", "510106", "government"),
        "other": factories.organization("张掖经开区管委会", "620700", "park_committee"),
    }
    users = {key: factories.user(f"{key}_officer", org) for key, org in orgs.items()}
    parks = {
        "ganmei": factories.park(
            orgs["ganzi"], "甘眉工业园", "511400", available_land_mu=Decimal("500")
        ),
        "jinshi": factories.park(
            orgs["shifang"], "金什合作产业园", "510682", "cobuilt_park",
            available_land_mu=Decimal("60"),
        ),
        "zhangye": factories.park(
            orgs["other"], "张掖经开区", "620702", available_land_mu=Decimal("3000")
        ),
    }  # fmt: skip
    ParkIndustry.objects.create(park=parks["jinshi"], name="先进材料", role="leading")
    ParkIndustry.objects.create(park=parks["zhangye"], name="氢能零碳产业", role="representative")
    ParkCapacity.objects.create(park=parks["ganmei"], power_kva=Decimal("30000"))
    version = _gases()
    gas = factories.enterprise(
        orgs["shifang"], "什邡示例电子特气有限公司", "510682",
        sites=[{"park": parks["jinshi"], "region_id": "510682", "role": "manufacturing"}],
    )  # fmt: skip
    place_in(gas, version, "electronic")
    bulk = factories.enterprise(
        orgs["shifang"], "什邡示例空分有限公司", "510682",
        sites=[{"park": parks["jinshi"], "region_id": "510682", "role": "manufacturing"}],
    )  # fmt: skip
    place_in(bulk, version, "bulk")
    agreement = Agreement.objects.create(
        owner=orgs["jinniu"], title="金什共建协议", status="in_force"
    )
    agreement.parks.add(parks["jinshi"])
    Party.objects.create(agreement=agreement, organization=orgs["jinniu"], key="jinniu", order=1)
    Party.objects.create(agreement=agreement, organization=orgs["shifang"], key="shifang", order=2)
    shared = SharedPolicy.objects.create(agreement=agreement, name="金牛区招商优惠政策")
    jinniu_policy = Policy.objects.create(
        owner=orgs["jinniu"], title="金牛区落户奖励", issuer_region_id="510106", status="published"
    )
    jinniu_policy.shared_as.add(shared)
    Policy.objects.create(
        owner=orgs["shifang"], title="什邡市投资补助", issuer_region_id="510682", status="published"
    )
    Policy.objects.create(
        owner=orgs["shifang"], title="什邡市草稿政策", issuer_region_id="510682", status="draft"
    )
    project = factories.project(
        users["cdht"], "一氧化二氮高纯特种气体项目", stage="signed",
        sector="新材料", industry_code="2619", land_area_mu=Decimal("100"),
    )  # fmt: skip
    return Site(orgs, users, parks, project, version)


def reasons_of(found: siting.Siting, park: Park) -> list[str]:
    fit = next(f for f in found.fits if f.park == park)
    return [text for text, _good in fit.reasons()]


class TestRank:
    def test_the_project_is_placed_on_its_chain_segment_from_its_name(self, site: Site) -> None:
        found = siting.rank(site.users["cdht"], site.project)
        assert (found.segment.chain, found.segment.segment) == ("specialty_gases", "electronic")
        assert found.segment.source == "text"

    def test_parks_are_ranked_with_reasons_from_each_source(self, site: Site) -> None:
        found = siting.rank(site.users["shifang"], site.project)
        order = [f.park.name for f in found.fits]
        assert order[0] == "金什合作产业园"
        jinshi = reasons_of(found, site.parks["jinshi"])
        assert "可用土地 60 亩,不足用地 100 亩" in jinshi
        assert "与园区主导产业“先进材料”相符" in jinshi
        assert "园区有本环节企业 1 家、上下游环节企业 1 家" in jinshi
        assert "适用本地政策:什邡市投资补助" in jinshi
        assert "共建园区共享政策:金牛区落户奖励(金什共建协议)" in jinshi
        assert "共建或联动:金什共建协议" in jinshi
        assert not any("草稿" in r for r in jinshi)
        ganmei = reasons_of(found, site.parks["ganmei"])
        assert "可用土地 500 亩,满足用地 100 亩" in ganmei
        assert "园区未登记主导产业" in ganmei
        assert "园区尚无本环节及上下游环节企业" in ganmei

    def test_a_sub_parks_tenants_count_for_its_parent(self, site: Site) -> None:
        parent = factories.park(site.orgs["shifang"], "什邡经开区", "510682")
        Park.objects.filter(pk=site.parks["jinshi"].pk).update(parent=parent)
        found = siting.rank(site.users["shifang"], site.project)
        assert "园区有本环节企业 1 家、上下游环节企业 1 家" in reasons_of(found, parent)

    def test_agreements_the_user_may_not_see_are_not_named(self, site: Site) -> None:
        # A project of 张掖's own: its officers are no party to 金什's agreement.
        project = factories.project(site.users["other"], "张掖示例特气项目", sector="新材料")
        found = siting.rank(site.users["other"], project)
        jinshi = reasons_of(found, site.parks["jinshi"])
        assert not any(r.startswith("共建或联动") for r in jinshi)
        # Published policies are public, with the agreement that shares them (as on their page).
        assert "适用本地政策:什邡市投资补助" in jinshi

    def test_needs_written_by_hand_win_and_power_is_compared(self, site: Site) -> None:
        siting.save_needs(
            site.users["cdht"], site.project, power_kva=Decimal("12000"),
            chain="specialty_gases", segment="bulk",
        )  # fmt: skip
        found = siting.rank(site.users["cdht"], site.project)
        assert found.segment.source == "manual" and found.segment.segment == "bulk"
        ganmei = reasons_of(found, site.parks["ganmei"])
        assert "可供电力 30000 千伏安,满足需求 12000 千伏安" in ganmei
        assert "园区未登记可供电力" in reasons_of(found, site.parks["zhangye"])

    def test_compare_takes_the_top_three_or_the_named_parks(self, site: Site) -> None:
        user = site.users["cdht"]
        top = siting.compare(user, site.project)
        assert len(top.fits) == 3
        named = siting.compare(
            user, site.project, [site.parks["zhangye"].pk, site.parks["ganmei"].pk]
        )
        assert [f.park.name for f in named.fits] == ["张掖经开区", "甘眉工业园"]
        with pytest.raises(Invalid):
            siting.compare(user, site.project, [site.parks["ganmei"].pk])
        with pytest.raises(NotFound):
            siting.compare(user, site.project, [site.parks["ganmei"].pk, 999999])


class TestWrites:
    def test_only_the_projects_organisation_writes_its_needs(self, site: Site) -> None:
        with pytest.raises(Forbidden):
            siting.save_needs(site.users["shifang"], site.project, power_kva=Decimal("1"))
        assert not SitingNeeds.objects.exists()

    def test_bad_needs_are_refused_field_by_field(self, site: Site) -> None:
        user = site.users["cdht"]
        with pytest.raises(Invalid) as error:
            siting.save_needs(user, site.project, power_kva=Decimal("-5"))
        assert error.value.detail == {"field": "power_kva"} or "power_kva" in str(
            error.value.detail
        )
        with pytest.raises(Invalid) as error:
            siting.save_needs(user, site.project, chain="specialty_gases", segment="nope")
        assert "没有环节“nope”" in error.value.message
        with pytest.raises(Invalid):
            siting.save_needs(user, site.project, chain="specialty_gases", segment="")
        assert not SitingNeeds.objects.exists()

    def test_only_the_parks_organisation_writes_its_capacity(self, site: Site) -> None:
        with pytest.raises(Forbidden):
            siting.save_capacity(site.users["cdht"], site.parks["ganmei"], water_tpd=Decimal("9"))
        row = siting.save_capacity(
            site.users["ganzi"], site.parks["ganmei"], water_tpd=Decimal("9")
        )
        assert row.water_tpd == Decimal("9") and row.power_kva == Decimal("30000")


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestPages:
    def test_the_ranked_table_and_the_comparison(self, site: Site) -> None:
        client = _login(site.users["cdht"])
        html = client.get(f"/matching/siting/projects/{site.project.pk}/").content.decode()
        assert 'id="siting-table"' in html and "甘眉工业园" in html and "特种与电子气体" in html
        assert html.index(f'data-park="{site.parks["jinshi"].pk}"') < html.index(
            f'data-park="{site.parks["zhangye"].pk}"'
        )
        compare = client.get(f"/matching/siting/projects/{site.project.pk}/compare/")
        html = compare.content.decode()
        assert compare.status_code == 200 and html.count('<th scope="col" data-park=') == 3
        assert 'data-part="chain"' in html
        listing = client.get("/matching/siting/").content.decode()
        assert f'data-project="{site.project.pk}"' in listing

    def test_needs_and_capacity_forms(self, site: Site) -> None:
        client = _login(site.users["cdht"])
        url = f"/matching/siting/projects/{site.project.pk}/needs/"
        bad = client.post(url, {"power_kva": "0", "segment": ""})
        assert bad.status_code == 422 and not SitingNeeds.objects.exists()
        good = client.post(
            url, {"power_kva": "8000", "water_tpd": "600", "segment": "specialty_gases:electronic"}
        )
        assert good.status_code == 302
        row = SitingNeeds.objects.get()
        assert (row.power_kva, row.segment, row.updated_by) == (
            Decimal("8000"),
            "electronic",
            site.users["cdht"],
        )
        assert (
            client.get(f"/matching/siting/parks/{site.parks['ganmei'].pk}/capacity/").status_code
            == 403
        )
        ganzi = _login(site.users["ganzi"])
        saved = ganzi.post(
            f"/matching/siting/parks/{site.parks['ganmei'].pk}/capacity/",
            {"power_kva": "25000", "water_tpd": "4000"},
        )
        assert saved.status_code == 302
        assert ParkCapacity.objects.get(park=site.parks["ganmei"]).water_tpd == Decimal("4000")

    def test_the_project_page_panel_links_to_siting(self, site: Site) -> None:
        request = RequestFactory().get("/")
        request.user = site.users["cdht"]
        html = Template('{% load panels %}{% panels project "actions" %}').render(
            Context({"request": request, "project": site.project})
        )
        assert f"/matching/siting/projects/{site.project.pk}/" in html


class TestVisibility:
    def test_a_project_of_another_organisation_is_not_found(self, site: Site) -> None:
        outsider = site.users["other"]
        with pytest.raises(NotFound):
            siting.get_project(outsider, site.project.pk)
        client = _login(outsider)
        assert client.get(f"/matching/siting/projects/{site.project.pk}/").status_code == 404
        assert (
            client.get(
                f"/api/v1/matching/siting/projects/{site.project.pk}",
                HTTP_ACCEPT="application/json",
            ).status_code
            == 404
        )
        assert (
            f'data-project="{site.project.pk}"'
            not in client.get("/matching/siting/").content.decode()
        )

    def test_anonymous_visitors_are_sent_to_login(self, site: Site) -> None:
        response = Client().get(f"/matching/siting/projects/{site.project.pk}/")
        assert response.status_code == 302 and "login" in response["Location"]


class TestApiAndCommand:
    def test_the_api_ranks_and_writes(self, site: Site) -> None:
        client = _login(site.users["cdht"])
        data = client.get(f"/api/v1/matching/siting/projects/{site.project.pk}?top=2").json()
        assert data["segment"] == "electronic" and len(data["parks"]) == 2
        first = data["parks"][0]
        assert first["park_name"] == "金什合作产业园" and set(first["parts"]) == set(
            siting.score.PARTS
        )
        assert any(r["code"] == "policies_shared" for r in first["reasons"])
        put = client.put(
            f"/api/v1/matching/siting/projects/{site.project.pk}/needs",
            {"power_kva": "9000", "water_tpd": None, "chain": "", "segment": ""},
            content_type="application/json",
        )
        assert put.status_code == 200 and put.json()["power_kva"] == "9000.00"
        refused = client.put(
            f"/api/v1/matching/siting/parks/{site.parks['ganmei'].pk}/capacity",
            {"power_kva": "1"},
            content_type="application/json",
        )
        assert refused.status_code == 403

    def test_the_command_prints_the_ranking(self, site: Site) -> None:
        out = io.StringIO()
        call_command(
            "matching",
            "siting",
            str(site.project.pk),
            "--top",
            "2",
            "--parts",
            "--as",
            "cdht_officer",
            stdout=out,
        )
        lines = out.getvalue().splitlines()
        assert lines[0].split("\t")[:4] == ["rank", "park", "name", "score"]
        assert len(lines) == 3 and lines[1].split("\t")[2] == "金什合作产业园"
        with pytest.raises(CommandError):
            call_command(
                "matching",
                "siting",
                str(site.project.pk),
                "--as",
                "other_officer",
                stdout=io.StringIO(),
            )
