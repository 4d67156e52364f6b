"""Coordinates of a park or a project (decimal degrees, WGS-84 as a phone or a web map gives
them): the form fields and the checks both the pages and the services use.

Longitude runs from -180 to 180 (east positive), latitude from -90 to 90 (north positive);
both or neither are given; a latitude beyond 90 next to a longitude within ±90 is most often
the two typed into each other's box, and the message says so.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LIMITS = {"longitude": Decimal(180), "latitude": Decimal(90)}
PLACES = 6


def _number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def coordinate_problems(longitude: Any, latitude: Any) -> dict[str, str]:
    """Field → message for coordinates that cannot be right (empty when they are fine)."""
    problems: dict[str, str] = {}
    lon, lat = _number(longitude), _number(latitude)
    if longitude not in (None, "") and lon is None:
        problems["longitude"] = _("经度必须是数字(十进制度,如104.065735)")
    if latitude not in (None, "") and lat is None:
        problems["latitude"] = _("纬度必须是数字(十进制度,如30.659462)")
    if problems:
        return problems
    if (lon is None) != (lat is None):
        missing = "latitude" if lat is None else "longitude"
        problems[missing] = _("经度和纬度需同时填写")
        return problems
    if lon is None or lat is None:
        return problems
    if abs(lat) > LIMITS["latitude"] and abs(lon) <= LIMITS["latitude"]:
        problems["latitude"] = _("纬度应在-90到90之间;是否把经度和纬度填反了?")
    elif abs(lat) > LIMITS["latitude"]:
        problems["latitude"] = _("纬度应在-90到90之间(北纬为正,如成都约30.66)")
    if abs(lon) > LIMITS["longitude"]:
        problems["longitude"] = _("经度应在-180到180之间(东经为正,如成都约104.07)")
    for name, number in (("longitude", lon), ("latitude", lat)):
        if name not in problems and number != number.quantize(Decimal(1).scaleb(-PLACES)):
            problems[name] = _("最多保留6位小数(约0.1米)")
    return problems


def coordinate_field(name: str) -> forms.DecimalField:
    """A form field for `longitude` or `latitude`: a number box, checked by `clean_coordinates`."""
    label = gettext_lazy("经度") if name == "longitude" else gettext_lazy("纬度")
    help_text = (
        gettext_lazy("十进制度,东经为正,如104.065735")
        if name == "longitude"
        else gettext_lazy("十进制度,北纬为正,如30.659462")
    )
    return forms.DecimalField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        error_messages={"invalid": gettext_lazy("请填写数字(十进制度)")},
    )


def clean_coordinates(form: forms.BaseForm) -> None:
    """Add the coordinates' problems to `form`'s fields (call from `clean`)."""
    data = form.cleaned_data
    if "longitude" in form.errors or "latitude" in form.errors:
        return
    for name, message in coordinate_problems(data.get("longitude"), data.get("latitude")).items():
        form.add_error(name, message)
