"""Cobuild services: lifecycle, drafts, versions, rules, runs, confirmations and statements."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from parklink.accounts.models import Organization, User
from parklink.cobuild.models import AgreementTransition, Allocation, Record, Run, RunStatus
from parklink.cobuild.services import (
    agreements,
    confirmations,
    lifecycle,
    runs,
    statements,
    versions,
)
from parklink.cobuild.services import rules as rule_services
from parklink.core.errors import Conflict, Forbidden, IllegalTransition, Invalid
from tests.cobuild import support


@pytest.fixture
def draft(orgs: dict[str, Organization], users: dict[str, User]) -> Any:
    return support.agreement(users["jinniu"], orgs["jinniu"], orgs["dege"])


class TestLifecycle:
    def test_signing_records_the_date_and_the_transition(
        self, draft: Any, users: dict[str, User]
    ) -> None:
        lifecycle.transition(users["dege"], draft, "signed", on=date(2025, 1, 2))
        draft.refresh_from_db()
        assert (draft.status, draft.signed_on) == ("signed", date(2025, 1, 2))
        move = AgreementTransition.objects.get(agreement=draft)
        assert (move.from_status, move.to_status, move.actor) == ("draft", "signed", users["dege"])

    def test_a_draft_cannot_come_into_force_unsigned(
        self, draft: Any, users: dict[str, User]
    ) -> None:
        with pytest.raises(IllegalTransition) as caught:
            lifecycle.transition(users["jinniu"], draft, "in_force")
        assert caught.value.detail["allowed"] == ["negotiating", "signed", "terminated"]

    def test_terminating_needs_a_reason(self, draft: Any, users: dict[str, User]) -> None:
        with pytest.raises(Invalid):
            lifecycle.transition(users["jinniu"], draft, "terminated")

    def test_an_outsider_may_not_move_it(self, draft: Any, users: dict[str, User]) -> None:
        with pytest.raises(Forbidden):
            lifecycle.transition(users["qingbaijiang"], draft, "negotiating")

    def test_a_viewer_of_a_party_may_not_move_it(self, draft: Any, users: dict[str, User]) -> None:
        with pytest.raises(Forbidden):
            lifecycle.transition(users["jinniu_viewer"], draft, "negotiating")


class TestDrafts:
    def test_creating_makes_version_one_and_the_parties(self, draft: Any) -> None:
        assert [v.number for v in draft.versions.all()] == [1]
        assert [(p.key, p.roles) for p in draft.parties.all()] == [
            ("jinniu", ["source"]),
            ("dege", ["host"]),
        ]

    def test_the_other_party_may_edit_a_draft(self, draft: Any, users: dict[str, User]) -> None:
        agreements.update_agreement(users["dege"], draft, title="新名称")
        draft.refresh_from_db()
        assert draft.title == "新名称"

    def test_a_signed_agreement_is_not_edited(self, draft: Any, users: dict[str, User]) -> None:
        lifecycle.transition(users["jinniu"], draft, "signed")
        with pytest.raises(Conflict):
            agreements.update_agreement(users["jinniu"], draft, title="改不了")

    def test_repeated_party_keys_are_refused(
        self, orgs: dict[str, Organization], users: dict[str, User]
    ) -> None:
        with pytest.raises(Invalid) as caught:
            agreements.create_agreement(
                users["jinniu"],
                owner_id=orgs["jinniu"].pk,
                title="重复代号",
                effective_from=date(2025, 1, 1),
                parties=[
                    agreements.PartySpec(orgs["jinniu"], "same", ["source"], 0),
                    agreements.PartySpec(orgs["dege"], "same", ["host"], 1),
                ],
            )
        assert "parties" in caught.value.detail

    def test_parties_are_replaced_by_organisation(
        self, draft: Any, orgs: dict[str, Organization], users: dict[str, User]
    ) -> None:
        agreements.set_parties(
            users["jinniu"],
            draft,
            [
                agreements.PartySpec(orgs["dege"], "dege", ["host", "aid_receiver"], 0),
                agreements.PartySpec(orgs["jinniu"], "jinniu", ["source", "aid_giver"], 1),
            ],
        )
        assert [(p.key, p.order) for p in draft.parties.order_by("order")] == [
            ("dege", 0),
            ("jinniu", 1),
        ]


class TestRules:
    def test_shares_must_add_up_to_one_hundred_percent(
        self, draft: Any, users: dict[str, User]
    ) -> None:
        with pytest.raises(Invalid) as caught:
            support.ratio_rule(users["jinniu"], draft, jinniu="3/5", dege="1/5")
        assert "100%" in caught.value.message
        assert list(caught.value.detail) == ["params.shares"]

    def test_the_reason_follows_the_users_language(
        self, draft: Any, users: dict[str, User]
    ) -> None:
        from django.utils import translation

        with translation.override("en"), pytest.raises(Invalid) as caught:
            support.ratio_rule(users["jinniu"], draft, jinniu="3/5", dege="1/5")
        assert "add up to" in caught.value.message

    def test_an_unknown_kind_is_refused(self, draft: Any, users: dict[str, User]) -> None:
        with pytest.raises(Invalid) as caught:
            rule_services.save_rule(
                users["jinniu"],
                draft.versions.get(),
                key="x",
                indicator="vat_local",
                kind="no_such_kind",
                params={},
            )
        assert "kind" in caught.value.detail

    def test_two_rules_tied_on_one_indicator_are_refused(
        self, draft: Any, users: dict[str, User]
    ) -> None:
        support.ratio_rule(users["jinniu"], draft)
        with pytest.raises(Invalid):
            rule_services.save_rule(
                users["jinniu"],
                draft.versions.get(),
                key="second",
                indicator="vat_local",
                kind="fixed_ratio",
                params={"shares": {"jinniu": "1/2", "dege": "1/2"}},
            )

    def test_a_version_with_a_confirmed_run_is_locked(self, world: dict[str, Any]) -> None:
        _confirmed_run(world)
        with pytest.raises(Conflict):
            rule_services.save_rule(
                world["users"]["jinniu"],
                world["rule"].version,
                rule=world["rule"],
                params={"shares": {"jinniu": "1/2", "dege": "1/2"}},
            )


def _confirmed_run(world: dict[str, Any], label: str = "2025Q1") -> Run:
    run = runs.run_period(world["users"]["jinniu"], world["agreement"], label)
    confirmations.confirm(world["users"]["jinniu"], run)
    confirmations.confirm(world["users"]["dege"], run)
    run.refresh_from_db()
    return run


class TestVersions:
    def test_a_period_is_settled_under_the_version_in_force_at_its_start(
        self, world: dict[str, Any]
    ) -> None:
        made, users = world["agreement"], world["users"]
        amended = versions.amend(users["jinniu"], made, date(2025, 4, 1), note="二期")
        assert versions.version_for(made, date(2025, 3, 31)).number == 1  # type: ignore[union-attr]
        assert versions.version_for(made, date(2025, 4, 1)) == amended

    def test_an_amendment_copies_the_rules_with_their_keys(self, world: dict[str, Any]) -> None:
        amended = versions.amend(world["users"]["jinniu"], world["agreement"], date(2025, 7, 1))
        assert [r.key for r in amended.rules.all()] == [world["rule"].key]
        assert amended.rules.get().pk != world["rule"].pk

    def test_an_amendment_cannot_reach_back_into_a_settled_period(
        self, world: dict[str, Any]
    ) -> None:
        _confirmed_run(world)
        with pytest.raises(Invalid):
            versions.amend(world["users"]["jinniu"], world["agreement"], date(2025, 3, 1))


class TestRuns:
    def test_a_run_splits_every_figure_by_the_rule(self, world: dict[str, Any]) -> None:
        run = runs.run_period(world["users"]["dege"], world["agreement"], "2025Q1")
        parts = list(run.allocations.order_by("position").values_list("party__key", "amount"))
        # 100 001 fen × 3/5 = 60 000.6 → the remainder goes by the rounding rule.
        assert sum(amount for _key, amount in parts) == 2_100_001
        assert run.status == RunStatus.DRAFT
        assert run.version.number == 1
        assert len(run.inputs_digest) == 64

    def test_the_same_inputs_give_the_same_digests(self, world: dict[str, Any]) -> None:
        first = runs.run_period(world["users"]["dege"], world["agreement"], "2025Q1")
        digests = (first.inputs_digest, first.allocations_digest)
        first.delete()
        second = runs.run_period(world["users"]["jinniu"], world["agreement"], "2025Q1")
        assert (second.inputs_digest, second.allocations_digest) == digests

    def test_running_again_unchanged_returns_the_same_draft(self, world: dict[str, Any]) -> None:
        first = runs.run_period(world["users"]["dege"], world["agreement"], "2025Q1")
        again = runs.run_period(world["users"]["dege"], world["agreement"], "2025Q1")
        assert again.pk == first.pk

    def test_a_stored_run_reproduces_byte_for_byte(self, world: dict[str, Any]) -> None:
        run = _confirmed_run(world)
        assert runs.reproduce(run)

    def test_an_empty_period_is_refused(self, world: dict[str, Any]) -> None:
        with pytest.raises(Invalid):
            runs.run_period(world["users"]["dege"], world["agreement"], "2025Q2")

    def test_a_settled_period_is_not_run_again(self, world: dict[str, Any]) -> None:
        _confirmed_run(world)
        with pytest.raises(Conflict):
            runs.run_period(world["users"]["dege"], world["agreement"], "2025Q1")

    def test_a_year_overlapping_a_settled_quarter_is_refused(self, world: dict[str, Any]) -> None:
        _confirmed_run(world)
        with pytest.raises(Conflict):
            runs.run_period(world["users"]["dege"], world["agreement"], "2025")

    def test_a_malformed_period_is_invalid(self, world: dict[str, Any]) -> None:
        with pytest.raises(Invalid):
            runs.run_period(world["users"]["dege"], world["agreement"], "2025Q9")

    def test_a_draft_agreement_is_not_settled(self, draft: Any, users: dict[str, User]) -> None:
        with pytest.raises(Conflict):
            runs.run_period(users["jinniu"], draft, "2025Q1")

    def test_allocations_are_written_in_batches(
        self, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(runs, "BATCH", 3)
        run = runs.run_period(world["users"]["dege"], world["agreement"], "2025Q1")
        assert Allocation.objects.filter(run=run).count() == 4


class TestConfirmations:
    def test_one_party_is_not_enough(self, world: dict[str, Any]) -> None:
        run = runs.run_period(world["users"]["jinniu"], world["agreement"], "2025Q1")
        confirmations.confirm(world["users"]["jinniu"], run)
        run.refresh_from_db()
        assert run.status == RunStatus.DRAFT

    def test_both_parties_confirm_it(self, world: dict[str, Any]) -> None:
        run = _confirmed_run(world)
        assert run.status == RunStatus.CONFIRMED and run.confirmed_at is not None
        assert sorted(run.confirmations.values_list("party__key", "user__username")) == [
            ("dege", "dege_officer"),
            ("jinniu", "jinniu_officer"),
        ]

    def test_a_party_confirms_once(self, world: dict[str, Any]) -> None:
        run = runs.run_period(world["users"]["jinniu"], world["agreement"], "2025Q1")
        confirmations.confirm(world["users"]["jinniu"], run)
        with pytest.raises(Conflict):
            confirmations.confirm(world["users"]["jinniu"], run)

    def test_an_installation_admin_confirms_for_no_party(self, world: dict[str, Any]) -> None:
        run = runs.run_period(world["users"]["jinniu"], world["agreement"], "2025Q1")
        with pytest.raises(Forbidden):
            confirmations.confirm(world["users"]["root"], run)

    def test_a_viewer_may_not_confirm(self, world: dict[str, Any]) -> None:
        run = runs.run_period(world["users"]["jinniu"], world["agreement"], "2025Q1")
        with pytest.raises(Forbidden):
            confirmations.confirm(world["users"]["jinniu_viewer"], run)

    def test_a_run_whose_figures_were_replaced_is_not_confirmed(
        self, world: dict[str, Any]
    ) -> None:
        run = runs.run_period(world["users"]["jinniu"], world["agreement"], "2025Q1")
        firm = world["enterprises"][0]
        support.add_records(
            world["users"]["dege"], world["agreement"], "dege", "2025Q1", [(firm, "vat_local", 5)]
        )
        with pytest.raises(Conflict):
            confirmations.confirm(world["users"]["jinniu"], run)


class TestReimport:
    def test_a_settled_period_is_not_reimported_without_replace(
        self, world: dict[str, Any]
    ) -> None:
        _confirmed_run(world)
        firm = world["enterprises"][0]
        with pytest.raises(Conflict):
            support.add_records(
                world["users"]["dege"],
                world["agreement"],
                "dege",
                "2025Q1",
                [(firm, "vat_local", 5)],
            )

    def test_a_side_contributes_and_replaces_only_its_own_figures(
        self, world: dict[str, Any]
    ) -> None:
        made, users, firm = world["agreement"], world["users"], world["enterprises"][0]
        dege_before = list(
            Record.objects.filter(agreement=made, replaced=False).values_list("id", flat=True)
        )
        with pytest.raises(Forbidden):  # 金牛's officer cannot import 德格's figures
            support.add_records(users["jinniu"], made, "dege", "2025Q1", [(firm, "vat_local", 5)])
        with pytest.raises(Forbidden):  # nor can an outsider
            support.add_records(users["qingbaijiang"], made, "dege", "2025Q1", [])
        support.add_records(users["jinniu"], made, "jinniu", "2025Q1", [(firm, "vat_local", 7)])
        support.add_records(users["jinniu"], made, "jinniu", "2025Q1", [(firm, "vat_local", 8)])
        current = Record.objects.filter(agreement=made, replaced=False)
        # 金牛's second import replaced its first one and left 德格's figures as they were.
        assert sorted(current.filter(contributed_by__key="dege").values_list("id", flat=True)) == (
            sorted(dege_before)
        )
        assert list(
            current.filter(contributed_by__key="jinniu").values_list("amount", flat=True)
        ) == [8]

    def test_replacing_keeps_the_old_records_and_run_in_the_history(
        self, world: dict[str, Any]
    ) -> None:
        run = _confirmed_run(world)
        firm = world["enterprises"][0]
        support.add_records(
            world["users"]["dege"],
            world["agreement"],
            "dege",
            "2025Q1",
            [(firm, "vat_local", 5)],
            replace=True,
        )
        run.refresh_from_db()
        assert run.status == RunStatus.SUPERSEDED
        assert run.allocations.count() == 4
        assert Record.objects.filter(agreement=world["agreement"], replaced=True).count() == 2
        new = runs.run_period(world["users"]["dege"], world["agreement"], "2025Q1")
        assert sum(new.allocations.values_list("amount", flat=True)) == 5


class TestStatements:
    def test_totals_by_indicator_and_enterprise(self, world: dict[str, Any]) -> None:
        run = _confirmed_run(world)
        party = statements.find_party(world["agreement"], "jinniu")
        found = statements.statement(world["agreement"], run, party).as_json()
        assert found["period"] == "2025Q1"
        assert [row["indicator"] for row in found["by_indicator"]] == ["vat_local"]
        total = found["by_indicator"][0]["amount"]
        assert total == sum(row["amount"] for row in found["by_enterprise"])
        assert 1_260_000 <= total <= 1_260_001
