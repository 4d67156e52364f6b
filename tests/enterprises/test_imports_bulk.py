"""The bulk enterprise import's fast paths give what the one-by-one paths give.

Each speed-up of `enterprises.imports` keeps a slower reference beside it: the USCC cell's
fast check against `uscc.problem`, the COPY text written out per column against the general
`_copy_line`, and a whole import's stored rows (enterprises and history) against what
`Enterprise.save` derives. Runs on SQLite (batched INSERTs) and on PostgreSQL (COPY).
"""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from parklink.accounts.models import User
from parklink.core import cells, imports
from parklink.core.text import normalise_name, pinyin_keys
from parklink.enterprises import imports as enterprise_imports
from parklink.enterprises import uscc as uscc_rules
from parklink.enterprises.imports import (
    EnterpriseImporter,
    _copy_line,
    _copy_part,
    _record,
    _uscc,
)
from parklink.enterprises.models import Enterprise
from tests.support.import_files import make_uscc

AWKWARD = [
    "制表\t符",
    "换行\n第二行",
    "回车\r\n",
    "反斜杠\\N 不是空值",
    'quote "引号"',
    "",
    "普通简介",
]


def _slow_uscc(value: Any) -> str | cells.CellError:
    text = cells.cell_text(value)
    code = uscc_rules.normalise(text)
    found = uscc_rules.problem(code)
    if found is not None:
        return cells.CellError(found.message_zh, found.message_en)
    return code


def _codes() -> list[Any]:
    rng = random.Random(32100)
    codes: list[Any] = []
    for number in range(3_000):
        good = make_uscc(number, rng.choice(["510106", "110105", "330000"]))
        codes.append(good)
        codes.append(good[:-1] + rng.choice(uscc_rules.ALPHABET))  # often a wrong check
        codes.append(good.lower())  # valid once normalised
        codes.append(" " + good[:9] + " " + good[9:])
        codes.append(good.replace("1", "I", 1))  # a letter a USCC never uses
        codes.append("Z" + good[1:])  # an authority that does not exist
        codes.append(good[:4] + "AB" + good[6:])  # letters in the administrative code
        codes.append(good[:17])
        codes.append(good.translate(str.maketrans("0123456789", "０１２３４５６７８９")))
    codes.extend([123456789012345678, 9.15101e17, None, "", "  "])
    return codes


def test_the_fast_uscc_check_agrees_with_the_standards_check_on_every_kind_of_cell() -> None:
    fast_accepted = 0
    for value in _codes():
        expected = _slow_uscc(value)
        try:
            found: str | cells.CellError = _uscc(value)
        except cells.CellError as exc:
            found = exc
        if isinstance(expected, cells.CellError):
            assert isinstance(found, cells.CellError), value
            assert (found.reason_zh, found.reason_en) == (expected.reason_zh, expected.reason_en)
        else:
            assert found == expected, value
            fast_accepted += enterprise_imports._valid_as_written(value)
    assert fast_accepted >= 3_000  # the usual cell took the fast path


NOW = datetime(2026, 12, 6, 1, 2, 3, 456789, tzinfo=UTC)


def _values() -> list[dict[str, Any]]:
    rows = []
    for index, text in enumerate(AWKWARD * 3):
        values = {
            "name": f"成都{text}科技有限公司",
            "short_name": text[:8],
            "_name_key": (normalise_name(f"成都{text}科技有限公司"), "510106"),
            "uscc": make_uscc(index) if index % 2 else None,
            "industry_code": "3985" if index % 3 else "",
            "description": text,
            "business_scope": text * 2,
            "is_chain_leader": index % 2 == 0,
            "is_listed": index % 3 == 0,
            "is_high_tech": True,
            "is_above_scale": False,
            "is_specialised_sme": index % 5 == 0,
            "registered_capital": None if index % 4 == 0 else Decimal("1234567.891") * index,
            "region": type("Region", (), {"pk": "510106"})(),
        }
        rows.append(values)
    return rows


