"""A non-party gets 404 on every route of an agreement: every page and every API operation,
found by walking the URL patterns and the API router (a route added later is checked too, and
one whose parameters this test cannot fill makes it fail), with every method it declares.

A party gets 200 on the same GET pages, so the 404s are about who asks, not broken links.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from parklink.accounts.models import User
from parklink.cobuild import exports, tasks, urls, views_twoviews
from parklink.cobuild.api import router
from parklink.cobuild.models import (
    CooperationField,
    CoveredEnterprise,
    OperatingCompany,
    Run,
    SharedPolicy,
)
from parklink.cobuild.services import runs

pytestmark = pytest.mark.django_db

API = "/api/v1/cobuild"
# Routes that are not one agreement's: the lists, the new-agreement form, the enclaves (their
# own owner decides; tests/cobuild/test_enclaves*.py).
NOT_AN_AGREEMENTS = {"list", "create", "enclaves", "enclave_create", "enclave", "enclave_edit"}
API_NOT_AN_AGREEMENTS = {"/", "/enclaves/", "/enclaves/{enclave_id}"}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def full(world: dict[str, Any]) -> dict[str, Any]:
    """The world with one of everything a route names: a run, a company, a field, a policy,
    a covered enterprise and a job."""
    made = world["agreement"]
    jinniu = world["users"]["jinniu"]
    company = OperatingCompany.objects.create(agreement=made, name="交子恒新")
    field = CooperationField.objects.create(agreement=made, name="电子信息")
    policy = SharedPolicy.objects.create(agreement=made, name="金牛区招商引资政策")
    covered = CoveredEnterprise.objects.filter(agreement=made).first() or (
        CoveredEnterprise.objects.create(agreement=made, enterprise=world["enterprises"][0])
    )
    run = runs.run_period(jinniu, made, "2025Q1")
    job = tasks.start_run(jinniu, made, "2025Q1")  # the same inputs: the same draft run
    assert job.result["run"] == run.pk
    return {
        **world,
        "values": {
            "pk": made.pk,
            "agreement_id": made.pk,
            "run_pk": run.pk,
            "run_id": run.pk,
            "rule_pk": world["rule"].pk,
            "rule_id": world["rule"].pk,
            "number": 1,
            "company_pk": company.pk,
            "company_id": company.pk,
            "field_id": field.pk,
            "policy_id": policy.pk,
            "row_pk": covered.pk,
            "covered_id": covered.pk,
            "period": "2025Q1",
            "party": "jinniu",
            "job_id": job.pk,
        },
        "run": run,
    }


def _formats(route: str) -> list[str]:
    """The download formats a page route offers."""
    if route.startswith("<int:pk>/views/"):
        return sorted(views_twoviews.DOWNLOADS)
    return sorted(exports.FORMATS)


def _fill(route: str, values: dict[str, Any], pattern: str) -> Iterator[str]:
    """The route with its parameters filled (each download format for `fmt`)."""
    names = re.findall(pattern, route)
    unknown = [n for n in names if n not in values and n != "fmt"]
    assert not unknown, f"{route}: no value for {unknown}; add one to the fixture"
    formats = _formats(route) if "fmt" in names else [""]
    for fmt in formats:
        filled = route
        for name in names:
            value = fmt if name == "fmt" else values[name]
            filled = re.sub(pattern.replace(r"(\w+)", re.escape(name)), str(value), filled)
        yield filled


def page_routes(values: dict[str, Any]) -> list[str]:
    found = []
    for entry in urls.urlpatterns:
        if entry.name in NOT_AN_AGREEMENTS:
            continue
        route = str(entry.pattern)
        found += [f"/cobuild/{path}" for path in _fill(route, values, r"<(?:\w+:)?(\w+)>")]
    return found


def api_operations(values: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    for path, view in router.path_operations.items():
        if path in API_NOT_AN_AGREEMENTS:
            continue
        for operation in view.operations:
            for method in operation.methods:
                for filled in _fill(path, values, r"\{(\w+)\}"):
                    found.append((method.lower(), API + filled))
    return found


class TestPages:
    def test_the_walk_finds_every_page_of_an_agreement(self, full: dict[str, Any]) -> None:
        found = page_routes(full["values"])
        named = {e.name for e in urls.urlpatterns} - NOT_AN_AGREEMENTS
        assert len(named) >= 25 and len(found) >= len(named)

    def test_a_non_party_gets_404_on_every_page_and_every_post(self, full: dict[str, Any]) -> None:
        for who in ("qingbaijiang", "city", "province"):
            client = _client(full["users"][who])
            for url in page_routes(full["values"]):
                # A POST-only action answers a GET with 405 before looking anything up (the
                # same for any id: it tells nothing); its POST is the 404.
                response = client.get(url)
                allowed = response.status_code == 405 and "GET" not in response["Allow"]
                assert response.status_code == 404 or allowed, (who, "GET", url)
                assert client.post(url, {"to": "expired"}).status_code == 404, (who, "POST", url)

    def test_a_party_opens_the_same_pages(self, full: dict[str, Any]) -> None:
        client = _client(full["users"]["dege"])
        for url in page_routes(full["values"]):
            if "/delete/" in url or url.endswith("/confirm/") or url.endswith("/transition/"):
                continue  # actions: POST only
            status = client.get(url).status_code
            # 405: a form that only takes a POST; 409: an edit page of what an agreement in
            # force no longer lets anyone change (it says so); never a 404 for a party.
            assert status in (200, 405, 409), (url, status)


class TestApi:
    def test_the_walk_finds_every_operation(self, full: dict[str, Any]) -> None:
        methods = {method for method, _path in api_operations(full["values"])}
        assert methods == {"get", "post", "put", "patch", "delete"}
        assert len(api_operations(full["values"])) >= 35

    def test_a_non_party_gets_404_on_every_operation(
        self, full: dict[str, Any], api_client: Callable[[User], Client]
    ) -> None:
        for who in ("qingbaijiang", "city", "province"):
            client = api_client(full["users"][who])
            missing = api_operations({**full["values"], "agreement_id": 999_999})
            for (method, url), (_same, elsewhere) in zip(
                api_operations(full["values"]), missing, strict=True
            ):
                response = getattr(client, method)(url, {}, content_type="application/json")
                if response.status_code == 422:
                    # The empty body is refused before anything is looked up: the same answer
                    # as for an agreement that does not exist, so it tells nothing.
                    other = getattr(client, method)(elsewhere, {}, content_type="application/json")
                    assert (other.status_code, other.json()) == (422, response.json()), url
                    continue
                assert response.status_code == 404, (who, method, url, response.status_code)

    def test_nothing_changed_after_the_outsiders_tried(
        self, full: dict[str, Any], api_client: Callable[[User], Client]
    ) -> None:
        made, run = full["agreement"], full["run"]
        before = (made.status, made.title, Run.objects.filter(agreement=made).count())
        client = api_client(full["users"]["qingbaijiang"])
        for method, url in api_operations(full["values"]):
            getattr(client, method)(url, {"title": "偷改"}, content_type="application/json")
        made.refresh_from_db()
        assert (made.status, made.title, Run.objects.filter(agreement=made).count()) == before
        assert Run.objects.get(pk=run.pk).status == run.status
        assert OperatingCompany.objects.filter(agreement=made).count() == 1
