"""The home dashboard's figures: database aggregates over the projects a user may see.

`build(user)` gathers everything the projects' dashboard cards show (their templates are
projects/templates/projects/dashboard_*.html, registered in apps.py); the chart options come
from `dashboard_charts`.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language, ngettext, override
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.projects import queries
from parklink.projects.ageing import Colour
from parklink.projects.amounts import Qualifier, combine, format_qualified, from_counts
from parklink.projects.dashboard_charts import (
    MONTHS,
    Bucket,
    ageing_options,
    colour_label,
    funnel_options,
    in_ring,
    list_url,
    monthly_options,
    park_options,
    sector_options,
    stage_name,
)
from parklink.projects.lifecycle import FINAL, PIPELINE, Stage
from parklink.projects.models import FundsInPlace, Problem, Project
from parklink.projects.queries import today, visible_projects
from parklink.projects.services import (
    AgeingSummary,
    ageing_summary,
    attention_list,
    colours_of,
)
from parklink.projects.services.problems import overdue_for, overdue_q

MAX_MONTHS = 96
TOP_PARKS = 12
ATTENTION_LIMIT = 10
# Projects still in the library: every stage but full production and termination (stalled too).
IN_LIBRARY = [s.value for s in Stage if s not in FINAL]


# ---------------------------------------------------------------- aggregates


@dataclass(frozen=True)
class Totals:
    active: int
    active_amount: Decimal
    signed_this_year: int
    signed_amount_this_year: Decimal
    funds_this_year: Decimal
    warned: int
    # Unsettled problems past their deadline on the projects the user sees (问题清单).
    problems_overdue: int = 0
    # The sums' qualifiers: 超 when one of the figures summed is a lower bound (超10亿元), 约
    # when one is an estimate; `qualified` fills them from the stage and month buckets.
    active_qualifier: str = Qualifier.EXACT
    signed_qualifier: str = Qualifier.EXACT

    @property
    def active_amount_text(self) -> str:
        """在库项目总投资 as the card shows it: 超120亿元 when a part is a lower bound."""
        language = get_language() or "zh"
        return format_qualified(self.active_amount, self.active_qualifier, 1, language)

    @property
    def signed_amount_text(self) -> str:
        """This year's signed investment as the card shows it (超 / 约 as for the library)."""
        language = get_language() or "zh"
        return format_qualified(self.signed_amount_this_year, self.signed_qualifier, 1, language)


def _counted(qualifier: Qualifier) -> Count:
    """How many stated 总投资 figures carry `qualifier` (lower bounds, estimates): a sum's
    qualifier follows from these counts (amounts.from_counts)."""
    return Count(
        "id", filter=Q(total_investment__isnull=False, total_investment_qualifier=qualifier)
    )


def qualified(totals: Totals, stages: dict[str, Bucket], months: list[Bucket], on: date) -> Totals:
    """The totals with their qualifiers, read from the buckets over the same projects: the
    library's stages for the active amount, this year's months for the signed amount."""
    return replace(
        totals,
        active_qualifier=combine(b.qualifier for k, b in stages.items() if k in IN_LIBRARY),
        signed_qualifier=combine(b.qualifier for b in months if b.key.startswith(f"{on.year}-")),
    )


def stage_buckets(qs: QuerySet[Project]) -> dict[str, Bucket]:
    rows = (
        qs.order_by()
        .values("stage")
        .annotate(
            n=Count("id"),
            amount=Sum("total_investment"),
            known=Count("total_investment"),
            least=_counted(Qualifier.AT_LEAST),
            about=_counted(Qualifier.ABOUT),
        )
    )
    return {
        row["stage"]: Bucket(
            row["stage"],
            stage_name(row["stage"]),
            row["n"],
            row["amount"] or Decimal(0),
            list_url(stage=row["stage"]),
            row["known"],
            from_counts(row["least"], row["about"]),
        )
        for row in rows
    }


def month_window(qs: QuerySet[Project], on: date) -> int:
    """Months to chart: the last MONTHS, stretched back to the first signing (at most 8 years)."""
    first = qs.filter(signed_on__isnull=False).order_by().aggregate(first=Min("signed_on"))["first"]
    if first is None:
        return MONTHS
    span = (on.year - first.year) * 12 + on.month - first.month + 1
    return max(MONTHS, min(span, MAX_MONTHS))


