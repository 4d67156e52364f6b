"""What a project's fields may hold: the editable names, amounts and column fit."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from parklink.core.errors import Invalid
from parklink.core.money import FEN
from parklink.projects.models import Project

EDITABLE_FIELDS = (
    "name",
    "code_name",
    "park",
    "region",
    "investor",
    "sector",
    "industry_code",
    "description",
    "total_investment",
    "total_investment_qualifier",
    "phase_investment",
    "phase_investment_qualifier",
    "capital_origin",
    "expected_annual_revenue",
    "expected_annual_tax",
    "jobs",
    "land_area_mu",
    "floor_area_m2",
    "remarks",
    "maturity",
    "lead_source",
    "lead_source_detail",
    "responsible_leader",
    "leader_user",
    "task_force",
    "mechanism",
    "longitude",
    "latitude",
    "contract_start_date",
    "contract_production_date",
)
# Money fields, held in 元 (entered as 万元/亿元 at the edges).
AMOUNT_FIELDS = (
    "total_investment",
    "phase_investment",
    "expected_annual_revenue",
    "expected_annual_tax",
)
# Each investment amount and the field holding its qualifier (exact / at least / about).
QUALIFIER_FIELDS = {
    "total_investment": "total_investment_qualifier",
    "phase_investment": "phase_investment_qualifier",
}
# Text and choice fields: stored as "" when empty, never NULL.
TEXT_FIELDS = tuple(
    name
    for name in EDITABLE_FIELDS
    if isinstance(Project._meta.get_field(name), models.CharField | models.TextField)
)
# Amount columns hold 18 digits with 2 decimals; below this they also read back from SQLite.
AMOUNT_LIMIT = Decimal(10) ** 15


def amount_problem(amount: Any) -> str | None:
    """Why an amount in 元 cannot be stored, or None (shared by projects and funds)."""
    value = Decimal(amount)
    if not value.is_finite():
        return _("金额不是有效数字")
    if value < 0:
        return _("金额不能为负数")
    # Checked before rounding (quantize cannot round a number wider than its context);
    # SQLite keeps about 15 significant digits, so larger amounts would not read back.
    if value >= AMOUNT_LIMIT:
        return _("金额过大")
    if value != value.quantize(FEN):
        return _("金额最多精确到分")
    return None


def check_amounts(values: dict[str, Any]) -> dict[str, str]:
    """Field → problem for amounts that cannot be right (shared by forms, API and imports)."""
    problems: dict[str, str] = {}
    for name in AMOUNT_FIELDS:
        amount = values.get(name)
        problem = amount_problem(amount) if amount is not None else None
        if problem:
            problems[name] = problem
    total, phase = values.get("total_investment"), values.get("phase_investment")
    if (
        total is not None
        and phase is not None
        and not problems.keys() & {"total_investment", "phase_investment"}
        and Decimal(phase) > Decimal(total)
    ):
        problems["phase_investment"] = _("一期投资不能大于总投资")
    return problems


def field_problems(record: models.Model, names: Iterable[str]) -> dict[str, str]:
    """Field → problem for values that do not fit their column (length, digits, choices).

    Only `names` are checked; relations are left out (they are resolved records already).
    """
    wanted = set(names)
    exclude = [f.name for f in record._meta.fields if f.name not in wanted or f.is_relation]
    try:
        record.clean_fields(exclude=exclude)
    except ValidationError as exc:
        return {name: " ".join(messages) for name, messages in exc.message_dict.items()}
    return {}


def refuse_unfit(record: models.Model, names: Iterable[str]) -> None:
    problems = field_problems(record, names)
    if problems:
        raise Invalid(_("填写的内容有误"), detail=problems)
