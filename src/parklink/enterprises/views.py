"""Enterprise pages: the registry list, the enterprise's profile, create/edit and a USCC check."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Duplicate, Forbidden, ParkLinkError
from parklink.core.forms import cleaned, refusals_on, show_service_error
from parklink.core.registry import registry
from parklink.core.sources import sources_of
from parklink.core.views import authenticated, permitted
from parklink.enterprises import charts, services
from parklink.enterprises import uscc as uscc_rules
from parklink.enterprises.forms import FLAGS, EnterpriseFilterForm, EnterpriseForm, SiteFormSet
from parklink.enterprises.models import Enterprise, EnterpriseSite, SiteRole
from parklink.parks.models import Park
from parklink.regions.forms import region_choices
from parklink.regions.models import Region
from parklink.regions.services import within

PAGE_SIZE = 25
INDUSTRY_FILE = Path(__file__).resolve().parent.parent / "data" / "gbt4754.yaml"
ENTERPRISE_ORDER = {
    "name": ("name_pinyin",),
    "region": ("region__path", "name_pinyin"),
    "industry": ("industry_code", "name_pinyin"),
    "capital": ("registered_capital",),
}


@lru_cache(maxsize=1)
def industry_divisions() -> dict[str, str]:
    """GB/T 4754-2017 divisions (大类): two-digit code → name."""
    data = yaml.safe_load(INDUSTRY_FILE.read_text("utf-8")) or {}
    return {str(row["code"]): str(row["name"]) for row in data.get("divisions", [])}


def industry_label(code: str) -> str:
    """ "3825" → "3825 电气机械和器材制造业" (the division of its first two digits)."""
    if not code:
        return ""
    name = industry_divisions().get(code[:2])
    return f"{code} {name}" if name else code


# ---------------------------------------------------------------- list


def _park_choices() -> list[tuple[int | str, str]]:
    return [
        (pk, name) for pk, name in Park.objects.order_by("name_pinyin").values_list("pk", "name")
    ]


def _filtered(form: EnterpriseFilterForm) -> QuerySet[Enterprise]:
    qs = Enterprise.objects.all()
    data = cleaned(form)
    if adcode := data.get("region"):
        region = Region.objects.filter(adcode=adcode).first()
        qs = qs.filter(**within(region)) if region else qs.none()
    if industry := data.get("industry"):
        qs = qs.filter(industry_code__startswith=industry)
    for key in data.get("flags") or []:
        qs = qs.filter(**{FLAGS[key][0]: True})
    if park := data.get("park"):
        # A park's enterprises include those on its sub-parks (一区多园).
        parks = Park.objects.filter(Q(pk=park) | Q(parent_id=park))
        qs = qs.filter(pk__in=EnterpriseSite.objects.filter(park__in=parks).values("enterprise_id"))
    text = (data.get("q") or "").strip()
    if text:
        key = text.lower().replace(" ", "")
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(short_name__icontains=text)
            | Q(name_pinyin__icontains=key)
            | Q(name_initials__icontains=key)
            | Q(uscc__startswith=uscc_rules.normalise(text))
        )
    return qs


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    regions = region_choices(
        Enterprise.objects.values_list("region__path", flat=True).distinct(),
        request.GET.get("region", ""),
    )
    form = EnterpriseFilterForm(request.GET or None, regions=regions, parks=_park_choices())
    matching = _filtered(form)
    sort = cleaned(form).get("sort") or ""
    key = sort.lstrip("-") or "name"
    ordering = [
        F(name).desc(nulls_last=True) if sort.startswith("-") else F(name).asc(nulls_last=True)
        for name in ENTERPRISE_ORDER.get(key) or (registry.column_sorts(Enterprise)[key],)
    ]
    rows = matching.select_related("region").prefetch_related("sites__park")
    # Figures other apps add to each row (visible projects per enterprise), sortable by key.
    columns = registry.columns_for(Enterprise)
    for column in columns:
        rows = column.apply(rows, user)
    rows = rows.order_by(*ordering, "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    enterprises = list(page.object_list)
    for enterprise in enterprises:
        enterprise.industry_label = industry_label(enterprise.industry_code)  # type: ignore[attr-defined]
        enterprise.site_list = list(enterprise.sites.all())  # type: ignore[attr-defined]
    return render(
        request,
        "enterprises/enterprise_list.html",
        {
            "form": form,
            "enterprises": enterprises,
            "page": page,
            "sort": sort,
            "total": page.paginator.count,
            "can_create": user.can_write,
            "divisions": sorted(industry_divisions().items()),
            "columns": columns,
        },
    )


# ---------------------------------------------------------------- detail


def _sites_graph(enterprise: Enterprise, sites: list[EnterpriseSite]) -> dict[str, Any] | None:
    items = []
    for site in sites:
        if site.park is not None:
            items.append(
                charts.SiteItem(
                    f"park-{site.park_id}",
                    site.park.short_name or site.park.name,
                    site.get_role_display(),
                    reverse("parks:detail", args=[site.park_id]),
                )
            )
        elif site.region is not None:
            items.append(
                charts.SiteItem(
                    f"region-{site.region_id}", site.region.name, site.get_role_display()
                )
            )
    if not items:
        return None
    return charts.sites_graph(enterprise.short_name or enterprise.name, items)


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    enterprise = get_object_or_404(Enterprise.objects.select_related("region", "owner"), pk=pk)
    roles = list(SiteRole.values)
    sites = sorted(
        enterprise.sites.select_related("park", "park__region", "region"),
        key=lambda site: (roles.index(site.role) if site.role in roles else 99, site.pk),
    )
    return render(
        request,
        "enterprises/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "uscc_valid": bool(enterprise.uscc) and uscc_rules.is_valid(enterprise.uscc or ""),
            "industry": industry_label(enterprise.industry_code),
            "sites": sites,
            "sites_graph": _sites_graph(enterprise, sites),
            "sources": list(sources_of(enterprise)),
            "can_edit": permitted(ensure_can_write, user, enterprise.owner_id),
        },
    )


# ---------------------------------------------------------------- create / edit


class _Refusal:
    """Shows a service's refusal on the enterprise form; a duplicate names the existing record."""

    def __init__(self, form: EnterpriseForm) -> None:
        self.form = form
        self.existing: Enterprise | None = None

    def __call__(self, error: ParkLinkError) -> None:
        if isinstance(error, Duplicate):
            self.existing = _put_duplicate(self.form, error)
        else:
            show_service_error(self.form, error)


