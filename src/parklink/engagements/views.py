"""Engagements pages (thin: the services decide): records, follow-ups, contacts, exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.accounts.models import Organization, User
from parklink.accounts.services import ensure_can_write
from parklink.core.forms import cleaned, refusals_on, set_choices
from parklink.core.sources import sources_of
from parklink.core.views import INVALID, authenticated, permitted
from parklink.engagements import exports, queries
from parklink.engagements.forms import (
    ContactForm,
    EngagementForm,
    FilterForm,
    FollowUpForm,
    FollowUpStatusForm,
    NewEngagementForm,
)
from parklink.engagements.models import Engagement, FollowUpStatus
from parklink.engagements.rules import due_state
from parklink.engagements.services import contacts as contact_services
from parklink.engagements.services import coordination, follow_ups, records
from parklink.enterprises.models import Enterprise
from parklink.projects.queries import today, visible_projects

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ---------------------------------------------------------------- engagements


def _filtered(user: User, form: FilterForm) -> QuerySet[Engagement]:
    qs = queries.visible_engagements(user)
    f = cleaned(form)
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("since"):
        qs = qs.filter(held_on__gte=f["since"])
    if f.get("until"):
        qs = qs.filter(held_on__lte=f["until"])
    if f.get("owner"):
        qs = qs.filter(owner_id=int(f["owner"]))
    if f.get("q"):
        qs = qs.filter(title__icontains=f["q"])
    if f.get("enterprise"):
        key = f["enterprise"]
        ids = Enterprise.objects.filter(name__icontains=key).values("pk")
        qs = qs.filter(
            pk__in=Engagement.enterprises.through.objects.filter(enterprise_id__in=ids).values(
                "engagement_id"
            )
        )
    return qs


def _filter_form(request: HttpRequest, user: User) -> FilterForm:
    form = FilterForm(request.GET or None)
    owners = Organization.objects.filter(
        pk__in=queries.visible_engagements(user).values("owner_id")
    ).order_by("name")
    set_choices(form, "owner", [("", _("全部")), *((str(o.pk), o.name) for o in owners)])
    return form


@login_required
def engagement_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    form = _filter_form(request, user)
    qs = (
        _filtered(user, form)
        .select_related("owner")
        .prefetch_related("enterprises")
        .order_by("-held_on", "-pk")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "engagements/list.html",
        {
            "form": form,
            "page": page,
            "can_create": user.can_write,
            "query": request.GET.urlencode(),
            "open_follow_ups": follow_ups.mine(user).count(),
        },
    )


@login_required
def engagement_export(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    form = _filter_form(request, user)
    return _xlsx(exports.engagements_workbook(user, _filtered(user, form)), "engagements.xlsx")


def _service_data(form: EngagementForm) -> dict[str, Any]:
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("task", "assignee", "due_on")}
    return data


def _briefings(user: User, enterprise_ids: list[int]) -> list[tuple[Enterprise, Any]]:
    shown = Enterprise.objects.filter(pk__in=enterprise_ids[:10]).order_by("name")
    return [(e, coordination.briefing(user, e.pk)) for e in shown]


def _chosen_enterprises(request: HttpRequest) -> list[int]:
    source = request.POST if request.method == "POST" else request.GET
    found = []
    for value in source.getlist("enterprises") + source.getlist("enterprise"):
        if value.isdigit():
            found.append(int(value))
    return found


@login_required
def engagement_create(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    ensure_can_write(user, user.organization_id)
    chosen = _chosen_enterprises(request)
    initial = {"enterprises": chosen, "held_on": today(), "assignee": user.pk}
    form = NewEngagementForm(user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form) as outcome:
            made = _create_with_follow_up(user, form)
        if outcome.ok:
            messages.success(request, _("对接记录已保存。"))
            return HttpResponseRedirect(reverse("engagements:detail", args=[made.pk]))
    status = INVALID if request.method == "POST" else 200
    return render(
        request,
        "engagements/form.html",
        {"form": form, "engagement": None, "briefings": _briefings(user, chosen)},
        status=status,
    )


def _create_with_follow_up(user: User, form: NewEngagementForm) -> Engagement:
    from django.db import transaction

    data = form.cleaned_data
    with transaction.atomic():
        made = records.create_engagement(user, _service_data(form))
        if data.get("task"):
            follow_ups.add_follow_up(
                user,
                made,
                {"task": data["task"], "assignee": data["assignee"], "due_on": data["due_on"]},
            )
    return made


@login_required
def who_met(request: HttpRequest) -> HttpResponse:
    """The form's "who met these enterprises lately" box, for the enterprises chosen so far."""
    user = authenticated(request)
    return render(
        request,
        "engagements/_who_met.html",
        {"briefings": _briefings(user, _chosen_enterprises(request))},
    )


@login_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    engagement = queries.get_engagement(user, pk)
    can_edit = permitted(ensure_can_write, user, engagement.owner_id)
    seen_projects = visible_projects(user)
    rows = list(
        engagement.follow_ups.select_related("assignee", "assignee__organization").order_by(
            "status", "due_on", "pk"
        )
    )
    on = today()
    follow = [
        (
            f,
            due_state(f.due_on, on, is_open=f.status == FollowUpStatus.OPEN),
            follow_ups.can_update(user, f),
        )
        for f in rows
    ]
    return render(
        request,
        "engagements/detail.html",
        {
            "engagement": engagement,
            "can_edit": can_edit,
            "enterprises": list(engagement.enterprises.order_by("name")),
            "contacts": list(engagement.contacts.select_related("enterprise"))
            if queries.can_see_contacts(user, engagement.owner_id)
            else None,
            "projects": list(engagement.projects.filter(pk__in=seen_projects.values("pk"))),
            "signed": list(engagement.signed_projects.filter(pk__in=seen_projects.values("pk"))),
            "hidden_signed": engagement.signed_projects.exclude(
                pk__in=seen_projects.values("pk")
            ).count(),
            "participants": list(engagement.participants.select_related("organization")),
            "follow_ups": follow,
            "follow_up_form": FollowUpForm(follow_ups.assignable_users(engagement))
            if can_edit
            else None,
            "status_form": FollowUpStatusForm(),
            "sources": sources_of(engagement),
        },
    )


