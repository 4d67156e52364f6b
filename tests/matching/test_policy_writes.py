"""Policies written from a spreadsheet (all or nothing, each bad cell named) and through the
API (create, update, publish; only the owner organisation's officers)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from parklink.matching.models import Policy
from tests.matching.support import World

REVENUE = {
    "key": "revenue",
    "label": "年营业收入不低于2000万元",
    "clause": "第三条 年营业收入达到2000万元",
    "rule": {">=": [{"var": "revenue"}, 20000000]},
}
HEADER = [
    "政策名称", "适用地区", "文号", "有效期起", "有效期止", "兑现方式", "定额(元)", "比例",
    "比例基数", "上限(元)", "申报材料", "享受条件(JSON)", "立即发布",
]  # fmt: skip


def _row(title: str, **cells: Any) -> list[Any]:
    values = {
        "政策名称": title, "适用地区": "什邡市", "文号": "什府发〔2024〕1号",
        "有效期起": "2024-01-01", "有效期止": "2026-12-31", "兑现方式": "定额",
        "定额(元)": "20万元", "比例": "", "比例基数": "", "上限(元)": "",
        "申报材料": "营业执照;纳税证明",
        "享受条件(JSON)": json.dumps([REVENUE], ensure_ascii=False),
        "立即发布": "是",
    }  # fmt: skip
    values.update(cells)
    return [values[name] for name in HEADER]


def _import(path: Any, who: str = "shifang_officer") -> str:
    out = io.StringIO()
    call_command(
        "import", "matching-policies", str(path), "--as", who, stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


class TestImport:
    def test_policies_are_imported_published_and_updated_by_title(
        self, world: World, xlsx: Any
    ) -> None:
        path = xlsx(
            HEADER,
            [
                _row("什邡市落户奖励"),
                _row(
                    "什邡市研发补助", 兑现方式="按比例", 比例="5%", 比例基数="revenue",
                    **{"定额(元)": "", "上限(元)": "500万元", "立即发布": "否"},
                ),
            ],
        )  # fmt: skip
        _import(path)
        award = Policy.objects.get(title="什邡市落户奖励")
        assert award.owner == world.orgs["shifang"] and award.issuer_region_id == "510682"
        assert award.status == "published" and str(award.benefit_amount) == "200000.00"
        assert (
            award.documents == ["营业执照", "纳税证明"] and award.conditions[0]["key"] == "revenue"
        )
        grant = Policy.objects.get(title="什邡市研发补助")
        assert grant.status == "draft" and str(grant.benefit_rate) == "0.050000"
        assert str(grant.benefit_cap) == "5000000.00"
        again = xlsx(HEADER, [_row("什邡市落户奖励", **{"定额(元)": "30万元"})], name="again.xlsx")
        _import(again)
        award.refresh_from_db()
        assert str(award.benefit_amount) == "300000.00" and award.status == "published"
        assert Policy.objects.count() == 2

    def test_one_bad_row_imports_nothing_and_each_cell_is_named(
        self, world: World, xlsx: Any
    ) -> None:
        bad_json = '[{"key": "x", "label": "x", "rule": {">=": [{"var": "revenue"}, 1]}}'
        no_clause = json.dumps([{**REVENUE, "clause": ""}], ensure_ascii=False)
        path = xlsx(
            HEADER,
            [
                _row("好的政策"),
                _row("坏地区", 适用地区="火星市"),
                _row("坏日期", 有效期止="2023-01-01"),
                _row("坏条件", **{"享受条件(JSON)": bad_json}),
                _row("缺条款", **{"享受条件(JSON)": no_clause}),
                _row("坏比例", 兑现方式="按比例", 比例="150%", **{"定额(元)": ""}),
                _row("无条件发布", **{"享受条件(JSON)": ""}),
                _row("好的政策"),
            ],
        )  # fmt: skip
        err = io.StringIO()
        with pytest.raises(CommandError):
            call_command(
                "import", "matching-policies", str(path), "--as", "shifang_officer",
                stdout=io.StringIO(), stderr=err,
            )  # fmt: skip
        text = err.getvalue()
        assert "第3行" in text and "适用地区" in text and "无法识别的行政区划" in text
        assert "第4行" in text and "有效期止早于有效期起" in text
        assert "第5行" in text and "不是有效的 JSON" in text
        assert "第6行" in text and "享受条件(JSON)" in text
        assert "第7行" in text and "比例应大于 0 且不超过 1" in text
        assert "第8行" in text and "立即发布的政策须写明至少一个享受条件" in text
        assert "第9行" in text and "与第 2 行重名" in text
        assert not Policy.objects.exists()

    def test_a_viewer_cannot_import(self, world: World, xlsx: Any) -> None:
        path = xlsx(HEADER, [_row("什邡市落户奖励")])
        with pytest.raises(CommandError):
            _import(path, who="jinniu_viewer")
        assert not Policy.objects.exists()


def _client(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


BODY = {
    "title": "什邡市落户奖励",
    "issuer_region": "510682",
    "valid_from": "2024-01-01",
    "valid_to": "2026-12-31",
    "benefit_kind": "fixed",
    "benefit_amount": "200000.00",
    "documents": ["营业执照"],
}


class TestApi:
    def test_an_officer_drafts_updates_and_publishes(self, world: World) -> None:
        client = _client(world, "shifang")
        made = client.post("/api/v1/matching/policies", BODY, content_type="application/json")
        assert made.status_code == 201, made.content
        data = made.json()
        assert data["status"] == "draft" and data["owner"] == world.orgs["shifang"].pk
        url = f"/api/v1/matching/policies/{data['id']}"
        refused = client.post(url + "/publish")
        assert refused.status_code == 400 and "至少一个享受条件" in refused.json()["message"]
        kept = client.put(url, {"title": None}, content_type="application/json")
        assert kept.status_code == 200 and kept.json()["title"] == "什邡市落户奖励"
        changed = client.put(url, {"conditions": [REVENUE]}, content_type="application/json")
        assert changed.status_code == 200 and changed.json()["conditions"][0]["key"] == "revenue"
        published = client.post(url + "/publish")
        assert published.status_code == 200 and published.json()["status"] == "published"

    def test_bad_input_is_refused_with_the_field(self, world: World) -> None:
        client = _client(world, "shifang")
        for body, field in (
            ({**BODY, "issuer_region": "999999"}, "issuer_region"),
            ({**BODY, "valid_to": "2020-01-01"}, "valid_to"),
            ({**BODY, "benefit_amount": None}, "benefit_amount"),
            (
                {**BODY, "conditions": [{"key": "x", "label": "x", "rule": {"var": "x"}}]},
                "conditions",
            ),
        ):
            response = client.post(
                "/api/v1/matching/policies", body, content_type="application/json"
            )
            assert response.status_code == 400, (body, response.content)
            assert field in json.dumps(response.json()), response.json()
        assert not Policy.objects.exists()

    def test_other_organisations_cannot_change_or_see_drafts(self, world: World) -> None:
        mine = _client(world, "shifang")
        data = mine.post("/api/v1/matching/policies", BODY, content_type="application/json").json()
        url = f"/api/v1/matching/policies/{data['id']}"
        other = _client(world, "jinniu")
        assert other.get(url).status_code == 404  # a draft is its organisation's own
        assert other.put(url, {"title": "改名"}, content_type="application/json").status_code == 404
        mine.put(url, {"conditions": [REVENUE]}, content_type="application/json")
        mine.post(url + "/publish")
        assert other.get(url).status_code == 200
        assert other.put(url, {"title": "改名"}, content_type="application/json").status_code == 403
        assert other.post(url + "/publish").status_code == 403
        viewer = _client(world, "jinniu_viewer")
        assert (
            viewer.post(
                "/api/v1/matching/policies", BODY, content_type="application/json"
            ).status_code
            == 403
        )
        assert Policy.objects.get().title == "什邡市落户奖励"
