"""Who may see which project, and the filters every list (API, pages, exports) shares."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parklink.accounts.models import Organization, User
from parklink.core.errors import Invalid, NotFound
from parklink.core.search import PINYIN_KEYS, name_conditions, parse_query
from parklink.projects.ageing import Colour, Thresholds, bounds
from parklink.projects.lifecycle import AGEING, Stage
from parklink.projects.models import AgeingPolicy, Project
from parklink.regions.models import Region, RegionLevel

SORTABLE = {
    "name",
    "stage",
    "total_investment",
    "signed_on",
    "last_progress_on",
    "stage_since",
    "created_at",
    "updated_at",
    "maturity",
}


def visibility_q(user: User) -> Q:
    """Projects `user` may see: own organisation's, plus signed ones from regions inside theirs.

    Leads and negotiations never signed stay with their owner: others get not even a count.
    The rule has two equal forms (the user's own organisation is one of those below it), and
    each is the fast one for a different user, as the comments below say.
    """
    if user.is_superuser:
        return Q()
    org = user.organization
    if org is None:
        return Q(pk__in=[])
    region = org.region
    path = region.path
    # Organisations in this region or below it; a subquery keeps the join off the project scan.
    below = Organization.objects.filter(
        Q(region__path=path) | Q(region__path__startswith=path + "/")
    ).values("pk")
    if region.level == RegionLevel.COUNTY:
        # A county sees a few hundred projects: "owned below, and ours or signed" lets the
        # database find them through the owner index instead of reading every project.
        return Q(owner_id__in=below) & (Q(owner_id=org.pk) | Q(signed_on__isnull=False))
    # A city or a province sees much of the library: checked row by row against the
    # organisations below (hashed once), which reads the table in order or walks the sort
    # order's index. The database cannot know how many organisations a region holds, and
    # counted on a few through the owner index it read 78,000 projects one by one.
    return Q(owner_id=org.pk) | Q(signed_on__isnull=False, owner_id__in=below)


def visible_projects(user: User) -> QuerySet[Project]:
    return Project.objects.filter(visibility_q(user))


def visible_project_rows(model: type[Model]) -> Callable[[User], QuerySet[Any]]:
    """The rows of a model that belongs to a project (milestones, ...) visible with it."""

    def visible(user: User) -> QuerySet[Any]:
        return model._default_manager.filter(project__in=visible_projects(user).values("pk"))

    return visible


def get_visible(user: User, pk: int) -> Project:
    """The project, or NotFound when it does not exist or the user may not see it."""
    project = visible_projects(user).filter(pk=pk).first()
    if project is None:
        raise NotFound(_("项目不存在或无权查看。"))
    return project


def today() -> date:
    """The day projects are judged on: `PARKLINK_TODAY` when set (a demo's data date), else now."""
    return settings.PARKLINK_TODAY or timezone.localdate()


def default_thresholds() -> Thresholds:
    """The installation's thresholds, for organisations without a policy of their own (theirs
    are in `policy_figures`)."""
    return Thresholds(
        settings.PARKLINK_AGEING_YELLOW_MONTHS,
        settings.PARKLINK_AGEING_RED_MONTHS,
        settings.PARKLINK_AGEING_REMOVAL_MONTHS,
    )


def colour_q(colour: Colour | str, thresholds: Thresholds, on: date | None = None) -> Q:
    """Ageing projects whose last progress gives them `colour` under `thresholds`.

    Stalled projects have their own colour (STALLED) and none of the timed ones.
    """
    if Colour(colour) is Colour.STALLED:
        return Q(stage=Stage.STALLED.value)
    after, up_to = bounds(Colour(colour), on or today(), thresholds)
    condition = Q(stage__in=[s.value for s in AGEING if s is not Stage.STALLED])
    if after is not None:
        condition &= Q(last_progress_on__gt=after)
    if up_to is not None:
        condition &= Q(last_progress_on__lte=up_to)
    return condition


Policies = dict[int, Thresholds]


# An organisation's ageing policy as stored: yellow, red and removal months (the colours),
# unstarted months, the production rule and the funds percent (the contract warnings).
PolicyFigures = tuple[int, int, int, int, bool, int]


def policy_figures() -> dict[int, PolicyFigures]:
    """Organisation id → its policy's figures, for the (few) organisations that set one.

    Every list, page and endpoint that shows a colour or a warning reads them, so they are
    kept in the cache until the library changes (saving or deleting a policy moves it on).
    """
    key = f"projects:policies:{data_version()}"
    found = cache.get(key)
    if isinstance(found, dict):
        return found
    figures: dict[int, PolicyFigures] = {
        org: (yellow, red, removal, unstarted, production, percent)
        for org, yellow, red, removal, unstarted, production, percent in (
            AgeingPolicy.objects.values_list(
                "organization_id",
                "yellow_months",
                "red_months",
                "removal_months",
                "unstarted_months",
                "production_rule",
                "funds_percent",
            )
        )
    }
    cache.set(key, figures, cache_seconds())
    return figures


def ageing_policies() -> Policies:
    """Organisation id → its own thresholds, for the (few) organisations that set them."""
    return {
        org: Thresholds(yellow, red, removal)
        for org, (yellow, red, removal, *_rules) in policy_figures().items()
    }


def owner_colour_q(
    colour: Colour | str, on: date | None = None, policies: Policies | None = None
) -> Q:
    """Projects with `colour` under their owner's thresholds, as the badges show them.

    Organisations without a policy of their own use the installation's thresholds.
    """
    if Colour(colour) is Colour.STALLED:  # a standing: no thresholds involved
        return colour_q(colour, default_thresholds(), on)
    policies = ageing_policies() if policies is None else policies
    condition = colour_q(colour, default_thresholds(), on) & ~Q(owner_id__in=list(policies))
    for org, thresholds in policies.items():
        condition |= colour_q(colour, thresholds, on) & Q(owner_id=org)
    return condition


def park_and_below(park_id: int) -> list[int]:
    """The park and every park under it (一区多园 may nest), one query per level."""
    from parklink.parks.models import Park

    found, frontier = [park_id], [park_id]
    while frontier:
        frontier = list(
            Park.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found += frontier
    return found


@dataclass
class ProjectFilters:
    stage: list[str] = field(default_factory=list)
    park: int | None = None
    region: str | None = None  # adcode; includes everything inside it
    sector: str | None = None
    maturity: str | None = None
    colour: str | None = None
    tag: str | None = None
    leader: str | None = None
    q: str | None = None
    owner: int | None = None
    signed_from: date | None = None  # signing date range, inclusive
    signed_to: date | None = None
    sort: str = "-signed_on"


def keyword_q(text: str) -> Q:
    """The list's keyword: name, code name, sector or investor, as the global search reads it.

    The search engine's conditions (core.search), so `guangfu` and `gf` find 光伏 here too.
    """
    query = parse_query(text)
    _exact, _prefix, own = name_conditions(query, ("name", "code_name"))
    investor = Q(investor__name__icontains=query.text)
    if query.latin:
        for key in PINYIN_KEYS:
            investor |= Q(**{f"investor__{key}__contains": query.latin})
    return own | investor | Q(sector__icontains=query.text)


def apply_filters(qs: QuerySet[Project], f: ProjectFilters) -> QuerySet[Project]:
    if f.stage:
        qs = qs.filter(stage__in=f.stage)
    if f.park:
        # A parent park's list includes its sub-parks (一区多园), however deep.
        qs = qs.filter(park_id__in=park_and_below(f.park))
    if f.region:
        region = Region.objects.filter(adcode=f.region).first()
        if region is None:
            raise Invalid.on("region", _("未知的行政区划代码: %(adcode)s") % {"adcode": f.region})
        qs = qs.filter(Q(region__path=region.path) | Q(region__path__startswith=region.path + "/"))
    if f.sector:
        qs = qs.filter(sector=f.sector)
    if f.maturity:
        qs = qs.filter(maturity=f.maturity)
    if f.colour:
        try:
            qs = qs.filter(owner_colour_q(Colour(f.colour)))
        except ValueError as exc:
            raise Invalid.on("colour", _("未知的颜色: %(colour)s") % {"colour": f.colour}) from exc
    if f.tag:
        # A subquery, not a join: a join through the tags would repeat a project per matching
        # row and need DISTINCT over every column, which at 100,000 projects costs more than
        # the rest of the list together.
        tagged = Project.tags.through.objects.filter(
            project_id=OuterRef("pk"), projecttag__code=f.tag
        )
        qs = qs.filter(Exists(tagged))
    if f.leader:
        qs = qs.filter(responsible_leader__icontains=f.leader)
    if f.owner:
        qs = qs.filter(owner_id=f.owner)
    if f.signed_from and f.signed_to and f.signed_from > f.signed_to:
        # Not silently empty: the user swapped the ends or mistyped one.
        raise Invalid.on(
            "signed_to",
            _("签约日期范围无效:起始日期%(start)s晚于截止日期%(end)s")
            % {"start": f"{f.signed_from:%Y-%m-%d}", "end": f"{f.signed_to:%Y-%m-%d}"},
        )
    if f.signed_from:
        qs = qs.filter(signed_on__gte=f.signed_from)
    if f.signed_to:
        qs = qs.filter(signed_on__lte=f.signed_to)
    if f.q:
        qs = qs.filter(keyword_q(f.q))
    descending = f.sort.startswith("-")
    key = f.sort.removeprefix("-")
    if key not in SORTABLE:
        raise Invalid(
            _("不能按“%(sort)s”排序") % {"sort": f.sort},
            detail={"field": "sort", "allowed": sorted(SORTABLE)},
        )
    # Projects without the value (never signed, amount not disclosed) come last either way,
    # on SQLite and PostgreSQL alike (their defaults put NULLs at opposite ends).
    order = F(key).desc(nulls_last=True) if descending else F(key).asc(nulls_last=True)
    # No DISTINCT: every condition above is on the project's own row, a to-one relation
    # (region, investor) or a subquery, so each project appears once.
    return counted(qs.order_by(order, "-id"))


# ---------------------------------------------------------------- cached figures

# How long a count or a figure is kept at most. Any write to what it reads makes it stale at
# once (`changed`, connected to the models' signals in dashboard.connect_invalidation); the
# bound only covers writes that bypass the models (raw SQL, a queryset's update()). A cache of
# this process only (LocMemCache, the default) cannot hear another process's writes, so there
# the bound is short: with several processes, configure a shared cache (PARKLINK_CACHE_URL).
SHARED_SECONDS = 600
LOCAL_SECONDS = 10
VERSION_KEY = "projects:version"
CHANGED_KEY = "projects:changed"


def cache_seconds() -> int:
    return LOCAL_SECONDS if isinstance(caches["default"], LocMemCache) else SHARED_SECONDS


def data_version() -> int:
    """The current version of the project library; every write moves it on."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh start never reuses a number an emptied cache held before.
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY) or time.time_ns()
    return int(version)


def _bump() -> None:
    try:
        version = cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache (emptied, evicted): any new number will do
        cache.set(VERSION_KEY, time.time_ns(), None)
        return
    # When the library left the version before this one: figures computed at that version are
    # stale since then (the dashboard serves them for a bounded time while it recomputes). Kept
    # only as long as such figures may be served; a missing stamp means "too old".
    cache.set(f"{CHANGED_KEY}:{version}", time.time(), stale_seconds() + 1)


def stale_seconds() -> int:
    """How long after a write the dashboard may still show the figures from before it."""
    return max(0, int(getattr(settings, "PARKLINK_DASHBOARD_STALE_SECONDS", 60)))


def changed_since(version: int) -> float | None:
    """When (time.time()) the library first changed after `version`; None when not known."""
    found = cache.get(f"{CHANGED_KEY}:{version + 1}")
    return float(found) if isinstance(found, int | float) else None


def changed(**_kwargs: Any) -> None:
    """Cached counts and figures are stale: at once, and again when the transaction commits.

    The second bump matters: a page rendered by another request between the write and its
    commit reads the old rows and could keep them under the first new version.
    """
    _bump()
    transaction.on_commit(_bump)


def visibility_scope(user: User) -> str:
    """Who sees the same projects as `user`: everyone (superusers), nobody, or one organisation."""
    if user.is_superuser:
        return "all"
    return f"org{user.organization_id}" if user.organization_id else "none"


def shared_key(kind: str, user: User, query_string: str) -> str:
    """A cache key for something everyone who sees the same projects gets alike for the same
    query string, language and day, at the current version of the library."""
    query = hashlib.sha256(query_string.encode()).hexdigest()[:32]
    return (
        f"projects:{kind}:{data_version()}:{visibility_scope(user)}:{get_language()}:"
        f"{today().isoformat()}:{query}"
    )


def visible_sectors(user: User) -> list[str]:
    """The sectors of the projects `user` sees, in order (the list's filter offers them).

    Kept until the library changes: for a province, finding them reads every project.
    """
    key = f"projects:sectors:{data_version()}:{visibility_scope(user)}"
    found = cache.get(key)
    if isinstance(found, list):
        return found
    sectors = list(
        visible_projects(user)
        .exclude(sector="")
        .order_by("sector")
        .values_list("sector", flat=True)
        .distinct()
    )
    cache.set(key, sectors, cache_seconds())
    return sectors


class CountedQuerySet(QuerySet[Project]):
    """A project list whose total is kept in the cache until the library changes.

    At 100,000 projects, counting what a province sees reads every one of them (the page
    itself reads 25 from the sort order's index), and the list asks on every page turn.
    """

    def count(self) -> int:
        if self._result_cache is not None:
            return len(self._result_cache)
        sql = str(self.query)
        digest = hashlib.sha256(f"{self.db}|{sql}".encode()).hexdigest()[:32]
        key = f"projects:count:{data_version()}:{digest}"
        found = cache.get(key)
        if isinstance(found, int):
            return found
        total = super().count()
        cache.set(key, total, cache_seconds())
        return total


def counted(qs: QuerySet[Project]) -> QuerySet[Project]:
    """`qs`, counted through the cache (its clones, sliced or related, are too)."""
    clone = qs.all()
    clone.__class__ = CountedQuerySet
    return clone


def with_relations(qs: QuerySet[Project]) -> QuerySet[Project]:
    """What list pages and endpoints show, fetched in a fixed number of queries."""
    return qs.select_related("owner", "park", "region", "investor").prefetch_related("tags")
