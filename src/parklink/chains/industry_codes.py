"""GB/T 4754-2017 国民经济行业分类: the full code table (data/gbt4754_2017.csv), no Django.

The table has 20 sections (门类, A–T), 97 divisions (大类, 2 digits), the groups (中类, 3 digits)
and 1,381 classes (小类, 4 digits: the file's 1,380 and 3741, see ERRATA). The source lists no
row for the 198 groups that are not subdivided (their only class is the group code + "0");
`table()` adds them, named after that class, so that every 3-digit code of the standard can be
looked up. Source and caveats:
data/gbt4754_2017.md.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TABLE_FILE = Path(__file__).resolve().parent.parent / "data" / "gbt4754_2017.csv"
LEVELS = {1: "section", 2: "division", 3: "group", 4: "class"}
# Errata of the transcription: a class written as a second row of its group, without its code.
# 3741 飞机制造 is a class of the standard (GB/T 4754-2017, group 374).
ERRATA = {("374", "飞机制造"): "3741"}


@dataclass(frozen=True)
class IndustryCode:
    code: str  # "C", "38", "384", "3841"
    level: int  # 1 section, 2 division, 3 group, 4 class
    section: str
    name: str
    remark: str = ""

    @property
    def parent(self) -> str | None:
        if self.level == 1:
            return None
        if self.level == 2:
            return self.section
        return self.code[:-1]


@cache
def table() -> dict[str, IndustryCode]:
    """Every code of the standard (sections, divisions, groups, classes), keyed by code."""
    codes: dict[str, IndustryCode] = {}
    with TABLE_FILE.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            level = int(row["level"])
            fixed = ERRATA.get((row["group"], row["name"]))
            if fixed:
                level, row["class"] = 4, fixed
            code = {1: row["section"], 2: row["division"], 3: row["group"], 4: row["class"]}[level]
            codes[code] = IndustryCode(code, level, row["section"], row["name"], row["remark"])
    for code, entry in list(codes.items()):
        group = code[:3]
        if entry.level == 4 and group not in codes:
            codes[group] = IndustryCode(group, 3, entry.section, entry.name, entry.remark)
    return codes


def normalise(code: str | int | None) -> str:
    """An industry code as written in a registry ("C3841", " 3841 ", "３８４１", 3841) → "3841"."""
    if code is None or code == "":
        return ""
    if not isinstance(code, str):
        code = str(code)
    if len(code) == 4 and code.isdigit() and code.isascii():
        return code
    text = "".join(code.split()).upper().translate(_FULL_WIDTH)
    if len(text) > 1 and text[0].isalpha() and text[1:].isdigit():
        text = text[1:]  # the section letter in front of the digits
    return text


_FULL_WIDTH = {0xFF10 + i: 0x30 + i for i in range(10)} | {0xFF21 + i: 0x41 + i for i in range(26)}


def exists(code: str) -> bool:
    return code in table()


def get(code: str) -> IndustryCode | None:
    return table().get(normalise(code))


def name(code: str) -> str:
    entry = get(code)
    return entry.name if entry else ""


def classes() -> list[IndustryCode]:
    """The 4-digit classes (小类), in the standard's order."""
    return [entry for entry in table().values() if entry.level == 4]