def _put_duplicate(form: EnterpriseForm, error: Duplicate) -> Enterprise | None:
    """Show a duplicate next to the field that clashes, and return the existing record."""
    detail = error.detail if isinstance(error.detail, dict) else {}
    existing_id = detail.get("existing_id")
    existing = (
        Enterprise.objects.filter(pk=existing_id).first() if isinstance(existing_id, int) else None
    )
    code = form.cleaned_data.get("uscc")
    clash_on_code = existing is not None and bool(code) and existing.uscc == code
    form.add_error("uscc" if clash_on_code else "name", error.message)
    return existing


@login_required
def enterprise_create(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    if not user.can_write:
        raise Forbidden(_("当前角色只能查看,不能新建企业。"))
    form = EnterpriseForm(request.POST or None, choose_owner=user.is_superuser)
    sites = SiteFormSet(request.POST or None, prefix="sites")
    shown = _Refusal(form)
    if request.method == "POST" and form.is_valid() and sites.is_valid():
        rows = [site for site in (f.site() for f in sites.forms) if site is not None]
        with refusals_on(form, show=shown) as outcome:
            created = services.create_enterprise(user, sites=rows, **form.service_fields())
        if outcome.ok:
            return HttpResponseRedirect(reverse("enterprises:detail", args=[created.pk]))
    return render(
        request,
        "enterprises/enterprise_form.html",
        {
            "form": form,
            "sites": sites,
            "enterprise": None,
            "existing": shown.existing,
            "divisions": sorted(industry_divisions().items()),
        },
    )


@login_required
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    enterprise = get_object_or_404(Enterprise.objects.select_related("region"), pk=pk)
    ensure_can_write(user, enterprise.owner_id)
    form = EnterpriseForm(request.POST or None, instance=enterprise)
    current = [
        {"role": s.role, "park": s.park_id, "region": s.region, "address": s.address}
        for s in enterprise.sites.select_related("region").order_by("pk")
    ]
    sites = SiteFormSet(request.POST or None, prefix="sites", initial=current)
    shown = _Refusal(form)
    if request.method == "POST" and form.is_valid() and sites.is_valid():
        rows = [site for site in (f.site() for f in sites.forms) if site is not None]
        with refusals_on(form, show=shown) as outcome:
            services.update_enterprise(user, enterprise, sites=rows, **form.service_fields())
        if outcome.ok:
            return HttpResponseRedirect(reverse("enterprises:detail", args=[enterprise.pk]))
    return render(
        request,
        "enterprises/enterprise_form.html",
        {
            "form": form,
            "sites": sites,
            "enterprise": enterprise,
            "existing": shown.existing,
            "divisions": sorted(industry_divisions().items()),
        },
    )


@login_required
def uscc_check(request: HttpRequest) -> HttpResponse:
    """An htmx fragment for the form: is the code well-formed, and is it already registered?"""
    code = uscc_rules.normalise(request.GET.get("uscc", ""))
    problem = uscc_rules.problem(code) if code else None
    existing = None
    if code and problem is None:
        others = Enterprise.objects.filter(uscc=code)
        current = request.GET.get("pk", "")
        if current.isascii() and current.isdigit():
            others = others.exclude(pk=int(current))
        existing = others.first()
    message = ""
    if problem is not None:
        message = problem.message_en if get_language().startswith("en") else problem.message_zh
    return render(
        request,
        "enterprises/_uscc_check.html",
        {
            "code": code,
            "problem": message,
            "existing": existing,
        },
    )
