"""The search page and the typeahead fragment: login, grouping, links, scope."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from parklink.accounts.models import Organization, User
from parklink.parks.models import Park, ParkKind
from parklink.projects.models import Project


def detail_url(name: str, pk: int) -> str | None:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


@pytest.fixture
def park(orgs: dict[str, Organization]) -> Park:
    return Park.objects.create(
        name="高德产业园",
        kind=ParkKind.INDUSTRIAL_PARK,
        region=orgs["jinniu"].region,
        owner=orgs["jinniu"],
    )


@pytest.fixture
def hidden_project(orgs: dict[str, Organization], today: date) -> Project:
    """A negotiation of another county: confidential to its owner."""
    owner = orgs["qingbaijiang"]
    return Project.objects.create(
        name="高德氢能重卡项目",
        owner=owner,
        region=owner.region,
        stage="negotiating",
        stage_since=today,
        last_progress_on=today,
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
class TestSearchPage:
    def test_anonymous_visitor_is_sent_to_login(self) -> None:
        response = Client().get(reverse("search"), {"q": "高德"})
        assert response.status_code == 302
        assert reverse("login") in response["Location"]

    def test_pinyin_initials_show_the_park_in_its_group(
        self, users: dict[str, User], park: Park
    ) -> None:
        response = client_for(users["jinniu"]).get(reverse("search"), {"q": "gdcyy"})
        assert response.status_code == 200
        group = next(g for g in response.context["result"].groups if g.kind == "park")
        assert [hit.pk for hit in group.hits] == [park.pk]
        assert "高德产业园" in response.content.decode()

    def test_hit_links_to_the_detail_page(self, users: dict[str, User], park: Park) -> None:
        response = client_for(users["jinniu"]).get(reverse("search"), {"q": "高德"})
        url = detail_url("parks:detail", park.pk)
        assert url is not None, "parks:detail is not registered yet"
        assert f'href="{url}"' in response.content.decode()

    def test_confidential_project_of_another_org_does_not_appear(
        self, users: dict[str, User], park: Park, hidden_project: Project
    ) -> None:
        response = client_for(users["jinniu"]).get(reverse("search"), {"q": "高德"})
        body = response.content.decode()
        assert hidden_project.name not in body
        group = next(g for g in response.context["result"].groups if g.kind == "project")
        assert group.count == 0

    def test_page_without_query_asks_for_one(self, users: dict[str, User]) -> None:
        response = client_for(users["jinniu"]).get(reverse("search"))
        assert response.status_code == 200
        assert response.context["result"].groups == []


@pytest.mark.django_db
class TestSearchSuggest:
    def test_fragment_lists_hits_without_the_page_layout(
        self, users: dict[str, User], park: Park
    ) -> None:
        response = client_for(users["jinniu"]).get(
            reverse("search_suggest"), {"q": "gaode"}, headers={"HX-Request": "true"}
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "高德产业园" in body
        assert "<html" not in body
        assert f"{reverse('search')}?q=gaode" in body

    def test_fragment_says_when_nothing_matches(self, users: dict[str, User]) -> None:
        response = client_for(users["jinniu"]).get(reverse("search_suggest"), {"q": "不存在的园区"})
        assert "没有与“不存在的园区”匹配" in response.content.decode()

    def test_fragment_hides_confidential_projects_of_other_orgs(
        self, users: dict[str, User], hidden_project: Project
    ) -> None:
        response = client_for(users["jinniu"]).get(reverse("search_suggest"), {"q": "氢能"})
        assert hidden_project.name not in response.content.decode()

    def test_empty_query_returns_an_empty_fragment(self, users: dict[str, User]) -> None:
        response = client_for(users["jinniu"]).get(reverse("search_suggest"), {"q": ""})
        assert response.content.decode() == ""


@pytest.mark.django_db
class TestPick:
    """The choices of a picker (core/pickers.py): one kind, what the user may see."""

    def test_enterprises_are_found_by_pinyin_as_buttons_carrying_their_key(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        from tests.support import factories

        firm = factories.enterprise(orgs["jinniu"], "示例航空科技有限公司")
        response = client_for(users["jinniu"]).get(
            reverse("search_pick", args=["enterprise"]), {"q": "shili"}
        )
        body = response.content.decode()
        assert response.status_code == 200 and "<html" not in body
        assert f'data-pick="{firm.pk}"' in body and 'data-label="示例航空科技有限公司"' in body

    def test_a_project_the_user_may_not_see_is_never_offered(
        self, users: dict[str, User], hidden_project: Project
    ) -> None:
        url = reverse("search_pick", args=["project"])
        assert hidden_project.name not in client_for(users["jinniu"]).get(url, {"q": "氢能"}).text
        owner = client_for(users["qingbaijiang"]).get(url, {"q": "氢能"}).text
        assert f'data-pick="{hidden_project.pk}"' in owner

    def test_unknown_kinds_are_not_found_and_visitors_must_log_in(
        self, users: dict[str, User]
    ) -> None:
        assert (
            client_for(users["jinniu"]).get("/search/pick/nothing/", {"q": "x"}).status_code == 404
        )
        anonymous = Client().get(reverse("search_pick", args=["enterprise"]), {"q": "x"})
        assert anonymous.status_code == 302

    def test_a_long_list_says_how_many_more_there_are(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        from tests.support import factories

        for n in range(12):
            factories.enterprise(orgs["jinniu"], f"示例{n:02d}制造有限公司")
        body = (
            client_for(users["jinniu"])
            .get(reverse("search_pick", args=["enterprise"]), {"q": "示例"})
            .text
        )
        assert body.count("data-pick=") == 10 and "共 12 条" in body
