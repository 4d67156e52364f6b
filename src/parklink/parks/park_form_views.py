"""Park create and edit pages: the park's own fields and, when editing, its lists."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from parklink.accounts.models import Organization
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Duplicate, Forbidden, ParkLinkError
from parklink.core.forms import RowList, refusals_on, show_service_error
from parklink.core.views import authenticated
from parklink.parks import services
from parklink.parks.forms import ParkForm, indicator_input_units, park_row_lists
from parklink.parks.models import Park


def _save(request: HttpRequest, form: ParkForm, park: Park | None) -> HttpResponse | None:
    """Hand a valid form to the service; on a rule violation put the reasons on the form."""
    user = authenticated(request)
    with refusals_on(form) as outcome:
        if park is None:
            owner: Organization | None = form.chosen_owner()
            saved = services.create_park(
                user, owner_id=owner.pk if owner else None, **form.service_fields()
            )
        else:
            saved = services.update_park(user, park, **form.service_fields())
    if not outcome.ok:
        return None
    return HttpResponseRedirect(reverse("parks:detail", args=[saved.pk]))


@login_required
def park_create(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    if not user.can_write:
        raise Forbidden(_("当前角色只能查看,不能新建园区。"))
    form = ParkForm(request.POST or None, choose_owner=user.is_superuser)
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, None)
        if done is not None:
            return done
    return render(request, "parks/park_form.html", {"form": form, "park": None})


DETAIL_LISTS = ("industries", "resources", "indicators")


def _save_details(
    request: HttpRequest, form: ParkForm, lists: dict[str, RowList], park: Park
) -> HttpResponse | None:
    """Save the park and its posted lists in one go; on a problem, mark the fields and rows."""
    items = {name: lists[name].items() for name in DETAIL_LISTS}

    def show(error: ParkLinkError) -> None:
        detail = error.detail if isinstance(error.detail, dict) else {}
        own = {key: value for key, value in detail.items() if "." not in key}
        placed = [lists[name].add_service_errors(detail, name) for name in DETAIL_LISTS]
        if isinstance(error, Duplicate) or own or not any(placed):
            error.detail = own or None  # the rows' problems are next to the rows already
            show_service_error(form, error)

    with refusals_on(form, show=show) as outcome:
        services.update_park_details(authenticated(request), park, form.service_fields(), **items)
    if not outcome.ok:
        return None
    return HttpResponseRedirect(reverse("parks:detail", args=[park.pk]))


@login_required
def park_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    park = get_object_or_404(Park.objects.select_related("region", "parent"), pk=pk)
    ensure_can_write(user, park.owner_id)
    data = request.POST if request.method == "POST" else None
    form = ParkForm(data, instance=park)
    lists = park_row_lists(data, park)
    if data is not None:
        # Check every part (no short-circuit), so all the messages show at once.
        valid = [form.is_valid(), *(row_list.is_valid() for row_list in lists.values())]
        if all(valid):
            done = _save_details(request, form, lists, park)
            if done is not None:
                return done
    return render(
        request,
        "parks/park_form.html",
        {
            "form": form,
            "park": park,
            "lists": lists,
            "indicator_units": json.dumps(indicator_input_units(), ensure_ascii=False),
            "rows_invalid": any(
                row_list.formset.is_bound and row_list.formset.total_error_count()
                for row_list in lists.values()
            ),
        },
    )
