"""What API routers share about regions: the region a list filter names."""

from __future__ import annotations

from django.utils.translation import gettext as _

from parklink.core.errors import Invalid
from parklink.regions.models import Region


def region_by_adcode(adcode: str) -> Region:
    """The region a list filter names, or a 400 naming the unknown code."""
    region = Region.objects.filter(adcode=adcode).first()
    if region is None:
        raise Invalid.on("region", _("未知的行政区划代码: %(adcode)s") % {"adcode": adcode})
    return region
