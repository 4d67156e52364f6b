"""The gap report and the target list as .xlsx (the page's download and `parklink export`).

Every cell goes through `core.xlsx`; amounts are exact 元 (two decimals); each file names the
place, the template and the version it used, and the rules that labelled the segments.
"""

from __future__ import annotations

import io
from argparse import ArgumentParser
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from parklink.accounts.models import User
from parklink.chains.services import coverage as coverage_rules
from parklink.chains.services import places, targets, templates
from parklink.chains.services.coverage import Coverage
from parklink.core.errors import Invalid, NotFound
from parklink.core.xlsx import append

STAGE_ORDER = (
    "lead",
    "negotiating",
    "signed",
    "approvals",
    "started",
    "under_construction",
    "completed",
    "in_production",
    "full_production",
    "stalled",
    "terminated",
)


def template_for(user: User, chain: str) -> Any:
    """A visible template by id, or by key (the user's organisation's first, then shipped)."""
    visible = templates.visible_templates(user)
    if chain.isdigit():
        return templates.get_visible(user, int(chain))
    own = visible.filter(key=chain, owner_id=user.organization_id).first()
    found = own or visible.filter(key=chain, owner__isnull=True).first()
    if found is None:
        raise NotFound(_("产业链模板“%(key)s”不存在或无权查看。") % {"key": chain})
    return found


def _header(sheet: Any, found: Coverage) -> None:
    append(sheet, [_("地点"), found.place.name, found.place.ref])
    append(
        sheet,
        [
            _("产业链"),
            found.chain.name,
            f"{found.template.key} v{found.version.number} ({found.chain.version})",
        ],
    )
    rules = found.rules
    append(
        sheet,
        [
            _("判定规则"),
            _(
                "强:≥%(a)s 家,或有链主且 ≥%(b)s 家,或 ≥%(b)s 家且注册资本合计 ≥%(c)s 元;"
                "有:≥%(d)s 家,或有链主/上市企业;弱:其余;缺:无企业"
            )
            % {
                "a": rules.strong_enterprises,
                "b": rules.strong_leader_enterprises,
                "c": f"{rules.strong_capital_fen / 100:,.2f}",
                "d": rules.present_enterprises,
            },
        ],
    )
    append(sheet, [])


def gaps_workbook(found: Coverage) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("缺链报告"))
    _header(sheet, found)
    names = coverage_rules.label_names()
    stages = [stage for stage in STAGE_ORDER]
    append(
        sheet,
        [
            _("环节代码"),
            _("环节"),
            _("上中下游"),
            _("类型"),
            _("判定"),
            _("企业数"),
            _("注册资本合计(元)"),
            _("链主"),
            _("上市"),
            _("高新技术"),
            _("专精特新"),
            _("可见项目数"),
            *[f"{_('项目')}:{stage}" for stage in stages],
        ],
    )
    for item in found.segments:
        append(
            sheet,
            [
                item.key,
                item.segment.name,
                item.segment.stage,
                item.segment.role,
                names[item.label.code],
                item.enterprises,
                f"{item.capital:.2f}",
                item.leaders,
                item.listed,
                item.high_tech,
                item.specialised,
                item.project_total,
                *[item.projects.get(stage, 0) for stage in stages],
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def targets_workbook(found: targets.TargetList) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("招商目标"))
    _header(sheet, found.coverage)
    names = {s.key: s.name for s in found.coverage.chain.segments}
    labels = coverage_rules.label_names()
    append(
        sheet,
        [
            _("名次"),
            _("企业"),
            _("统一社会信用代码"),
            _("注册地"),
            _("补链环节"),
            _("本地判定"),
            _("得分"),
            _("注册资本(元)"),
            _("推荐理由"),
            _("已转线索"),
        ],
    )
    for position, target in enumerate(found.targets, start=1):
        capital = target.enterprise.registered_capital
        append(
            sheet,
            [
                position,
                target.enterprise.name,
                target.enterprise.uscc or "",
                target.enterprise.region.full_name,
                target.segment_name,
                labels[target.label.code],
                target.score,
                f"{capital:.2f}" if capital is not None else "",
                ";".join(targets.reason_texts(target.ranked, names)),
                target.lead.project.name if target.lead else "",
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _place_and_template(user: User, options: Mapping[str, Any]) -> tuple[Any, Any]:
    if not options.get("place") or not options.get("chain"):
        raise Invalid(_("请指定 --place 和 --chain"))
    return places.resolve(user, options["place"]), template_for(user, options["chain"])


def export_gaps(user: User, options: Mapping[str, Any]) -> bytes:
    place, template = _place_and_template(user, options)
    return gaps_workbook(coverage_rules.coverage(user, place, template))


def export_targets(user: User, options: Mapping[str, Any]) -> bytes:
    place, template = _place_and_template(user, options)
    segments = [options["segment"]] if options.get("segment") else None
    found = targets.targets(user, place, template, segments, limit=options.get("limit") or 200)
    return targets_workbook(found)


def gap_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--place", required=True, help="region:510106, park:ID, cobuild:ID, linkage:ID, metro:KEY"
    )
    parser.add_argument("--chain", required=True, help="a template key (photovoltaics) or id")


def target_arguments(parser: ArgumentParser) -> None:
    gap_arguments(parser)
    parser.add_argument("--segment", help="one segment key (default: every weak or missing one)")
    parser.add_argument("--limit", type=int, default=200, help="most targets (default 200)")
