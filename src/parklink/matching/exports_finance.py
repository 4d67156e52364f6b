"""Financing needs and their matched products as an .xlsx workbook (every cell through
core.xlsx). Only the needs the user may see, and for a bank's staff only their bank's matches."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from parklink.core import xlsx
from parklink.matching.services import finance

STATES = {"met": "满足", "not_met": "不满足", "unknown": "待核实"}


def needs_workbook(user: Any) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("融资需求与匹配"))
    xlsx.append(
        sheet,
        [
            _("需求编号"),
            _("企业"),
            _("融资金额(元)"),
            _("期限(月)"),
            _("用途"),
            _("状态"),
            _("名次"),
            _("银行"),
            _("产品"),
            _("匹配度"),
            _("理由"),
            _("条件核对"),
            _("放款金额(元)"),
            _("示例数据"),
        ],
    )
    needs = finance.visible_needs(user).select_related("enterprise").order_by("pk")
    matches: dict[int, list[Any]] = {}
    for m in finance.visible_matches(user).select_related("product__bank").order_by("rank"):
        matches.setdefault(m.need_id, []).append(m)
    for need in needs:
        rows = matches.get(need.pk) or [None]
        for m in rows:
            xlsx.append(
                sheet,
                [
                    need.pk,
                    need.enterprise.name,
                    need.amount,
                    need.term,
                    need.purpose,
                    need.get_status_display(),
                    m.rank if m else None,
                    m.product.bank.name if m else "",
                    m.product.name if m else "",
                    m.score if m else None,
                    ";".join(m.reasons) if m else "",
                    ";".join(
                        f"{c['label']}:{STATES.get(c['state'], c['state'])}" for c in m.conditions
                    )
                    if m
                    else "",
                    need.disbursed_amount,
                    _("是") if need.illustrative else "",
                ],
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
