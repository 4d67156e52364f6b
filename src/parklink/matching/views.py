"""Matching pages (thin: services decide): listings, a listing's matches, events."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Forbidden, Invalid, ParkLinkError
from parklink.core.views import INVALID, authenticated, permitted
from parklink.matching import queries
from parklink.matching.forms import EventForm, ListingForm, TagsForm
from parklink.matching.models import Event, ListingStatus, Meeting, Outcome, Side
from parklink.matching.services import events, listings


@login_required
def listing_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    qs = (
        queries.visible_listings(user)
        .filter(status=ListingStatus.OPEN)
        .select_related("enterprise", "region")
        .order_by("-id")
    )
    side = request.GET.get("side", "")
    if side in Side.values:
        qs = qs.filter(side=side)
    text = request.GET.get("q", "").strip()[:100]
    if text:
        qs = qs.filter(title__icontains=text)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(x, listings.tag_label(x)) for x in page]
    return render(
        request,
        "matching/listing_list.html",
        {
            "page": page,
            "rows": rows,
            "side": side,
            "q": text,
            "sides": Side.choices,
            "can_create": user.can_write,
            "events": queries.visible_events(user)[:10],
            "duplicates": len(listings.duplicate_groups()) if user.can_write else 0,
        },
    )


@login_required
def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    listing = listings.get_visible(user, pk)
    can_edit = permitted(ensure_can_write, user, listing.owner_id)
    found = listings.matches(user, listing) if listing.status == ListingStatus.OPEN else []
    return render(
        request,
        "matching/listing_detail.html",
        {
            "listing": listing,
            "tag_label": listings.tag_label(listing),
            "contacts": queries.can_see_contacts(user, listing),
            "matches": [(m, queries.can_see_contacts(user, m.listing)) for m in found],
            "duplicates": listings.duplicates_of(listing) if can_edit else [],
            "can_edit": can_edit,
            "tags_form": TagsForm(
                initial={
                    "chain": listing.chain,
                    "segment": listing.segment,
                    "industry_code": listing.industry_code,
                }
            ),
        },
    )


@login_required
def listing_create(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    form = ListingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        enterprise = data.pop("enterprise")
        try:
            made = listings.create_listing(user, enterprise, data)
        except ParkLinkError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已发布,并已自动标注产业链环节和行业代码。"))
            return HttpResponseRedirect(reverse("matching:listing", args=[made.pk]))
    status = INVALID if request.method == "POST" else 200
    return render(request, "matching/listing_form.html", {"form": form}, status=status)


@login_required
def listing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's officers change a listing (not its enterprise); tags follow, unless set."""
    user = authenticated(request)
    listing = listings.get_visible(user, pk)
    ensure_can_write(user, listing.owner_id)
    form = ListingForm(request.POST or None, instance=listing)
    form.fields["enterprise"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "enterprise"}
        listing.refresh_from_db()
        try:
            listings.update_listing(user, listing, data)
        except ParkLinkError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已保存。"))
            return HttpResponseRedirect(reverse("matching:listing", args=[pk]))
    status = INVALID if request.method == "POST" else 200
    return render(
        request, "matching/listing_form.html", {"form": form, "listing": listing}, status=status
    )


@login_required
@require_POST
def listing_tags(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    listing = listings.get_visible(user, pk)
    form = TagsForm(request.POST)
    if form.is_valid():
        try:
            listings.correct_tags(user, listing, **form.cleaned_data)
        except ParkLinkError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("标注已更正。"))
    return HttpResponseRedirect(reverse("matching:listing", args=[pk]))


@login_required
@require_POST
def listing_merge(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    keep = listings.get_visible(user, pk)
    try:
        other = listings.get_visible(user, int(request.POST.get("other", "0")))
        listings.merge(user, keep, other)
    except (ParkLinkError, ValueError) as error:
        messages.error(request, getattr(error, "message", str(error)))
    else:
        messages.success(request, _("重复信息已合并。"))
    return HttpResponseRedirect(reverse("matching:listing", args=[pk]))


@login_required
@require_POST
def listing_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    listings.close_listing(user, listings.get_visible(user, pk))
    messages.success(request, _("已关闭。"))
    return HttpResponseRedirect(reverse("matching:listings"))


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    event = events.get_visible(user, pk)
    meetings = (
        queries.visible_meetings(user)
        .filter(event=event)
        .select_related("supply__enterprise", "need__enterprise")
    )
    gathered = list(event.listings.select_related("enterprise", "region").order_by("side", "id"))
    context: dict[str, Any] = {
        "event": event,
        "figures": events.figures(Event.objects.filter(pk=event.pk)),
        "meetings": meetings,
        "gathered": gathered,
        "supplies": [x for x in gathered if x.side == Side.SUPPLY],
        "needs": [x for x in gathered if x.side == Side.NEED],
        "outcomes": Outcome.choices,
        "can_edit": permitted(ensure_can_write, user, event.owner_id),
    }
    return render(request, "matching/event_detail.html", context)


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    ensure_can_write(user, user.organization_id)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.owner_id = user.organization_id
        event.save()
        messages.success(request, _("对接会已创建。"))
        return HttpResponseRedirect(reverse("matching:event", args=[event.pk]))
    status = INVALID if request.method == "POST" else 200
    return render(request, "matching/event_form.html", {"form": form}, status=status)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Invalid(_("编号应为整数:%(value)s") % {"value": value}) from None


@login_required
@require_POST
def event_action(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser gathers a listing, schedules a meeting, or records a meeting's outcome."""
    user = authenticated(request)
    event = events.get_visible(user, pk)
    action = request.POST.get("action", "")
    try:
        if action == "gather":
            listing = listings.get_visible(user, _int(request.POST.get("listing")))
            events.gather(user, event, [listing])
        elif action == "schedule":
            supply = listings.get_visible(user, _int(request.POST.get("supply")))
            need = listings.get_visible(user, _int(request.POST.get("need")))
            events.schedule(user, event, supply, need)
        elif action == "outcome":
            meeting = Meeting.objects.filter(
                event=event, pk=_int(request.POST.get("meeting"))
            ).first()
            if meeting is None:
                raise Invalid(_("洽谈记录不存在。"))
            raw = (request.POST.get("amount") or "").strip().replace(",", "")
            try:
                amount = Decimal(raw) if raw else None
            except InvalidOperation:
                raise Invalid(_("签约金额应为数字(元)。")) from None
            signed = (request.POST.get("signed_on") or "").strip()
            try:
                signed_on = date.fromisoformat(signed) if signed else None
            except ValueError:
                raise Invalid(_("签约日期应为 YYYY-MM-DD。")) from None
            events.record_outcome(user, meeting, request.POST.get("outcome", ""), amount, signed_on)
        else:
            raise Invalid(_("未知的操作。"))
    except Forbidden:
        raise
    except ParkLinkError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已保存。"))
    return HttpResponseRedirect(reverse("matching:event", args=[pk]))


@login_required
def listing_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The listing's match list (up to 100) as .xlsx."""
    from parklink.matching import exports

    user = authenticated(request)
    listing = listings.get_visible(user, pk)
    response = HttpResponse(
        exports.match_list(user, listing),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="matches-{listing.pk}.xlsx"'
    return response
