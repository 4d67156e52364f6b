"""A place's positioning report as an .xlsx workbook (every cell through core.xlsx).

Sheets: 推荐产业 (the ranked candidates), 已具优势 (the industries the place has), 已排除
(with the reasons), 说明 (the place, the comparison, the options and the quality grade).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from parklink.core import xlsx
from parklink.positioning.services.report import PlaceReport

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _number(value: float) -> float | None:
    return value if math.isfinite(value) else None


def workbook(
    report: PlaceReport,
    quadrant_label: Callable[[str], str],
    reason_label: Callable[[str], str],
    options: dict[str, Any],
) -> bytes:
    names = report.product_names()
    book = Workbook(write_only=True)
    found = report.found
    sheet = book.create_sheet(_("推荐产业"))
    xlsx.append(
        sheet,
        [
            _("排名"),
            _("行业代码"),
            _("行业名称"),
            _("象限"),
            _("得分"),
            _("密度"),
            "PCI",
            "COG",
            "RCA",
        ],
    )
    for item in found.candidates():
        xlsx.append(
            sheet,
            [
                item.rank,
                item.industry,
                names.get(item.industry, ""),
                quadrant_label(item.quadrant),
                _number(item.score),
                _number(item.density),
                _number(item.pci),
                _number(item.cog),
                _number(item.rca),
            ],
        )
    sheet = book.create_sheet(_("已具优势"))
    xlsx.append(sheet, [_("行业代码"), _("行业名称"), _("象限"), "RCA", "PCI", _("密度")])
    for item in found.items:
        if item.present:
            xlsx.append(
                sheet,
                [
                    item.industry,
                    names.get(item.industry, ""),
                    quadrant_label(item.quadrant),
                    _number(item.rca),
                    _number(item.pci),
                    _number(item.density),
                ],
            )
    sheet = book.create_sheet(_("已排除"))
    xlsx.append(sheet, [_("行业代码"), _("行业名称"), _("原因")])
    for code, reasons in sorted(found.excluded.items()):
        xlsx.append(sheet, [code, names.get(code, ""), "、".join(reason_label(r) for r in reasons)])
    if report.change is not None:
        sheet = book.create_sheet(_("变化"))
        xlsx.append(
            sheet,
            [
                _("行业代码"),
                _("行业名称"),
                _("RCA(较早)"),
                _("RCA(当前)"),
                _("RCA 变化"),
                _("其他地区增长"),
            ],
        )
        for change in report.change.industries:
            xlsx.append(
                sheet,
                [
                    change.industry,
                    names.get(change.industry, ""),
                    _number(change.rca_from),
                    _number(change.rca_to),
                    _number(change.rca_change),
                    _number(change.growth_elsewhere),
                ],
            )
    sheet = book.create_sheet(_("说明"))
    m = report.placed.matrix
    rows: list[list[Any]] = [
        [_("地点"), f"{report.name} ({report.key})"],
        [_("比较范围"), report.compared_with],
        [_("参与比较的地点数"), len(m.places)],
        [_("产业数"), len(m.industries)],
        [_("度量"), options["measure"]],
        [_("行业层级(位)"), options["digits"]],
        ["ECI", _number(found.eci)],
        [_("数据质量"), report.quality.grade],
        [_("企业数"), report.quality.enterprises],
        [_("已分类占比"), report.quality.classified_share],
        [_("特征值"), ", ".join(f"{v:.6f}" for v in report.result.eigenvalues)],
        [_("约定"), report.result.convention.name],
        [_("产品维度"), report.placed.chain.name if report.placed.chain else _("国民经济行业代码")],
    ]
    if report.placed.dataset is not None and report.placed.dataset.illustrative:
        rows.insert(0, [_("示例数据 / synthetic"), _("生成的演示数据,并非真实统计")])
    if report.change is not None and report.compare is not None:
        rows.append([_("比较年份"), report.compare.year])
        rows.append([_("ECI 变化"), _number(report.change.eci_change)])
    for row in rows:
        xlsx.append(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
