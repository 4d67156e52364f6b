"""The exchange-rate table (元 per US$ by month): installation administrators write it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.core.errors import Forbidden, Invalid
from parklink.kpi.engine import fx, periods
from parklink.kpi.models import ExchangeRate


def can_edit(user: User) -> bool:
    return bool(user.is_superuser or user.is_staff)


def set_rate(
    user: User, month: str, rate: Any, source: str, illustrative: bool = False
) -> ExchangeRate:
    """Create or replace a month's rate; every problem is named by its field."""
    if not can_edit(user):
        raise Forbidden(_("只有系统管理员可以录入汇率"))
    errors: dict[str, str] = {}
    label = ""
    try:
        parsed = periods.parse(month.strip())
        if parsed.kind != "month":
            raise ValueError(month)
        label = parsed.label
    except ValueError:
        errors["month"] = _("月份格式应为 2025-03")
    try:
        value = Decimal(str(rate).strip())
    except (InvalidOperation, ValueError):
        errors["rate"] = _("汇率应为数字,如 7.1884")
    else:
        problem = fx.check_rate(value)
        if problem == "range":
            errors["rate"] = _("汇率应为大于0的数(每1美元兑人民币元数,如 7.1884)")
        elif problem == "places":
            errors["rate"] = _("汇率最多保留6位小数")
    if not source.strip():
        errors["source"] = _("请注明汇率来源(如 中国人民银行公布的月平均汇率)")
    if errors:
        raise Invalid(next(iter(errors.values())), detail=errors)
    found, _created = ExchangeRate.objects.update_or_create(
        month=label,
        defaults={
            "rate": value,
            "source": source.strip()[:255],
            "illustrative": illustrative,
            "entered_by": user,
        },
    )
    return found
