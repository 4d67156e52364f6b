"""Promotion pages: the public pages of a park and of an organisation (no login, Chinese or
English), the enquiry they take, and the officers' pages that publish, withdraw and read
enquiries. What is public is decided by services/promotion.py alone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.accounts.models import User
from parklink.core.clients import client_address
from parklink.core.errors import Conflict, Forbidden, Invalid, NotFound, ParkLinkError
from parklink.core.forms import show_service_error
from parklink.core.views import INVALID, authenticated
from parklink.matching.forms_promotion import EnquiryForm, PublishForm
from parklink.matching.models import Policy, PolicyStatus
from parklink.matching.models_promotion import PublicationKind
from parklink.matching.services import catalog, promotion
from parklink.parks.models import Park
from parklink.projects.models import Project

# ---------------------------------------------------------------- public


def _choice_label(row: Any) -> str:
    if row.kind == PublicationKind.POLICY and row.policy is not None:
        return str(row.policy.title)
    if row.kind == PublicationKind.PROJECT and row.project is not None:
        return str(row.project.name)
    if row.kind == PublicationKind.GAPS:
        return _("%(chain)s 缺链环节") % {"chain": row.snapshot.get("chain_name", "")}
    return str(row.park.name) if row.park else str(row.get_kind_display())


def _public(request: HttpRequest, page: promotion.PublicPage, here: str) -> HttpResponse:
    choices = [(row.pk, _choice_label(row)) for row in page.publications]
    form = EnquiryForm(request.POST or None, choices=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = promotion.EnquiryData(
                name=form.cleaned_data["name"],
                company=form.cleaned_data["company"],
                contact=form.cleaned_data["contact"],
                interest=form.cleaned_data["interest"],
                message=form.cleaned_data["message"],
                publication=form.cleaned_data["publication"],
            )
            try:
                promotion.enquire(page, data, client_address(request), form.cleaned_data["website"])
            except promotion.TooMany as error:
                form.add_error(None, error.message)
                status = 429
            except ParkLinkError as error:
                show_service_error(form, error)
                status = INVALID
            else:
                messages.success(request, _("已收到您的咨询,我们会尽快与您联系。"))
                return HttpResponseRedirect(here + "#enquiry")
        else:
            status = INVALID
    parks = promotion.public_parks(page.organization) if page.park is None else []
    return render(
        request,
        "matching/promotion/public.html",
        {"page": page, "form": form, "parks": parks, "labels": _gap_labels()},
        status=status,
    )


def _gap_labels() -> dict[str, str]:
    from parklink.chains.services.coverage import label_names

    return label_names()


def public_park(request: HttpRequest, pk: int) -> HttpResponse:
    page = promotion.public_park(pk)
    return _public(request, page, reverse("matching:promote-park", args=[pk]))


def public_organization(request: HttpRequest, pk: int) -> HttpResponse:
    page = promotion.public_organization(pk)
    return _public(request, page, reverse("matching:promote-org", args=[pk]))


# ---------------------------------------------------------------- officers


def _publish_form(user: User, data: Any = None) -> PublishForm:
    org = user.organization_id
    parks = [(p.pk, p.name) for p in Park.objects.filter(owner_id=org).order_by("name")]
    chains = [(key, chain.name) for key, chain in catalog.chains().items()]
    policies = [
        (p.pk, p.title)
        for p in Policy.objects.filter(owner_id=org, status=PolicyStatus.PUBLISHED).order_by(
            "title"
        )
    ]
    projects = [
        (p.pk, f"{p.name}({p.get_stage_display()})")
        for p in Project.objects.filter(owner_id=org).order_by("name")
        if promotion.project_is_public(p)
    ]
    return PublishForm(data, parks=parks, chains=chains, policies=policies, projects=projects)


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    form = _publish_form(user, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _publish(user, form.cleaned_data)
            except (Forbidden, NotFound):
                raise
            except ParkLinkError as error:
                show_service_error(form, error)
                status = INVALID
            else:
                messages.success(request, _("已发布到推介页。"))
                return HttpResponseRedirect(reverse("matching:promote"))
        else:
            status = INVALID
    rows = list(promotion.own_publications(user))
    return render(
        request,
        "matching/promotion/manage.html",
        {
            "form": form,
            "rows": rows,
            "organization": user.organization,
            "parks": promotion.public_parks(user.organization) if user.organization else [],
            "can_write": user.can_write,
        },
        status=status,
    )


def _publish(user: User, data: dict[str, Any]) -> None:
    kind = data["kind"]
    if kind in (PublicationKind.PARK, PublicationKind.GAPS):
        park = Park.objects.filter(pk=data["park"]).first() if data["park"] else None
        if park is None:
            raise Invalid.on("park", _("请选择园区。"))
        if kind == PublicationKind.PARK:
            promotion.publish_park(user, park)
        else:
            if not data["chain"]:
                raise Invalid.on("chain", _("请选择产业链。"))
            promotion.publish_gaps(user, park, data["chain"])
    elif kind == PublicationKind.POLICY:
        policy = Policy.objects.filter(pk=data["policy"]).first() if data["policy"] else None
        if policy is None:
            raise Invalid.on("policy", _("请选择政策。"))
        park = Park.objects.filter(pk=data["park"]).first() if data["park"] else None
        promotion.publish_policy(user, policy, park)
    else:
        project = Project.objects.filter(pk=data["project"]).first() if data["project"] else None
        if project is None:
            raise Invalid.on("project", _("请选择项目。"))
        promotion.publish_project(user, project, data["summary"], data["show_amounts"])


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    row = promotion.get_own(user, pk)
    try:
        promotion.withdraw(user, row)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已从推介页撤回。"))
    return HttpResponseRedirect(reverse("matching:promote"))


@login_required
def enquiries(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    rows = list(promotion.own_enquiries(user)[:500])
    return render(
        request, "matching/promotion/enquiries.html", {"rows": rows, "can_write": user.can_write}
    )


@login_required
@require_POST
def enquiry_handled(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    enquiry = promotion.own_enquiries(user).filter(pk=pk).first()
    if enquiry is None:
        raise NotFound(_("咨询不存在或无权查看。"))
    promotion.mark_handled(user, enquiry)
    return HttpResponseRedirect(reverse("matching:promote-enquiries"))
