"""A party's statement as a file: .xlsx (every cell through core.xlsx), PDF (core.pdf, Chinese in
a CJK font), CSV or JSON.

The xlsx and the PDF hold the same parts: what the statement is (agreement, period, party, run,
version, status), every party's totals per indicator (both parties see the same numbers), this
party's totals per indicator, the two statistical views of the period for this party
(在地统计 / 分成后), its totals per enterprise and indicator, and the line-by-line derivation
(the engine's sentence of every allocation) as an appendix. A run that read illustrative data
says 示例数据 / illustrative; the assessment figures (工业总产值, 增加值, 固定资产投资) say
仅用于考核,不得对外公布 / assessment only, not for publication, on every sheet and every page.
"""

from __future__ import annotations

import io
import json
from typing import Any

from django.utils.translation import gettext as _

from parklink.cobuild.ledger.twoviews import ASSESSMENT_LABEL
from parklink.cobuild.models import HEADCOUNT_INDICATORS, Indicator
from parklink.cobuild.services import overview, statements, twoviews
from parklink.cobuild.services.statements import Statement
from parklink.core import pdf, xlsx

FORMATS = ("xlsx", "pdf", "csv", "json")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
# Printed, in both languages, on every statement whose run read illustrative rules or figures.
ILLUSTRATIVE = "示例数据 / illustrative"
# The most derivation lines a PDF prints (a large run's appendix is read in the xlsx or the API).
PDF_DERIVATION_LINES = 2000
# The most derivation lines an xlsx sheet holds (the format's limit is 1,048,576 rows).
XLSX_DERIVATION_LINES = 1_000_000


def yuan(amount: int, indicator: str) -> str:
    """Fen as 元 with two places (exact, from the integer); persons as they are."""
    if indicator in HEADCOUNT_INDICATORS:
        return str(amount)
    sign = "-" if amount < 0 else ""
    whole, fen = divmod(abs(amount), 100)
    return f"{sign}{whole}.{fen:02d}"


def notices(found: Statement) -> list[str]:
    """The labels the statement must carry wherever its figures go."""
    result = []
    if found.run.uses_illustrative_data():
        result.append(ILLUSTRATIVE)
    if overview.has_assessment(row["indicator"] for row in found.by_indicator):
        result.append(ASSESSMENT_LABEL)
    return result


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


def party_views(found: Statement) -> list[tuple[str, int, int, int, bool]]:
    """This party's figures of the period in both views: (indicator, in place, after the split,
    difference, assessment) per indicator."""
    rows = []
    for views in twoviews.two_views(found.agreement, found.run.period_label):
        for row in views.indicators:
            for figures in row.parties:
                if figures.party == found.party.key:
                    rows.append(
                        (
                            row.indicator,
                            figures.in_place,
                            figures.split,
                            figures.difference,
                            row.assessment,
                        )
                    )
    return rows


def _all_parties(found: Statement) -> tuple[list[str], list[list[Any]]]:
    """Every party's totals per indicator of the run: the same numbers for every party."""
    totals = overview.run_totals(found.run)
    names = [p.party.organization.name for p in totals[0].parties] if totals else []
    header = [_("指标"), _("数据合计"), *names]
    rows = [
        [
            row.label + (" *" if row.assessment else ""),
            overview.amount_text(row.recorded, row.indicator),
            *[p.text for p in row.parties],
        ]
        for row in totals
    ]
    return header, rows


def render(found: Statement, fmt: str) -> bytes:
    if fmt == "pdf":
        return render_pdf(found)
    labels = notices(found)
    if fmt == "json":
        document = found.as_json()
        if ILLUSTRATIVE in labels:
            document["notice"] = ILLUSTRATIVE
        return json.dumps(document, ensure_ascii=False, indent=2).encode()
    notice = [[label] for label in labels]
    if fmt == "csv":
        return xlsx.csv_bytes([*notice, *_rows(found)])
    return render_xlsx(found, notice)


