"""The home dashboard: database aggregates over the projects a user may see, as ECharts options."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.core.charts import label_text, tooltip_html
from parklink.projects.ageing import Colour
from parklink.projects.lifecycle import FINAL, PIPELINE, Stage
from parklink.projects.models import FundsInPlace, Project, ProjectStage
from parklink.projects.queries import today, visible_projects
from parklink.projects.services import (
    AgeingSummary,
    ageing_summary,
    attention_list,
    colours_of,
)

YI = Decimal(100_000_000)
MONTHS = 24
MAX_MONTHS = 96
TOP_SECTORS = 8
TOP_PARKS = 12
ATTENTION_LIMIT = 10
# Ageing colours as the charts draw them (the badges use the same hues in app.css).
COLOUR_HEX = {"green": "#2ea043", "yellow": "#d4a72c", "red": "#cf222e", "removal": "#3d2b2b"}
# The pipeline's bands, from the first contact (light) to production (deep blue).
FUNNEL_BLUES = (
    "#9ec5f8",
    "#84b4f3",
    "#6aa3ee",
    "#5092e6",
    "#3a80db",
    "#286fcc",
    "#1d5fb8",
    "#174f9e",
    "#123f82",
)
# Projects still in the library: every stage but full production and termination (stalled too).
IN_LIBRARY = [s.value for s in Stage if s not in FINAL]


def yi(amount: Decimal | None) -> float:
    """元 → 亿元 as a float rounded for a chart (charts never feed back into sums)."""
    return round(float((amount or Decimal(0)) / YI), 2)


def list_url(**params: Any) -> str:
    """The project list filtered by `params` (lists become repeated parameters)."""
    return reverse("projects:list") + "?" + urlencode(params, doseq=True)


def colour_label(value: str) -> str:
    return {"green": _("绿"), "yellow": _("黄"), "red": _("红"), "removal": _("建议出库")}[value]


def stage_name(code: str) -> str:
    return str(ProjectStage(code).label)


# ---------------------------------------------------------------- aggregates


@dataclass(frozen=True)
class Bucket:
    """One group of projects: how many and how much total investment (元)."""

    key: str
    label: str
    count: int
    amount: Decimal
    url: str = ""
    known: int | None = None  # how many of `count` state their investment (None: not counted)

    @property
    def undisclosed(self) -> int:
        return 0 if self.known is None else self.count - self.known


@dataclass(frozen=True)
class Totals:
    active: int
    active_amount: Decimal
    signed_this_year: int
    signed_amount_this_year: Decimal
    funds_this_year: Decimal
    warned: int


def stage_buckets(qs: QuerySet[Project]) -> dict[str, Bucket]:
    rows = (
        qs.order_by()
        .values("stage")
        .annotate(n=Count("id"), amount=Sum("total_investment"), known=Count("total_investment"))
    )
    return {
        row["stage"]: Bucket(
            row["stage"],
            stage_name(row["stage"]),
            row["n"],
            row["amount"] or Decimal(0),
            list_url(stage=row["stage"]),
            row["known"],
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
        .annotate(n=Count("id"), amount=Sum("total_investment"))
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
        .annotate(n=Count("id"), amount=Sum("total_investment"))
        .order_by("-amount", "-n", "sector")
    )
    return [
        Bucket(row["sector"], row["sector"] or _("未分类"), row["n"], row["amount"] or Decimal(0))
        for row in rows
    ]


def park_buckets(qs: QuerySet[Project], limit: int = TOP_PARKS) -> list[Bucket]:
    rows = (
        qs.filter(park__isnull=False)
        .order_by()
        .values("park_id", "park__name", "park__short_name")
        .annotate(n=Count("id"), amount=Sum("total_investment"))
        .order_by("-amount", "-n", "park__name")[:limit]
    )
    return [
        Bucket(
            str(row["park_id"]),
            row["park__short_name"] or row["park__name"],
            row["n"],
            row["amount"] or Decimal(0),
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
        summary.yellow + summary.red + summary.removal,
    )


# ---------------------------------------------------------------- chart options


def funnel_options(buckets: dict[str, Bucket]) -> dict[str, Any]:
    """The pipeline, one band per main-line stage in order, width by project count."""
    data = []
    for stage, blue in zip(PIPELINE, FUNNEL_BLUES, strict=True):
        bucket = buckets.get(stage.value)
        count = bucket.count if bucket else 0
        amount = bucket.amount if bucket else Decimal(0)
        label = _("%(stage)s %(count)s个") % {"stage": stage_name(stage.value), "count": count}
        tip = _("%(stage)s:%(count)s个项目,总投资%(amount)s亿元") % {
            "stage": stage_name(stage.value),
            "count": count,
            "amount": f"{yi(amount):,.2f}",
        }
        data.append(
            {
                "name": stage_name(stage.value),
                "value": count,
                "amount": yi(amount),
                "url": list_url(stage=stage.value),
                "label": {"formatter": label_text(label)},
                "tooltip": {"formatter": tooltip_html(tip)},
                "itemStyle": {"color": blue},
            }
        )
    return {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "funnel",
                "name": _("项目漏斗"),
                "sort": "none",
                "left": "8%",
                "width": "84%",
                "top": 8,
                "bottom": 8,
                "minSize": "30%",
                "maxSize": "100%",
                "gap": 2,
                "label": {"show": True, "position": "inside", "color": "#fff", "fontSize": 12},
                "itemStyle": {"borderColor": "#fff", "borderWidth": 1},
                "emphasis": {"label": {"fontSize": 13, "fontWeight": "bold"}},
                "data": data,
            }
        ],
    }


def zoom_start(buckets: list[Bucket]) -> int:
    """First month shown: the last two years, or earlier so the latest signing is in view."""
    start = max(0, len(buckets) - MONTHS)
    signed = [index for index, bucket in enumerate(buckets) if bucket.count]
    return min(start, max(0, signed[-1] - 1)) if signed else start


def monthly_options(buckets: list[Bucket]) -> dict[str, Any]:
    """Signed investment per month (bars, 亿元) with the number of signings (line)."""
    empty = not any(b.count for b in buckets)
    return {
        "title": {
            "show": empty,
            "text": _("这段时间没有签约项目"),
            "left": "center",
            "top": "middle",
            "textStyle": {"color": "#8a939e", "fontWeight": "normal"},
        },
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "left": "center", "data": [_("签约额(亿元)"), _("签约项目数")]},
        "grid": {
            "left": 48,
            "right": 40,
            "top": 34,
            "bottom": 28 if len(buckets) <= MONTHS else 56,
        },
        # A long window opens on its last two years (or on the latest signing, if older);
        # the slider reaches back to the first signing.
        "dataZoom": (
            [
                {"type": "slider", "startValue": zoom_start(buckets), "height": 18, "bottom": 6},
                {"type": "inside"},
            ]
            if len(buckets) > MONTHS
            else []
        ),
        "xAxis": {
            "type": "category",
            "data": [b.label for b in buckets],
            "axisLabel": {"interval": 2},
        },
        "yAxis": [
            {"type": "value", "name": _("亿元"), "nameGap": 8},
            {
                "type": "value",
                "name": _("个"),
                "nameGap": 8,
                "minInterval": 1,
                "splitLine": {"show": False},
            },
        ],
        "series": [
            {
                "type": "bar",
                "name": _("签约额(亿元)"),
                "barMaxWidth": 22,
                "itemStyle": {"borderRadius": [3, 3, 0, 0]},
                "data": [{"value": yi(b.amount), "url": b.url} for b in buckets],
            },
            {
                "type": "line",
                "name": _("签约项目数"),
                "yAxisIndex": 1,
                "symbolSize": 5,
                "data": [b.count for b in buckets],
            },
        ],
    }


def sector_options(buckets: list[Bucket], top: int = TOP_SECTORS) -> dict[str, Any]:
    """Total investment by sector as a ring; the smallest sectors fold into 其他."""
    shown, rest = buckets[:top], buckets[top:]
    data: list[dict[str, Any]] = [
        {
            "name": b.label,
            "value": yi(b.amount),
            "count": b.count,
            **({"url": list_url(sector=b.key)} if b.key else {}),
        }
        for b in shown
    ]
    if rest:
        data.append(
            {
                "name": _("其他"),
                "value": yi(sum((b.amount for b in rest), Decimal(0))),
                "count": sum(b.count for b in rest),
            }
        )
    return {
        "tooltip": {"trigger": "item", "formatter": _("{b}<br/>{c}亿元({d}%)")},
        "legend": {"type": "scroll", "orient": "vertical", "right": 0, "top": "middle"},
        "series": [
            {
                "type": "pie",
                "name": _("产业领域"),
                "radius": ["42%", "72%"],
                "center": ["36%", "50%"],
                "avoidLabelOverlap": True,
                "itemStyle": {"borderColor": "#fff", "borderWidth": 2},
                "label": {"formatter": "{d}%"},
                "minShowLabelAngle": 6,
                "data": data,
            }
        ],
    }


def park_options(buckets: list[Bucket]) -> dict[str, Any]:
    """Total investment by park, largest at the top."""
    ordered = list(reversed(buckets))
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 110, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "name": _("亿元")},
        "yAxis": {
            "type": "category",
            "data": [b.label for b in ordered],
            "axisLabel": {"width": 120, "overflow": "truncate"},
        },
        "series": [
            {
                "type": "bar",
                "name": _("总投资(亿元)"),
                "barMaxWidth": 18,
                "itemStyle": {"borderRadius": [0, 3, 3, 0]},
                "label": {"show": True, "position": "right"},
                "data": [
                    {
                        "value": yi(b.amount),
                        "count": b.count,
                        "url": list_url(park=b.key),
                        "label": {
                            "formatter": label_text(
                                _("%(amount)s亿元 · %(count)s个")
                                % {"amount": f"{yi(b.amount):,.2f}", "count": b.count}
                            )
                        },
                    }
                    for b in ordered
                ],
            }
        ],
    }


def ageing_options(summary: AgeingSummary) -> dict[str, Any]:
    """The four ageing colours as bars in their own colour."""
    counts = {
        "green": summary.green,
        "yellow": summary.yellow,
        "red": summary.red,
        "removal": summary.removal,
    }
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": [colour_label(c) for c in counts]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "type": "bar",
                "name": _("项目数"),
                "barMaxWidth": 36,
                "label": {"show": True, "position": "top"},
                "data": [
                    {
                        "value": n,
                        "url": list_url(colour=c),
                        "itemStyle": {"color": COLOUR_HEX[c], "borderRadius": [3, 3, 0, 0]},
                    }
                    for c, n in counts.items()
                ],
            }
        ],
    }


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
        if self.colour in {"yellow", "red", "removal"}:
            found.append(_("%(idle)s未见进展") % {"idle": _duration(self.idle_days)})
        if self.overdue:
            found.append(_("%(n)s个节点逾期") % {"n": self.overdue})
        return found


def _duration(days: int) -> str:
    if days >= 30:
        return _("%(n)s个月") % {"n": days // 30}
    return _("%(n)s天") % {"n": days}


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
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)

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
    """Everything the home page shows, from the projects `user` may see."""
    on = today()
    qs = visible_projects(user)
    stages = stage_buckets(qs)
    summary = ageing_summary(user)
    attention, attention_total = attention_items(user, on)
    dashboard = Dashboard(
        totals=totals(qs, summary, on),
        ageing=summary,
        stage_rows=[stages.get(s.value) or _empty_stage(s) for s in PIPELINE],
        off_line=[
            stages.get(s.value) or _empty_stage(s) for s in (Stage.STALLED, Stage.TERMINATED)
        ],
        attention=attention,
        attention_total=attention_total,
    )
    dashboard.charts = {
        "funnel": funnel_options(stages),
        "monthly": monthly_options(month_buckets(qs, on, month_window(qs, on))),
        "sectors": sector_options(sector_buckets(qs)),
        "parks": park_options(park_buckets(qs)),
        "ageing": ageing_options(summary),
    }
    return dashboard
