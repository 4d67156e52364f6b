"""`parklink import matching-finance-products` and `matching-finance-needs`: bank products and
enterprises' financing needs from a spreadsheet, all or nothing, each bad cell named.

Products are imported by a bank's staff for their bank (the importing organisation must be a
bank's organisation); a product named again is updated. Needs are imported by the officers of
the region the enterprises are registered in; each is recorded as registered, with history.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count

from parklink.accounts.imports import OwnedImporter, importer_factory
from parklink.core.cells import CellError, amount, cell_text, choice, day, integer, text
from parklink.core.errors import Invalid
from parklink.core.imports import Column, ImportForbidden, Problem, Row
from parklink.enterprises.models import Enterprise
from parklink.enterprises.uscc import normalise as normalise_uscc
from parklink.matching.models_finance import Bank, ProductKind, Programme, Urgency
from parklink.matching.scoring import eligibility as el
from parklink.matching.services import finance

_yuan = amount("元")


def yuan(value: Any) -> int:
    """An amount in whole 元 (text may carry 万元/亿元)."""
    result = _yuan(value)
    if result != result.to_integral_value() or result <= 0:
        raise CellError("应为大于 0 的整数元", "must be a whole number of yuan above 0")
    return int(result)


def months(value: Any) -> int:
    number = integer(value)
    if not 1 <= number <= 360:
        raise CellError("期限应为 1–360 个月", "term must be 1–360 months")
    return number


def rate(value: Any) -> Decimal:
    raw = cell_text(value).replace("%", "").strip()
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(
            "应为年利率百分数,如 3.85", "must be an annual rate in %, e.g. 3.85"
        ) from None
    if not number.is_finite() or not 0 <= number <= 36:
        raise CellError("年利率应在 0–36(%)之间", "the annual rate must be 0–36 %")
    if number != number.quantize(Decimal("0.001")):
        raise CellError("最多三位小数", "at most 3 decimals")
    return number


def conditions(value: Any) -> list[Any]:
    raw = cell_text(value).strip()
    if not raw:
        return []
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise CellError(
            f"不是有效的 JSON(第 {error.pos + 1} 个字符附近)",
            f"not valid JSON (near {error.pos + 1})",
        ) from None
    try:
        el.parse_conditions(data)
    except el.ConditionError as error:
        raise CellError(str(error), str(error)) from None
    return list(data)


def _labels(choices: Any) -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in choices]


class ProductImporter(OwnedImporter):
    kind = "matching-finance-products"

    def authorize(self) -> None:
        super().authorize()
        self.bank = Bank.objects.filter(organization=self.owner).first()
        if self.bank is None:
            raise ImportForbidden(
                "只有银行机构的员工可以导入金融产品", "only a bank's staff may import its products"
            )

    def columns(self) -> Sequence[Column]:
        return [
            Column("name", "产品名称", "name", text(128), required=True),
            Column("kind", "类型", "kind", choice(_labels(ProductKind.choices)), required=True),
            Column("amount_min", "最低额度(元)", "minimum amount", yuan, required=True),
            Column("amount_max", "最高额度(元)", "maximum amount", yuan, required=True),
            Column("term_min", "最短期限(月)", "minimum term", months, required=True),
            Column("term_max", "最长期限(月)", "maximum term", months, required=True),
            Column("rate_min", "最低年利率(%)", "minimum rate", rate, required=True),
            Column("rate_max", "最高年利率(%)", "maximum rate", rate, required=True),
            Column("programme", "政府金融服务项目", "programme", text(128)),
            Column("conditions", "准入条件(JSON)", "conditions", conditions),
        ]

    def prepare(self, rows: list[Row]) -> None:
        names = {str(r.values.get("programme") or "").strip() for r in rows}
        self.programmes = {p.name: p for p in Programme.objects.filter(name__in=names)}

    def check(self, row: Row) -> list[Problem]:
        problems = []
        name = str(row.values.get("programme") or "").strip()
        if name and name not in self.programmes:
            problems.append(
                self.problem(row, "programme", "没有这个政府金融服务项目", "no such programme")
            )
        values = self._values(row)
        try:
            finance.validate_product(values)
        except Invalid as error:
            for key, message in (error.detail or {}).items():
                problems.append(self.problem(row, key, str(message), str(message)))
        return problems

    def _values(self, row: Row) -> dict[str, Any]:
        values = {k: v for k, v in row.values.items() if k != "programme"}
        values.setdefault("conditions", [])
        if values["conditions"] is None:
            values["conditions"] = []
        name = str(row.values.get("programme") or "").strip()
        values["programme"] = self.programmes.get(name)
        return values

    def check_file(self, rows: list[Row]) -> list[Problem]:
        seen: dict[str, int] = {}
        problems = []
        for row in rows:
            name = str(row.values.get("name") or "")
            if name in seen:
                problems.append(
                    self.problem(
                        row,
                        "name",
                        f"与第{seen[name]}行重复",
                        f"repeats row {seen[name]}",
                    )
                )
            seen.setdefault(name, row.number)
        return problems

    def save(self, row: Row) -> Any:
        assert self.bank is not None
        return finance.save_product(self.user, self.bank, self._values(row))


class NeedImporter(OwnedImporter):
    kind = "matching-finance-needs"

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
            Column("amount", "融资金额(元)", "amount", yuan, required=True),
            Column("term", "期限(月)", "term", months, required=True),
            Column("purpose", "用途", "purpose", text(200), required=True),
            Column("collateral", "抵质押物", "collateral", text(200), default=""),
            Column(
                "urgency",
                "紧急程度",
                "urgency",
                choice(_labels(Urgency.choices)),
                default=Urgency.NORMAL,
            ),
            Column("registered_on", "登记日期", "registered on", day),
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
            for e in Enterprise.objects.filter(name__in=names)
            .exclude(name__in=self.ambiguous)
            .select_related("region")
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
        enterprise = self._enterprise(row)
        if enterprise is None:
            return [
                self.problem(
                    row,
                    "enterprise",
                    "企业库中没有这家企业(请先导入企业)",
                    "no such enterprise in the registry (import it first)",
                )
            ]
        if not self.owner.region.contains(enterprise.region):
            return [
                self.problem(
                    row,
                    "enterprise",
                    "企业不在本机构所辖地区,不能代为登记融资需求",
                    "the enterprise is outside this organisation's region",
                )
            ]
        return []

    def save(self, row: Row) -> Any:
        enterprise = self._enterprise(row)
        assert enterprise is not None
        values = {k: v for k, v in row.values.items() if k != "enterprise" and v is not None}
        need = finance.create_need(self.user, enterprise, values)
        if need.owner_id != self.owner.pk:
            need.owner = self.owner
            need.save(update_fields=["owner"])
        return need


build_product_importer = importer_factory(ProductImporter)
build_need_importer = importer_factory(NeedImporter)
