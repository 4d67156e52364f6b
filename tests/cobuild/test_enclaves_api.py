"""/api/v1/cobuild/enclaves/: computed figures (exact 元), tenants with landings, 404 for others."""

from __future__ import annotations

from typing import Any

import pytest

from parklink.accounts.models import Organization, User
from tests.cobuild.test_enclaves import make_world

BASE = "/api/v1/cobuild/enclaves"


@pytest.fixture
def world(orgs: dict[str, Organization], users: dict[str, User]) -> dict[str, Any]:
    return make_world(orgs, users)


class TestEnclaveApi:
    def test_the_list_has_the_figures(self, world: Any, users: Any, api_client: Any) -> None:
        response = api_client(users["dege"]).get(f"{BASE}/")
        assert response.status_code == 200
        [item] = response.json()
        assert item["figures"]["landed"] == 3
        assert item["figures"]["investment"] == "12345679.01"

    def test_the_province_sees_its_own_project_in_the_sum(
        self, world: Any, users: Any, api_client: Any
    ) -> None:
        response = api_client(users["province"]).get(f"{BASE}/{world['enclave'].pk}")
        assert response.json()["figures"]["investment"] == "12346679.01"

    def test_the_detail_lists_tenants_and_landings(
        self, world: Any, users: Any, api_client: Any
    ) -> None:
        body = api_client(users["dege"]).get(f"{BASE}/{world['enclave'].pk}").json()
        tenants = {t["enterprise"]["name"]: t for t in body["tenants"]}
        assert tenants["丙科技有限公司"]["current"] is False
        assert [x["kind"] for x in tenants["丙科技有限公司"]["landings"]] == ["project"] * 3
        assert tenants["丁科技有限公司"]["landed"] is False

    @pytest.mark.parametrize("who", ["city", "jinniu", "zhangye"])
    def test_others_get_404(self, world: Any, users: Any, api_client: Any, who: str) -> None:
        client = api_client(users[who])
        assert client.get(f"{BASE}/{world['enclave'].pk}").status_code == 404
        assert client.get(f"{BASE}/").json() == []
