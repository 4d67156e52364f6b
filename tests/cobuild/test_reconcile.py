"""Reconciliation of two runs: hand-built scenarios for each cause, with exact figures.

金牛 (jinniu, order 0) and 德格 (dege, order 1). Every scenario checks that the causes of each
line add up exactly to its difference, and the totals per party and indicator too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parklink.accounts.models import Organization, User
from parklink.cobuild.models import Agreement, CoveredEnterprise, Run
from parklink.cobuild.services import confirmations, reconcile, runs, versions
from parklink.cobuild.services import rules as rule_services
from parklink.enterprises.models import Enterprise
from tests.cobuild import support
from tests.support import factories
from tests.support.import_files import make_uscc

API = "/api/v1/cobuild"


def confirm(users: dict[str, User], run: Run) -> Run:
    confirmations.confirm(users["jinniu"], run)
    confirmations.confirm(users["dege"], run)
    run.refresh_from_db()
    return run


def compare(agreement: Agreement, one: Run, other: Run) -> reconcile.Reconciliation:
    found = reconcile.reconcile(agreement, one, other)
    for line in found.result.lines:
        assert sum(c.amount for c in line.causes) == line.difference, line
    for total in found.result.totals:
        assert sum(total.by_cause.values()) == total.difference, total
    return found


def line_of(
    found: reconcile.Reconciliation,
    enterprise: Enterprise,
    party: str,
    indicator: str = "vat_local",
) -> Any:
    return next(
        line
        for line in found.result.lines
        if (line.enterprise, line.party, line.indicator) == (str(enterprise.pk), party, indicator)
    )


def causes(line: Any) -> list[tuple[str, int]]:
    return [(c.kind, c.amount) for c in line.causes]


def total_of(found: reconcile.Reconciliation, party: str, indicator: str = "vat_local") -> Any:
    return next(t for t in found.result.totals if (t.party, t.indicator) == (party, indicator))


# ---------------------------------------------------------------- same period: figures replaced


@pytest.fixture
def replaced(world: dict[str, Any]) -> dict[str, Any]:
    """2025Q1 settled and confirmed (E0 1,000.01 元, E1 20,000.00 元 at 3:2), then 德格 replaces
    its figures: E0 2,000.00 元, E1 gone, E2 500.00 元 new; the period is settled again."""
    users, made = world["users"], world["agreement"]
    e0, e1 = world["enterprises"]
    e2 = factories.enterprise(world["orgs"]["dege"], "新入驻企业有限公司", uscc=make_uscc(9))
    first = confirm(users, runs.run_period(users["jinniu"], made, "2025Q1"))
    support.add_records(
        users["dege"],
        made,
        "dege",
        "2025Q1",
        [(e0, "vat_local", 200_000), (e2, "vat_local", 50_000)],
        replace=True,
    )
    first.refresh_from_db()
    second = runs.run_period(users["jinniu"], made, "2025Q1")
    return {**world, "first": first, "second": second, "e0": e0, "e1": e1, "e2": e2}


class TestSamePeriod:
    def test_the_superseded_run_is_before_and_each_cause_is_exact(
        self, replaced: dict[str, Any]
    ) -> None:
        assert replaced["first"].status == "superseded"
        # Either order gives the superseded run as "before".
        found = compare(replaced["agreement"], replaced["second"], replaced["first"])
        assert (found.before.pk, found.after.pk) == (replaced["first"].pk, replaced["second"].pk)
        e0, e1, e2 = replaced["e0"], replaced["e1"], replaced["e2"]
        # E0 100,001 fen at 3:2 → 60,001 / 40,000 (the fen left over goes to the larger
        # remainder, jinniu's 0.6); 200,000 → 120,000 / 80,000.
        jinniu = line_of(found, e0, "jinniu")
        assert (jinniu.before, jinniu.after) == (60_001, 120_000)
        assert causes(jinniu) == [("records", 59_999)]
        assert causes(line_of(found, e0, "dege")) == [("records", 40_000)]
        # E1 2,000,000 is no longer reported.
        assert causes(line_of(found, e1, "jinniu")) == [("records", -1_200_000)]
        assert causes(line_of(found, e1, "dege")) == [("records", -800_000)]
        # E2 is new: 50,000 → 30,000 / 20,000.
        assert causes(line_of(found, e2, "jinniu")) == [("new_enterprise", 30_000)]
        assert causes(line_of(found, e2, "dege")) == [("new_enterprise", 20_000)]
        total = total_of(found, "jinniu")
        assert (total.before, total.after, total.difference) == (1_260_001, 150_000, -1_110_001)
        assert total.by_cause == {"records": 59_999 - 1_200_000, "new_enterprise": 30_000}
        assert found.result.recorded == {"vat_local": (2_100_001, 250_000)}

    def test_a_replaced_figure_names_the_batch_that_replaced_it(
        self, replaced: dict[str, Any]
    ) -> None:
        found = compare(replaced["agreement"], replaced["first"], replaced["second"])
        record = line_of(found, replaced["e0"], "jinniu").causes[0]
        [change] = record.details
        assert (change["change"], change["before"], change["after"]) == (
            "changed",
            100_001,
            200_000,
        )
        old, new = change["batch_before"], change["batch_after"]
        assert old != new
        assert record.zh == f"1,000.01 元 → 2,000.00 元(批次 #{new} 替换 #{old})"
        assert record.en == f"CNY 1,000.01 → CNY 2,000.00 (batch #{new} replaced #{old})"
        removed = line_of(found, replaced["e1"], "dege").causes[0]
        assert removed.details[0]["change"] == "removed"
        assert removed.en == "figure no longer reported: CNY 20,000.00"

    def test_candidates_are_the_other_runs_of_the_period(self, replaced: dict[str, Any]) -> None:
        offered = reconcile.candidates(replaced["second"])
        assert [(c.run.pk, c.same_period) for c in offered] == [(replaced["first"].pk, True)]


# ---------------------------------------------------------------- two periods: an amendment


@pytest.fixture
def amended(world: dict[str, Any]) -> dict[str, Any]:
    """Q1 at 3:2 (E0 1,000,000 fen) confirmed; version 2 from 2025-04-01 splits 1:1; Q2 E0
    1,200,000 fen."""
    users, made = world["users"], world["agreement"]
    e0 = world["enterprises"][0]
    made.records.all().delete()
    support.add_records(users["dege"], made, "dege", "2025Q1", [(e0, "vat_local", 1_000_000)])
    q1 = confirm(users, runs.run_period(users["jinniu"], made, "2025Q1"))
    v2 = versions.amend(users["jinniu"], made, date(2025, 4, 1), note="五五分成")
    rule = v2.rules.get(key="vat-local-ratio")
    rule_services.save_rule(
        users["jinniu"], v2, rule, params={"shares": {"jinniu": "1/2", "dege": "1/2"}}
    )
    support.add_records(users["dege"], made, "dege", "2025Q2", [(e0, "vat_local", 1_200_000)])
    q2 = runs.run_period(users["jinniu"], made, "2025Q2")
    return {**world, "q1": q1, "q2": q2, "e0": e0}


class TestAmendment:
    def test_the_figures_at_the_old_share_then_the_amendment(self, amended: dict[str, Any]) -> None:
        found = compare(amended["agreement"], amended["q2"], amended["q1"])
        e0 = amended["e0"]
        # jinniu 600,000 → 600,000: 3/5 of 1,200,000 would be 720,000 (+120,000 from the
        # figures); the amendment to 1/2 takes 120,000 back.
        jinniu = line_of(found, e0, "jinniu")
        assert (jinniu.before, jinniu.after) == (600_000, 600_000)
        assert causes(jinniu) == [("records", 120_000), ("amendment", -120_000)]
        dege = line_of(found, e0, "dege")
        assert (dege.before, dege.after) == (400_000, 600_000)
        assert causes(dege) == [("records", 80_000), ("amendment", 120_000)]
        amendment = dege.causes[1]
        [rule] = amendment.details[0]["rules"]
        assert rule["change"] == "changed"
        assert rule["params"] == [["shares.dege", "2/5", "1/2"], ["shares.jinniu", "3/5", "1/2"]]
        assert amendment.zh == (
            "协议第1版 → 第2版:规则 vat-local-ratio:shares.dege: 2/5 → 1/2;shares.jinniu: 3/5 → 1/2"
        )
        assert amendment.en.startswith("agreement v1 → v2: rule vat-local-ratio: shares.dege")
        assert line_of(found, e0, "jinniu").causes[0].zh == (
            "2025Q1 10,000.00 元 → 2025Q2 12,000.00 元"
        )

    def test_the_previous_periods_confirmed_run_is_offered(self, amended: dict[str, Any]) -> None:
        offered = reconcile.candidates(amended["q2"])
        assert [(c.run.pk, c.same_period) for c in offered] == [(amended["q1"].pk, False)]


# ---------------------------------------------------------------- steps and windows


def ruled_agreement(
    users: dict[str, User], orgs: dict[str, Organization], kind: str, params: dict[str, Any]
) -> Agreement:
    made = support.agreement(
        users["jinniu"], orgs["jinniu"], orgs["dege"], effective_from=date(2019, 1, 1)
    )
    rule_services.save_rule(
        users["jinniu"],
        made.versions.get(number=1),
        key="vat-rule",
        indicator="vat_local",
        kind=kind,
        params=params,
    )
    return support.in_force(users["jinniu"], made, on=date(2019, 1, 1))


class TestStep:
    def test_year_three_to_year_four(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        """Production 2021-05-15: 2024Q2 is year 3 (70/30), 2024Q3 year 4 (50/50)."""
        made = ruled_agreement(
            users,
            orgs,
            "stepped",
            {
                "anchor": "production",
                "steps": [
                    {"years": [1, 3], "shares": {"jinniu": "70%", "dege": "30%"}},
                    {"years": [4, None], "shares": {"jinniu": "50%", "dege": "50%"}},
                ],
            },
        )
        [firm] = support.enterprises(orgs["dege"], 1)
        CoveredEnterprise.objects.create(
            agreement=made, enterprise=firm, production_on=date(2021, 5, 15)
        )
        for label in ("2024Q2", "2024Q3"):
            support.add_records(
                users["dege"], made, "dege", label, [(firm, "vat_local", 100_000_000)]
            )
        q2 = confirm(users, runs.run_period(users["jinniu"], made, "2024Q2"))
        q3 = runs.run_period(users["jinniu"], made, "2024Q3")
        found = compare(made, q2, q3)
        jinniu = line_of(found, firm, "jinniu")
        assert (jinniu.before, jinniu.after) == (70_000_000, 50_000_000)
        assert causes(jinniu) == [("step", -20_000_000)]
        assert causes(line_of(found, firm, "dege")) == [("step", 20_000_000)]
        assert jinniu.causes[0].zh == "第3年 → 第4年"
        assert jinniu.causes[0].en == "year 3 → year 4"

    def test_an_amendment_and_a_step_change_on_one_figure_are_told_apart(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        """Year 3 (70/30) in 2024Q2 under version 1; 2024Q3 is year 4, and version 2 (from
        2024-07-01) changes year 4 on from 50/50 to 40/60. On 1,000,000.00 元 both quarters,
        jinniu goes 700,000 → 400,000: the step alone (version 1's year 4, 50%) is −200,000,
        the amendment on top (50% → 40%) −100,000."""
        made = ruled_agreement(
            users,
            orgs,
            "stepped",
            {
                "anchor": "production",
                "steps": [
                    {"years": [1, 3], "shares": {"jinniu": "70%", "dege": "30%"}},
                    {"years": [4, None], "shares": {"jinniu": "50%", "dege": "50%"}},
                ],
            },
        )
        [firm] = support.enterprises(orgs["dege"], 1)
        CoveredEnterprise.objects.create(
            agreement=made, enterprise=firm, production_on=date(2021, 5, 15)
        )
        support.add_records(users["dege"], made, "dege", "2024Q2", [(firm, "vat_local", 10**8)])
        q2 = confirm(users, runs.run_period(users["jinniu"], made, "2024Q2"))
        v2 = versions.amend(users["jinniu"], made, date(2024, 7, 1), note="第4年起四六分")
        rule_services.save_rule(
            users["jinniu"],
            v2,
            v2.rules.get(key="vat-rule"),
            params={
                "anchor": "production",
                "steps": [
                    {"years": [1, 3], "shares": {"jinniu": "70%", "dege": "30%"}},
                    {"years": [4, None], "shares": {"jinniu": "40%", "dege": "60%"}},
                ],
            },
        )
        support.add_records(users["dege"], made, "dege", "2024Q3", [(firm, "vat_local", 10**8)])
        q3 = runs.run_period(users["jinniu"], made, "2024Q3")
        found = compare(made, q2, q3)
        jinniu = line_of(found, firm, "jinniu")
        assert (jinniu.before, jinniu.after) == (70_000_000, 40_000_000)
        assert causes(jinniu) == [("amendment", -10_000_000), ("step", -20_000_000)]
        assert causes(line_of(found, firm, "dege")) == [
            ("amendment", 10_000_000),
            ("step", 20_000_000),
        ]
        amendment, step = jinniu.causes
        assert amendment.zh == (
            "协议第1版 → 第2版:规则 vat-rule:steps[1].shares.dege: 50% → 60%;"
            "steps[1].shares.jinniu: 50% → 40%"
        )
        assert step.zh == "第3年 → 第4年(按修订前的规则计算)"
        assert step.en == "year 3 → year 4 (under the rules before the amendment)"
        assert total_of(found, "jinniu").by_cause == {"amendment": -10_000_000, "step": -20_000_000}


@pytest.fixture
def windowed(users: dict[str, User], orgs: dict[str, Organization]) -> dict[str, Any]:
    """财预〔2015〕92号 as in docs/cobuild.md: jinniu capped at 3,000,000.00 元, 50:50 for 3
    years from 2020-01-01, 2 years' extension; settled yearly 2020–2022 (confirmed), 2023."""
    [firm] = support.enterprises(orgs["dege"], 1)
    made = ruled_agreement(
        users,
        orgs,
        "window_cap",
        {
            "window_years": 3,
            "extension_years": 2,
            "shares": {"jinniu": "1/2", "dege": "1/2"},
            "capped_party": "jinniu",
            "caps": {str(firm.pk): 300_000_000},
            "currency": "CNY",
            "basis": "迁出前三年缴纳的三税地方部分",
            "after": {"dege": "1"},
        },
    )
    CoveredEnterprise.objects.create(
        agreement=made,
        enterprise=firm,
        moved_on=date(2019, 6, 1),
        full_production_on=date(2020, 1, 1),
    )
    found: dict[str, Run] = {}
    figures = {"2020": 160_000_000, "2021": 180_000_000, "2022": 200_000_000, "2023": 240_000_000}
    for label, amount in figures.items():
        support.add_records(users["dege"], made, "dege", label, [(firm, "vat_local", amount)])
        found[label] = runs.run_period(users["jinniu"], made, label)
        if label != "2023":
            found[label] = confirm(users, found[label])
    return {"agreement": made, "firm": firm, "runs": found, "users": users}


class TestWindowAndCap:
    def test_the_cap_is_reached_in_the_extension(self, windowed: dict[str, Any]) -> None:
        made, firm, found = windowed["agreement"], windowed["firm"], windowed["runs"]
        result = compare(made, found["2022"], found["2023"])
        jinniu = line_of(result, firm, "jinniu")
        # 1,000,000.00 → 300,000.00: half of 2,400,000.00 would be +200,000.00 more; the cap
        # (300,000.00 left) takes 900,000.00; year 3 → 4 (window → extension) changes no share.
        assert (jinniu.before, jinniu.after) == (100_000_000, 30_000_000)
        assert causes(jinniu) == [("records", 20_000_000), ("cap", -90_000_000), ("step", 0)]
        dege = line_of(result, firm, "dege")
        assert (dege.before, dege.after) == (100_000_000, 210_000_000)
        assert causes(dege) == [("records", 20_000_000), ("cap", 90_000_000), ("step", 0)]
        cap = jinniu.causes[1]
        assert cap.details == [
            {
                "rule": "vat-rule",
                "capped_party": "jinniu",
                "cap": 300_000_000,
                "cap_used": 300_000_000,
                "cap_left": 0,
            }
        ]
        assert "3,000,000.00 元 已用满" in cap.zh
        assert jinniu.causes[2].zh == "窗口内(第3年) → 延长期内(第4年)"

    def test_the_window_ends(self, windowed: dict[str, Any]) -> None:
        made, firm, found, users = (
            windowed["agreement"],
            windowed["firm"],
            windowed["runs"],
            windowed["users"],
        )
        confirm(users, found["2023"])
        support.add_records(users["dege"], made, "dege", "2024", [(firm, "vat_local", 260_000_000)])
        after = runs.run_period(users["jinniu"], made, "2024")
        result = compare(made, found["2023"], after)
        jinniu = line_of(result, firm, "jinniu")
        # 300,000.00 → 0: half of 2,600,000.00 is 1,300,000.00 (+100,000.00 on 1,200,000.00),
        # the cap no longer cuts (+900,000.00), and after the window jinniu has no share
        # (-1,300,000.00).
        assert (jinniu.before, jinniu.after) == (30_000_000, 0)
        assert causes(jinniu) == [
            ("records", 10_000_000),
            ("cap", 90_000_000),
            ("step", -130_000_000),
        ]
        assert jinniu.causes[2].zh.endswith("→ 窗口期满后(窗口结束)")
        assert jinniu.causes[2].en.endswith("→ after the window (the window ended)")
        dege = line_of(result, firm, "dege")
        assert (dege.before, dege.after) == (210_000_000, 260_000_000)


# ---------------------------------------------------------------- pages and API


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestPageAndApi:
    def test_the_page_from_the_run(self, replaced: dict[str, Any]) -> None:
        made, second = replaced["agreement"], replaced["second"]
        client = client_for(replaced["users"]["dege"])
        run_page = client.get(reverse("cobuild:run", args=[made.pk, second.pk])).content.decode()
        url = reverse("cobuild:run_reconcile", args=[made.pk, second.pk])
        assert url in run_page
        assert url in client.get(reverse("cobuild:runs", args=[made.pk])).content.decode()
        page = client.get(url).content.decode()
        assert 'id="reconcile-table"' in page
        assert "新纳入企业" in page and "数据变化" in page
        assert "-11,100.01 元" in page  # jinniu's total difference
        assert f'value="{replaced["first"].pk}" selected' in page

    def test_the_page_in_english_with_the_assessment_label(self, world: dict[str, Any]) -> None:
        users, made = world["users"], world["agreement"]
        support.ratio_rule(users["jinniu"], made, "output")
        e0 = world["enterprises"][0]
        support.add_records(
            users["dege"], made, "dege", "2025Q1",
            [(e0, "vat_local", 100_000), (e0, "output", 500_000)],
        )  # fmt: skip
        first = confirm(users, runs.run_period(users["jinniu"], made, "2025Q1"))
        support.add_records(
            users["dege"], made, "dege", "2025Q1",
            [(e0, "vat_local", 100_000), (e0, "output", 600_000)], replace=True,
        )  # fmt: skip
        second = runs.run_period(users["jinniu"], made, "2025Q1")
        client = client_for(users["jinniu"])
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        url = reverse("cobuild:run_reconcile", args=[made.pk, second.pk])
        page = client.get(url, {"with": first.pk}).content.decode()
        assert "figures changed" in page
        assert "CNY 5,000.00 → CNY 6,000.00" in page
        assert "data-assessment" in page

    def test_no_run_to_compare_with(self, world: dict[str, Any]) -> None:
        made = world["agreement"]
        run = runs.run_period(world["users"]["jinniu"], made, "2025Q1")
        page = client_for(world["users"]["jinniu"]).get(
            reverse("cobuild:run_reconcile", args=[made.pk, run.pk])
        )
        assert page.status_code == 200
        assert 'id="reconcile-none"' in page.content.decode()

    def test_the_api_gives_the_same_structure(
        self, replaced: dict[str, Any], api_client: Callable[[User], Client]
    ) -> None:
        made, second, first = replaced["agreement"], replaced["second"], replaced["first"]
        response = api_client(replaced["users"]["jinniu"]).get(
            f"{API}/{made.pk}/runs/{second.pk}/reconcile", {"other": first.pk}
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert (body["before"]["id"], body["after"]["id"], body["same_period"]) == (
            first.pk,
            second.pk,
            True,
        )
        jinniu = next(t for t in body["totals"] if t["party"] == "jinniu")
        assert (jinniu["before"], jinniu["after"], jinniu["difference"]) == (
            1_260_001,
            150_000,
            -1_110_001,
        )
        assert sum(jinniu["by_cause"].values()) == jinniu["difference"]
        for line in body["lines"]:
            assert sum(c["amount"] for c in line["causes"]) == line["difference"]
        new = next(
            line
            for line in body["lines"]
            if line["enterprise"] == replaced["e2"].pk and line["party"] == "dege"
        )
        assert new["causes"][0]["cause"] == "new_enterprise"
        assert new["causes"][0]["label_en"] == "enterprise newly covered"
        assert new["causes"][0]["amount_display"] == "200.00"

    def test_a_non_party_gets_a_404(
        self, replaced: dict[str, Any], api_client: Callable[[User], Client]
    ) -> None:
        made, second = replaced["agreement"], replaced["second"]
        outsider = replaced["users"]["qingbaijiang"]
        url = reverse("cobuild:run_reconcile", args=[made.pk, second.pk])
        assert client_for(outsider).get(url).status_code == 404
        response = api_client(outsider).get(f"{API}/{made.pk}/runs/{second.pk}/reconcile")
        assert response.status_code == 404

    def test_a_run_of_another_agreement_is_a_404(
        self, replaced: dict[str, Any], api_client: Callable[[User], Client]
    ) -> None:
        made, second = replaced["agreement"], replaced["second"]
        response = api_client(replaced["users"]["jinniu"]).get(
            f"{API}/{made.pk}/runs/{second.pk}/reconcile", {"other": 999_999}
        )
        assert response.status_code == 404
