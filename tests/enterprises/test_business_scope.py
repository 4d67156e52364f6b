"""Enterprise.business_scope (经营范围): form, page, import column, API, the length cap."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from parklink.accounts.models import User
from parklink.core.errors import Invalid
from parklink.enterprises.imports import import_enterprises
from parklink.enterprises.models import BUSINESS_SCOPE_MAX_LENGTH, Enterprise
from parklink.enterprises.services import create_enterprise, update_enterprise
from tests.support.import_files import make_uscc

SCOPE = (
    "一般项目:电池制造;电池销售;新材料技术研发;技术服务、技术开发、技术咨询、技术交流、"
    "技术转让、技术推广。(除依法须经批准的项目外,凭营业执照依法自主开展经营活动)"
    "许可项目:货物进出口。"
)
NAME = "成都范围科技有限公司"
HEADER = ["企业名称", "统一社会信用代码", "注册地", "行业代码", "经营范围", "简介"]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestImportColumn:
    def test_scope_is_stored_with_its_history_row(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        rows = [
            ["成都锂电池科技有限公司", make_uscc(1), "510106", "3841", SCOPE, "简介一"],
            ["成都无范围科技有限公司", make_uscc(2), "510106", "", "", ""],
        ]
        report = import_enterprises(users["jinniu"], xlsx(HEADER, rows))
        assert (report.ok, report.created) == (True, 2)
        first = Enterprise.objects.get(uscc=make_uscc(1))
        assert (first.business_scope, first.description) == (SCOPE, "简介一")
        assert Enterprise.objects.get(uscc=make_uscc(2)).business_scope == ""
        history = Enterprise.history.get(id=first.pk)
        assert history.business_scope == SCOPE

    def test_scope_header_in_english_and_csv(
        self, users: dict[str, User], csv_file: Callable[..., Path]
    ) -> None:
        path = csv_file(
            ["name", "region", "business_scope"], [["成都某光伏有限公司", "510106", SCOPE]]
        )
        report = import_enterprises(users["jinniu"], path)
        assert report.created == 1
        assert Enterprise.objects.get(name="成都某光伏有限公司").business_scope == SCOPE

    def test_a_scope_too_long_names_row_and_column_and_writes_nothing(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        long_scope = "电池制造;" * (BUSINESS_SCOPE_MAX_LENGTH // 5 + 1)
        rows = [
            ["成都甲科技有限公司", make_uscc(1), "510106", "", SCOPE, ""],
            ["成都乙科技有限公司", make_uscc(2), "510106", "", long_scope, ""],
        ]
        report = import_enterprises(users["jinniu"], xlsx(HEADER, rows))
        assert report.created == 0
        assert not Enterprise.objects.exists()
        [problem] = report.problems
        assert (problem.row, problem.column) == (3, "经营范围")
        assert f"不能超过{BUSINESS_SCOPE_MAX_LENGTH}个字符(实际{len(long_scope)}个)" in (
            problem.reason_zh
        )


class TestServicesAndPages:
    def test_service_refuses_a_scope_too_long_naming_the_field(
        self, users: dict[str, User]
    ) -> None:
        too_long = "一" * (BUSINESS_SCOPE_MAX_LENGTH + 1)
        with pytest.raises(Invalid) as caught:
            create_enterprise(
                users["jinniu"],
                name="成都超长科技有限公司",
                region_id="510106",
                business_scope=too_long,
            )
        expected = f"经营范围最多 {BUSINESS_SCOPE_MAX_LENGTH} 个字(现有 {len(too_long)} 个)"
        assert caught.value.detail == {"business_scope": expected}
        enterprise = create_enterprise(
            users["jinniu"], name=NAME, region_id="510106", business_scope=SCOPE
        )
        with pytest.raises(Invalid):
            update_enterprise(users["jinniu"], enterprise, business_scope=too_long)
        enterprise.refresh_from_db()
        assert enterprise.business_scope == SCOPE

    def test_edit_form_saves_the_scope_and_the_page_shows_it_folded(
        self, users: dict[str, User]
    ) -> None:
        enterprise = create_enterprise(
            users["jinniu"], name="成都范围科技有限公司", region_id="510106"
        )
        client = _client(users["jinniu"])
        page = client.get(reverse("enterprises:edit", args=[enterprise.pk])).content.decode()
        assert 'name="business_scope"' in page
        response = client.post(
            reverse("enterprises:edit", args=[enterprise.pk]),
            {
                "name": enterprise.name,
                "region": "510106",
                "business_scope": SCOPE,
                "sites-TOTAL_FORMS": "0",
                "sites-INITIAL_FORMS": "0",
                "sites-MIN_NUM_FORMS": "0",
                "sites-MAX_NUM_FORMS": "10",
            },
        )
        assert response.status_code == 302
        enterprise.refresh_from_db()
        assert enterprise.business_scope == SCOPE
        html = client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
        assert '<details class="pl-more" id="business-scope"' in html
        assert "电池制造;电池销售" in html
        assert f"{len(SCOPE)} 字" in html

    def test_edit_form_refuses_a_scope_too_long(self, users: dict[str, User]) -> None:
        enterprise = create_enterprise(
            users["jinniu"], name="成都表单科技有限公司", region_id="510106"
        )
        response = _client(users["jinniu"]).post(
            reverse("enterprises:edit", args=[enterprise.pk]),
            {
                "name": enterprise.name,
                "region": "510106",
                "business_scope": "一" * (BUSINESS_SCOPE_MAX_LENGTH + 1),
                "sites-TOTAL_FORMS": "0",
                "sites-INITIAL_FORMS": "0",
                "sites-MIN_NUM_FORMS": "0",
                "sites-MAX_NUM_FORMS": "10",
            },
        )
        assert response.status_code == 200
        assert "business_scope" in response.context["form"].errors
        enterprise.refresh_from_db()
        assert enterprise.business_scope == ""


class TestApi:
    def test_scope_in_and_out(self, client_for, users) -> None:  # type: ignore[no-untyped-def]
        client = client_for("jinniu")
        response = client.post(
            "/api/v1/enterprises/",
            {"name": "成都接口科技有限公司", "region": "510106", "business_scope": SCOPE},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        pk = response.json()["id"]
        assert client.get(f"/api/v1/enterprises/{pk}").json()["business_scope"] == SCOPE
        response = client.patch(
            f"/api/v1/enterprises/{pk}", {"business_scope": None}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        assert Enterprise.objects.get(pk=pk).business_scope == ""

    def test_scope_too_long_is_422_naming_the_field(self, client_for) -> None:  # type: ignore[no-untyped-def]
        response = client_for("jinniu").post(
            "/api/v1/enterprises/",
            {
                "name": "成都超长接口有限公司",
                "region": "510106",
                "business_scope": "一" * (BUSINESS_SCOPE_MAX_LENGTH + 1),
            },
            content_type="application/json",
        )
        assert response.status_code in (400, 422)
        assert "business_scope" in response.content.decode()
        assert not Enterprise.objects.filter(name="成都超长接口有限公司").exists()


class TestAdmin:
    def test_the_admin_shows_and_caps_the_scope(self, users: dict[str, User]) -> None:
        enterprise = create_enterprise(
            users["jinniu"], name=NAME, region_id="510106", business_scope=SCOPE
        )
        page = _client(users["root"]).get(f"/admin/enterprises/enterprise/{enterprise.pk}/change/")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'name="business_scope"' in html
        assert f'maxlength="{BUSINESS_SCOPE_MAX_LENGTH}"' in html
        assert "电池制造;电池销售" in html
