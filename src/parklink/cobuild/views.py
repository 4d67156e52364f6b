"""Co-built park pages: the agreements the user may see, one agreement, its status changes.

Every page reads through `cobuild.queries` (an agreement the user may not see is a 404, like a
missing one) and changes go through `cobuild.services`. Editing: views_edit; figures, runs and
statements: views_ledger.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from parklink.accounts.models import User
from parklink.cobuild import lifecycle as status_table
from parklink.cobuild.forms import AgreementFilterForm, TransitionForm
from parklink.cobuild.models import (
    Agreement,
    AgreementStatus,
    EquityShare,
    Party,
    RunStatus,
)
from parklink.cobuild.queries import get_visible, party_of, visible_agreements
from parklink.cobuild.services import access, lifecycle, overview
from parklink.core.errors import Conflict, Forbidden
from parklink.core.forms import cleaned, refusals_on
from parklink.core.views import INVALID, authenticated, is_fragment
from parklink.parks.models import Park

PAGE_SIZE = 25
STATUS_BADGES = {
    "draft": "grey",
    "negotiating": "yellow",
    "signed": "blue",
    "in_force": "green",
    "expired": "dark",
    "terminated": "red",
}


def allowed(check: Callable[..., object], *args: Any) -> bool:
    """Whether the service's check lets the user act (a refusal or a wrong status: no)."""
    try:
        check(*args)
    except (Forbidden, Conflict):
        return False
    return True


def agreement_or_404(user: User, pk: int) -> Agreement:
    """The agreement with what every page header shows, or 404 when the user may not see it."""
    found = (
        visible_agreements(user)
        .select_related("owner")
        .prefetch_related(
            "parks", Prefetch("parties", queryset=Party.objects.select_related("organization"))
        )
        .filter(pk=pk)
        .first()
    )
    return found if found is not None else get_visible(user, pk)  # raises the 404


def rights(user: User, agreement: Agreement) -> dict[str, bool]:
    """What the page offers the user: the services' own checks, asked in advance."""
    officer = allowed(access.ensure_officer, user, agreement)
    settling = agreement.status in status_table.SETTLING
    return {
        "can_edit": allowed(access.ensure_editable, user, agreement),
        "is_officer": officer,
        "can_rule": officer
        and agreement.status not in (status_table.Status.EXPIRED, status_table.Status.TERMINATED),
        "can_settle": officer and settling,
        "can_import": settling and allowed(access.party_officer, user, agreement),
    }


# ---------------------------------------------------------------- list


def _park_choices(agreements: QuerySet[Agreement]) -> list[tuple[str, str]]:
    parks = Park.objects.filter(cobuild_agreements__in=agreements).distinct().order_by("name")
    return [(str(pk), name) for pk, name in parks.values_list("pk", "name")]


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    """The agreements the user may see (parties, drafter; everything for installation admins)."""
    user = authenticated(request)
    visible = visible_agreements(user)
    form = AgreementFilterForm(request.GET or None, parks=_park_choices(visible))
    filters = cleaned(form)
    qs = visible
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("park"):
        qs = qs.filter(parks__pk=filters["park"])
    qs = (
        qs.distinct()
        .select_related("owner")
        .prefetch_related(
            "parks",
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("organization").order_by("order", "pk"),
            ),
        )
        .order_by("-created_at", "-id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cobuild/agreement_list.html",
        {
            "form": form,
            "agreements": list(page.object_list),
            "page": page,
            "total": page.paginator.count,
            "can_create": user.can_write,
            "badges": STATUS_BADGES,
        },
    )


# ---------------------------------------------------------------- detail


def _detail_context(
    request: HttpRequest, agreement: Agreement, transition_form: TransitionForm | None = None
) -> dict[str, Any]:
    user = authenticated(request)
    can = rights(user, agreement)
    companies = agreement.companies.prefetch_related(
        Prefetch("shares", queryset=EquityShare.objects.select_related("shareholder__organization"))
    )
    runs = list(
        agreement.runs.select_related("version")
        .prefetch_related("confirmations")
        .order_by("-period_start", "-id")
    )
    parties = list(agreement.parties.all())
    return {
        "agreement": agreement,
        "badge": STATUS_BADGES.get(agreement.status, "grey"),
        "parties": parties,
        "my_party": party_of(user, agreement),
        "companies": list(companies),
        "fields": list(agreement.cooperation_fields.all()),
        "policies": list(agreement.policies.select_related("issued_by__organization")),
        "versions": list(agreement.versions.select_related("created_by").order_by("number")),
        "timeline": overview.rule_timeline(agreement),
        "runs": runs,
        "party_count": len(parties),
        "batches": list(
            agreement.batches.select_related("contributed_by__organization", "created_by").order_by(
                "-created_at", "-id"
            )[:20]
        ),
        "transitions": list(
            agreement.transitions.select_related("actor").order_by("-recorded_at", "-id")
        ),
        "next_statuses": [
            (code, AgreementStatus(code).label) for code in lifecycle.allowed_next(agreement)
        ]
        if can["is_officer"]
        else [],
        "transition_form": transition_form,
        "covered_count": agreement.covered.count(),
        "can_edit_facts": can["is_officer"]
        and agreement.status not in (status_table.Status.EXPIRED, status_table.Status.TERMINATED),
        "run_confirmed": RunStatus.CONFIRMED,
        **can,
    }


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_or_404(authenticated(request), pk)
    return render(request, "cobuild/agreement_detail.html", _detail_context(request, agreement))


@login_required
def transition_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation form for moving to `?to=` (an htmx fragment under the status buttons)."""
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    access.ensure_officer(user, agreement)
    target = request.GET.get("to", "")
    form = TransitionForm(initial={"to": target})
    return render(
        request,
        "cobuild/_transition_form.html",
        {"agreement": agreement, "form": form, "target": _status_label(target)},
    )


def _status_label(code: str) -> str:
    return str(dict(AgreementStatus.choices).get(code, code))


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the status through cobuild.services.lifecycle; a refusal shows in the form."""
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        with refusals_on(form) as outcome:
            lifecycle.transition(
                user,
                agreement,
                form.cleaned_data["to"],
                on=form.cleaned_data["date"],
                note=form.cleaned_data["note"],
            )
        if outcome.ok:
            messages.success(request, _("协议状态已更新。"))
            if is_fragment(request):
                return HttpResponseClientRedirect(agreement_url(pk))
            return redirect("cobuild:detail", pk=pk)
    if is_fragment(request):
        response = render(
            request,
            "cobuild/_transition_form.html",
            {
                "agreement": agreement,
                "form": form,
                "target": _status_label(request.POST.get("to", "")),
            },
            status=INVALID,
        )
        return reswap(retarget(response, "#transition-dialog"), "innerHTML")
    return render(
        request,
        "cobuild/agreement_detail.html",
        _detail_context(request, agreement, transition_form=form),
        status=INVALID,
    )


def agreement_url(pk: int) -> str:
    return reverse("cobuild:detail", args=[pk])


# ---------------------------------------------------------------- a park's page


def park_panel(request: HttpRequest, park: Park) -> dict[str, Any] | None:
    """The agreements of a park the user may see (the 共建协议 section of the park's page)."""
    user = authenticated(request)
    found = list(
        visible_agreements(user)
        .filter(parks=park)
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("organization").order_by("order", "pk"),
            )
        )
        .order_by("-created_at", "-id")
    )
    if not found:
        return None
    return {"agreements": found, "badges": STATUS_BADGES}
