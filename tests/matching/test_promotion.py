"""Promotion (招商推介): only what an organisation published reaches its public pages; leads,
negotiations, confidential fields and other organisations' items never do; enquiries become
leads, rate limited, bots dropped."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from parklink.accounts.models import Organization, Role, User
from parklink.core.errors import Conflict, Forbidden, Invalid
from parklink.matching.models import Policy
from parklink.matching.models_promotion import Enquiry, Publication
from parklink.matching.models_siting import ParkCapacity
from parklink.matching.services import promotion
from parklink.parks.models import Park, ParkIndustry
from parklink.projects.models import LeadSource, Project
from parklink.projects.services import transition
from tests.matching.test_siting import _gases
from tests.support import factories

SECRETS = (
    "绝密线索项目",
    "在谈机密项目",
    "内部说明勿外传",
    "内部备注勿外传",
    "示例投资方有限公司",
    "13900000000",
    "草稿政策勿外传",
    "他方园区项目",
    "他方政策",
)


@dataclass
class Promo:
    orgs: dict[str, Organization]
    users: dict[str, User]
    park: Park
    other_park: Park
    policy: Policy
    draft: Policy
    signed: Project
    lead: Project
    negotiating: Project


@pytest.fixture
def promo(db: Any) -> Promo:
    cache.clear()
    orgs = {
        "chenzhou": factories.organization("郴州高新区管委会", "431000", "park_committee"),
        "other": factories.organization("张掖经开区管委会", "620700", "park_committee"),
    }
    users = {key: factories.user(f"{key}_officer", org) for key, org in orgs.items()}
    users["viewer"] = factories.user("chenzhou_viewer", orgs["chenzhou"], role=Role.VIEWER)
    park = factories.park(
        orgs["chenzhou"], "郴州高新区", "431000", "high_tech_zone",
        available_land_mu=Decimal("1200"), carrier_built_m2=Decimal("300000"),
        carrier_occupied_m2=Decimal("250000"),
    )  # fmt: skip
    ParkIndustry.objects.create(park=park, name="电子信息", role="leading")
    ParkCapacity.objects.create(park=park, power_kva=Decimal("50000"))
    other_park = factories.park(orgs["other"], "张掖经开区", "620702")
    policy = Policy.objects.create(
        owner=orgs["chenzhou"], title="郴州高新区招商优惠政策", issuer_region_id="431000",
        status="published", benefit_kind="other", benefit_note="一事一议",
    )  # fmt: skip
    draft = Policy.objects.create(
        owner=orgs["chenzhou"], title="草稿政策勿外传", issuer_region_id="431000"
    )
    Policy.objects.create(
        owner=orgs["other"], title="他方政策", issuer_region_id="620700", status="published"
    )
    investor = factories.enterprise(orgs["chenzhou"], "示例投资方有限公司", "431000")
    officer = users["chenzhou"]
    signed = factories.project(
        officer, "智能终端产业园项目", stage="signed", park=park, investor=investor,
        maturity="B", sector="电子信息", total_investment=Decimal("500000000"),
        description="内部说明勿外传", remarks="内部备注勿外传 13900000000",
        land_area_mu=Decimal("150"),
    )  # fmt: skip
    lead = factories.project(officer, "绝密线索项目", stage="lead", park=park, maturity="A")
    negotiating = factories.project(
        officer, "在谈机密项目", stage="negotiating", park=park, maturity="A"
    )
    factories.project(users["other"], "他方园区项目", stage="signed", park=other_park)
    return Promo(orgs, users, park, other_park, policy, draft, signed, lead, negotiating)


def _publish_all(p: Promo) -> None:
    officer = p.users["chenzhou"]
    promotion.publish_park(officer, p.park)
    promotion.publish_policy(officer, p.policy, p.park)
    promotion.publish_project(officer, p.signed, "面向电子信息企业招引整机与模组配套。")


def _public(url: str, **headers: Any) -> str:
    response = Client().get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def _assert_no_secrets(html: str) -> None:
    for secret in SECRETS:
        assert secret not in html, secret


class TestPublicPages:
    def test_nothing_is_public_until_it_is_published(self, promo: Promo) -> None:
        html = _public(f"/matching/promote/parks/{promo.park.pk}/")
        assert 'id="nothing-published"' in html
        for text in ("智能终端产业园项目", "郴州高新区招商优惠政策", "1200亩"):
            assert text not in html
        _assert_no_secrets(html)

    def test_published_items_show_and_nothing_else(self, promo: Promo) -> None:
        _publish_all(promo)
        for url in (
            f"/matching/promote/parks/{promo.park.pk}/",
            f"/matching/promote/orgs/{promo.orgs['chenzhou'].pk}/",
        ):
            html = _public(url)
            assert "1200亩" in html and "5万平方米" in html and "电子信息" in html
            assert "郴州高新区招商优惠政策" in html and "一事一议" in html
            assert "智能终端产业园项目" in html and "面向电子信息企业招引整机与模组配套" in html
            assert "面议" in html and "5亿元" not in html  # the amount was not made public
            _assert_no_secrets(html)

    def test_the_amount_shows_only_when_the_publisher_chose_it(self, promo: Promo) -> None:
        row = promotion.publish_project(promo.users["chenzhou"], promo.signed, "简介", True)
        assert row.show_amounts
        assert "5亿元" in _public(f"/matching/promote/parks/{promo.park.pk}/")

    def test_projects_are_sorted_by_maturity(self, promo: Promo) -> None:
        officer = promo.users["chenzhou"]
        mature = factories.project(
            officer, "成熟A类项目", stage="signed", park=promo.park, maturity="A"
        )
        promotion.publish_project(officer, promo.signed, "B 类")
        promotion.publish_project(officer, mature, "A 类")
        html = _public(f"/matching/promote/parks/{promo.park.pk}/")
        assert html.index("成熟A类项目") < html.index("智能终端产业园项目")

    def test_another_organisations_park_page_shows_none_of_it(self, promo: Promo) -> None:
        _publish_all(promo)
        promotion.publish_park(promo.users["other"], promo.other_park)
        html = _public(f"/matching/promote/parks/{promo.other_park.pk}/")
        assert "张掖经开区" in html
        for text in ("智能终端产业园项目", "郴州高新区招商优惠政策", "1200亩"):
            assert text not in html
        mine = _public(f"/matching/promote/orgs/{promo.orgs['chenzhou'].pk}/")
        assert "他方政策" not in mine and "他方园区项目" not in mine

    def test_a_project_that_stalls_leaves_the_page(self, promo: Promo) -> None:
        _publish_all(promo)
        transition(promo.users["chenzhou"], promo.signed, "stalled", note="投资方暂缓")
        html = _public(f"/matching/promote/parks/{promo.park.pk}/")
        assert "智能终端产业园项目" not in html and "郴州高新区招商优惠政策" in html

    def test_withdrawn_items_leave_the_page_and_keep_their_record(self, promo: Promo) -> None:
        _publish_all(promo)
        row = Publication.objects.get(policy=promo.policy)
        promotion.withdraw(promo.users["chenzhou"], row)
        assert "郴州高新区招商优惠政策" not in _public(f"/matching/promote/parks/{promo.park.pk}/")
        row.refresh_from_db()
        assert row.withdrawn_by == promo.users["chenzhou"] and row.withdrawn_at is not None
        with pytest.raises(Conflict):
            promotion.withdraw(promo.users["chenzhou"], row)
        again = promotion.publish_policy(promo.users["chenzhou"], promo.policy)
        assert again.pk != row.pk

    def test_the_page_switches_to_english(self, promo: Promo) -> None:
        _publish_all(promo)
        client = Client()
        client.cookies["django_language"] = "en"
        html = client.get(f"/matching/promote/parks/{promo.park.pk}/").content.decode()
        assert '<html lang="en">' in html and "智能终端产业园项目" in html
        _assert_no_secrets(html)


class TestPublishing:
    def test_leads_and_negotiations_can_never_be_published(self, promo: Promo) -> None:
        officer = promo.users["chenzhou"]
        for project in (promo.lead, promo.negotiating):
            with pytest.raises(Invalid) as refused:
                promotion.publish_project(officer, project, "简介")
            assert "线索、在谈、停滞和终止的项目一律保密" in refused.value.message
        assert not Publication.objects.exists()

    def test_drafts_others_items_and_viewers_are_refused(self, promo: Promo) -> None:
        with pytest.raises(Invalid):
            promotion.publish_policy(promo.users["chenzhou"], promo.draft)
        with pytest.raises(Forbidden):
            promotion.publish_park(promo.users["other"], promo.park)
        with pytest.raises(Forbidden):
            promotion.publish_project(promo.users["other"], promo.signed, "简介")
        with pytest.raises(Forbidden):
            promotion.publish_park(promo.users["viewer"], promo.park)
        with pytest.raises(Invalid):
            promotion.publish_policy(promo.users["chenzhou"], promo.policy, promo.other_park)
        with pytest.raises(Invalid) as refused:
            promotion.publish_project(promo.users["chenzhou"], promo.signed, "  ")
        assert refused.value.detail == {"field": "summary"} or "summary" in str(
            refused.value.detail
        )
        assert not Publication.objects.exists()

    def test_an_item_is_published_once(self, promo: Promo) -> None:
        promotion.publish_park(promo.users["chenzhou"], promo.park)
        with pytest.raises(Conflict):
            promotion.publish_park(promo.users["chenzhou"], promo.park)

    def test_chain_gaps_are_a_snapshot_of_segments_only(self, promo: Promo) -> None:
        _gases()
        row = promotion.publish_gaps(promo.users["chenzhou"], promo.park, "specialty_gases")
        names = [s["name"] for s in row.snapshot["segments"]]
        assert "电子特种气体" in names and set(row.snapshot["segments"][0]) == {
            "key",
            "name",
            "label",
        }
        html = _public(f"/matching/promote/parks/{promo.park.pk}/")
        assert "特种与电子气体" in html and "电子特种气体" in html

    def test_the_officers_page_publishes_and_withdraws(self, promo: Promo) -> None:
        client = Client()
        client.force_login(promo.users["chenzhou"])
        page = client.get("/matching/promote/").content.decode()
        assert (
            "智能终端产业园项目" in page
            and "绝密线索项目" not in page
            and "在谈机密项目" not in page
        )
        bad = client.post("/matching/promote/", {"kind": "project", "project": promo.signed.pk})
        assert bad.status_code == 422 and "请填写对外展示的项目介绍" in bad.content.decode()
        forged = client.post(
            "/matching/promote/", {"kind": "project", "project": promo.lead.pk, "summary": "x"}
        )
        assert forged.status_code == 422 and not Publication.objects.exists()
        made = client.post("/matching/promote/", {"kind": "park", "park": promo.park.pk})
        assert made.status_code == 302
        row = Publication.objects.get()
        assert row.published_by == promo.users["chenzhou"]
        client.post(f"/matching/promote/{row.pk}/withdraw/")
        row.refresh_from_db()
        assert not row.live
        outsider = Client()
        outsider.force_login(promo.users["other"])
        assert outsider.post(f"/matching/promote/{row.pk}/withdraw/").status_code == 404


class TestEnquiries:
    FORM = {
        "name": "王经理",
        "company": "示例电子科技有限公司",
        "contact": "wang@example.com",
        "interest": "智能终端模组生产基地",
        "message": "希望了解标准厂房租金",
        "website": "",
    }

    def test_an_enquiry_becomes_a_lead_of_the_owner(self, promo: Promo) -> None:
        _publish_all(promo)
        project_row = Publication.objects.get(project=promo.signed)
        url = f"/matching/promote/parks/{promo.park.pk}/"
        response = Client().post(url, {**self.FORM, "publication": project_row.pk})
        assert response.status_code == 302
        enquiry = Enquiry.objects.get()
        assert enquiry.organization == promo.orgs["chenzhou"] and enquiry.park == promo.park
        lead = enquiry.lead
        assert lead is not None and lead.stage == "lead" and lead.owner == promo.orgs["chenzhou"]
        assert lead.lead_source == LeadSource.ONLINE and "网络推介" in lead.lead_source_detail
        assert "wang@example.com" in lead.remarks
        html = _public(url)
        assert "示例电子科技有限公司" not in html and "wang@example.com" not in html

    def test_the_enquiries_list_is_the_owners_own(self, promo: Promo) -> None:
        Client().post(f"/matching/promote/orgs/{promo.orgs['chenzhou'].pk}/", self.FORM)
        mine = Client()
        mine.force_login(promo.users["chenzhou"])
        assert "示例电子科技有限公司" in mine.get("/matching/promote/enquiries/").content.decode()
        theirs = Client()
        theirs.force_login(promo.users["other"])
        assert (
            "示例电子科技有限公司"
            not in theirs.get("/matching/promote/enquiries/").content.decode()
        )
        enquiry = Enquiry.objects.get()
        assert theirs.post(f"/matching/promote/enquiries/{enquiry.pk}/handled/").status_code == 404
        assert Project.objects.filter(owner=promo.orgs["other"], stage="lead").count() == 0

    def test_a_bot_filling_the_hidden_field_is_dropped(self, promo: Promo) -> None:
        url = f"/matching/promote/orgs/{promo.orgs['chenzhou'].pk}/"
        response = Client().post(url, {**self.FORM, "website": "http://spam.example"})
        assert response.status_code == 302
        assert not Enquiry.objects.exists()

    def test_one_address_is_limited(self, promo: Promo) -> None:
        url = f"/matching/promote/orgs/{promo.orgs['chenzhou'].pk}/"
        client = Client(REMOTE_ADDR="203.0.113.9")
        for _n in range(promotion.ENQUIRY_LIMIT):
            assert client.post(url, self.FORM).status_code == 302
        refused = client.post(url, self.FORM)
        assert refused.status_code == 429 and "提交过于频繁" in refused.content.decode()
        assert Enquiry.objects.count() == promotion.ENQUIRY_LIMIT
        other = Client(REMOTE_ADDR="203.0.113.10")
        assert other.post(url, self.FORM).status_code == 302

    def test_missing_fields_are_named(self, promo: Promo) -> None:
        url = f"/matching/promote/orgs/{promo.orgs['chenzhou'].pk}/"
        response = Client().post(url, {**self.FORM, "company": ""})
        assert response.status_code == 422 and not Enquiry.objects.exists()
