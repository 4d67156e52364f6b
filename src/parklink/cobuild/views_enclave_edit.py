"""Pages that change an innovation enclave (thin: the forms parse, `services.enclaves` decides):
create one (`/cobuild/enclaves/new/`), and edit its text with its stays (tenancies) and
introductions as rows (`/cobuild/enclaves/<id>/edit/`), saved all or nothing. Only the owner's
officers (and installation administrators) change an enclave: the regions above it, which
see it, get 403; everyone else 404, as on its page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from parklink.accounts.services import ensure_can_write
from parklink.cobuild import forms_enclaves as enclave_forms
from parklink.cobuild.models import Enclave
from parklink.cobuild.services import enclaves
from parklink.core.errors import Forbidden, ParkLinkError
from parklink.core.forms import RowList, refusals_on, show_service_error
from parklink.core.views import INVALID, authenticated


def _place(form: Any, lists: dict[str, RowList], error: ParkLinkError) -> None:
    """A refusal: the rows' problems beside their rows, the enclave's on its fields."""
    detail = error.detail if isinstance(error.detail, dict) else {}
    placed = False
    for key, rows in lists.items():
        placed |= rows.add_service_errors(detail, key)
    rest = {k: v for k, v in detail.items() if k.split(".")[0] not in lists}
    if rest:
        show_service_error(form, type(error)(error.message, detail=rest))
    elif not placed:
        form.add_error(None, error.message)


@login_required
def enclave_create(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    if not user.can_write:
        raise Forbidden(_("当前角色只能查看,不能修改数据。"))
    choose_owner = user.is_superuser and user.organization_id is None
    data = request.POST if request.method == "POST" else None
    form = enclave_forms.EnclaveForm(data, choose_owner=choose_owner)
    if data is not None and form.is_valid():
        owner = form.cleaned_data.get("owner")
        owner_id = owner.pk if owner is not None else user.organization_id
        if owner_id is None:
            raise Forbidden(_("请先加入一个机构。"))
        with refusals_on(form) as done:
            made = enclaves.create_enclave(user, owner_id=owner_id, **form.service_fields())
        if done.ok:
            messages.success(request, _("科创飞地“%(name)s”已创建。") % {"name": made.name})
            return HttpResponseRedirect(reverse("cobuild:enclave_edit", args=[made.pk]))
    return render(
        request,
        "cobuild/enclave_form.html",
        {"form": form, "enclave": None},
        status=INVALID if data is not None else 200,
    )


@login_required
def enclave_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    enclave: Enclave = enclaves.get_visible(user, pk)  # 404 for those who may not see it
    ensure_can_write(user, enclave.owner_id)  # 403 for the regions above and viewers
    data = request.POST if request.method == "POST" else None
    form = enclave_forms.EnclaveForm(data, initial=enclave_forms.enclave_initial(enclave))
    lists = {
        "tenancies": enclave_forms.tenancy_list(data, enclave),
        "introductions": enclave_forms.introduction_list(data, enclave),
    }
    if data is not None and form.is_valid() and all(r.is_valid() for r in lists.values()):
        stays = enclave_forms.tenancy_items(lists["tenancies"])
        intros = enclave_forms.introduction_items(lists["introductions"])
        show = lambda error: _place(form, lists, error)  # noqa: E731
        with refusals_on(form, show=show) as done, transaction.atomic():
            enclaves.update_enclave(user, enclave, **form.service_fields())
            enclaves.replace_rows(user, enclave, stays, intros)
        if done.ok:
            messages.success(request, _("科创飞地“%(name)s”已保存。") % {"name": enclave.name})
            return HttpResponseRedirect(reverse("cobuild:enclave", args=[enclave.pk]))
    return render(
        request,
        "cobuild/enclave_form.html",
        {"form": form, "enclave": enclave, **lists},
        status=INVALID if data is not None else 200,
    )
