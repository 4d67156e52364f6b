"""Load the region registry and resolve free text ("甘孜州德格县") to a region."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction
from django.utils.translation import gettext as _

from parklink.core.errors import Invalid
from parklink.regions.models import Region
from parklink.regions.table import COUNTY, PLACEHOLDER_NAMES, build_rows, level_of

_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "新区",
    "盟",
    "省",
    "市",
    "区",
    "县",
    "州",
    "旗",
)
# Autonomous areas are called by their place name alone: "甘孜藏族自治州" is "甘孜", "甘孜州".
# Names of two or more characters also appear without 族 ("博尔塔拉蒙古自治州").
_PEOPLES_LONG = (
    "柯尔克孜|乌孜别克|维吾尔|哈萨克|塔吉克|鄂温克|鄂伦春|达斡尔|塔塔尔|俄罗斯|蒙古|布依|朝鲜|土家"
    "|哈尼|傈僳|拉祜|东乡|纳西|景颇|仫佬|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|德昂|保安|裕固|独龙"
    "|赫哲|门巴|珞巴|基诺|高山"
)
_PEOPLES_SHORT = "回|藏|苗|彝|壮|侗|瑶|白|傣|黎|佤|畲|水|土|羌|怒|京|满"
_PEOPLE_AT_END = re.compile(f"(?:(?:{_PEOPLES_LONG})族?|(?:{_PEOPLES_SHORT})族|各族)$")
_AUTONOMOUS_ALIAS = {"自治州": "州", "自治县": "县", "自治旗": "旗"}
_SEPARATORS = " \t\u3000,\uff0c、·-—/"
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
    _alias_index.cache_clear()
    _longest_alias.cache_clear()
    return Region.objects.count()


def short_name(name: str) -> str:
    """'甘孜藏族自治州' → '甘孜', '德格县' → '德格' (never shorter than two characters)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            return _without_peoples(stem) if suffix.startswith("自治") else stem
    return name


def _without_peoples(stem: str) -> str:
    """'双江拉祜族佤族布朗族傣族' → '双江'; a name that is only a people keeps it ('东乡')."""
    while (found := _PEOPLE_AT_END.search(stem)) and found.start() >= 2:
        stem = stem[: found.start()]
    if _PEOPLE_AT_END.fullmatch(stem) and stem.endswith("族") and len(stem) > 2:
        stem = stem[:-1]
    return stem


def aliases(name: str) -> set[str]:
    """The names a region goes by: its own, its short name, and '甘孜州' for an autonomous one."""
    short = short_name(name)
    names = {name, short}
    for suffix, alias in _AUTONOMOUS_ALIAS.items():
        if name.endswith(suffix) and short != name:
            names.add(short + alias)
    return {alias for alias in names if len(alias) >= 2}


@dataclass(frozen=True)
class _Place:
    adcode: str
    path: str

    def holds(self, other: _Place) -> bool:
        """True when `other` lies inside this place (not when it is this place)."""
        return other.path.startswith(self.path + "/")


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, tuple[_Place, ...]]:
    index: dict[str, list[_Place]] = {}
    for adcode, name, path in Region.objects.values_list("adcode", "name", "path"):
        if name in PLACEHOLDER_NAMES:
            continue
        for alias in aliases(name):
            index.setdefault(alias, []).append(_Place(adcode, path))
    return {alias: tuple(places) for alias, places in index.items()}


@lru_cache(maxsize=1)
def _longest_alias() -> int:
    return max(map(len, _alias_index()), default=0)


def _one_of(places: list[_Place]) -> _Place | None:
    """The place a name means: the only one, or the one holding the others (长沙市 ⊃ 长沙县)."""
    for place in places:
        if all(other is place or place.holds(other) for other in places):
            return place
    return None


def _walk(text: str, within: _Place | None = None) -> tuple[_Place | None, str]:
    """Read place names from the start of `text`, each inside the one before.

    Returns the last place read and the text left over: "甘孜州德格县" → (德格县, ""),
    "成都高新区" → (成都市, "高新区"); no place when the text does not start with a place name
    or starts with one that several places share.
    """
    index = _alias_index()
    longest = _longest_alias()
    current, position = within, 0
    while True:
        while position < len(text) and text[position] in _SEPARATORS:
            position += 1
        step = None
        for length in range(min(longest, len(text) - position), 1, -1):
            named = index.get(text[position : position + length], ())
            inside = [p for p in named if current is None or current.holds(p)]
            if inside:
                step = _one_of(inside)
                if step is not None:
                    position += length
                break
        if step is None:
            return current, text[position:]
        current = step


def _cpca(text: str) -> tuple[_Place, str] | None:
    """cpca's reading of `text`: the region it names and the rest of the text."""
    import cpca  # imported lazily: it loads pandas

    frame = cpca.transform([text])
    code, rest = frame["adcode"].iloc[0], frame["地址"].iloc[0]
    if not (isinstance(code, str) and code):
        return None
    path = Region.objects.filter(adcode=code[:6]).values_list("path", flat=True).first()
    if path is None:
        return None
    return _Place(code[:6], path), rest if isinstance(rest, str) else ""


def resolve_region(text: str) -> Region | None:
    """The most specific region named by a free text, or None when nothing matches.

    Place names are read from the start of the text first, so "海南州" is the prefecture in
    Qinghai (not Hainan province) and "甘孜" the prefecture; cpca finds names further into the
    text ("中国四川德格") and breaks ties between places that share a name ("朝阳区").
    """
    text = (text or "").strip()
    if not text:
        return None
    if _ADCODE.match(text):
        return Region.objects.filter(adcode=text).first()
    found, rest = _walk(text)
    if found is None or (rest and level_of(found.adcode) != COUNTY):
        # Something the start of the text does not say: let cpca read the whole text.
        read = _cpca(text)
        if read is not None:
            place, after = read
            place = _walk(after, place)[0] or place
            if found is None or found.holds(place):
                found = place
    return Region.objects.filter(adcode=found.adcode).first() if found else None


def require_region(text: str) -> Region:
    region = resolve_region(text)
    if region is None:
        message = _("无法识别的行政区划: %(text)s") % {"text": text}
        raise Invalid(message, detail={"region": message})
    return region


def within(region: Region) -> dict[str, str]:
    """Filter kwargs for 'region lies inside `region`' on a `region` foreign key."""
    return {"region__path__startswith": region.path}