def render_xlsx(found: Statement, notice: list[list[str]]) -> bytes:
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
    views = book.create_sheet(_("两种口径"))
    for row in notice:
        xlsx.append(views, row)
    xlsx.append(
        views,
        [_("指标"), _("在地统计(分或人)"), _("分成后(分或人)"), _("差额(分或人)"), _("口径说明")],
    )
    for code, in_place, split, difference, assessment in party_views(found):
        xlsx.append(
            views,
            [
                overview.indicator_label(code),
                in_place,
                split,
                difference,
                ASSESSMENT_LABEL if assessment else "",
            ],
        )
    every = book.create_sheet(_("各方合计"))
    for row in notice:
        xlsx.append(every, row)
    header, rows = _all_parties(found)
    for row in [header, *rows]:
        xlsx.append(every, row)
    appendix = book.create_sheet(_("附录 逐笔计算"))
    for row in notice:
        xlsx.append(appendix, row)
    lines, count = statements.derivation(found.run, found.party, XLSX_DERIVATION_LINES)
    xlsx.append(
        appendix,
        [
            _("序号"),
            _("企业"),
            _("统一社会信用代码"),
            _("指标"),
            _("规则"),
            _("分得(分或人)"),
            _("计算过程"),
        ],
    )
    for line in lines:
        xlsx.append(
            appendix,
            [
                line.position,
                line.enterprise,
                line.uscc,
                overview.indicator_label(line.indicator),
                line.rule,
                line.amount,
                line.sentence,
            ],
        )
    if count > len(lines):
        xlsx.append(
            appendix, [_("其余 %(n)d 条见接口 /api/v1/cobuild/") % {"n": count - len(lines)}]
        )
    info = book.create_sheet(_("说明"))
    for label, value in _about(found):
        xlsx.append(info, [str(label), str(value) if not isinstance(value, int) else value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _about(found: Statement) -> list[tuple[str, Any]]:
    labels = notices(found)
    return [
        (_("协议"), found.agreement.title),
        (_("结算期"), found.run.period_label),
        (_("协议方"), found.party.organization.name),
        (_("结算状态"), found.run.get_status_display()),
        (_("版本"), found.run.version.number),
        (_("结果摘要"), found.run.allocations_digest),
        *([(_("数据性质"), ILLUSTRATIVE)] if ILLUSTRATIVE in labels else []),
        *([(_("口径"), ASSESSMENT_LABEL)] if ASSESSMENT_LABEL in labels else []),
    ]


def render_pdf(found: Statement) -> bytes:
    """The statement as a PDF: the same parts as the xlsx, the derivation as the appendix."""
    labels = notices(found)
    run, party = found.run, found.party
    document = pdf.Document(
        title=_("%(name)s · %(period)s 对账单")
        % {"name": party.organization.name, "period": run.period_label},
        subtitle=found.agreement.title,
        footer=_("ParkLink 共建园区对账单 · 协议 #%(id)d · %(period)s · %(party)s")
        % {"id": found.agreement.pk, "period": run.period_label, "party": party.key},
        page_text=_("第 {page} 页 / 共 {pages} 页"),
        notices=labels,
    )
    document.table(
        [_("项目"), _("内容")],
        [[str(label), str(value)] for label, value in _about(found)],
        widths=[0.25, 0.75],
    )
    if run.status != "confirmed":
        document.notice(_("结算尚未经各方确认,数字可能变化。"))

    header, rows = _all_parties(found)
    document.heading(_("各方合计(各方看到相同的数字)"))
    if rows:
        document.table(header, rows, numeric=range(1, len(header)))
        if ASSESSMENT_LABEL in labels:
            document.paragraph("* " + ASSESSMENT_LABEL)

    document.heading(_("本方按指标"))
    document.table(
        [_("指标"), _("分得"), _("分账条数")],
        [
            [
                row["label"] + (" *" if row["indicator"] in overview.ASSESSMENT_INDICATORS else ""),
                overview.amount_text(row["amount"], row["indicator"]),
                f"{row['allocations']:,}",
            ]
            for row in found.by_indicator
        ],
        numeric=(1, 2),
        widths=[0.5, 0.3, 0.2],
    )

    document.heading(_("两种统计口径:在地统计与分成后"))
    document.paragraph(
        _(
            "在地统计:数据按发生地计入飞入地(由飞入地统计、税务部门报送);"
            "分成后:按协议分成后本方所得。"
        )
    )
    document.table(
        [_("指标"), _("在地统计"), _("分成后"), _("差额"), _("口径说明")],
        [
            [
                overview.indicator_label(code),
                overview.amount_text(in_place, code),
                overview.amount_text(split, code),
                overview.amount_text(difference, code),
                ASSESSMENT_LABEL if assessment else "",
            ]
            for code, in_place, split, difference, assessment in party_views(found)
        ],
        numeric=(1, 2, 3),
        widths=[0.2, 0.17, 0.17, 0.16, 0.3],
    )

    document.heading(_("本方按企业"))
    document.table(
        [_("企业"), _("统一社会信用代码"), _("指标"), _("分得")],
        [
            [
                row["name"],
                row["uscc"] or "—",
                overview.indicator_label(row["indicator"]),
                overview.amount_text(row["amount"], row["indicator"]),
            ]
            for row in found.by_enterprise
        ],
        numeric=(3,),
        widths=[0.34, 0.24, 0.2, 0.22],
    )

    document.page_break()
    document.heading(_("附录:逐笔计算"))
    lines, count = statements.derivation(run, party, PDF_DERIVATION_LINES)
    if count > len(lines):
        document.notice(
            _("本附录列出前 %(shown)d 条,共 %(count)d 条;完整附录见 Excel 对账单。")
            % {"shown": len(lines), "count": count}
        )
    document.table(
        [_("序号"), _("企业"), _("计算过程")],
        [[str(line.position), line.enterprise, line.sentence] for line in lines],
        widths=[0.08, 0.27, 0.65],
    )
    return document.render()
