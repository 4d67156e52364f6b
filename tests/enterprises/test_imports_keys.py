"""The bulk import's derived keys are byte-identical to the ones `Enterprise.save` gives.

`enterprises.imports.pinyin_keys_many` and `normalise_names` compute a whole file's keys with
caches (runs and words met before); `core.text.pinyin_keys` and `normalise_name` compute one
name at a time, as a page or the API saves it. Search finds an imported enterprise only if both
agree to the byte, so they are compared here on thousands of real names and texts: the
national industry classification (GB/T 4754-2017, `../shared/data/gbt4754`, the same table the
package ships), every region of the country (cpca), enterprise-like names made of the two, the
classification's notes cut at their punctuation, and the same in traditional characters.
"""

from __future__ import annotations

import csv
import os
import random
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from parklink.core.text import normalise_name, pinyin_keys
from parklink.enterprises.imports import normalise_names, pinyin_keys_many
from parklink.regions.table import build_rows

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("PARKLINK_SHARED_DATA", REPO.parent / "shared" / "data"))
SHIPPED = REPO / "src" / "parklink" / "data" / "gbt4754_2017.csv"
SUFFIXES = ["有限公司", "股份有限公司", "(集团)有限公司", "有限责任公司", "合作社", "厂"]
BRACKETS = re.compile(r"[,，。;；、:：()（）“”\"]+")


def _table() -> Path:
    """The reference copy in ../shared/data, else the byte-identical copy the package ships."""
    shared = SHARED / "gbt4754" / "gbt4754_2017.csv"
    return shared if shared.is_file() else SHIPPED


@cache
def real_texts() -> list[str]:
    rng = random.Random(4754)
    with _table().open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    industries = [row["name"] for row in rows]
    clauses = [
        piece.strip() for row in rows for piece in BRACKETS.split(row["remark"]) if piece.strip()
    ]
    regions = build_rows()
    places = [region.full_name for region in regions] + [region.name for region in regions]
    names = [
        f"{rng.choice(places)}{rng.choice(industries)}{rng.choice(['', str(index), 'ABC'])}"
        f"{rng.choice(SUFFIXES)}"
        for index in range(6_000)
    ]
    texts = [*industries, *places, *clauses, *names]
    return [text for text in texts if text]


def traditional(texts: list[str]) -> Iterator[str]:
    import opencc

    converter = opencc.OpenCC("s2t")
    yield from (str(converter.convert(text)) for text in texts)


def test_the_reference_data_is_large_and_real() -> None:
    texts = real_texts()
    assert len(texts) > 10_000
    assert any("有限公司" in text for text in texts)
    assert any("四川省成都市" in text for text in texts)
    assert any("增材制造装备制造" in text for text in texts)  # a 2017-only class, so the table


def test_pinyin_keys_of_thousands_of_real_texts_are_byte_identical() -> None:
    texts = real_texts()
    many = pinyin_keys_many(texts)
    one_by_one = [pinyin_keys(text) for text in texts]
    differing = [(t, m, o) for t, m, o in zip(texts, many, one_by_one, strict=True) if m != o]
    assert differing == []
    # The keys are really pinyin (a broken reader could agree with itself on empty strings).
    assert pinyin_keys_many(["四川省成都市金牛区"]) == [
        ("sichuanshengchengdushijinniuqu", "scscdsjnq")
    ]
    assert sum(1 for full, _initials in many if full) > 0.99 * len(texts)


def test_traditional_texts_and_their_normalised_names_are_byte_identical() -> None:
    texts = real_texts()[::3]
    converted = list(traditional(texts))
    assert sum(1 for a, b in zip(texts, converted, strict=True) if a != b) > 1_000
    assert pinyin_keys_many(converted) == [pinyin_keys(text) for text in converted]
    assert normalise_names(converted) == [normalise_name(text) for text in converted]
    assert normalise_names(texts) == [normalise_name(text) for text in texts]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "123",
        "ABC科技(四川)有限公司",
        " 成都\t高新\n发展 ",
        "〇一二三",
        "①号仓库Ⅱ期",
        "重庆银行成都分行长虹重工",
        "乐山市沙湾区长虹重工有限公司" * 30,  # longer than both keys' columns
        "ＡＢＣ全角字母有限公司",
        "𠀀𪚥生僻字企业",
        "攀钢集团·钒钛资源股份有限公司\\第三分公司",
    ],
)
def test_edge_texts_give_the_same_keys(text: str) -> None:
    expected = pinyin_keys(text) if text else ("", "")
    assert pinyin_keys_many([text, text]) == [expected, expected]  # the second from memory
