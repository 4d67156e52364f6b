"""The `cobuild-records` import: one party's figures of one period for one agreement.

`parklink import cobuild-records FILE --agreement ID --period 2025Q1 [--replace] --as USER`.
A row is an enterprise (matched by its 统一社会信用代码), an indicator and an amount: money in
元 (or in the header's unit, "数额(万元)"), exact to the fen; jobs in persons. The importing
user's organisation (an installation administrator names one with --org) is the party that
contributes the figures; the file is that party's complete figures for the period.
"""

from __future__ import annotations

import unicodedata
from argparse import ArgumentParser
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation

from parklink.accounts.imports import OwnedImporter, ensure_can_import, resolve_owner
from parklink.accounts.models import Organization, User
from parklink.cobuild import lifecycle
from parklink.cobuild.ledger.types import Period
from parklink.cobuild.models import HEADCOUNT_INDICATORS, Agreement, Indicator, Party, Record
from parklink.cobuild.queries import get_visible
from parklink.cobuild.services import records as record_services
from parklink.cobuild.services.runs import parse_period
from parklink.core import cells
from parklink.core.errors import Conflict, Invalid
from parklink.core.imports import Column, ImportForbidden, Problem, Row
from parklink.enterprises import uscc as uscc_rules
from parklink.enterprises.models import Enterprise

_BATCH = 500
UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
# Far below BigIntegerField's 2**63, and exact through every conversion.
MAX_AMOUNT = 10**17


class Amount:
    """A number as written, and the unit of its column (money is converted per indicator)."""

    def __init__(self, number: Decimal, unit: str) -> None:
        self.number = number
        self.unit = unit


def _amount_parser(unit: str) -> cells.Parser:
    def parse(value: Any) -> Amount:
        if isinstance(value, bool):
            raise cells.CellError("应为数字", "must be a number")
        text = value if isinstance(value, int | Decimal) else cells.cell_text(value)
        if isinstance(value, float):
            text = repr(value)
        folded = unicodedata.normalize("NFKC", str(text)).replace(",", "").strip()
        try:
            number = Decimal(folded)
        except InvalidOperation as exc:
            raise cells.CellError("应为数字", "must be a number") from exc
        if not number.is_finite() or abs(number) * UNITS[unit] > MAX_AMOUNT:
            raise cells.CellError("数额过大", "the amount is too large")
        return Amount(number, unit)

    return parse


def to_units(amount: Amount, indicator: str) -> int | None:
    """The amount in the indicator's smallest unit (fen, or persons), or None if not exact."""
    if indicator in HEADCOUNT_INDICATORS:
        number = amount.number
    else:
        number = amount.number * UNITS[amount.unit] * 100
    if number != number.to_integral_value():
        return None
    return int(number)


def _indicator_choices() -> list[tuple[str, str]]:
    with translation.override("zh-hans"):
        return [(str(code), str(label)) for code, label in Indicator.choices]


INDICATOR_ALIASES = {
    "增值税": Indicator.VAT_LOCAL,
    "企业所得税": Indicator.CIT_LOCAL,
    "个人所得税": Indicator.IIT_LOCAL,
    "其他税收": Indicator.OTHER_TAX,
    "产值": Indicator.OUTPUT,
    "增加值": Indicator.VALUE_ADDED,
    "固投": Indicator.FAI,
    "就业": Indicator.JOBS,
}


