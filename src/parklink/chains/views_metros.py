"""Metro areas (list, create, edit) and focus chains (list, add, remove) on pages.

Everyone signed in reads them; `services.metros` decides who writes (installation
administrators; an organisation's administrators for what their organisation maintains).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.accounts.models import User
from parklink.chains.forms import FocusForm, LeadFormSet, MetroForm
from parklink.chains.models import FocusChain, MetroArea
from parklink.chains.services import metros
from parklink.core.errors import Invalid
from parklink.core.forms import show_service_error
from parklink.core.views import INVALID, authenticated


@login_required
def metro_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    rows = MetroArea.objects.select_related("owner").prefetch_related(
        "members__region", "leads__region"
    )
    names = dict(metros.chain_keys(user))
    return render(
        request,
        "chains/metro_list.html",
        {
            "rows": [
                {
                    "metro": metro,
                    "can_edit": metros.can_edit_metro(user, metro),
                    "leads": [
                        {"lead": lead, "chain": names.get(lead.chain_key, lead.chain_key)}
                        for lead in metro.leads.all()
                    ],
                }
                for metro in rows
            ],
            "can_create": metros.can_create_metro(user),
        },
    )


def _metro_form(
    request: HttpRequest, user: User, metro: MetroArea | None
) -> tuple[MetroForm, Any, list[tuple[str, str]]]:
    chains = metros.chain_keys(user)
    initial: dict[str, Any] = {}
    leads: list[dict[str, Any]] = []
    if metro is not None:
        initial = {
            "name": metro.name,
            "description": metro.description,
            "owner": metro.owner_id,
            "members": "\n".join(
                f"{m.region.full_name} ({m.region_id})"
                for m in metro.members.select_related("region").order_by("order", "pk")
            ),
        }
        leads = [
            {"chain_key": lead.chain_key, "region": lead.region_id, "label": lead.label}
            for lead in metro.leads.order_by("chain_key")
        ]
    data = request.POST if request.method == "POST" else None
    form = MetroForm(
        data, initial=initial, creating=metro is None, choose_owner=bool(user.is_superuser)
    )
    formset = LeadFormSet(data, prefix="leads", initial=leads, form_kwargs={"chains": chains})
    return form, formset, chains


def _edit(request: HttpRequest, metro: MetroArea | None) -> HttpResponse:
    user = authenticated(request)
    metros.ensure_can_edit_metro(user, metro)
    form, formset, _chains = _metro_form(request, user, metro)
    status = 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            leads = [
                metros.LeadInput(
                    f.cleaned_data["chain_key"],
                    f.cleaned_data["region"],
                    f.cleaned_data.get("label") or "",
                )
                for f in formset.forms
                if f.cleaned_data.get("chain_key")
            ]
            owner = data.get("owner")
            try:
                saved = metros.save_metro(
                    user,
                    metro,
                    key=data.get("key") or "",
                    name=data["name"],
                    description=data.get("description") or "",
                    members=data["members"],
                    leads=leads,
                    owner_id=owner.pk if owner is not None else None,
                )
            except Invalid as error:
                lead_problem = error.detail.get("leads") if isinstance(error.detail, dict) else None
                if lead_problem:
                    formset.non_form_errors().append(lead_problem)  # shown above the table
                show_service_error(form, error)
            else:
                messages.success(request, _("都市圈“%(name)s”已保存。") % {"name": saved.name})
                return redirect("chains:metro", saved.key)
    return render(
        request,
        "chains/metro_form.html",
        {"form": form, "leads": formset, "metro": metro},
        status=status,
    )


@login_required
def metro_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@login_required
def metro_edit(request: HttpRequest, key: str) -> HttpResponse:
    return _edit(request, metros.get_metro(key))


@login_required
def focus(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    places = metros.focus_places(user)
    chains = metros.chain_keys(user)
    form = FocusForm(
        request.POST if request.method == "POST" else None, places=places, chains=chains
    )
    status = 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            try:
                metros.add_focus(
                    user,
                    form.cleaned_data["place"],
                    form.cleaned_data["chain"],
                    form.cleaned_data.get("label") or "",
                )
            except Invalid as error:
                show_service_error(form, error)
            else:
                messages.success(request, _("已添加重点产业链。"))
                return redirect("chains:focus")
        elif not places:
            metros.add_focus(user, "", "")  # refuses: no place the user may change
    editable = set(metros.editable_focus(user).values_list("pk", flat=True))
    names = dict(chains)
    rows = [
        {
            "focus": item,
            "chain": names.get(item.chain_key, item.chain_key),
            "can_edit": item.pk in editable,
        }
        for item in FocusChain.objects.order_by("place_name", "chain_key")
    ]
    return render(
        request,
        "chains/focus.html",
        {"form": form, "rows": rows, "can_edit": bool(places)},
        status=status,
    )


@login_required
@require_POST
def focus_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    metros.remove_focus(user, pk)
    messages.success(request, _("已移除重点产业链。"))
    return redirect("chains:focus")
