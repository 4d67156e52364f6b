"""The co-built park models: constraints that hold whatever code writes the rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from parklink.accounts.models import Organization
from parklink.cobuild.models import Agreement, AgreementVersion, Party


@pytest.fixture
def agreement(orgs: dict[str, Organization]) -> Agreement:
    made = Agreement.objects.create(owner=orgs["jinniu"], title="金牛—德格共建园区协议")
    Party.objects.create(
        agreement=made, organization=orgs["jinniu"], key="jinniu", roles=["source"], order=0
    )
    return made


class TestAgreement:
    def test_starts_as_a_draft(self, agreement: Agreement) -> None:
        assert agreement.status == "draft"

    def test_term_cannot_end_before_it_starts(self, orgs: dict[str, Organization]) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            Agreement.objects.create(
                owner=orgs["jinniu"],
                title="倒置期限",
                term_start=date(2025, 1, 1),
                term_end=date(2024, 1, 1),
            )

    def test_changes_are_kept_in_the_history(self, agreement: Agreement) -> None:
        agreement.title = "改名后的协议"
        agreement.save()
        assert agreement.history.count() == 2


class TestParty:
    def test_an_organisation_is_a_party_once(
        self, agreement: Agreement, orgs: dict[str, Organization]
    ) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            Party.objects.create(
                agreement=agreement, organization=orgs["jinniu"], key="other", order=1
            )

    def test_two_parties_cannot_share_an_order(
        self, agreement: Agreement, orgs: dict[str, Organization]
    ) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            Party.objects.create(
                agreement=agreement, organization=orgs["dege"], key="dege", order=0
            )


class TestVersion:
    def test_two_versions_cannot_take_effect_on_the_same_day(self, agreement: Agreement) -> None:
        AgreementVersion.objects.create(
            agreement=agreement, number=1, effective_from=date(2025, 1, 1)
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            AgreementVersion.objects.create(
                agreement=agreement, number=2, effective_from=date(2025, 1, 1)
            )
