"""Siting pages: the projects to site, a project's ranked parks with reasons, the top three
side by side, a project's power and water needs, a park's spare capacity."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from parklink.accounts.services import ensure_can_write
from parklink.core.errors import ParkLinkError
from parklink.core.forms import show_service_error
from parklink.core.views import INVALID, authenticated, permitted
from parklink.matching.forms_siting import CapacityForm, NeedsForm
from parklink.matching.models_siting import ParkCapacity
from parklink.matching.services import siting
from parklink.projects.models import ProjectStage
from parklink.projects.queries import visible_projects

OPEN_STAGES = (ProjectStage.LEAD, ProjectStage.NEGOTIATING, ProjectStage.SIGNED)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Projects that may still choose a park: leads, negotiations and signed ones."""
    user = authenticated(request)
    rows = list(
        visible_projects(user)
        .filter(stage__in=OPEN_STAGES)
        .select_related("park", "owner")
        .order_by("-last_progress_on", "-pk")[:200]
    )
    return render(request, "matching/siting/index.html", {"rows": rows})


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    found = siting.rank(user, siting.get_project(user, pk))
    return render(
        request,
        "matching/siting/project.html",
        {
            "siting": found,
            "project": found.project,
            "can_edit": permitted(ensure_can_write, user, found.project.owner_id),
            "weights": [(siting.PART_LABELS[k], w) for k, w in siting.score.WEIGHTS.items()],
        },
    )


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    chosen = [int(x) for x in request.GET.getlist("park") if x.isdigit()]
    found = siting.compare(user, siting.get_project(user, pk), chosen or None)
    return render(
        request, "matching/siting/compare.html", {"siting": found, "project": found.project}
    )


@login_required
def needs(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    target = siting.get_project(user, pk)
    ensure_can_write(user, target.owner_id)
    row = siting.needs_row(target)
    initial = {}
    if row is not None:
        initial = {
            "power_kva": row.power_kva,
            "water_tpd": row.water_tpd,
            "segment": f"{row.chain}:{row.segment}" if row.segment else "",
            "note": row.note,
        }
    form = NeedsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            siting.save_needs(user, target, **form.service_data())
        except ParkLinkError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("选址需求已保存。"))
            return HttpResponseRedirect(reverse("matching:siting-project", args=[target.pk]))
    return render(
        request,
        "matching/siting/needs_form.html",
        {"form": form, "project": target},
        status=INVALID if form.errors else 200,
    )


@login_required
def capacity(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    park = siting.get_park(pk)
    ensure_can_write(user, park.owner_id)
    row = ParkCapacity.objects.filter(park=park).first()
    initial = {}
    if row is not None:
        initial = {"power_kva": row.power_kva, "water_tpd": row.water_tpd, "note": row.note}
    form = CapacityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            siting.save_capacity(user, park, **form.cleaned_data)
        except ParkLinkError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("园区供电供水能力已保存。"))
            return HttpResponseRedirect(reverse("parks:detail", args=[park.pk]))
    return render(
        request,
        "matching/siting/capacity_form.html",
        {"form": form, "park": park},
        status=INVALID if form.errors else 200,
    )
