"""Load the region registry and resolve free text ("甘孜州德格县") to a region."""

from __future__ import annotations

import re
from functools import lru_cache

from django.db import transaction
from django.utils.translation import gettext as _

from parklink.core.errors import Invalid
from parklink.regions.models import Region
from parklink.regions.table import build_rows

_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "地区",
    "盟",
    "省",
    "市",
    "区",
    "县",
    "州",
    "旗",
)
# "甘孜藏族自治州" is called "甘孜": drop the names of peoples before the suffix.
_ETHNIC_SUFFIX = re.compile(
    "(藏族|彝族|羌族|苗族|土家族|蒙古族|哈萨克|朝鲜族|布依族|侗族|壮族|回族|傣族|白族|景颇族|傈僳族"
    "|黎族|哈尼族)+$"
)
_ADCODE = re.compile(r"^\d{6}$")


@transaction.atomic
def load_regions() -> int:
    """Create or update every region from cpca's table; returns how many exist afterwards."""
    rows = build_rows()
    existing = set(Region.objects.values_list("adcode", flat=True))
    fresh = []
    for row in rows:
        fields = {
            "name": row.name,
            "full_name": row.full_name,
            "level": row.level,
            "parent_id": row.parent,
            "path": row.path,
            "longitude": row.longitude,
            "latitude": row.latitude,
        }
        if row.adcode in existing:
            Region.objects.filter(adcode=row.adcode).update(**fields)
        else:
            fresh.append(Region(adcode=row.adcode, **fields))
    Region.objects.bulk_create(fresh, batch_size=500)
    _short_names.cache_clear()
    return Region.objects.count()


def short_name(name: str) -> str:
    """'甘孜藏族自治州' → '甘孜', '德格县' → '德格' (never shorter than two characters)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            return _ETHNIC_SUFFIX.sub("", stem) or stem
    return name


@lru_cache(maxsize=1)
def _short_names() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for adcode, name in Region.objects.values_list("adcode", "name"):
        index.setdefault(short_name(name), []).append(adcode)
    return index


def resolve_region(text: str) -> Region | None:
    """The most specific region named by a free text, or None when nothing matches."""
    text = (text or "").strip()
    if not text:
        return None
    if _ADCODE.match(text):
        return Region.objects.filter(adcode=text).first()
    import cpca  # imported lazily: it loads pandas

    frame = cpca.transform([text])
    code = frame["adcode"].iloc[0]
    if isinstance(code, str) and code:
        adcode = code[:6]
        # cpca answers a municipality with its province code; keep the most specific known one.
        region = Region.objects.filter(adcode=adcode).first()
        if region is not None:
            return region
    # Bare short names such as "德格" that cpca does not expand.
    for length in range(len(text), 1, -1):
        matches = _short_names().get(text[:length])
        if matches and len(matches) == 1:
            return Region.objects.get(adcode=matches[0])
    return None


def require_region(text: str) -> Region:
    region = resolve_region(text)
    if region is None:
        message = _("无法识别的行政区划: %(text)s") % {"text": text}
        raise Invalid(message, detail={"region": message})
    return region


def within(region: Region) -> dict[str, str]:
    """Filter kwargs for 'region lies inside `region`' on a `region` foreign key."""
    return {"region__path__startswith": region.path}
