"""The demo's enclave: 仙居协同创新中心 from the article, its stated figures only as the cited
quote (文章所载), no invented tenant, the one named enterprise introduced with its own quote."""

from __future__ import annotations

from typing import Any

import pytest

from parklink.accounts.models import User
from parklink.cobuild.models import Enclave, Tenancy
from parklink.cobuild.services import enclaves
from parklink.core.sources import sources_of
from tests.cobuild.test_demo import demo

__all__ = ["demo"]

STATED = "据统计,协同创新中心已入驻企业11家,其中4家落地仙居,同时为仙居引入企业19家。"


@pytest.mark.django_db
class TestDemoEnclave:
    def test_xianju_center_is_loaded_with_its_park_and_regions(self, demo: Any) -> None:
        enclave = Enclave.objects.get(name="仙居协同创新中心")
        assert (enclave.home_region_id, enclave.host_region_id) == ("331024", "310000")
        assert enclave.owner.name == "仙居县人民政府"
        assert enclave.park is not None and enclave.park.kind == "innovation_enclave"

    def test_the_stated_figures_are_a_cited_quote(self, demo: Any) -> None:
        enclave = Enclave.objects.get(name="仙居协同创新中心")
        assert STATED in set(sources_of(enclave).values_list("quote", flat=True))

    def test_no_tenant_is_invented_and_figures_are_computed(self, demo: Any) -> None:
        enclave = Enclave.objects.get(name="仙居协同创新中心")
        assert not Tenancy.objects.exists()
        found = enclaves.figures(User.objects.get(username="admin"), enclave)
        assert (found.tenants_now, found.landed, found.introduced) == (0, 0, 1)
        [introduction] = found.introductions
        assert introduction.enterprise.name == "浙江千域智能科技有限公司"
        assert not introduction.illustrative and sources_of(introduction).exists()
