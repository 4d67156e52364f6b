"""Region form parts every app's pages use: a field that reads a typed region, filter choices."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.regions.models import Region
from parklink.regions.services import resolve_region

_ADCODE_IN_TEXT = re.compile(r"(\d{6})")


def region_choices(paths: Iterable[str], selected: str = "") -> list[tuple[str, str]]:
    """Every region that contains one of `paths`, indented under its parents, as choices.

    `selected` (an adcode from the query string) is offered too, so a link to any region works.
    """
    paths = list(paths)
    if selected:
        paths.extend(Region.objects.filter(adcode=selected).values_list("path", flat=True))
    adcodes = {part for path in paths if path for part in path.split("/")}
    regions = Region.objects.filter(adcode__in=adcodes).order_by("path")
    choices = [("", str(_("全部地区")))]
    for region in regions:
        depth = region.path.count("/")
        choices.append((region.adcode, "\u3000" * depth + region.name))
    return choices


class RegionField(forms.CharField):
    """A region typed as an adcode, a name ("德格县", "甘孜州德格县") or "名称 (adcode)"."""

    default_error_messages: ClassVar[dict[str, Any]] = {
        "unknown": _("无法识别的行政区划:%(value)s")
    }

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Region):
            return f"{value.full_name} ({value.adcode})"
        if isinstance(value, str) and re.fullmatch(r"\d{6}", value):
            region = Region.objects.filter(adcode=value).first()
            if region is not None:
                return f"{region.full_name} ({region.adcode})"
        return value

    def clean(self, value: Any) -> Region | None:
        text = str(super().clean(value) or "").strip()
        if not text:
            return None
        found = _ADCODE_IN_TEXT.search(text)
        region = (
            Region.objects.filter(adcode=found.group(1)).first() if found else resolve_region(text)
        )
        if region is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text}
            )
        return region
