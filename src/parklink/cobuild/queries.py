"""Who sees which agreement, and every row that belongs to one.

The parties to an agreement see the agreement, its records, runs and statements; nobody else
does, except installation administrators. The organisation that drafts it (`owner`) and is not
a party sees it only while it is a draft or under negotiation (the text it is drafting): once
signed, the agreement, its figures and its settlements belong to the parties alone. A hidden
agreement is a 404 everywhere (API, commands, admin), like a missing one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.cobuild.models import (
    Agreement,
    AgreementStatus,
    AgreementTransition,
    AgreementVersion,
    Allocation,
    AllocationTerms,
    Confirmation,
    CooperationField,
    CoveredEnterprise,
    EquityShare,
    OperatingCompany,
    Party,
    Record,
    RecordBatch,
    Rule,
    Run,
    SharedPolicy,
)
from parklink.core.errors import NotFound

# While the drafter that is not a party still sees the agreement.
DRAFTING = (AgreementStatus.DRAFT, AgreementStatus.NEGOTIATING)


def visibility_q(user: User) -> Q:
    """Agreements `user` may see: those their organisation is a party to, and those it drafts
    while they are drafts or under negotiation."""
    if user.is_superuser:
        return Q()
    if user.organization_id is None:
        return Q(pk__in=[])
    parties = Party.objects.filter(organization_id=user.organization_id).values("agreement_id")
    return Q(owner_id=user.organization_id, status__in=DRAFTING) | Q(pk__in=parties)


def visible_agreements(user: User) -> QuerySet[Agreement]:
    return Agreement.objects.filter(visibility_q(user))


def get_visible(user: User, pk: int) -> Agreement:
    """The agreement, or NotFound when it does not exist or the user may not see it."""
    agreement = visible_agreements(user).filter(pk=pk).first()
    if agreement is None:
        raise NotFound(_("共建协议不存在或无权查看。"), detail={"agreement": pk})
    return agreement


def _rows(model: type[Any], path: str) -> Callable[[User], QuerySet[Any]]:
    """The rows of `model` whose agreement (reached through `path`) the user may see."""

    def visible(user: User) -> QuerySet[Any]:
        rows = model._default_manager.all()
        if user.is_superuser:
            return rows
        return rows.filter(**{f"{path}__in": visible_agreements(user).values("pk")})

    return visible


SCOPES: dict[str, Callable[[User], QuerySet[Any]]] = {
    "cobuild.agreement": visible_agreements,
    "cobuild.agreementtransition": _rows(AgreementTransition, "agreement"),
    "cobuild.party": _rows(Party, "agreement"),
    "cobuild.agreementversion": _rows(AgreementVersion, "agreement"),
    "cobuild.operatingcompany": _rows(OperatingCompany, "agreement"),
    "cobuild.equityshare": _rows(EquityShare, "company__agreement"),
    "cobuild.cooperationfield": _rows(CooperationField, "agreement"),
    "cobuild.sharedpolicy": _rows(SharedPolicy, "agreement"),
    "cobuild.coveredenterprise": _rows(CoveredEnterprise, "agreement"),
    "cobuild.rule": _rows(Rule, "version__agreement"),
    "cobuild.recordbatch": _rows(RecordBatch, "agreement"),
    "cobuild.record": _rows(Record, "agreement"),
    "cobuild.run": _rows(Run, "agreement"),
    "cobuild.allocation": _rows(Allocation, "run__agreement"),
    "cobuild.allocationterms": _rows(AllocationTerms, "run__agreement"),
    "cobuild.confirmation": _rows(Confirmation, "run__agreement"),
}


def party_of(user: User, agreement: Agreement) -> Party | None:
    """The user's organisation's party to the agreement, if it is one."""
    if user.organization_id is None:
        return None
    return agreement.parties.filter(organization_id=user.organization_id).first()