def test_the_copy_text_built_by_columns_equals_the_general_one() -> None:
    """`_copy_part` (a column at a time) gives `_copy_line`'s text of each `_record`."""
    values = _values()
    rows = [imports.Row(number, row) for number, row in enumerate(values, start=2)]
    pks = range(1, len(rows) + 1)
    expected = "".join(
        _copy_line(
            [pk, *_record(row, 7, NOW, pinyin_keys(row["name"]), pinyin_keys(row["short_name"]))]
        )
        for pk, row in zip(pks, values, strict=True)
    )
    assert _copy_part(rows, pks, 7, NOW) == expected
    # A column none of whose values needs escaping is written as it is.
    plain = [dict(row, description="简介", business_scope="", short_name="") for row in values]
    expected = "".join(
        _copy_line([pk, *_record(row, 7, NOW, pinyin_keys(row["name"]), ("", ""))])
        for pk, row in zip(pks, plain, strict=True)
    )
    rows = [imports.Row(number, row) for number, row in enumerate(plain, start=2)]
    assert _copy_part(rows, pks, 7, NOW) == expected


def _write(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            [
                "企业名称",
                "统一社会信用代码",
                "注册地",
                "简称",
                "注册资本(万元)",
                "高新技术企业",
                "简介",
                "经营范围",
            ]
        )
        writer.writerows(rows)
    return path


@pytest.mark.django_db
def test_imported_rows_are_stored_as_the_one_by_one_save_stores_them(
    users: dict[str, User], tmp_path: Path
) -> None:
    user = users["jinniu"]
    rows = [
        [
            f"四川{text}{index}号（成都）有限公司" if index % 2 else f"長虹{index}電器有限公司",
            make_uscc(index).lower() if index % 3 == 0 else make_uscc(index),
            "四川省成都市金牛区" if index % 2 else "510106",
            f"长虹{index}" if index % 4 else "",
            "12.345" if index % 5 == 0 else str(index * 10),
            "是" if index % 2 else "否",
            text,
            text + "\\" + text,
        ]
        for index, text in enumerate(AWKWARD * 4)
    ]
    report = imports.run(
        EnterpriseImporter(user, user.organization), _write(tmp_path / "e.csv", rows)
    )
    assert report.written, report.problems
    stored = {e.uscc: e for e in Enterprise.objects.filter(owner=user.organization)}
    assert len(stored) == len(rows)
    for index, row in enumerate(rows):
        enterprise = stored[uscc_rules.normalise(row[1])]
        expected = Enterprise(name=row[0], short_name=row[3])
        assert enterprise.name == row[0]
        assert enterprise.normalized_name == normalise_name(row[0])
        assert (enterprise.name_pinyin, enterprise.name_initials) == pinyin_keys(row[0])
        alias = pinyin_keys(row[3]) if row[3] else ("", "")
        assert (enterprise.alias_pinyin, enterprise.alias_initials) == alias
        assert enterprise.short_name == expected.short_name
        assert enterprise.description == cells.cell_text(row[6])  # a cell is read stripped
        assert enterprise.business_scope == cells.cell_text(row[7])
        assert "\t" in "".join(e.description for e in stored.values())
        assert enterprise.region_id == "510106"
        assert enterprise.is_high_tech is (index % 2 == 1)
        assert enterprise.registered_capital == Decimal(row[4]) * 10_000
        history = Enterprise.history.filter(id=enterprise.pk).get()
        assert history.history_type == "+"
        assert history.history_user_id == user.pk
        assert history.name == enterprise.name
        assert history.description == enterprise.description
        assert history.registered_capital == enterprise.registered_capital
        assert history.history_date == enterprise.created_at


@pytest.mark.django_db
def test_rows_naming_stored_enterprises_are_refused_whatever_their_characters(
    users: dict[str, User], tmp_path: Path
) -> None:
    from parklink.enterprises.services import create_enterprise
    from parklink.regions.models import Region

    user = users["jinniu"]
    region = Region.objects.get(adcode="510106")
    by_name = create_enterprise(user, name="反斜杠\\（成都）有限公司", region=region)
    by_code = create_enterprise(user, name="长虹代码有限公司", region=region, uscc=make_uscc(7))
    rows = [
        ["反斜杠\\(成都) 有限公司", "", "510106", "", "", "", "", ""],  # the same key once folded
        ["另一家有限公司", make_uscc(7), "510106", "", "", "", "", ""],
        ["新的有限公司", make_uscc(8), "510106", "", "", "", "", ""],
    ]
    report = imports.run(
        EnterpriseImporter(user, user.organization), _write(tmp_path / "d.csv", rows)
    )
    assert not report.written
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "企业名称"),
        (3, "统一社会信用代码"),
    ]
    assert str(by_name.pk) in report.problems[0].reason_zh
    assert str(by_code.pk) in report.problems[1].reason_zh
    assert Enterprise.objects.filter(owner=user.organization).count() == 2