@login_required
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    engagement = queries.get_engagement(user, pk)
    ensure_can_write(user, engagement.owner_id)
    initial = records.current(engagement)
    form = EngagementForm(user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form) as outcome:
            records.update_engagement(user, engagement, _service_data(form))
        if outcome.ok:
            messages.success(request, _("已保存。"))
            return HttpResponseRedirect(reverse("engagements:detail", args=[pk]))
    status = INVALID if request.method == "POST" else 200
    return render(
        request,
        "engagements/form.html",
        {"form": form, "engagement": engagement, "briefings": []},
        status=status,
    )


@login_required
@require_POST
def engagement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    engagement = queries.get_engagement(user, pk)
    records.delete_engagement(user, engagement)
    messages.success(request, _("对接记录已删除。"))
    return HttpResponseRedirect(reverse("engagements:list"))


# ---------------------------------------------------------------- follow-ups


@login_required
@require_POST
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    engagement = queries.get_engagement(user, pk)
    ensure_can_write(user, engagement.owner_id)
    form = FollowUpForm(follow_ups.assignable_users(engagement), request.POST)
    if form.is_valid():
        with refusals_on(form) as outcome:
            follow_ups.add_follow_up(user, engagement, form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("已添加跟进事项。"))
            return HttpResponseRedirect(reverse("engagements:detail", args=[pk]) + "#follow-ups")
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = ";".join(str(e) for e in errors)
        messages.error(request, f"{label}:{text}" if label else text)
    return HttpResponseRedirect(reverse("engagements:detail", args=[pk]) + "#follow-ups")


@login_required
@require_POST
def follow_up_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    follow_up = queries.get_follow_up(user, pk)
    form = FollowUpStatusForm(request.POST)
    target = request.POST.get("next") or ""
    if not target.startswith("/") or target.startswith("//"):
        target = reverse("engagements:detail", args=[follow_up.engagement_id]) + "#follow-ups"
    if form.is_valid():
        with refusals_on(form) as outcome:
            follow_ups.update_follow_up(user, follow_up, form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("跟进事项已更新。"))
            return HttpResponseRedirect(target)
    for errors in form.errors.values():
        messages.error(request, ";".join(str(e) for e in errors))
    return HttpResponseRedirect(target)


@login_required
def my_follow_ups(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    show_closed = request.GET.get("all") == "1"
    on = today()
    rows = [
        (f, due_state(f.due_on, on, is_open=f.status == FollowUpStatus.OPEN))
        for f in follow_ups.mine(user, include_closed=show_closed)[:500]
    ]
    return render(
        request,
        "engagements/my_follow_ups.html",
        {
            "rows": rows,
            "show_closed": show_closed,
            "status_form": FollowUpStatusForm(),
            "today": on,
        },
    )


# ---------------------------------------------------------------- contacts


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    qs = queries.visible_contacts(user).select_related("enterprise", "owner")
    text = request.GET.get("q", "").strip()[:100]
    if text:
        qs = qs.filter(name__icontains=text) | qs.filter(enterprise__name__icontains=text)
    page = Paginator(qs.order_by("enterprise__name", "name", "pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "engagements/contacts.html",
        {
            "page": page,
            "q": text,
            "can_create": queries.can_see_contacts(user, user.organization_id)
            and user.organization_id is not None,
            "officer": queries.can_see_contacts(user, user.organization_id),
        },
    )


@login_required
def contact_export(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    return _xlsx(exports.contacts_workbook(queries.visible_contacts(user)), "contacts.xlsx")


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    contact = queries.get_contact(user, pk)
    met = (
        queries.visible_engagements(user).filter(contacts=contact).order_by("-held_on", "-pk")[:20]
    )
    return render(
        request,
        "engagements/contact_detail.html",
        {
            "contact": contact,
            "engagements": met,
            "can_edit": permitted(ensure_can_write, user, contact.owner_id),
        },
    )


@login_required
def contact_create(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    ensure_can_write(user, user.organization_id)
    initial = {"enterprise": request.GET.get("enterprise")} if request.GET.get("enterprise") else {}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form) as outcome:
            made = contact_services.create_contact(user, form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("联系人已保存。"))
            return HttpResponseRedirect(reverse("engagements:contact", args=[made.pk]))
    status = INVALID if request.method == "POST" else 200
    return render(
        request, "engagements/contact_form.html", {"form": form, "contact": None}, status=status
    )


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    contact = queries.get_contact(user, pk)
    ensure_can_write(user, contact.owner_id)
    initial = {name: getattr(contact, name) for name in contact_services.FIELDS}
    initial["enterprise"] = contact.enterprise_id
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form) as outcome:
            contact_services.update_contact(user, contact, form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("已保存。"))
            return HttpResponseRedirect(reverse("engagements:contact", args=[pk]))
    status = INVALID if request.method == "POST" else 200
    return render(
        request,
        "engagements/contact_form.html",
        {"form": form, "contact": contact},
        status=status,
    )


@login_required
@require_POST
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    contact = queries.get_contact(user, pk)
    contact_services.delete_contact(user, contact)
    messages.success(request, _("联系人已删除。"))
    return HttpResponseRedirect(reverse("engagements:contacts"))
