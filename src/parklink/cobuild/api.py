"""Co-built park API: agreements, parties, versions, rules, figures, runs and statements.

Every route reads through the user's visible agreements (`queries.get_visible`): another
agreement is a 404, the same as a missing one. Amounts are integers of fen (or persons).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from parklink.accounts.apitools import current_user, owner_id_for
from parklink.accounts.models import Organization, User
from parklink.cobuild import tasks
from parklink.cobuild.api_enclaves import router as enclave_router
from parklink.cobuild.models import (
    Agreement,
    AgreementVersion,
    Confirmation,
    CooperationField,
    CoveredEnterprise,
    EquityShare,
    OperatingCompany,
    Party,
    Record,
    Rule,
    Run,
    SharedPolicy,
)
from parklink.cobuild.queries import get_visible, visible_agreements
from parklink.cobuild.schemas import (
    PAGE_ATTR,
    AgreementAmendIn,
    AgreementDetailOut,
    AgreementIn,
    AgreementPage,
    AgreementPartiesIn,
    AgreementPartyIn,
    AgreementPatch,
    AgreementTransitionIn,
    AgreementVersionOut,
    CooperationFieldIn,
    CooperationFieldOut,
    CooperationFieldPatch,
    CoveredEnterpriseIn,
    CoveredEnterpriseOut,
    CoveredEnterprisePatch,
    EquityShareIn,
    ForecastIn,
    ForecastOut,
    LedgerJobOut,
    LedgerPageQuery,
    LedgerReconcileOut,
    LedgerReconcileQuery,
    LedgerRecordPage,
    LedgerRecordQuery,
    LedgerRunDetailOut,
    LedgerRunIn,
    LedgerRunOut,
    LedgerStatementOut,
    OperatingCompanyIn,
    OperatingCompanyOut,
    OperatingCompanyPatch,
    SharedPolicyIn,
    SharedPolicyOut,
    SharedPolicyPatch,
    SharingRuleIn,
    SharingRuleOut,
    SharingRulePatch,
    TwoViewsOut,
    TwoViewsQuery,
)
from parklink.cobuild.services import (
    agreements,
    confirmations,
    details,
    lifecycle,
    reconcile,
    rules,
    runs,
    statements,
    twoviews,
    versions,
)
from parklink.cobuild.services import forecast as forecasts
from parklink.cobuild.services.agreements import PartySpec
from parklink.cobuild.services.details import ShareSpec
from parklink.core.errors import Invalid, NotFound
from parklink.core.models import Job
from parklink.enterprises.models import Enterprise
from parklink.parks.models import Park

router = Router(tags=["cobuild"])


def _detailed(user: User, pk: int) -> Agreement:
    agreement = (
        visible_agreements(user)
        .select_related("owner")
        .prefetch_related(
            "parks",
            "versions",
            Prefetch("parties", queryset=Party.objects.select_related("organization")),
        )
        .filter(pk=pk)
        .first()
    )
    if agreement is None:
        get_visible(user, pk)  # raises the same 404 as every other route
    assert agreement is not None
    return agreement


def _parks(ids: list[int]) -> list[Park]:
    found = list(Park.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise Invalid.on("parks", _("园区不存在。"))
    return found


def _parties(items: list[AgreementPartyIn]) -> list[PartySpec]:
    orgs = Organization.objects.in_bulk([item.organization for item in items])
    missing = [item.organization for item in items if item.organization not in orgs]
    if missing:
        raise Invalid.on("parties", _("机构不存在: %(id)s") % {"id": missing[0]})
    return [
        PartySpec(orgs[item.organization], item.key, [str(r) for r in item.roles], item.order)
        for item in items
    ]


# ---------------------------------------------------------------- agreements


@router.get("/", response=AgreementPage, summary="List the agreements the user is a party to")
def list_agreements(request: HttpRequest, page: Query[LedgerPageQuery]) -> dict[str, Any]:
    qs = visible_agreements(current_user(request)).select_related("owner").order_by("-id")
    items = list(qs[page.offset : page.offset + page.limit])
    return {"count": qs.count(), "limit": page.limit, "offset": page.offset, "items": items}


@router.post("/", response={201: AgreementDetailOut}, summary="Draft an agreement")
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Status:
    user = current_user(request)
    data = payload.model_dump(exclude_none=True, exclude={"parties", "owner", "parks"})
    owner_id = owner_id_for(user, payload.owner)
    made = agreements.create_agreement(
        user,
        owner_id=owner_id,
        parties=_parties(payload.parties),
        parks=_parks(payload.parks or []),
        **data,
    )
    return Status(201, _detailed(user, made.pk))


@router.get("/{agreement_id}", response=AgreementDetailOut, summary="One agreement")
def read_agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    return _detailed(current_user(request), agreement_id)


@router.patch("/{agreement_id}", response=AgreementDetailOut, summary="Change a draft")
def update_agreement(request: HttpRequest, agreement_id: int, payload: AgreementPatch) -> Agreement:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    changes = payload.model_dump(exclude_unset=True)
    if changes.get("parks") is not None:
        changes["parks"] = _parks(changes["parks"])
    agreements.update_agreement(user, agreement, **changes)
    return _detailed(user, agreement_id)


@router.put("/{agreement_id}/parties", response=AgreementDetailOut, summary="Replace the parties")
def set_parties(request: HttpRequest, agreement_id: int, payload: AgreementPartiesIn) -> Agreement:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    agreements.set_parties(user, agreement, _parties(payload.parties))
    return _detailed(user, agreement_id)


@router.post("/{agreement_id}/transition", response=AgreementDetailOut, summary="Change the status")
def transition(
    request: HttpRequest, agreement_id: int, payload: AgreementTransitionIn
) -> Agreement:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    lifecycle.transition(user, agreement, payload.to, on=payload.date, note=payload.note)
    return _detailed(user, agreement_id)


@router.post(
    "/{agreement_id}/versions", response={201: AgreementVersionOut}, summary="Amend: a new version"
)
def amend(request: HttpRequest, agreement_id: int, payload: AgreementAmendIn) -> Status:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    return Status(201, versions.amend(user, agreement, payload.effective_from, note=payload.note))


# ---------------------------------------------------------------- rules


def _rules_qs(agreement: Agreement) -> Any:
    return (
        Rule.objects.filter(version__agreement=agreement)
        .select_related("version", "scope_party")
        .prefetch_related("enterprises")
        .order_by("version__number", "order", "id")
    )


def _rule_fields(agreement: Agreement, data: dict[str, Any]) -> dict[str, Any]:
    if "scope_party" in data:
        key = data["scope_party"]
        party = agreement.parties.filter(key=key).first() if key else None
        if key and party is None:
            raise Invalid.on("scope_party", _("协议方不存在:%(key)s") % {"key": key})
        data["scope_party"] = party
    if data.get("enterprises") is not None:
        ids = data["enterprises"]
        found = list(Enterprise.objects.filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise Invalid.on("enterprises", _("企业不存在。"))
        data["enterprises"] = found
    elif "enterprises" in data:
        data["enterprises"] = []
    for name in ("order", "note", "illustrative"):
        if name in data and data[name] is None:
            del data[name]
    return data


@router.get("/{agreement_id}/rules", response=list[SharingRuleOut], summary="Every version's rules")
def list_rules(request: HttpRequest, agreement_id: int) -> list[Rule]:
    agreement = get_visible(current_user(request), agreement_id)
    return list(_rules_qs(agreement))


@router.post(
    "/{agreement_id}/rules", response={201: SharingRuleOut}, summary="Add a rule to a version"
)
def create_rule(request: HttpRequest, agreement_id: int, payload: SharingRuleIn) -> Status:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    version = AgreementVersion.objects.filter(agreement=agreement, number=payload.version).first()
    if version is None:
        raise Invalid.on("version", _("版本不存在:%(number)s") % {"number": payload.version})
    data = _rule_fields(agreement, payload.model_dump(exclude_unset=True, exclude={"version"}))
    rule = rules.save_rule(user, version, **data)
    return Status(201, _rules_qs(agreement).get(pk=rule.pk))


def _rule(agreement: Agreement, rule_id: int) -> Rule:
    rule = _rules_qs(agreement).filter(pk=rule_id).first()
    if rule is None:
        raise NotFound(_("规则不存在。"), detail={"rule": rule_id})
    return rule


@router.patch("/{agreement_id}/rules/{rule_id}", response=SharingRuleOut, summary="Change a rule")
def update_rule(
    request: HttpRequest, agreement_id: int, rule_id: int, payload: SharingRulePatch
) -> Rule:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    rule = _rule(agreement, rule_id)
    data = _rule_fields(agreement, payload.model_dump(exclude_unset=True))
    rules.save_rule(user, rule.version, rule=rule, **data)
    return _rule(agreement, rule_id)


@router.delete("/{agreement_id}/rules/{rule_id}", response={204: None}, summary="Delete a rule")
def delete_rule(request: HttpRequest, agreement_id: int, rule_id: int) -> Status:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    rules.delete_rule(user, _rule(agreement, rule_id))
    return Status(204, None)


# ---------------------------------------------------------------- side details
# Companies, fields and policies change only while the agreement is a draft; covered
# enterprises until it has ended (services.details).


def _party_by_key(agreement: Agreement, key: str | None, field: str) -> Party | None:
    if not key:
        return None
    party = agreement.parties.filter(key=key).first()
    if party is None:
        raise Invalid.on(field, _("协议方不存在:%(key)s") % {"key": key})
    return party


def _enterprise(pk: int | None) -> Enterprise | None:
    if pk is None:
        return None
    found = Enterprise.objects.filter(pk=pk).first()
    if found is None:
        raise Invalid.on("enterprise", _("企业不存在。"))
    return found


def _one(qs: Any, pk: int, message: str, name: str) -> Any:
    found = qs.filter(pk=pk).first()
    if found is None:
        raise NotFound(message, detail={name: pk})
    return found


def _companies_qs(agreement: Agreement) -> Any:
    return (
        OperatingCompany.objects.filter(agreement=agreement)
        .select_related("enterprise")
        .prefetch_related(
            Prefetch("shares", queryset=EquityShare.objects.select_related("shareholder"))
        )
        .order_by("id")
    )


def _share_specs(agreement: Agreement, items: list[EquityShareIn]) -> list[ShareSpec]:
    return [
        ShareSpec(
            _party_by_key(agreement, item.shareholder, f"shares[{index}].shareholder"),  # type: ignore[arg-type]
            item.share,
            item.shareholder_name,
            item.effective_from,
        )
        for index, item in enumerate(items)
    ]


@router.get(
    "/{agreement_id}/companies",
    response=list[OperatingCompanyOut],
    summary="The operating companies and their equity",
)
def list_companies(request: HttpRequest, agreement_id: int) -> list[OperatingCompany]:
    return list(_companies_qs(get_visible(current_user(request), agreement_id)))


def _save_company(
    request: HttpRequest,
    agreement_id: int,
    payload: OperatingCompanyPatch,
    company_id: int | None = None,
) -> OperatingCompany:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    company = (
        _one(_companies_qs(agreement), company_id, _("运营公司不存在。"), "company")
        if company_id is not None
        else None
    )
    data = payload.model_dump(exclude_unset=True)
    shares = (
        _share_specs(agreement, payload.shares or []) if data.get("shares") is not None else None
    )
    enterprise = (
        _enterprise(data["enterprise"])
        if "enterprise" in data
        else (company.enterprise if company else None)
    )
    saved = details.save_company(
        user,
        agreement,
        company,
        name=data.get("name") or (company.name if company else ""),
        enterprise=enterprise,
        shares=shares,
    )
    return _companies_qs(agreement).get(pk=saved.pk)


@router.post(
    "/{agreement_id}/companies",
    response={201: OperatingCompanyOut},
    summary="Add an operating company (draft agreements)",
)
def create_company(request: HttpRequest, agreement_id: int, payload: OperatingCompanyIn) -> Status:
    return Status(201, _save_company(request, agreement_id, payload))


@router.patch(
    "/{agreement_id}/companies/{company_id}",
    response=OperatingCompanyOut,
    summary="Change an operating company; shares replace its equity",
)
def update_company(
    request: HttpRequest, agreement_id: int, company_id: int, payload: OperatingCompanyPatch
) -> OperatingCompany:
    return _save_company(request, agreement_id, payload, company_id)


@router.delete(
    "/{agreement_id}/companies/{company_id}",
    response={204: None},
    summary="Delete an operating company",
)
def delete_company(request: HttpRequest, agreement_id: int, company_id: int) -> Status:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    company = _one(_companies_qs(agreement), company_id, _("运营公司不存在。"), "company")
    details.delete_company(user, company)
    return Status(204, None)


def _fields_qs(agreement: Agreement) -> Any:
    return CooperationField.objects.filter(agreement=agreement).order_by("order", "id")


@router.get(
    "/{agreement_id}/fields", response=list[CooperationFieldOut], summary="The cooperation fields"
)
def list_fields(request: HttpRequest, agreement_id: int) -> list[CooperationField]:
    return list(_fields_qs(get_visible(current_user(request), agreement_id)))


@router.post(
    "/{agreement_id}/fields",
    response={201: CooperationFieldOut},
    summary="Add a cooperation field (draft agreements)",
)
def create_field(request: HttpRequest, agreement_id: int, payload: CooperationFieldIn) -> Status:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    return Status(201, details.save_field(user, agreement, name=payload.name, order=payload.order))


@router.patch(
    "/{agreement_id}/fields/{field_id}",
    response=CooperationFieldOut,
    summary="Rename or move a cooperation field",
)
def update_field(
    request: HttpRequest, agreement_id: int, field_id: int, payload: CooperationFieldPatch
) -> CooperationField:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    item = _one(_fields_qs(agreement), field_id, _("合作领域不存在。"), "field")
    return details.save_field(
        user, agreement, item, name=payload.name or item.name, order=payload.order
    )


@router.delete(
    "/{agreement_id}/fields/{field_id}", response={204: None}, summary="Delete a cooperation field"
)
def delete_field(request: HttpRequest, agreement_id: int, field_id: int) -> Status:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    details.delete_field(
        user, _one(_fields_qs(agreement), field_id, _("合作领域不存在。"), "field")
    )
    return Status(204, None)


def _policies_qs(agreement: Agreement) -> Any:
    return (
        SharedPolicy.objects.filter(agreement=agreement).select_related("issued_by").order_by("id")
    )


@router.get(
    "/{agreement_id}/policies", response=list[SharedPolicyOut], summary="The shared policies"
)
def list_policies(request: HttpRequest, agreement_id: int) -> list[SharedPolicy]:
    return list(_policies_qs(get_visible(current_user(request), agreement_id)))


@router.post(
    "/{agreement_id}/policies",
    response={201: SharedPolicyOut},
    summary="Add a shared policy (draft agreements)",
)
def create_policy(request: HttpRequest, agreement_id: int, payload: SharedPolicyIn) -> Status:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    saved = details.save_policy(
        user,
        agreement,
        name=payload.name,
        issued_by=_party_by_key(agreement, payload.issued_by, "issued_by"),
        note=payload.note or "",
    )
    return Status(201, _policies_qs(agreement).get(pk=saved.pk))


@router.patch(
    "/{agreement_id}/policies/{policy_id}", response=SharedPolicyOut, summary="Change a policy"
)
def update_policy(
    request: HttpRequest, agreement_id: int, policy_id: int, payload: SharedPolicyPatch
) -> SharedPolicy:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    policy = _one(_policies_qs(agreement), policy_id, _("共享政策不存在。"), "policy")
    data = payload.model_dump(exclude_unset=True)
    issued_by = (
        _party_by_key(agreement, data["issued_by"], "issued_by")
        if "issued_by" in data
        else policy.issued_by
    )
    details.save_policy(
        user,
        agreement,
        policy,
        name=data.get("name") or policy.name,
        issued_by=issued_by,
        note=data["note"] or "" if "note" in data else policy.note,
    )
    return _policies_qs(agreement).get(pk=policy.pk)


@router.delete(
    "/{agreement_id}/policies/{policy_id}", response={204: None}, summary="Delete a policy"
)
def delete_policy(request: HttpRequest, agreement_id: int, policy_id: int) -> Status:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    policy = _one(_policies_qs(agreement), policy_id, _("共享政策不存在。"), "policy")
    details.delete_policy(user, policy)
    return Status(204, None)


def _covered_qs(agreement: Agreement) -> Any:
    return (
        CoveredEnterprise.objects.filter(agreement=agreement)
        .select_related("enterprise", "introduced_by")
        .order_by("id")
    )


@router.get(
    "/{agreement_id}/enterprises",
    response=list[CoveredEnterpriseOut],
    summary="The enterprises the rules know, with their facts",
)
def list_covered(request: HttpRequest, agreement_id: int) -> list[CoveredEnterprise]:
    return list(_covered_qs(get_visible(current_user(request), agreement_id)))


def _covered_fields(agreement: Agreement, data: dict[str, Any]) -> dict[str, Any]:
    if "enterprise" in data:
        data["enterprise"] = _enterprise(data["enterprise"])
        if data["enterprise"] is None:
            raise Invalid.on("enterprise", _("请选择企业。"))
    if "introduced_by" in data:
        data["introduced_by"] = _party_by_key(agreement, data["introduced_by"], "introduced_by")
    if data.get("illustrative", False) is None:
        del data["illustrative"]
    return data


@router.post(
    "/{agreement_id}/enterprises",
    response={201: CoveredEnterpriseOut},
    summary="Add an enterprise the rules know (until the agreement ends)",
)
def create_covered(request: HttpRequest, agreement_id: int, payload: CoveredEnterpriseIn) -> Status:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    data = _covered_fields(agreement, payload.model_dump(exclude_unset=True))
    saved = details.save_covered(user, agreement, **data)
    return Status(201, _covered_qs(agreement).get(pk=saved.pk))


@router.patch(
    "/{agreement_id}/enterprises/{covered_id}",
    response=CoveredEnterpriseOut,
    summary="Change an enterprise's facts",
)
def update_covered(
    request: HttpRequest, agreement_id: int, covered_id: int, payload: CoveredEnterprisePatch
) -> CoveredEnterprise:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    covered = _one(_covered_qs(agreement), covered_id, _("协议企业不存在。"), "enterprise")
    data = _covered_fields(agreement, payload.model_dump(exclude_unset=True))
    details.save_covered(user, agreement, covered, **data)
    return _covered_qs(agreement).get(pk=covered.pk)


@router.delete(
    "/{agreement_id}/enterprises/{covered_id}",
    response={204: None},
    summary="Remove an enterprise from the agreement",
)
def delete_covered(request: HttpRequest, agreement_id: int, covered_id: int) -> Status:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    covered = _one(_covered_qs(agreement), covered_id, _("协议企业不存在。"), "enterprise")
    details.delete_covered(user, covered)
    return Status(204, None)


# ---------------------------------------------------------------- figures, runs, statements


@router.get("/{agreement_id}/records", response=LedgerRecordPage, summary="The parties' figures")
def list_records(
    request: HttpRequest, agreement_id: int, filters: Query[LedgerRecordQuery]
) -> dict[str, Any]:
    agreement = get_visible(current_user(request), agreement_id)
    qs = Record.objects.filter(agreement=agreement, replaced=filters.replaced)
    if filters.period:
        qs = qs.filter(period_label=runs.parse_period(filters.period).label)
    qs = qs.select_related("enterprise", "contributed_by", "batch").order_by("period_start", "id")
    items = list(qs[filters.offset : filters.offset + filters.limit])
    return {"count": qs.count(), "limit": filters.limit, "offset": filters.offset, "items": items}


def _runs_qs(agreement: Agreement) -> Any:
    return (
        Run.objects.filter(agreement=agreement)
        .select_related("version")
        .prefetch_related(
            Prefetch(
                "confirmations",
                queryset=Confirmation.objects.select_related("party", "user"),
            )
        )
    )


@router.get("/{agreement_id}/runs", response=list[LedgerRunOut], summary="The runs, latest first")
def list_runs(request: HttpRequest, agreement_id: int) -> list[Run]:
    agreement = get_visible(current_user(request), agreement_id)
    return list(_runs_qs(agreement).order_by("-period_start", "-id"))


@router.post(
    "/{agreement_id}/runs",
    response={201: LedgerRunOut, 202: LedgerJobOut},
    summary="Settle a period (a draft); with background, queue it and return the job",
)
def create_run(request: HttpRequest, agreement_id: int, payload: LedgerRunIn) -> Status:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    if payload.background:
        return Status(202, tasks.start_run(user, agreement, payload.period))
    run = runs.run_period(user, agreement, payload.period)
    return Status(201, _runs_qs(agreement).get(pk=run.pk))


@router.get("/jobs/{job_id}", response=LedgerJobOut, summary="A background run's progress")
def read_job(request: HttpRequest, job_id: int) -> Job:
    """The user's own job of kind cobuild-run; anyone else's is not found."""
    job = Job.objects.filter(pk=job_id, kind=tasks.KIND, user=current_user(request)).first()
    if job is None:
        raise NotFound(_("后台任务不存在。"), detail={"job": job_id})
    return job


def _run(agreement: Agreement, run_id: int) -> Run:
    run = _runs_qs(agreement).filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("结算不存在。"), detail={"run": run_id})
    return run


@router.get(
    "/{agreement_id}/runs/{run_id}",
    response=LedgerRunDetailOut,
    summary="A run with its allocations",
)
def read_run(
    request: HttpRequest, agreement_id: int, run_id: int, page: Query[LedgerPageQuery]
) -> Run:
    agreement = get_visible(current_user(request), agreement_id)
    run = _run(agreement, run_id)
    qs = run.allocations.select_related("record", "party", "rule", "detail").order_by("position")
    run.__dict__[PAGE_ATTR] = {
        "count": qs.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": list(qs[page.offset : page.offset + page.limit]),
    }
    return run


@router.get(
    "/{agreement_id}/runs/{run_id}/reconcile",
    response=LedgerReconcileOut,
    summary="Two runs compared, every difference explained by cause",
)
def reconcile_run(
    request: HttpRequest, agreement_id: int, run_id: int, query: Query[LedgerReconcileQuery]
) -> dict[str, Any]:
    agreement = get_visible(current_user(request), agreement_id)
    run = _run(agreement, run_id)
    other = reconcile.other_run(agreement, run, query.other)
    return reconcile.reconcile(agreement, run, other).as_json()


@router.post(
    "/{agreement_id}/runs/{run_id}/confirm", response=LedgerRunOut, summary="Confirm for your party"
)
def confirm_run(request: HttpRequest, agreement_id: int, run_id: int) -> Run:
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    confirmations.confirm(user, _run(agreement, run_id))
    return _run(agreement, run_id)


@router.post(
    "/{agreement_id}/forecast",
    response=ForecastOut,
    summary="Forecast (预测) of each party's share from the project pipeline",
)
def forecast(request: HttpRequest, agreement_id: int, payload: ForecastIn) -> dict[str, Any]:
    """The current rules and each alternative year by year, with totals, present values and,
    when asked, the smallest ratio, cap or window that gives a party an amount."""
    user = current_user(request)
    agreement = get_visible(user, agreement_id)
    assumptions = forecasts.assumptions_for(
        agreement,
        ramp=payload.ramp,
        tax_mix=payload.tax_mix,
        discount_rate=payload.discount_rate,
        first_year=payload.first_year,
        years=payload.years,
    )
    question = payload.question.dict() if payload.question else None
    found = forecasts.build(
        user, agreement, assumptions, payload.alternatives, question, payload.scenario
    )
    return forecasts.as_json(found)


@router.get(
    "/{agreement_id}/statements/{period}/{party}",
    response=LedgerStatementOut,
    summary="A party's totals of a period (the confirmed run, else the latest draft)",
)
def read_statement(
    request: HttpRequest, agreement_id: int, period: str, party: str
) -> dict[str, Any]:
    agreement = get_visible(current_user(request), agreement_id)
    label = runs.parse_period(period).label
    run = statements.run_for_statement(agreement, label)
    found = statements.statement(agreement, run, statements.find_party(agreement, party))
    return found.as_json()


@router.get(
    "/{agreement_id}/views",
    response=TwoViewsOut,
    summary="The two statistical views (在地统计 / 分成后) per settled period, party and indicator",
)
def read_views(
    request: HttpRequest, agreement_id: int, query: Query[TwoViewsQuery]
) -> dict[str, Any]:
    """Per settled period (its confirmed run, else its latest draft) and indicator: each
    party's figure counted where it arises (the host side) and after the agreement's split.
    The split view of output, value added and fixed-asset investment is for assessment only."""
    agreement = get_visible(current_user(request), agreement_id)
    period = runs.parse_period(query.period).label if query.period else None
    return twoviews.as_json(agreement, twoviews.two_views(agreement, period))


router.add_router("/enclaves", enclave_router)
