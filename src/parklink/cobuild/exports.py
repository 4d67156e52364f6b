"""A party's statement as a file: .xlsx (every cell through core.xlsx), CSV or JSON."""

from __future__ import annotations

import io
import json
from typing import Any

from django.utils.translation import gettext as _

from parklink.cobuild.models import HEADCOUNT_INDICATORS, Indicator
from parklink.cobuild.services.statements import Statement
from parklink.core import xlsx

FORMATS = ("xlsx", "csv", "json")
# Printed, in both languages, on every statement whose run read illustrative rules or figures.
ILLUSTRATIVE = "示例数据 / illustrative"


def yuan(amount: int, indicator: str) -> str:
    """Fen as 元 with two places (exact, from the integer); persons as they are."""
    if indicator in HEADCOUNT_INDICATORS:
        return str(amount)
    sign = "-" if amount < 0 else ""
    whole, fen = divmod(abs(amount), 100)
    return f"{sign}{whole}.{fen:02d}"


def _rows(found: Statement) -> list[list[Any]]:
    labels = dict(Indicator.choices)
    rows: list[list[Any]] = [
        [_("企业"), _("统一社会信用代码"), _("指标"), _("数额(分或人)"), _("数额(元或人)")]
    ]
    for row in found.by_enterprise:
        code = row["indicator"]
        rows.append(
            [
                row["name"],
                row["uscc"],
                str(labels.get(code, code)),
                row["amount"],
                yuan(row["amount"], code),
            ]
        )
    return rows


def render(found: Statement, fmt: str) -> bytes:
    document = found.as_json()
    illustrative = bool(document["run"]["illustrative"])
    if fmt == "json":
        if illustrative:
            document["notice"] = ILLUSTRATIVE
        return json.dumps(document, ensure_ascii=False, indent=2).encode()
    notice = [[ILLUSTRATIVE]] if illustrative else []
    if fmt == "csv":
        return xlsx.csv_bytes([*notice, *_rows(found)])
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("按企业"))
    for row in [*notice, *_rows(found)]:
        xlsx.append(sheet, row)
    totals = book.create_sheet(_("按指标"))
    for row in notice:
        xlsx.append(totals, row)
    xlsx.append(totals, [_("指标"), _("数额(分或人)"), _("数额(元或人)"), _("分账条数")])
    for total in found.by_indicator:
        code = total["indicator"]
        xlsx.append(
            totals,
            [total["label"], total["amount"], yuan(total["amount"], code), total["allocations"]],
        )
    info = book.create_sheet(_("说明"))
    for label, value in (
        (_("协议"), found.agreement.title),
        (_("结算期"), found.run.period_label),
        (_("协议方"), found.party.organization.name),
        (_("结算状态"), found.run.get_status_display()),
        (_("版本"), found.run.version.number),
        *([(_("数据性质"), ILLUSTRATIVE)] if illustrative else []),
    ):
        xlsx.append(info, [str(label), str(value) if not isinstance(value, int) else value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