def month_buckets(qs: QuerySet[Project], on: date, months: int = MONTHS) -> list[Bucket]:
    """Signed projects per calendar month over the last `months` months, empty months included."""
    first = _month_start(on, months - 1)
    rows = (
        qs.filter(signed_on__gte=first, signed_on__lte=on)
        .order_by()
        .annotate(month=TruncMonth("signed_on"))
        .values("month")
        .annotate(
            n=Count("id"),
            amount=Sum("total_investment"),
            least=_counted(Qualifier.AT_LEAST),
            about=_counted(Qualifier.ABOUT),
        )
    )
    found = {(row["month"].year, row["month"].month): row for row in rows}
    buckets = []
    for back in range(months - 1, -1, -1):
        start = _month_start(on, back)
        end = _month_start(on, back - 1) - timedelta(days=1)
        row = found.get((start.year, start.month))
        buckets.append(
            Bucket(
                f"{start:%Y-%m}",
                f"{start.year}.{start.month:02d}",
                row["n"] if row else 0,
                (row["amount"] or Decimal(0)) if row else Decimal(0),
                list_url(
                    signed_from=start.isoformat(), signed_to=end.isoformat(), sort="-signed_on"
                ),
                qualifier=from_counts(row["least"], row["about"]) if row else Qualifier.EXACT,
            )
        )
    return buckets


def _month_start(on: date, back: int) -> date:
    year, month = divmod(on.year * 12 + on.month - 1 - back, 12)
    return date(year, month + 1, 1)


def sector_buckets(qs: QuerySet[Project]) -> list[Bucket]:
    rows = (
        qs.order_by()
        .values("sector")
        .annotate(
            n=Count("id"),
            amount=Sum("total_investment"),
            known=Count("total_investment"),
            least=_counted(Qualifier.AT_LEAST),
            about=_counted(Qualifier.ABOUT),
        )
        .order_by("-amount", "-n", "sector")
    )
    return [
        Bucket(
            row["sector"],
            row["sector"] or _("未分类"),
            row["n"],
            row["amount"] or Decimal(0),
            list_url(sector=row["sector"]) if row["sector"] else "",
            row["known"],
            from_counts(row["least"], row["about"]),
        )
        for row in rows
    ]


def park_buckets(qs: QuerySet[Project], limit: int = TOP_PARKS) -> list[Bucket]:
    rows = (
        qs.filter(park__isnull=False)
        .order_by()
        .values("park_id", "park__name", "park__short_name")
        .annotate(
            n=Count("id"),
            amount=Sum("total_investment"),
            known=Count("total_investment"),
            least=_counted(Qualifier.AT_LEAST),
            about=_counted(Qualifier.ABOUT),
        )
        .order_by("-amount", "-n", "park__name")[:limit]
    )
    return [
        Bucket(
            str(row["park_id"]),
            row["park__short_name"] or row["park__name"],
            row["n"],
            row["amount"] or Decimal(0),
            known=row["known"],
            qualifier=from_counts(row["least"], row["about"]),
        )
        for row in rows
    ]


def totals(qs: QuerySet[Project], summary: AgeingSummary, on: date) -> Totals:
    year_start = date(on.year, 1, 1)
    active = Q(stage__in=IN_LIBRARY)
    signed = Q(signed_on__gte=year_start, signed_on__lte=on)
    row = qs.order_by().aggregate(
        active=Count("id", filter=active),
        active_amount=Sum("total_investment", filter=active),
        signed=Count("id", filter=signed),
        signed_amount=Sum("total_investment", filter=signed),
    )
    funds = FundsInPlace.objects.filter(
        project__in=qs.order_by().values("pk"),
        received_on__gte=year_start,
        received_on__lte=on,
    ).aggregate(total=Sum("amount"))["total"]
    return Totals(
        row["active"],
        row["active_amount"] or Decimal(0),
        row["signed"],
        row["signed_amount"] or Decimal(0),
        funds or Decimal(0),
        summary.warned,
        Problem.objects.filter(overdue_q(on), project__in=qs.order_by().values("pk")).count(),
    )


# ---------------------------------------------------------------- attention list


@dataclass(frozen=True)
class Attention:
    project: Project
    colour: str | None
    overdue: int
    idle_days: int

    @property
    def reasons(self) -> list[str]:
        """Why the project is on the list, in words."""
        found = []
        if self.colour == "stalled":  # idle since its last real progress, not since the stall
            found.append(_("已停滞,%(idle)s未见进展") % {"idle": _duration(self.idle_days)})
        elif self.colour in {"yellow", "red", "removal"}:
            found.append(_("%(idle)s未见进展") % {"idle": _duration(self.idle_days)})
        if self.overdue:
            found.append(
                ngettext("%(n)s个节点逾期", "%(n)s个节点逾期", self.overdue) % {"n": self.overdue}
            )
        return found


def _duration(days: int) -> str:
    if days >= 30:
        months = days // 30
        return ngettext("%(n)s个月", "%(n)s个月", months) % {"n": months}
    return ngettext("%(n)s天", "%(n)s天", days) % {"n": days}


