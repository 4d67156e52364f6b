"""The enterprise import at size: all or nothing, every bad row named, derived keys exact."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from parklink.accounts.models import Organization, User
from parklink.core import imports
from parklink.core.tabular import Limits
from parklink.core.text import normalise_name, pinyin_keys
from parklink.enterprises import imports as enterprise_imports
from parklink.enterprises.imports import (
    EnterpriseImporter,
    enterprises_imported,
    normalise_names,
    pinyin_keys_many,
)
from parklink.enterprises.models import Enterprise
from parklink.enterprises.services import create_enterprise
from tests.support.import_files import make_uscc

pytestmark = pytest.mark.django_db

HEADER = [
    "企业名称",
    "统一社会信用代码",
    "注册地",
    "行业代码",
    "注册资本(万元)",
    "高新技术企业",
    "简称",
]
ROWS = 3_000
LIMITS = Limits(max_rows=ROWS + 10)

NAMES = [
    "四川長虹電器股份有限公司",  # traditional characters
    "成都高新发展股份有限公司",
    "重庆银行成都分行",  # polyphones: 重 (chong), 行 (hang)
    "（成都）锂电 新材料 有限公司",  # full-width brackets, spaces
    "ABC科技(四川)有限公司",
    "乐山市沙湾区长虹重工有限公司",
    "一目瞭然咨询有限公司",  # a phrase that changes a character the table keeps
    "中铁二局集团有限公司\n第三分公司",
    "攀钢集团·钒钛资源股份有限公司",
    "",
    "123",
    "成都市金牛区 金牛区   金牛",
]


def test_keys_for_many_names_equal_the_ones_computed_one_by_one() -> None:
    assert normalise_names(NAMES) == [normalise_name(name) for name in NAMES]
    many = pinyin_keys_many(NAMES)
    assert many == [pinyin_keys(name) if name else ("", "") for name in NAMES]
    assert many[2][1].startswith("cqyh")  # 重庆银行 read as chongqing yinhang


def write(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def good_rows(count: int, start: int = 0) -> list[list[Any]]:
    places = ["510106", "四川省成都市金牛区", "成都市青白江区"]
    return [
        [
            f"成都長虹{index:05d}科技有限公司"
            if index % 10 == 0
            else f"金牛锂电{index:05d}有限公司",
            make_uscc(index),
            places[index % len(places)],
            "39",
            "12.345" if index % 3 == 0 else 100 + index,
            "是" if index % 2 else "否",
            f"锂电{index}" if index % 4 == 0 else "",
        ]
        for index in range(start, start + count)
    ]


def test_a_large_file_with_bad_rows_writes_nothing_and_names_every_one(
    users: dict[str, User], orgs: dict[str, Organization], tmp_path: Path
) -> None:
    jinniu = users["jinniu"]
    existing = create_enterprise(
        jinniu, name="已登记企业有限公司", region_id="510106", uscc=make_uscc(999_999)
    )
    rows = good_rows(ROWS)
    rows[10][1] = rows[10][1][:-1] + ("0" if rows[10][1][-1] != "0" else "1")  # check char
    rows[700][4] = "很多"  # not an amount
    rows[1500][2] = "火星"  # no such region
    rows[2000][1] = rows[5][1]  # the same USCC as row 7 of the sheet
    rows[2500][1] = make_uscc(999_999)  # already registered
    rows[2999][0] = ""  # required
    report = imports.run(
        EnterpriseImporter(jinniu, orgs["jinniu"]), write(tmp_path / "bad.csv", rows), limits=LIMITS
    )
    assert not report.written and report.created == 0
    assert Enterprise.objects.exclude(pk=existing.pk).count() == 0
    assert Enterprise.history.exclude(id=existing.pk).count() == 0
    found = {(p.row, p.column): p.reason_zh for p in report.problems}
    assert set(found) == {
        (12, "统一社会信用代码"),
        (702, "注册资本(万元)"),
        (1502, "注册地"),
        (2002, "统一社会信用代码"),
        (2502, "统一社会信用代码"),
        (3001, "企业名称"),
    }
    assert found[(2002, "统一社会信用代码")] == "与第7行的统一社会信用代码重复"
    assert found[(3001, "企业名称")] == "必填项不能为空"
    assert found[(2502, "统一社会信用代码")].startswith(
        f"统一社会信用代码 {make_uscc(999_999)} 已登记为"
    )
    assert found[(12, "统一社会信用代码")].startswith("校验码错误")


def test_a_large_good_file_is_written_whole_with_its_history(
    users: dict[str, User], orgs: dict[str, Organization], tmp_path: Path
) -> None:
    jinniu = users["jinniu"]
    heard: list[list[int]] = []

    def listen(sender: Any, ids: list[int], **_: Any) -> None:
        heard.append(ids)

    enterprises_imported.connect(listen)
    try:
        report = imports.run(
            EnterpriseImporter(jinniu, orgs["jinniu"]),
            write(tmp_path / "good.csv", good_rows(ROWS)),
            limits=LIMITS,
        )
    finally:
        enterprises_imported.disconnect(listen)
    assert report.problems == [] and report.written and report.created == ROWS
    made = list(Enterprise.objects.order_by("pk"))
    assert len(made) == ROWS and sorted(heard[0]) == [e.pk for e in made]
    for enterprise in made[:: ROWS // 60]:
        # What Enterprise.save() derives, derived in bulk the same way.
        assert enterprise.normalized_name == normalise_name(enterprise.name)
        assert (enterprise.name_pinyin, enterprise.name_initials) == pinyin_keys(enterprise.name)
        expected_alias = pinyin_keys(enterprise.short_name) if enterprise.short_name else ("", "")
        assert (enterprise.alias_pinyin, enterprise.alias_initials) == expected_alias
        assert enterprise.owner_id == orgs["jinniu"].pk
    first = Enterprise.objects.get(uscc=make_uscc(0))
    assert first.name == "成都長虹00000科技有限公司" and first.normalized_name.startswith(
        "成都长虹"
    )
    assert first.registered_capital == Decimal("123450.00")  # 12.345 万元, to the fen
    assert first.region_id == "510106" and not first.is_high_tech
    assert Enterprise.objects.get(uscc=make_uscc(1)).registered_capital == Decimal("1010000.00")
    history = Enterprise.history.filter(history_type="+")
    assert history.count() == ROWS
    assert set(history.values_list("history_user_id", flat=True)) == {jinniu.pk}
    # The next enterprise made one at a time gets a key after the imported ones.
    later = create_enterprise(jinniu, name="后来的企业有限公司", region_id="510106")
    assert later.pk > made[-1].pk


def test_a_clash_while_writing_writes_nothing(
    users: dict[str, User],
    orgs: dict[str, Organization],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another writer's enterprise with a USCC of the file: the whole file is refused."""
    jinniu = users["jinniu"]
    original = enterprise_imports._new_ids

    def racing(count: int) -> Sequence[int]:
        Enterprise.objects.create(
            name="抢先登记的企业有限公司",
            uscc=make_uscc(5),
            region_id="510106",
            owner=orgs["jinniu"],
        )
        return original(count)

    monkeypatch.setattr(enterprise_imports, "_new_ids", racing)
    report = imports.run(
        EnterpriseImporter(jinniu, orgs["jinniu"]),
        write(tmp_path / "race.csv", good_rows(50)),
        limits=LIMITS,
    )
    assert not report.written and report.problems
    assert Enterprise.objects.count() == 0