class RecordImporter(OwnedImporter):
    """Rows of 统一社会信用代码 / 指标 / 数额 for the agreement and period of the options."""

    kind = "cobuild-records"
    ignored_headers = ("企业名称", "name", "备注", "note")

    def __init__(
        self,
        user: User,
        owner: Organization,
        agreement_id: int | None = None,
        period_label: str = "",
        replace: bool = False,
    ) -> None:
        super().__init__(user, owner)
        self.agreement_id = agreement_id
        self.period_label = period_label
        self.replace = replace
        self.agreement: Agreement | None = None
        self.period: Period | None = None
        self.party: Party | None = None
        self.batch: Any = None
        self.enterprises: dict[str, Enterprise] = {}

    def authorize(self) -> None:
        ensure_can_import(self.user, self.owner)
        if self.agreement_id is None or not self.period_label:
            raise Invalid(
                "请用 --agreement 和 --period 指定协议和结算期",
                detail={"en": "name the agreement and the period: --agreement, --period"},
            )
        self.agreement = get_visible(self.user, self.agreement_id)
        self.period = parse_period(self.period_label)
        if self.agreement.status not in lifecycle.SETTLING:
            raise Conflict(
                "只有已签署、执行中或已到期的协议可以导入分账数据",
                detail={
                    "en": "figures are imported only for signed, in-force or expired agreements"
                },
            )
        self.party = self.agreement.parties.filter(organization=self.owner).first()
        if self.party is None:
            raise ImportForbidden(
                f"“{self.owner.name}”不是该协议的一方,不能报送数据",
                f"{self.owner.name} is not a party to this agreement",
            )
        record_services.ensure_may_import(self.agreement, self.period, self.replace)

    def columns(self) -> Sequence[Column]:
        return [
            Column(
                "uscc",
                "统一社会信用代码",
                "uscc",
                cells.text(18),
                required=True,
                aliases=("信用代码", "社会信用代码"),
            ),
            Column(
                "indicator",
                "指标",
                "indicator",
                cells.choice(_indicator_choices(), INDICATOR_ALIASES),
                required=True,
                aliases=("指标名称",),
            ),
            Column(
                "amount",
                "数额",
                "amount",
                _amount_parser("元"),
                required=True,
                aliases=("金额", "金额(元)", "数额(元)", "数值"),
                unit_parser=_amount_parser,
            ),
        ]

    def prepare(self, rows: list[Row]) -> None:
        codes = sorted(
            {uscc_rules.normalise(row.values["uscc"]) for row in rows if row.values.get("uscc")}
        )
        for start in range(0, len(codes), _BATCH):
            for enterprise in Enterprise.objects.filter(uscc__in=codes[start : start + _BATCH]):
                self.enterprises[enterprise.uscc or ""] = enterprise

    def check(self, row: Row) -> list[Problem]:
        problems: list[Problem] = []
        values = row.values
        if "uscc" not in row.failed and values.get("uscc"):
            enterprise = self.enterprises.get(uscc_rules.normalise(values["uscc"]))
            if enterprise is None:
                problems.append(
                    self.problem(
                        row,
                        "uscc",
                        "没有此统一社会信用代码的企业,请先导入该企业",
                        "no enterprise has this USCC; import it first",
                    )
                )
            values["enterprise"] = enterprise
        amount = values.get("amount")
        indicator = values.get("indicator")
        if isinstance(amount, Amount) and indicator:
            units = to_units(amount, indicator)
            if units is None:
                problems.append(
                    self.problem(
                        row,
                        "amount",
                        "就业人数应为整数"
                        if indicator in HEADCOUNT_INDICATORS
                        else "金额最多精确到分",
                        "jobs are whole persons"
                        if indicator in HEADCOUNT_INDICATORS
                        else "an amount has at most two decimal places (fen)",
                    )
                )
            values["units"] = units
        return problems

    def check_file(self, rows: list[Row]) -> list[Problem]:
        seen: dict[tuple[int, str], int] = {}
        problems = []
        for row in rows:
            enterprise, indicator = row.values.get("enterprise"), row.values.get("indicator")
            if enterprise is None or not indicator:
                continue
            first = seen.setdefault((enterprise.pk, indicator), row.number)
            if first != row.number:
                problems.append(
                    self.problem(
                        row,
                        "indicator",
                        f"与第{first}行重复(同一企业同一指标)",
                        f"repeats row {first} (same enterprise and indicator)",
                    )
                )
        return problems

    def save(self, row: Row) -> Any:
        assert self.agreement is not None and self.period is not None and self.party is not None
        if self.batch is None:
            self.batch = record_services.start_batch(
                self.user, self.agreement, self.party, self.period, replace=self.replace
            )
        return Record.objects.create(
            agreement=self.agreement,
            batch=self.batch,
            period_label=self.period.label,
            period_start=self.period.start,
            period_end=self.period.end,
            enterprise=row.values["enterprise"],
            indicator=row.values["indicator"],
            amount=row.values["units"],
            contributed_by=self.party,
        )


def build_importer(
    user: User, owner: Organization | None, options: Mapping[str, Any] | None = None
) -> RecordImporter:
    """`TabularKind.importer`: the owner defaults to the user's organisation."""
    options = options or {}
    return RecordImporter(
        user,
        owner or resolve_owner(user),
        agreement_id=options.get("agreement"),
        period_label=options.get("period") or "",
        replace=bool(options.get("replace")),
    )


def import_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--agreement", type=int, required=True, help="the agreement's id")
    parser.add_argument(
        "--period", required=True, help="the period: 2025 (year), 2025Q1 (quarter), 2025-03"
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="replace the figures of a period that is already settled (its run is kept, "
        "marked superseded)",
    )