def attention_items(
    user: User, on: date, limit: int = ATTENTION_LIMIT
) -> tuple[list[Attention], int]:
    """The first `limit` projects needing the user's attention, and how many there are."""
    late = Q(milestones__done_on__isnull=True, milestones__due_on__lt=on)
    qs = attention_list(user)
    total = qs.count()
    rows = list(
        qs.select_related("park").annotate(overdue=Count("milestones", filter=late))[:limit]
    )
    colours = colours_of(rows, on)
    items = [
        Attention(
            p,
            _value(colours[p.pk]),
            p.overdue,
            (on - p.last_progress_on).days,
        )
        for p in rows
    ]
    return items, total


def _value(found: Colour | None) -> str | None:
    return found.value if found is not None else None


# ---------------------------------------------------------------- the whole page


@dataclass
class Dashboard:
    totals: Totals
    ageing: AgeingSummary
    stage_rows: list[Bucket]
    off_line: list[Bucket]
    attention: list[Attention]
    attention_total: int
    # The user's own overdue problems (as owner or coordinating leader), oldest deadline first.
    problems: list[Problem] = field(default_factory=list)
    problems_total: int = 0
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Sectors left out of the ring (no disclosed investment, or 0), listed beside it.
    sectors_off_ring: list[Bucket] = field(default_factory=list)
    # When the figures were computed, and whether a write has changed them since (shown while
    # they are recomputed, at most PARKLINK_DASHBOARD_STALE_SECONDS).
    computed_at: datetime | None = None
    stale: bool = False

    @property
    def library_url(self) -> str:
        """The project list of exactly the projects the 在库项目 figure counts."""
        return list_url(stage=IN_LIBRARY)

    @property
    def ageing_cards(self) -> list[tuple[str, str, int, str]]:
        """(colour, label, count, list url) for each ageing colour."""
        return [
            (
                c.value,
                colour_label(c.value),
                getattr(self.ageing, c.value),
                list_url(colour=c.value),
            )
            for c in Colour
        ]


def _empty_stage(stage: Stage) -> Bucket:
    return Bucket(stage.value, stage_name(stage.value), 0, Decimal(0), list_url(stage=stage.value))


def build(user: User) -> Dashboard:
    """Everything the home page shows, from the projects `user` may see.

    The figures are the same for everyone who sees the same projects, so they are computed
    once per organisation (and language and day) and kept in the cache until a write changes
    them (`figures`); the attention list is the user's own and always read afresh.
    """
    on = today()
    dashboard = replace(figures(user, on))
    (dashboard.attention, dashboard.attention_total), mine = _own_items(user, on)
    dashboard.problems_total = len(mine)
    dashboard.problems = mine[:ATTENTION_LIMIT]
    return dashboard


def _own_items(user: User, on: date) -> tuple[tuple[list[Attention], int], list[Problem]]:
    """The user's attention list and overdue problems, kept in the cache until the library
    changes (projects, milestones, problems and policies all move it on) or the user's own
    name or organisation, which choose their projects, does."""
    who = hashlib.sha256(f"{user.organization_id}|{user.display_name}|{user.username}".encode())
    key = f"projects:own:{queries.data_version()}:{user.pk}:{who.hexdigest()[:16]}:{on}"
    found = cache.get(key)
    if isinstance(found, tuple):
        return found
    attention = attention_items(user, on)
    # A user owns or coordinates few overdue problems: one query reads them all.
    mine = list(overdue_for(user, on))
    cache.set(key, (attention, mine), queries.cache_seconds())
    return attention, mine


def compute(user: User, on: date) -> Dashboard:
    """The figures of the projects `user` may see, from the database (no attention list)."""
    qs = visible_projects(user)
    stages = stage_buckets(qs)
    summary = ageing_summary(user)
    dashboard = Dashboard(
        totals=totals(qs, summary, on),
        ageing=summary,
        stage_rows=[stages.get(s.value) or _empty_stage(s) for s in PIPELINE],
        off_line=[
            stages.get(s.value) or _empty_stage(s) for s in (Stage.STALLED, Stage.TERMINATED)
        ],
        attention=[],
        attention_total=0,
    )
    sectors = sector_buckets(qs)
    dashboard.sectors_off_ring = [b for b in sectors if not in_ring(b)]
    months = month_buckets(qs, on, month_window(qs, on))
    dashboard.totals = qualified(dashboard.totals, stages, months, on)
    dashboard.charts = {
        "funnel": funnel_options(stages),
        "monthly": monthly_options(months),
        "sectors": sector_options(sectors),
        "parks": park_options(park_buckets(qs)),
        "ageing": ageing_options(summary),
    }
    return dashboard


# ---------------------------------------------------------------- the cache and its invalidation


@dataclass(frozen=True)
class Snapshot:
    """A scope's figures as computed at one version of the library, and when."""

    version: int
    computed_at: datetime
    dashboard: Dashboard


