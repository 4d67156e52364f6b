"""Pages that edit an agreement's details (thin: the forms parse, `services.details` decides):

- 合作领域与共享政策 (`/cobuild/<id>/details/`): both lists edited as rows, saved all or nothing
  while the agreement is a draft or under negotiation;
- an operating company with its shareholders' equity as rows (`companies/new/`,
  `companies/<company>/edit/`, `companies/<company>/delete/`), drafts only;
- the covered enterprises (`enterprises/`, `enterprises/new/`, `enterprises/<row>/edit/`,
  `enterprises/<row>/delete/`): a party's officers, until the agreement has ended.

Who may change what is the services' own check, asked before a form is shown (403 for a
viewer or an organisation that is no party, 409 once the status forbids it) and again on save.
Every change is kept in the models' history (django-simple-history).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.cobuild import forms_details as details_forms
from parklink.cobuild.models import Agreement, CoveredEnterprise, OperatingCompany
from parklink.cobuild.services import access, details
from parklink.cobuild.views import agreement_or_404, allowed
from parklink.core.errors import Conflict, ParkLinkError
from parklink.core.forms import RowList, refusals_on
from parklink.core.views import INVALID, authenticated

CONFLICT = 409


def _detail_url(agreement: Agreement, anchor: str = "") -> str:
    return reverse("cobuild:detail", args=[agreement.pk]) + (f"#{anchor}" if anchor else "")


def _status(data: Any, error: ParkLinkError | None) -> int:
    if data is None:
        return 200
    return CONFLICT if isinstance(error, Conflict) else INVALID


def _may_change(request: HttpRequest, check: Any, *args: Any) -> HttpResponse | None:
    """None when `check` lets the user change the agreement; a viewer or an organisation that
    is no party gets the 403 page (Forbidden passes on), a status that forbids it a 409 page
    that says why."""
    try:
        check(*args)
    except Conflict as error:
        agreement = args[1]
        return render(
            request,
            "cobuild/details_locked.html",
            {"agreement": agreement, "reason": error.message},
            status=CONFLICT,
        )
    return None


def _rows_refused(rows: RowList, error: ParkLinkError) -> None:
    """A list's refusal: each problem beside its row, the rest above the list."""
    detail = error.detail if isinstance(error.detail, dict) else {}
    if not rows.add_service_errors(detail, "rows"):
        rows.formset.non_form_errors().append(error.message)


# ---------------------------------------------------------------- fields and policies


