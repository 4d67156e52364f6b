"""The forecast (预测) from the pipeline: service, API, command and page, and who may see it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from parklink.accounts.models import User
from parklink.cobuild.models import CoveredEnterprise
from parklink.cobuild.services import forecast as forecasts
from parklink.core.errors import Invalid
from tests.support import factories

BASE = "/api/v1/cobuild"
MIX = {"vat_local": "50%"}
RAMP = ["30%", "60%", "100%"]
HALF = {
    "label": "五五分成",
    "rules": [
        {
            "key": "vat-half",
            "indicator": "vat_local",
            "scope": "all",
            "kind": "fixed_ratio",
            "params": {"shares": {"jinniu": "1/2", "dege": "1/2"}},
        }
    ],
}


@pytest.fixture
def pipeline(world: dict[str, Any]) -> dict[str, Any]:
    """A 1,000,000.00 元-a-year project of a covered enterprise, in production from 2026."""
    made, firm = world["agreement"], world["enterprises"][0]
    CoveredEnterprise.objects.create(
        agreement=made,
        enterprise=firm,
        introduced_by=world["party"]["jinniu"],
        production_on=date(2026, 1, 1),
    )
    factories.project(
        world["users"]["jinniu"],
        "共建扩产项目",
        investor=firm,
        expected_annual_tax=Decimal("1000000.00"),
        expected_annual_revenue=Decimal("8000000.00"),
    )
    return world


def build(world: dict[str, Any], user: str = "jinniu", **kwargs: Any) -> forecasts.Forecast:
    made = world["agreement"]
    assumptions = forecasts.assumptions_for(
        made, ramp=RAMP, tax_mix=MIX, first_year=2026, years=3, discount_rate="10%"
    )
    return forecasts.build(world["users"][user], made, assumptions, **kwargs)


class TestService:
    def test_the_current_rules_by_hand(self, pipeline: dict[str, Any]) -> None:
        found = build(pipeline)
        [current] = found.results
        # VAT 15,000,000 / 30,000,000 / 50,000,000 fen at 3:2
        assert [row.money for row in current.rows] == [
            {"jinniu": 9_000_000, "dege": 6_000_000},
            {"jinniu": 18_000_000, "dege": 12_000_000},
            {"jinniu": 30_000_000, "dege": 20_000_000},
        ]
        assert current.totals == {"jinniu": 57_000_000, "dege": 38_000_000}
        # no rule splits output: it is counted neither as money nor as unsplit tax
        assert current.unmatched == 0
        [line] = found.projects
        assert line.dates_from == "agreement" and line.annual_tax == 100_000_000

    def test_an_alternative_side_by_side(self, pipeline: dict[str, Any]) -> None:
        current, half = build(pipeline, alternatives=[HALF]).results
        assert half.label == "五五分成"
        assert half.totals == {"jinniu": 47_500_000, "dege": 47_500_000}
        assert current.totals["jinniu"] - half.totals["jinniu"] == 9_500_000

    def test_the_solver_finds_the_ratio(self, pipeline: dict[str, Any]) -> None:
        question = {
            "family": "ratio",
            "rule": "vat-local-ratio",
            "party": "jinniu",
            "amount": 57_000_000,
            "years": 3,
        }
        answer = build(pipeline, question=question).answer
        assert answer is not None and answer.reachable
        assert str(answer.share) == "3/5"

    def test_an_alternative_the_engine_refuses_names_its_place(
        self, pipeline: dict[str, Any]
    ) -> None:
        bad = {"rules": [{**HALF["rules"][0], "params": {"shares": {"jinniu": "1/2"}}}]}
        with pytest.raises(Invalid) as caught:
            build(pipeline, alternatives=bad)
        assert "alternatives[0].rules[vat-half].params.shares" in caught.value.detail

    def test_a_project_without_a_production_date_is_left_out(self, world: dict[str, Any]) -> None:
        CoveredEnterprise.objects.create(
            agreement=world["agreement"], enterprise=world["enterprises"][1]
        )
        factories.project(
            world["users"]["jinniu"],
            "尚无投产日期的项目",
            investor=world["enterprises"][1],
            expected_annual_tax=Decimal("100.00"),
        )
        found = build(world)
        assert found.projects == [] and [s.project.name for s in found.skipped] == [
            "尚无投产日期的项目"
        ]

    def test_a_milestone_gives_the_expected_date(self, world: dict[str, Any]) -> None:
        CoveredEnterprise.objects.create(
            agreement=world["agreement"], enterprise=world["enterprises"][1]
        )
        project = factories.project(
            world["users"]["jinniu"],
            "按节点投产",
            investor=world["enterprises"][1],
            expected_annual_tax=Decimal("1000000.00"),
        )
        project.milestones.create(name="一期投产", due_on=date(2027, 1, 1))
        [line] = build(world).projects
        assert (line.production_on, line.dates_from) == (date(2027, 1, 1), "milestones")

    def test_the_json_and_csv_say_forecast(self, pipeline: dict[str, Any]) -> None:
        found = build(pipeline)
        document = forecasts.as_json(found)
        assert document["forecast"] and document["illustrative"]
        # 9e6/1.1 + 18e6/1.21 + 30e6/1.331 = 60,690,000,000 / 1331
        assert document["scenarios"][0]["present_values_exact"]["jinniu"] == "60690000000/1331"
        assert document["scenarios"][0]["present_values"]["jinniu"] == 45_597_295
        text = forecasts.as_csv(found).decode("utf-8-sig")
        assert text.splitlines()[0].lstrip('"').startswith("预测")
        assert "仅用于考核,不得对外公布" in text.splitlines()[1]
        assert document["assessment_notice"].startswith("仅用于考核,不得对外公布")
        assert "current,现行规则,total,jinniu,57000000" in text


class TestApi:
    def test_a_party_gets_the_forecast(
        self, pipeline: dict[str, Any], api_client: Callable[[User], Client]
    ) -> None:
        made = pipeline["agreement"]
        body = {
            "first_year": 2026,
            "years": 3,
            "ramp": RAMP,
            "tax_mix": MIX,
            "alternatives": [HALF],
            "question": {
                "family": "ratio",
                "rule": "vat-local-ratio",
                "party": "jinniu",
                "amount": 57_000_000,
                "years": 3,
            },
        }
        response = api_client(pipeline["users"]["jinniu"]).post(
            f"{BASE}/{made.pk}/forecast", body, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["assessment_notice"].startswith("仅用于考核,不得对外公布")
        data = response.json()
        assert [s["totals"]["jinniu"] for s in data["scenarios"]] == [57_000_000, 47_500_000]
        assert data["answer"]["share"] == "3/5" and data["answer"]["reachable"]

    def test_a_float_ramp_is_a_400(
        self, pipeline: dict[str, Any], api_client: Callable[[User], Client]
    ) -> None:
        made = pipeline["agreement"]
        response = api_client(pipeline["users"]["jinniu"]).post(
            f"{BASE}/{made.pk}/forecast", {"ramp": ["abc"]}, content_type="application/json"
        )
        assert response.status_code == 400

    def test_a_non_party_gets_404(
        self, pipeline: dict[str, Any], api_client: Callable[[User], Client]
    ) -> None:
        made = pipeline["agreement"]
        response = api_client(pipeline["users"]["qingbaijiang"]).post(
            f"{BASE}/{made.pk}/forecast", {}, content_type="application/json"
        )
        assert response.status_code == 404


class TestCommand:
    def test_json_with_an_alternative_file(self, pipeline: dict[str, Any], tmp_path: Any) -> None:
        made = pipeline["agreement"]
        alternative = tmp_path / "alt.yaml"
        alternative.write_text(json.dumps({"alternatives": [HALF]}, ensure_ascii=False), "utf-8")
        out = StringIO()
        call_command(
            "ledger",
            "forecast",
            "--agreement",
            str(made.pk),
            "--alternative",
            str(alternative),
            "--first-year",
            "2026",
            "--years",
            "3",
            "--ramp",
            "30%,60%,100%",
            "--mix",
            "vat_local=50%",
            "--solve",
            "ratio",
            "--rule",
            "vat-local-ratio",
            "--party",
            "jinniu",
            "--target",
            "570000.00",
            "--over",
            "3",
            "--format",
            "json",
            "--as",
            "jinniu_officer",
            stdout=out,
        )
        data = json.loads(out.getvalue())
        assert [s["totals"]["jinniu"] for s in data["scenarios"]] == [57_000_000, 47_500_000]
        assert data["answer"]["share"] == "3/5"

    def test_csv(self, pipeline: dict[str, Any]) -> None:
        out = StringIO()
        call_command(
            "ledger",
            "forecast",
            "--agreement",
            str(pipeline["agreement"].pk),
            "--first-year",
            "2026",
            "--years",
            "3",
            "--ramp",
            "30%,60%,100%",
            "--mix",
            "vat_local=50%",
            "--format",
            "csv",
            "--as",
            "jinniu_officer",
            stdout=out,
        )
        assert "current,现行规则,2026,jinniu,9000000" in out.getvalue()

    def test_a_non_party_is_told_not_found(self, pipeline: dict[str, Any]) -> None:
        with pytest.raises(CommandError, match="不存在"):
            call_command(
                "ledger",
                "forecast",
                "--agreement",
                str(pipeline["agreement"].pk),
                "--as",
                "qingbaijiang_officer",
                stdout=StringIO(),
            )


class TestPage:
    def test_a_non_party_gets_404(self, pipeline: dict[str, Any], client: Client) -> None:
        client.force_login(pipeline["users"]["qingbaijiang"])
        url = reverse("cobuild:forecast", args=[pipeline["agreement"].pk])
        assert client.get(url).status_code == 404

    def test_a_party_sees_the_defaults_marked_forecast(
        self, pipeline: dict[str, Any], client: Client
    ) -> None:
        client.force_login(pipeline["users"]["dege"])
        response = client.get(reverse("cobuild:forecast", args=[pipeline["agreement"].pk]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "data-forecast" in page and 'id="forecast-chart"' in page

    def test_alternatives_and_the_solver_side_by_side(
        self, pipeline: dict[str, Any], client: Client
    ) -> None:
        client.force_login(pipeline["users"]["jinniu"])
        url = reverse("cobuild:forecast", args=[pipeline["agreement"].pk])
        response = client.post(
            url,
            {
                "first_year": 2026,
                "years": 3,
                "ramp": "30%, 60%, 100%",
                "tax_mix": "vat_local=50%",
                "discount_rate": "10%",
                "alternatives": json.dumps([HALF], ensure_ascii=False),
                "family": "ratio",
                "rule": "vat-local-ratio",
                "party": "jinniu",
                "target_wan": "57",
                "target_years": 3,
                "measure": "total",
                "scenario": 0,
            },
        )
        assert response.status_code == 200, response.content.decode()[:2000]
        page = response.content.decode()
        assert 'data-scenario="alt-1"' in page and "五五分成" in page
        assert "570,000.00" in page  # jinniu's total under the current rules
        assert "475,000.00" in page  # and under the alternative
        assert 'data-reachable="true"' in page and "60.00%" in page

    def test_an_alternative_the_engine_refuses_is_shown(
        self, pipeline: dict[str, Any], client: Client
    ) -> None:
        client.force_login(pipeline["users"]["jinniu"])
        url = reverse("cobuild:forecast", args=[pipeline["agreement"].pk])
        bad = {"rules": [{**HALF["rules"][0], "params": {"shares": {"jinniu": "1/2"}}}]}
        response = client.post(
            url,
            {
                "first_year": 2026,
                "years": 3,
                "ramp": "30%",
                "tax_mix": "vat_local=50%",
                "discount_rate": "0",
                "alternatives": json.dumps(bad),
            },
        )
        assert response.status_code == 422
        assert 'id="forecast-error"' in response.content.decode()