def _key(user: User, language: str, on: date) -> str:
    # One scope (organisation) sees the same figures: a user never gets figures computed for
    # a scope other than their own, fresh or stale.
    return ":".join(
        ("projects:dashboard", queries.visibility_scope(user), language, on.isoformat())
    )


def figures(user: User, on: date) -> Dashboard:
    """The figures for `user` from the cache, computed and kept when missing.

    After a write the figures from before it are shown (with the time they were computed)
    while exactly one background task recomputes them (`refresh`), for at most
    PARKLINK_DASHBOARD_STALE_SECONDS after the write; later, or without figures to show, the
    request computes them itself.
    """
    language = get_language() or ""
    key = _key(user, language, on)
    version = queries.data_version()
    found = cache.get(key)
    if isinstance(found, Snapshot):
        if found.version == version:
            return _shown(found, stale=False)
        if _servable(found):
            _refresh_later(user, language, on, key)
            # A task run at once (the tests' backend) has left the new figures already.
            fresh = cache.get(key)
            if isinstance(fresh, Snapshot) and fresh.version == version:
                return _shown(fresh, stale=False)
            return _shown(found, stale=True)
    return _shown(store(user, language, on), stale=False)


def store(user: User, language: str, on: date) -> Snapshot:
    """Compute the figures of `user`'s scope at the current version and keep them."""
    version = queries.data_version()  # read first: a write while computing makes them stale
    snapshot = Snapshot(version, timezone.now(), compute(user, on))
    cache.set(_key(user, language, on), snapshot, queries.cache_seconds())
    return snapshot


def refresh(user: User, language: str, on: date) -> None:
    """The background recomputation (tasks.refresh_dashboard): new figures, then the lock freed."""
    try:
        with override(language or None):
            store(user, language, on)
    finally:
        cache.delete(_key(user, language, on) + ":lock")


def _servable(snapshot: Snapshot) -> bool:
    """Whether figures from before a write may still be shown: the write is recent enough."""
    since = queries.changed_since(snapshot.version)
    return since is not None and time.time() - since <= queries.stale_seconds()


def _refresh_later(user: User, language: str, on: date, key: str) -> None:
    """Queue one recomputation of the scope's figures, unless one is already queued or running."""
    lock = key + ":lock"
    # Held until the task ends; a task that never ends (no worker) frees it after the bound,
    # when requests compute the figures themselves anyway.
    if not cache.add(lock, 1, max(queries.stale_seconds(), 10)):
        return
    from parklink.projects.tasks import refresh_dashboard

    try:
        refresh_dashboard.enqueue(user.pk, language, on.isoformat())
    except Exception:
        cache.delete(lock)
        raise


def _shown(snapshot: Snapshot, *, stale: bool) -> Dashboard:
    return replace(snapshot.dashboard, computed_at=snapshot.computed_at, stale=stale)


def connect_invalidation() -> None:
    """Every model whose rows the figures and the list's cached results read says so when it
    is saved or deleted."""
    from parklink.accounts.models import Organization
    from parklink.enterprises.models import Enterprise
    from parklink.parks.models import Park
    from parklink.projects.models import (
        AgeingPolicy,
        Approval,
        Milestone,
        ProgressEntry,
        ProjectTag,
        StageTransition,
    )

    # Approvals and milestones move a project's last progress (services.progress), which the
    # ageing colours read; organisations and parks change who sees what and the parks' names.
    watched = (
        Project,
        StageTransition,
        FundsInPlace,
        Milestone,
        Approval,
        AgeingPolicy,
        Organization,
        Park,
        ProgressEntry,  # moves the last progress
        Problem,  # the overdue problems figure
        # The list's rows show the investor's name and the tags (projects.views._results).
        Enterprise,
        ProjectTag,
    )
    for model in watched:
        uid = f"projects.dashboard.{model._meta.label_lower}"
        post_save.connect(queries.changed, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(queries.changed, sender=model, dispatch_uid=uid + ".delete")
    m2m_changed.connect(
        queries.changed, sender=Project.tags.through, dispatch_uid="projects.dashboard.tags"
    )


# The app registers this module's cards while Django starts (apps.py), so connecting here
# happens once per process, before any request.
connect_invalidation()


# ---------------------------------------------------------------- the cards (registered in apps.py)


def card_context(request: HttpRequest) -> dict[str, Any]:
    """The projects' card on the home page: the figures of `build` and the day they count to."""
    return {
        "board": build(cast(User, request.user)),
        "today": today(),
        # A configured day (PARKLINK_TODAY: the demo's data date) is said on the page.
        "as_of": settings.PARKLINK_TODAY,
    }


def actions_context(request: HttpRequest) -> dict[str, Any]:
    """The header buttons (项目库, 新建项目) need only the page's `user`."""
    return {}