@login_required
def details_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The cooperation fields and the shared policies, edited as rows and saved together."""
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    if locked := _may_change(request, access.ensure_editable, user, agreement):
        return locked
    data = request.POST if request.method == "POST" else None
    fields = details_forms.field_list(data, agreement)
    policies = details_forms.policy_list(data, agreement)
    error: ParkLinkError | None = None
    if data is not None and fields.is_valid() and policies.is_valid():
        field_items = details_forms.field_items(fields)
        policy_items = details_forms.policy_items(policies, agreement)
        try:
            with transaction.atomic():
                stage = fields
                details.replace_fields(user, agreement, field_items)
                stage = policies
                details.replace_policies(user, agreement, policy_items)
        except ParkLinkError as refused:
            if isinstance(refused, Conflict) and not isinstance(refused.detail, dict):
                raise
            error = refused
            _rows_refused(stage, refused)
        else:
            messages.success(request, _("合作领域与共享政策已保存。"))
            return HttpResponseRedirect(_detail_url(agreement, "cooperation"))
    invalid = data is not None and (
        error is not None or not fields.is_valid() or not policies.is_valid()
    )
    return render(
        request,
        "cobuild/details_form.html",
        {"agreement": agreement, "fields": fields, "policies": policies, "invalid": invalid},
        status=_status(data, error) if invalid else 200,
    )


# ---------------------------------------------------------------- operating companies


def _company(agreement: Agreement, company_pk: int) -> OperatingCompany:
    return get_object_or_404(
        OperatingCompany.objects.select_related("enterprise"), pk=company_pk, agreement=agreement
    )


@login_required
def company_edit(request: HttpRequest, pk: int, company_pk: int | None = None) -> HttpResponse:
    """Add an operating company or change one: its name, its enterprise, its equity rows."""
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    company = _company(agreement, company_pk) if company_pk is not None else None
    if locked := _may_change(request, access.ensure_editable, user, agreement):
        return locked
    data = request.POST if request.method == "POST" else None
    form = details_forms.CompanyForm(data, initial=details_forms.company_initial(company))
    shares = details_forms.share_list(data, agreement, company)
    error: ParkLinkError | None = None
    if data is not None and form.is_valid() and shares.is_valid():
        specs = details_forms.share_specs(shares, agreement)

        def show(refused: ParkLinkError) -> None:
            detail = refused.detail if isinstance(refused.detail, dict) else {}
            if not shares.add_service_errors(
                {k.replace("[", ".").replace("]", ""): v for k, v in detail.items()}, "shares"
            ):
                form.add_error("name" if "name" in detail else None, refused.message)

        with refusals_on(form, show=show) as done:
            saved = details.save_company(
                user,
                agreement,
                company,
                name=form.cleaned_data["name"],
                enterprise=form.cleaned_data.get("enterprise"),
                shares=specs,
            )
        error = done.error
        if done.ok:
            messages.success(request, _("运营公司“%(name)s”已保存。") % {"name": saved.name})
            return HttpResponseRedirect(_detail_url(agreement, "companies"))
    return render(
        request,
        "cobuild/company_form.html",
        {"agreement": agreement, "company": company, "form": form, "shares": shares},
        status=_status(data, error) if data is not None else 200,
    )


@login_required
@require_POST
def company_delete(request: HttpRequest, pk: int, company_pk: int) -> HttpResponse:
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    company = _company(agreement, company_pk)
    try:
        details.delete_company(user, company)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("运营公司“%(name)s”已删除。") % {"name": company.name})
    return HttpResponseRedirect(_detail_url(agreement, "companies"))


# ---------------------------------------------------------------- covered enterprises


def _covered(agreement: Agreement, row_pk: int) -> CoveredEnterprise:
    return get_object_or_404(
        CoveredEnterprise.objects.select_related("enterprise", "introduced_by"),
        pk=row_pk,
        agreement=agreement,
    )


@login_required
def covered_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprises the rules know, with who introduced them and their dates."""
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    rows = agreement.covered.select_related(
        "enterprise__region", "introduced_by__organization"
    ).order_by("enterprise__name", "pk")
    return render(
        request,
        "cobuild/covered_list.html",
        {
            "agreement": agreement,
            "rows": list(rows),
            "can_edit_facts": allowed(details.ensure_facts_editable, user, agreement),
        },
    )


@login_required
def covered_edit(request: HttpRequest, pk: int, row_pk: int | None = None) -> HttpResponse:
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    covered = _covered(agreement, row_pk) if row_pk is not None else None
    if locked := _may_change(request, details.ensure_facts_editable, user, agreement):
        return locked
    data = request.POST if request.method == "POST" else None
    initial = details_forms.covered_initial(covered) if covered is not None else {}
    form = details_forms.CoveredForm(data, agreement=agreement, covered=covered, initial=initial)
    error: ParkLinkError | None = None
    if data is not None and form.is_valid():
        with refusals_on(form) as done:
            saved = details.save_covered(user, agreement, covered, **form.service_fields(agreement))
        error = done.error
        if done.ok:
            messages.success(request, _("“%(name)s”已保存。") % {"name": saved.enterprise.name})
            return HttpResponseRedirect(reverse("cobuild:covered", args=[agreement.pk]))
    return render(
        request,
        "cobuild/covered_form.html",
        {"agreement": agreement, "covered": covered, "form": form},
        status=_status(data, error) if data is not None else 200,
    )


@login_required
@require_POST
def covered_delete(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    covered = _covered(agreement, row_pk)
    try:
        details.delete_covered(user, covered)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("“%(name)s”已移出协议企业。") % {"name": covered.enterprise.name}
        )
    return HttpResponseRedirect(reverse("cobuild:covered", args=[agreement.pk]))
