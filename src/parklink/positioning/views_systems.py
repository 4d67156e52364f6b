"""Declared industry systems on pages (/positioning/systems/): the list, one system with its
industries (added, changed and removed one by one), and saving a recommended industry into the
place's system. Everyone reads the systems; the owner organisation's officers change them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.core.errors import ParkLinkError
from parklink.core.views import authenticated, permitted
from parklink.positioning.forms import DeclaredIndustryForm, SystemForm
from parklink.positioning.models import DeclaredIndustry
from parklink.positioning.queries import visible_systems
from parklink.positioning.services import systems as service
from parklink.positioning.services.report import region
from parklink.positioning.words import ROLES


def _refuse(form: Any, error: ParkLinkError) -> None:
    detail = error.detail if isinstance(error.detail, dict) else {}
    placed = False
    for name, message in detail.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


@login_required
def system_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    form = SystemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            system = service.create_system(
                user, data["region"], data["name"], data["declared_by"], data["source"]
            )
        except ParkLinkError as error:
            _refuse(form, error)
        else:
            return redirect("positioning:system", pk=system.pk)
    systems = visible_systems(user).select_related("region", "owner").prefetch_related("industries")
    return render(
        request,
        "positioning/systems.html",
        {
            "systems": systems,
            "form": form,
            "can_create": permitted(service.ensure_can_change, user),
        },
    )


@login_required
def system_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    system = get_object_or_404(visible_systems(user).select_related("region"), pk=pk)
    can_change = permitted(service.ensure_can_change, user, system)
    add = DeclaredIndustryForm(request.POST or None, prefix="add")
    edit = SystemForm(
        request.POST or None,
        prefix="system",
        initial={
            "region": system.region,
            "name": system.name,
            "declared_by": system.declared_by,
            "source": system.source,
        },
    )
    del edit.fields["region"]  # a system stays with its place
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add" and add.is_valid():
                data = add.cleaned_data
                service.add_industry(user, system, data["name"], data["role"], data["codes"])
                return redirect("positioning:system", pk=system.pk)
            if action == "system" and edit.is_valid():
                data = edit.cleaned_data
                service.update_system(
                    user,
                    system,
                    name=data["name"],
                    declared_by=data["declared_by"],
                    source=data["source"],
                )
                return redirect("positioning:system", pk=system.pk)
            if action == "delete":
                service.delete_system(user, system)
                messages.success(request, _("已删除产业体系“%(name)s”") % {"name": system.name})
                return redirect("positioning:systems")
        except ParkLinkError as error:
            _refuse(add if action == "add" else edit, error)
    rows = [
        {
            "item": item,
            "role": str(ROLES.get(item.role, item.role)),
            "form": DeclaredIndustryForm(
                prefix=f"item{item.pk}",
                initial={"name": item.name, "role": item.role, "codes": item.codes},
            ),
        }
        for item in system.industries.all()
    ]
    return render(
        request,
        "positioning/system.html",
        {
            "system": system,
            "rows": rows,
            "add": add,
            "edit": edit,
            "can_change": can_change,
        },
    )


@login_required
@require_POST
def industry_change(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    item = get_object_or_404(
        DeclaredIndustry.objects.filter(system__in=visible_systems(user)), pk=pk
    )
    try:
        if request.POST.get("action") == "delete":
            service.delete_industry(user, item)
        else:
            form = DeclaredIndustryForm(request.POST, prefix=f"item{item.pk}")
            if not form.is_valid():
                errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
                messages.error(request, errors)
                return redirect("positioning:system", pk=item.system_id)
            data = form.cleaned_data
            service.update_industry(user, item, data["name"], data["role"], data["codes"])
    except ParkLinkError as error:
        messages.error(request, error.message)
    return redirect("positioning:system", pk=item.system_id)


@login_required
@require_POST
def save_recommendation(request: HttpRequest) -> HttpResponse:
    """A recommended industry into the place's system of the user's organisation."""
    user = authenticated(request)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = ""
    try:
        place = region(request.POST.get("place", ""))
        item = service.save_recommendation(
            user, place, request.POST.get("industry", ""), request.POST.get("role", "leading")
        )
    except ParkLinkError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("已将 %(code)s %(name)s 保存到“%(system)s”")
            % {"code": item.codes, "name": item.name, "system": item.system.name},
        )
    return redirect(back or "positioning:systems")
