"""Linkage pages (三园联动): the list, one linkage with its graph, and the create/edit form."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from parklink.accounts.models import Organization
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Forbidden, ParkLinkError
from parklink.core.forms import RowList, refusals_on
from parklink.core.views import authenticated, permitted
from parklink.parks import charts, services
from parklink.parks.forms import LinkageForm, member_list
from parklink.parks.models import LinkageMember, ParkLinkage

PAGE_SIZE = 25
GRAPH_HEIGHT = 260


def _with_members(qs: QuerySet[ParkLinkage]) -> QuerySet[ParkLinkage]:
    members = LinkageMember.objects.select_related("park", "park__region", "park__owner")
    return qs.select_related("owner").prefetch_related(
        Prefetch("members", queryset=members.order_by("order", "pk"))
    )


def linkage_graph(linkage: ParkLinkage, members: list[LinkageMember]) -> dict[str, Any]:
    """The linkage as the ECharts graph of the park pages; every park clicks through."""
    item = charts.LinkageItem(
        linkage.name,
        [
            charts.MemberItem(
                m.park_id,
                m.park.short_name or m.park.name,
                str(m.get_role_display()),
                reverse("parks:detail", args=[m.park_id]),
            )
            for m in members
        ],
    )
    return charts.linkage_graph([item], None)


@login_required
def linkage_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    qs = ParkLinkage.objects.all()
    text = request.GET.get("q", "").strip()
    if text:
        matching = ParkLinkage.objects.filter(
            Q(name__icontains=text)
            | Q(members__park__name__icontains=text)
            | Q(members__park__short_name__icontains=text)
        )
        qs = qs.filter(pk__in=matching.values("pk"))
    page = Paginator(_with_members(qs).order_by("name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "parks/linkage_list.html",
        {
            "linkages": list(page.object_list),
            "page": page,
            "total": page.paginator.count,
            "q": text,
            "can_create": user.can_write,
        },
    )


@login_required
def linkage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    linkage = get_object_or_404(_with_members(ParkLinkage.objects.all()), pk=pk)
    members = list(linkage.members.all())
    return render(
        request,
        "parks/linkage_detail.html",
        {
            "linkage": linkage,
            "members": members,
            "graph": linkage_graph(linkage, members) if members else None,
            "graph_height": GRAPH_HEIGHT,
            "can_edit": permitted(ensure_can_write, user, linkage.owner_id),
        },
    )


def _show_problems(form: LinkageForm, members: RowList, error: ParkLinkError) -> None:
    """Put the service's problems next to the fields and member rows they concern."""
    detail = error.detail if isinstance(error.detail, dict) else {}
    placed = members.add_service_errors(detail, "members")
    for name, problem in detail.items():
        if "." not in name:
            form.add_error(name if name in form.fields else None, str(problem))
            placed = True
    if not placed:
        form.add_error(None, error.message)


def _render_form(
    request: HttpRequest, form: LinkageForm, members: RowList, linkage: ParkLinkage | None
) -> HttpResponse:
    return render(
        request,
        "parks/linkage_form.html",
        {
            "form": form,
            "members": members,
            "linkage": linkage,
            "rows_invalid": members.formset.is_bound and members.formset.total_error_count(),
        },
    )


@login_required
def linkage_create(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    if not user.can_write:
        raise Forbidden(_("当前角色只能查看,不能新建园区联动。"))
    data = request.POST if request.method == "POST" else None
    form = LinkageForm(data, choose_owner=user.is_superuser and user.organization_id is None)
    first_park = request.GET.get("park", "")
    members = member_list(data, None, first_park=first_park if first_park.isdigit() else "")
    if data is not None and all([form.is_valid(), members.is_valid()]):
        owner: Organization | None = form.chosen_owner()
        with refusals_on(form, show=lambda error: _show_problems(form, members, error)) as done:
            linkage = services.create_linkage(
                user,
                owner_id=owner.pk if owner else None,
                members=members.items() or [],
                **form.service_fields(),
            )
        if done.ok:
            return HttpResponseRedirect(reverse("parks:linkage_detail", args=[linkage.pk]))
    return _render_form(request, form, members, None)


@login_required
def linkage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    linkage = get_object_or_404(ParkLinkage, pk=pk)
    ensure_can_write(user, linkage.owner_id)
    data = request.POST if request.method == "POST" else None
    form = LinkageForm(data, initial={"name": linkage.name, "description": linkage.description})
    members = member_list(data, linkage)
    if data is not None and all([form.is_valid(), members.is_valid()]):
        with refusals_on(form, show=lambda error: _show_problems(form, members, error)) as done:
            services.update_linkage(user, linkage, members=members.items(), **form.service_fields())
        if done.ok:
            return HttpResponseRedirect(reverse("parks:linkage_detail", args=[linkage.pk]))
        linkage.refresh_from_db()
    return _render_form(request, form, members, linkage)
