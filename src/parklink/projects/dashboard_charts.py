"""The dashboard's ECharts options, built from plain buckets (projects/dashboard.py fills them).

User text (sector and park names, stage labels) reaches a formatter only through
`core.charts` (`label_text`, `tooltip_html`); see that module for why.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parklink.core.charts import MUTED, Markup, html_text, label_text, text_on, tooltip_html
from parklink.core.money import YI
from parklink.projects.amounts import Qualifier, combine, prefix
from parklink.projects.lifecycle import PIPELINE
from parklink.projects.models import ProjectStage
from parklink.projects.services import AgeingSummary

MONTHS = 24
TOP_SECTORS = 8
# Ageing colours as the charts draw them (the badges use the same hues in app.css).
COLOUR_HEX = {
    "green": "#2ea043",
    "yellow": "#d4a72c",
    "red": "#cf222e",
    "removal": "#3d2b2b",
    "stalled": "#6e7781",
}
# The pipeline's bands, from the first contact (light) to production (deep blue).
FUNNEL_BLUES = (
    "#9ec5f8",
    "#84b4f3",
    "#6aa3ee",
    "#5092e6",
    "#2e74d2",  # from here on white labels; lighter bands take dark ones (4.5:1 either way)
    "#286fcc",
    "#1d5fb8",
    "#174f9e",
    "#123f82",
)


def yi(amount: Decimal | None) -> float:
    """元 → 亿元 as a float rounded for a chart (charts never feed back into sums)."""
    return round(float((amount or Decimal(0)) / YI), 2)


def list_url(**params: Any) -> str:
    """The project list filtered by `params` (lists become repeated parameters)."""
    return reverse("projects:list") + "?" + urlencode(params, doseq=True)


def colour_label(value: str) -> str:
    return {
        "green": _("绿"),
        "yellow": _("黄"),
        "red": _("红"),
        "removal": _("建议出库"),
        "stalled": _("停滞"),
    }[value]


def stage_name(code: str) -> str:
    return str(ProjectStage(code).label)


@dataclass(frozen=True)
class Bucket:
    """One group of projects: how many and how much total investment (元)."""

    key: str
    label: str
    count: int
    amount: Decimal
    url: str = ""
    known: int | None = None  # how many of `count` state their investment (None: not counted)
    # The sum's qualifier: at least (超) when one of its figures is a lower bound, about (约)
    # when one is an estimate (projects.amounts.combine).
    qualifier: str = Qualifier.EXACT

    @property
    def word(self) -> str:
        """超 / 约 (over / about) before the sum in the active language; '' for an exact sum."""
        return prefix(self.qualifier, get_language() or "zh")

    @property
    def undisclosed(self) -> int:
        return 0 if self.known is None else self.count - self.known


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
            "amount": (bucket.word if bucket else "") + f"{yi(amount):,.2f}",
        }
        data.append(
            {
                "name": stage_name(stage.value),
                "value": count,
                "amount": yi(amount),
                "url": list_url(stage=stage.value),
                "label": {"formatter": label_text(label), "color": text_on(blue)},
                "tooltip": {"formatter": tooltip_html(tip)},
                "itemStyle": {"color": blue},
            }
        )
    return {
        "title": empty_title(not any(b.count for b in buckets.values())),
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


def empty_title(empty: bool) -> dict[str, Any]:
    """The title every dashboard chart shows, centred, when it has nothing to draw."""
    return {
        "show": empty,
        "text": _("暂无数据"),
        "left": "center",
        "top": "middle",
        "textStyle": {"color": MUTED, "fontWeight": "normal", "fontSize": 14},
    }


def monthly_options(buckets: list[Bucket]) -> dict[str, Any]:
    """Signed investment per month (bars, 亿元) with the number of signings (line)."""
    empty = not any(b.count for b in buckets)
    return {
        "title": empty_title(empty),
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
        "series": monthly_series(buckets),
    }


def monthly_series(buckets: list[Bucket]) -> list[dict[str, Any]]:
    """The bars (signed investment, 亿元, each opening that month's list) and the count line."""
    return [
        {
            "type": "bar",
            "name": _("签约额(亿元)"),
            "barMaxWidth": 22,
            "itemStyle": {"borderRadius": [3, 3, 0, 0]},
            "data": [{"value": yi(b.amount), "url": b.url} for b in buckets],
            # The tooltip's figure of each month (charts.js): 超12.5亿元 when the month's sum
            # holds a lower bound, 约 when it holds an estimate.
            "valueTexts": [month_text(b) for b in buckets],
        },
        {
            "type": "line",
            "name": _("签约项目数"),
            "yAxisIndex": 1,
            "symbolSize": 5,
            "data": [b.count for b in buckets],
        },
    ]


def month_text(bucket: Bucket) -> str:
    """A month's signed investment as its bar's tooltip says it: 超12.5亿元, 约3亿元, 8亿元."""
    amount = f"{yi(bucket.amount):,.2f}".rstrip("0").rstrip(".")
    # Translators: a month's signed investment in the chart's tooltip; word is 超/约 or empty.
    return _("%(word)s%(amount)s亿元") % {"word": bucket.word, "amount": amount}


def in_ring(bucket: Bucket) -> bool:
    """A sector with investment to draw: undisclosed and zero sectors stay out of the ring.

    (A 0 slice would still take the hover and the click from its neighbours.)
    """
    return bucket.amount > 0


def sector_options(buckets: list[Bucket], top: int = TOP_SECTORS) -> dict[str, Any]:
    """Total investment by sector as a ring; the smallest sectors fold into 其他.

    Sectors without a disclosed amount above 0 are left out (the card lists them beside the
    ring); with none left the ring says 暂无数据.
    """
    buckets = [b for b in buckets if in_ring(b)]
    shown, rest = buckets[:top], buckets[top:]
    data: list[dict[str, Any]] = [
        {
            "name": b.label,
            "value": yi(b.amount),
            "count": b.count,
            **({"url": list_url(sector=b.key)} if b.key else {}),
            **_ring_tip(b.qualifier),
        }
        for b in shown
    ]
    if rest:
        data.append(
            {
                "name": _("其他"),
                "value": yi(sum((b.amount for b in rest), Decimal(0))),
                "count": sum(b.count for b in rest),
                **_ring_tip(combine(b.qualifier for b in rest)),
            }
        )
    return {
        "title": empty_title(not data),
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


def _ring_tip(qualifier: str) -> dict[str, Any]:
    """A sector's own tooltip when its sum is a bound or an estimate: 超{c}亿元 / 约{c}亿元."""
    word = prefix(qualifier, get_language() or "zh")
    if not word:
        return {}
    template = str(_("{b}<br/>{c}亿元({d}%)"))
    return {"tooltip": {"formatter": Markup(template.replace("{c}", html_text(word) + "{c}"))}}


def park_options(buckets: list[Bucket]) -> dict[str, Any]:
    """Total investment by park, largest at the top; 未披露 where no project states it."""
    ordered = list(reversed(buckets))
    return {
        "title": empty_title(not ordered),
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
                        "label": {"formatter": label_text(park_label(b))},
                    }
                    for b in ordered
                ],
            }
        ],
    }


def park_label(bucket: Bucket) -> str:
    """12.00亿元 · 3个; 未披露 · 8个 when none of the park's projects states its amount."""
    if bucket.count and bucket.known == 0:
        return _("未披露 · %(count)s个") % {"count": bucket.count}
    return _("%(amount)s亿元 · %(count)s个") % {
        "amount": bucket.word + f"{yi(bucket.amount):,.2f}",
        "count": bucket.count,
    }


def ageing_options(summary: AgeingSummary) -> dict[str, Any]:
    """The four ageing colours and the stalled standing as bars in their own colour."""
    counts = {
        "green": summary.green,
        "yellow": summary.yellow,
        "red": summary.red,
        "removal": summary.removal,
        "stalled": summary.stalled,
    }
    return {
        "title": empty_title(not any(counts.values())),
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 8, "containLabel": True},
        # Every category is labelled (ECharts would hide a long one, such as English "Propose
        # removal", where labels touch on a narrow card): a label wraps within its bar's width.
        "xAxis": {
            "type": "category",
            "data": [colour_label(c) for c in counts],
            "axisLabel": {"interval": 0, "hideOverlap": False, "width": 56, "overflow": "break"},
        },
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
