"""`parklink import matching-listings` and the import page: supply–demand listings from a
spreadsheet, all or nothing. The enterprise must already be in the registry (by USCC, or by
its exact name when that is unique); each listing is tagged as one posted on the page."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count

from parklink.accounts.imports import OwnedImporter, importer_factory
from parklink.core.cells import CellError, cell_text, choice, text
from parklink.core.imports import Column, Problem, Row
from parklink.enterprises.models import Enterprise
from parklink.enterprises.uscc import normalise as normalise_uscc
from parklink.matching.models import Listing, ListingKind, RegionPreference, Side
from parklink.matching.services import listings as listing_services


def _quantity(value: Any) -> Decimal | None:
    raw = cell_text(value).replace(",", "")
    if not raw:
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError("应为数字", "must be a number") from None
    if not number.is_finite() or number <= 0:
        raise CellError("应大于 0", "must be greater than 0")
    if number != number.quantize(Decimal("0.01")) or number >= Decimal("1e14"):
        raise CellError("最多两位小数、14 位整数", "at most 2 decimals and 14 integer digits")
    return number


def _labels(choices: Any) -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in choices]


class ListingImporter(OwnedImporter):
    kind = "matching-listings"

    def columns(self) -> Sequence[Column]:
        return [
            Column(
                "enterprise",
                "企业",
                "enterprise",
                text(128),
                required=True,
                aliases=("企业名称", "统一社会信用代码"),
            ),
            Column("side", "供需", "side", choice(_labels(Side.choices)), required=True),
            Column("kind", "类别", "kind", choice(_labels(ListingKind.choices)), required=True),
            Column("title", "名称", "title", text(200), required=True),
            Column("description", "说明", "description", text(2000)),
            Column("quantity", "数量", "quantity", _quantity),
            Column("unit", "单位", "unit", text(16)),
            Column("period", "周期", "period", text(64)),
            Column(
                "region_preference",
                "地域偏好",
                "region preference",
                choice(_labels(RegionPreference.choices)),
                default=RegionPreference.ANY,
            ),
            Column("contact_name", "联系人", "contact name", text(64)),
            Column("contact_phone", "联系电话", "contact phone", text(32)),
            Column("contact_email", "联系邮箱", "contact email", text(254)),
        ]

    def prepare(self, rows: list[Row]) -> None:
        keys = {str(row.values.get("enterprise") or "").strip() for row in rows}
        codes = {normalise_uscc(k) for k in keys if len(k) == 18}
        self.by_uscc = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes)}
        names = [k for k in keys if k]
        counted = Enterprise.objects.filter(name__in=names).values("name").annotate(n=Count("id"))
        self.ambiguous = {row["name"] for row in counted if row["n"] > 1}
        self.by_name = {
            e.name: e
            for e in Enterprise.objects.filter(name__in=names).exclude(name__in=self.ambiguous)
        }

    def _enterprise(self, row: Row) -> Enterprise | None:
        key = str(row.values.get("enterprise") or "").strip()
        if len(key) == 18 and normalise_uscc(key) in self.by_uscc:
            return self.by_uscc[normalise_uscc(key)]
        return self.by_name.get(key)

    def check(self, row: Row) -> list[Problem]:
        key = str(row.values.get("enterprise") or "").strip()
        if key in self.ambiguous:
            return [
                self.problem(
                    row,
                    "enterprise",
                    "有多家企业同名,请填写统一社会信用代码",
                    "several enterprises have this name: give the USCC",
                )
            ]
        if self._enterprise(row) is None:
            return [
                self.problem(
                    row,
                    "enterprise",
                    "企业库中没有这家企业(请先导入企业)",
                    "no such enterprise in the registry (import it first)",
                )
            ]
        return []

    def save_all(self, rows: list[Row]) -> int:
        made = []
        for row in rows:
            enterprise = self._enterprise(row)
            assert enterprise is not None
            values = {k: v for k, v in row.values.items() if k != "enterprise" and v is not None}
            listing = Listing(
                owner=self.owner, enterprise=enterprise, region=enterprise.region, **values
            )
            listing_services.auto_tag(listing)
            made.append(listing)
        Listing.objects.bulk_create(made, batch_size=1000)
        listing_services.changed()
        return len(made)


build_importer = importer_factory(ListingImporter)
