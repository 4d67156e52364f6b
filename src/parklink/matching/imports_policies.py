"""`parklink import matching-policies` and the import page: policies from a spreadsheet, all or
nothing, owned by the importing organisation.

Columns: 政策名称 (required), 适用地区 (a region's name or code, required), 文号, 有效期起,
有效期止, 兑现方式 (定额 / 按比例 / 非资金), 定额(元), 比例, 比例基数 (an enterprise field such as
revenue), 上限(元), 兑现说明, 申报材料 (a list), 政策原文, 享受条件(JSON) (a JSON Logic list, each
condition with its clause; docs/matching.md), 立即发布 (是/否: publish at once, which needs at
least one condition). A policy whose title the organisation already uses is updated (a
published one stays published). Each bad cell is named by row and column; one bad row imports
nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from parklink.accounts.imports import OwnedImporter, importer_factory
from parklink.core.cells import CellError, amount, boolean, cell_text, choice, day, split_list, text
from parklink.core.errors import Invalid
from parklink.core.imports import Column, Problem, Row
from parklink.matching.imports_finance import conditions
from parklink.matching.models import BenefitKind, Policy, PolicyStatus
from parklink.matching.services import policies
from parklink.regions.services import resolve_region

_yuan = amount("元")


def yuan(value: Any) -> Decimal:
    result = _yuan(value)
    if result < 0:
        raise CellError("金额不能为负", "the amount cannot be negative")
    if result != result.quantize(Decimal("0.01")):
        raise CellError("最多精确到分", "at most to the fen")
    return result


def ratio(value: Any) -> Decimal:
    raw = cell_text(value).strip()
    percent = raw.endswith("%")
    try:
        number = Decimal(raw.rstrip("%").strip())
    except InvalidOperation:
        raise CellError("应为比例,如 0.05 或 5%", "must be a ratio such as 0.05 or 5%") from None
    if percent:
        number = number / 100
    if not number.is_finite() or not 0 < number <= 1:
        raise CellError("比例应大于 0 且不超过 1(100%)", "the ratio must be above 0 and at most 1")
    if number != number.quantize(Decimal("0.000001")):
        raise CellError("比例最多六位小数", "at most 6 decimals")
    return number


def documents(value: Any) -> list[str]:
    return split_list(value)


def _labels(choices: Any) -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in choices]


BENEFIT_ALIASES = {"非资金": BenefitKind.OTHER, "比例": BenefitKind.RATE}
FIELD_NAMES = {
    "benefit_amount": "benefit_amount",
    "benefit_rate": "benefit_rate",
    "benefit_base": "benefit_base",
    "documents": "documents",
    "conditions": "conditions",
}


class PolicyImporter(OwnedImporter):
    kind = "matching-policies"

    def columns(self) -> Sequence[Column]:
        return [
            Column("title", "政策名称", "title", text(200), required=True),
            Column("region", "适用地区", "region", text(64), required=True),
            Column("document_number", "文号", "document number", text(100)),
            Column("valid_from", "有效期起", "valid from", day),
            Column("valid_to", "有效期止", "valid to", day),
            Column(
                "benefit_kind",
                "兑现方式",
                "benefit kind",
                choice(_labels(BenefitKind.choices), BENEFIT_ALIASES),
                default=BenefitKind.OTHER,
            ),
            Column("benefit_amount", "定额(元)", "fixed amount", yuan),
            Column("benefit_rate", "比例", "rate", ratio),
            Column("benefit_base", "比例基数", "rate base", text(32)),
            Column("benefit_cap", "上限(元)", "cap", yuan),
            Column("benefit_note", "兑现说明", "benefit note", text(255)),
            Column("documents", "申报材料", "documents", documents),
            Column("text", "政策原文", "text", text(20000)),
            Column("conditions", "享受条件(JSON)", "conditions", conditions),
            Column("publish", "立即发布", "publish", boolean, default=False),
        ]

    def prepare(self, rows: list[Row]) -> None:
        self.regions: dict[str, Any] = {}
        for row in rows:
            name = str(row.values.get("region") or "").strip()
            if name and name not in self.regions:
                self.regions[name] = resolve_region(name)
        titles = [str(r.values.get("title") or "") for r in rows]
        self.existing = {
            p.title: p for p in Policy.objects.filter(owner=self.owner, title__in=titles)
        }

    def _values(self, row: Row) -> dict[str, Any]:
        values = {
            k: v for k, v in row.values.items() if k not in ("region", "publish") and v is not None
        }
        values.setdefault("conditions", [])
        values.setdefault("documents", [])
        values["issuer_region"] = self.regions.get(str(row.values.get("region") or "").strip())
        return values

    def check(self, row: Row) -> list[Problem]:
        problems = []
        if self._values(row)["issuer_region"] is None:
            problems.append(self.problem(row, "region", "无法识别的行政区划", "unknown region"))
        start, end = row.values.get("valid_from"), row.values.get("valid_to")
        if start and end and end < start:
            problems.append(
                self.problem(row, "valid_to", "有效期止早于有效期起", "the end is before the start")
            )
        values = self._values(row)
        try:
            policies.validate(values)
        except Invalid as error:
            for key, message in (error.detail or {"text": error.message}).items():
                name = FIELD_NAMES.get(key, key)
                problems.append(self.problem(row, name, str(message), str(message)))
        if row.values.get("publish") and not values["conditions"]:
            problems.append(
                self.problem(
                    row,
                    "conditions",
                    "立即发布的政策须写明至少一个享受条件",
                    "a policy published at once needs at least one condition",
                )
            )
        return problems

    def check_file(self, rows: list[Row]) -> list[Problem]:
        seen: dict[str, int] = {}
        problems = []
        for row in rows:
            title = str(row.values.get("title") or "")
            if title in seen:
                problems.append(
                    self.problem(
                        row,
                        "title",
                        f"与第 {seen[title]} 行重名",
                        f"the same title as row {seen[title]}",
                    )
                )
            seen.setdefault(title, row.number)
        return problems

    @transaction.atomic
    def save_all(self, rows: list[Row]) -> int:
        count = 0
        for row in rows:
            values = self._values(row)
            found = self.existing.get(values["title"])
            if found is None:
                policy = Policy.objects.create(owner=self.owner, **values)
            else:
                for key, value in values.items():
                    setattr(found, key, value)
                found.save()
                policy = found
            if row.values.get("publish") and policy.status != PolicyStatus.PUBLISHED:
                policies.publish(self.user, policy)
            count += 1
        return count


build_importer = importer_factory(PolicyImporter)
