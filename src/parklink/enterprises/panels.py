"""What enterprises show on other apps' pages: the 入驻企业 section of a park's page
(registered in apps.py), so that parks need not know enterprises.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from parklink.enterprises.models import EnterpriseSite
from parklink.parks.family import family_of
from parklink.parks.models import Park


def park_sites(park: Park) -> list[EnterpriseSite]:
    """The enterprise sites in the park and its sub-parks (一区多园), by enterprise."""
    return list(
        EnterpriseSite.objects.filter(park_id__in=[park.pk, *family_of(park).descendants])
        .select_related("enterprise", "park")
        .order_by("enterprise__name_pinyin", "role", "pk")
    )


def park_panel(request: HttpRequest, park: Park) -> dict[str, Any]:
    """The context of the enterprises section on a park's page."""
    return {"sites": park_sites(park)}
