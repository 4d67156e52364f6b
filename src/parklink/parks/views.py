"""Park pages: the registry list and the park's profile (create/edit: park_form_views)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from parklink.accounts.services import ensure_can_write
from parklink.core.forms import cleaned
from parklink.core.registry import registry
from parklink.core.sources import sources_of
from parklink.core.views import authenticated, permitted
from parklink.parks import charts, listing, profile
from parklink.parks.family import family_of
from parklink.parks.forms import ParkFilterForm
from parklink.parks.models import Park
from parklink.regions.forms import region_choices


@login_required
def park_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    regions = region_choices(
        Park.objects.values_list("region__path", flat=True).distinct(),
        request.GET.get("region", ""),
    )
    form = ParkFilterForm(request.GET or None, regions=regions)
    sort = cleaned(form).get("sort") or ""
    page, parks = listing.park_page(form, user, sort, request.GET.get("page"))
    return render(
        request,
        "parks/park_list.html",
        {
            "form": form,
            "parks": parks,
            "page": page,
            "sort": sort,
            "tree": not sort,
            "total": page.paginator.count,
            "can_create": user.can_write,
            "columns": registry.columns_for(Park),
        },
    )


@login_required
def park_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    park = get_object_or_404(Park.objects.select_related("region", "parent", "owner"), pk=pk)
    family = family_of(park)
    tree, tree_height = profile.tree_option(family, park)
    linkages = profile.linkages_of(park)
    return render(
        request,
        "parks/park_detail.html",
        {
            "park": park,
            "sub_parks": family.children_of(park),
            "family_size": len(family.parks),
            "tree": tree if len(family.parks) > 1 else None,
            "tree_height": tree_height,
            "linkages": linkages,
            "linkage_graph": profile.linkage_option(linkages, park) if linkages else None,
            "linkage_height": 110 + 110 * len(linkages),
            "gauge": charts.occupancy_gauge(park.carrier_built_m2, park.carrier_occupied_m2),
            "industries": profile.industries(park),
            "resources": profile.resources(park),
            "indicators": profile.indicators(park),
            "sources": list(sources_of(park)),
            "can_edit": permitted(ensure_can_write, user, park.owner_id),
            "can_link": user.can_write,
            "planned_area": profile.number(park.planned_area_mu),
            "available_land": profile.number(park.available_land_mu),
        },
    )
