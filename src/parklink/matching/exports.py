"""A listing's match list as an .xlsx workbook (every cell through core.xlsx: text or number,
never a formula). Contacts appear only where the user may see them (queries.can_see_contacts)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from parklink.core import xlsx
from parklink.matching import queries
from parklink.matching.models import Listing
from parklink.matching.services import listings


def match_list(user: Any, listing: Listing, top: int = 100) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("对接对象"))
    xlsx.append(sheet, [_("供需信息"), listing.title, listing.get_side_display()])
    xlsx.append(sheet, [_("企业"), listing.enterprise.name, listing.region.full_name])
    if listing.illustrative:
        xlsx.append(sheet, [_("示例数据,并非真实报送")])
    xlsx.append(
        sheet,
        [
            _("名次"),
            _("编号"),
            _("名称"),
            _("企业"),
            _("所在地"),
            _("产业链环节"),
            _("数量"),
            _("单位"),
            _("得分"),
            _("文本"),
            _("上下游"),
            _("地域"),
            _("规模"),
            _("理由"),
            _("联系人"),
            _("联系电话"),
            _("示例数据"),
        ],
    )
    for rank, found in enumerate(listings.matches(user, listing, top), start=1):
        other = found.listing
        shown = queries.can_see_contacts(user, other)
        parts = found.match.parts
        xlsx.append(
            sheet,
            [
                rank,
                other.pk,
                other.title,
                other.enterprise.name,
                other.region.full_name,
                listings.tag_label(other),
                other.quantity,
                other.unit,
                found.match.score,
                parts["text"],
                parts["segment"],
                parts["region"],
                parts["size"],
                ";".join(found.match.reasons),
                other.contact_name if shown else "",
                other.contact_phone if shown else "",
                _("是") if other.illustrative else "",
            ],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
