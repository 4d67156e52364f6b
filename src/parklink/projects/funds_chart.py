"""ECharts options for a project's funds in place against its total investment, from plain data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from parklink.core.money import UNITS


@dataclass(frozen=True)
class FundsPoint:
    received_on: date
    amount: Decimal  # 元


def funds_unit(total: Decimal | None, received: Decimal) -> str:
    """亿元 when the larger of the target and the money received reaches 1亿, else 万元."""
    largest = max(total or Decimal(0), received)
    return "亿元" if largest >= UNITS["亿元"] else "万元"


def funds_ratio(total: Decimal | None, received: Decimal) -> Decimal | None:
    """Share of the total investment in place (None without a total)."""
    if not total:
        return None
    return received / total


def funds_options(points: Sequence[FundsPoint], total: Decimal | None) -> dict[str, Any]:
    """Each entry as a bar, the running sum as a line, the total investment as a marked line."""
    received = sum((p.amount for p in points), Decimal(0))
    unit = funds_unit(total, received)
    scale = UNITS[unit]

    def shown(amount: Decimal) -> float:
        return round(float(amount / scale), 2)

    running = Decimal(0)
    cumulative = []
    for point in points:
        running += point.amount
        cumulative.append(shown(running))
    cumulative_series: dict[str, Any] = {
        "type": "line",
        "name": _("累计到位(%(unit)s)") % {"unit": unit},
        "step": "end",
        "symbolSize": 6,
        "data": cumulative,
        "areaStyle": {"opacity": 0.08},
    }
    if total:
        cumulative_series["markLine"] = {
            "symbol": "none",
            "lineStyle": {"type": "dashed", "color": "#cf222e"},
            "label": {
                "formatter": _("总投资 {c}%(unit)s") % {"unit": unit},
                "position": "insideEndTop",
            },
            "data": [{"yAxis": shown(total)}],
        }
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "left": "center"},
        "grid": {"left": 56, "right": 24, "top": 36, "bottom": 28},
        "xAxis": {"type": "category", "data": [f"{p.received_on:%Y-%m-%d}" for p in points]},
        "yAxis": {
            "type": "value",
            "name": unit,
            "nameGap": 10,
            "max": shown(max(total or Decimal(0), received)) or None,
        },
        "series": [
            {
                "type": "bar",
                "name": _("本次到位(%(unit)s)") % {"unit": unit},
                "barMaxWidth": 28,
                "itemStyle": {"borderRadius": [3, 3, 0, 0]},
                "data": [shown(p.amount) for p in points],
            },
            cumulative_series,
        ],
    }
