"""Import enterprises from .xlsx/.csv: every row checked, then all written or none."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parklink.accounts.imports import OwnedImporter, resolve_owner
from parklink.accounts.models import Organization, User
from parklink.core import cells, imports
from parklink.core.imports import Column, ImportReport, Problem, Row, Source
from parklink.core.tabular import Limits
from parklink.core.text import normalise_name
from parklink.enterprises import uscc as uscc_rules
from parklink.enterprises.models import Enterprise
from parklink.enterprises.services import create_enterprise, duplicate_message
from parklink.regions.cells import RegionLookup

_BATCH = 500
FLAGS = (
    ("is_chain_leader", "链主企业", "chain_leader", ("链主",)),
    ("is_listed", "上市企业", "listed", ("上市", "is_listed")),
    ("is_high_tech", "高新技术企业", "high_tech", ("高新", "高新企业", "is_high_tech")),
    ("is_above_scale", "规上企业", "above_scale", ("规上", "规模以上企业", "is_above_scale")),
    (
        "is_specialised_sme",
        "专精特新",
        "specialised_sme",
        ("专精特新企业", "专精特新中小企业", "is_specialised_sme"),
    ),
)


def _uscc(value: Any) -> str:
    code = uscc_rules.normalise(cells.cell_text(value))
    found = uscc_rules.problem(code)
    if found is not None:
        raise cells.CellError(found.message_zh, found.message_en)
    return code


def _existing_message_en(existing: Enterprise, code: str | None) -> str:
    if code and existing.uscc == code:
        return f"USCC {existing.uscc} is already registered as “{existing.name}” (id {existing.pk})"
    return (
        f"“{existing.region.name}” already has an enterprise named “{existing.name}” "
        f"(id {existing.pk})"
    )


def _detail_columns() -> list[Column]:
    """What describes the enterprise: industry, short name, flags, capital, description."""
    return [
        Column(
            "industry_code",
            "行业代码",
            "industry_code",
            cells.industry_code,
            aliases=("国民经济行业代码", "行业分类代码"),
            default="",
        ),
        Column(
            "short_name",
            "简称",
            "short_name",
            cells.text(64),
            aliases=("企业简称",),
            default="",
        ),
        *(
            Column(key, zh, en, cells.boolean, aliases=aliases, default=False)
            for key, zh, en, aliases in FLAGS
        ),
        Column(
            "registered_capital",
            "注册资本(万元)",
            "registered_capital",
            cells.amount("万元"),
            aliases=("注册资本",),
            unit_parser=cells.amount,
        ),
        Column(
            "description",
            "简介",
            "description",
            cells.text(),
            aliases=("企业简介", "介绍"),
            default="",
        ),
    ]


class EnterpriseImporter(OwnedImporter):
    """企业名称, 统一社会信用代码, 注册地, 行业代码, flags, 注册资本(万元), 简介."""

    kind = "enterprises"
    ignored_headers = ("编号", "id", "所属机构", "owner")

    def load(self) -> None:
        self.regions = RegionLookup()
        self.by_uscc: dict[str, Enterprise] = {}
        self.by_name: dict[tuple[str, str], Enterprise] = {}

    def columns(self) -> Sequence[Column]:
        return [*self._identity_columns(), *_detail_columns()]

    def _identity_columns(self) -> list[Column]:
        """What names the enterprise: its name, USCC and registered region."""
        return [
            Column(
                "name",
                "企业名称",
                "name",
                cells.text(128),
                required=True,
                aliases=("名称", "企业", "公司名称", "enterprise", "company"),
            ),
            Column(
                "uscc",
                "统一社会信用代码",
                "uscc",
                _uscc,
                aliases=("信用代码", "社会信用代码", "credit_code"),
                default=None,
            ),
            Column(
                "region",
                "注册地",
                "region",
                self.regions.parse,
                required=True,
                aliases=("注册地行政区", "所在地", "行政区", "行政区划代码", "adcode"),
            ),
        ]

    def _name_key(self, row: Row) -> tuple[str, str] | None:
        region = row.values.get("region")
        name = row.values.get("name")
        if not name or region is None:
            return None
        return normalise_name(name), region.adcode

    def prepare(self, rows: list[Row]) -> None:
        for row in rows:
            key = self._name_key(row)
            row.values["_name_key"] = key
        codes = sorted({row.values["uscc"] for row in rows if row.values.get("uscc")})
        names = sorted({key[0] for row in rows if (key := row.values["_name_key"])})
        for start in range(0, len(codes), _BATCH):
            found = Enterprise.objects.filter(uscc__in=codes[start : start + _BATCH])
            self.by_uscc.update((e.uscc, e) for e in found.select_related("region") if e.uscc)
        for start in range(0, len(names), _BATCH):
            found = Enterprise.objects.filter(normalized_name__in=names[start : start + _BATCH])
            self.by_name.update(
                ((e.normalized_name, e.region_id), e) for e in found.select_related("region")
            )

    def check(self, row: Row) -> list[Problem]:
        problems: list[Problem] = []
        capital = row.values.get("registered_capital")
        if capital is not None and capital < 0:
            problems.append(
                self.problem(
                    row,
                    "registered_capital",
                    "注册资本不能为负数",
                    "registered capital cannot be negative",
                )
            )
        code = row.values.get("uscc")
        key = row.values.get("_name_key")
        existing = (self.by_uscc.get(code) if code else None) or (
            self.by_name.get(key) if key else None
        )
        if existing is not None:
            column = "uscc" if code and existing.uscc == code else "name"
            problems.append(
                self.problem(
                    row,
                    column,
                    duplicate_message(existing, code),
                    _existing_message_en(existing, code),
                )
            )
        return problems

    def check_file(self, rows: list[Row]) -> list[Problem]:
        """Two rows of one file naming the same enterprise: each later row names the first."""
        problems: list[Problem] = []
        first_uscc: dict[str, int] = {}
        first_name: dict[tuple[str, str], int] = {}
        for row in rows:
            code = row.values.get("uscc")
            key = row.values.get("_name_key")
            if code and code in first_uscc:
                earlier = first_uscc[code]
                problems.append(
                    self.problem(
                        row,
                        "uscc",
                        f"与第{earlier}行的统一社会信用代码重复",
                        f"same USCC as row {earlier}",
                    )
                )
            elif key and key in first_name:
                earlier = first_name[key]
                problems.append(
                    self.problem(
                        row,
                        "name",
                        f"与第{earlier}行重复:同一注册地的同名企业",
                        f"duplicates row {earlier}: same name in the same region",
                    )
                )
            if code:
                first_uscc.setdefault(code, row.number)
            if key:
                first_name.setdefault(key, row.number)
        return problems

    def save(self, row: Row) -> Enterprise:
        values = {k: v for k, v in row.values.items() if not k.startswith("_")}
        return create_enterprise(self.user, owner_id=self.owner.pk, **values)


def validate_enterprises(
    user: User,
    source: Source,
    owner: Organization | None = None,
    fmt: str | None = None,
    name: str | None = None,
    limits: Limits | None = None,
) -> ImportReport:
    """Check a file of enterprises; writes nothing."""
    importer = EnterpriseImporter(user, owner or resolve_owner(user))
    return imports.validate(importer, source, fmt, name, limits)


def import_enterprises(
    user: User,
    source: Source,
    owner: Organization | None = None,
    fmt: str | None = None,
    dry_run: bool = False,
    name: str | None = None,
    limits: Limits | None = None,
) -> ImportReport:
    """Create every enterprise in the file, or none when any row has a problem."""
    importer = EnterpriseImporter(user, owner or resolve_owner(user))
    return imports.run(importer, source, fmt, dry_run, name, limits)
