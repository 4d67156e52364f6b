"""统一社会信用代码 (GB 32100-2015) validation; plain Python, no Django."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUES = {char: index for index, char in enumerate(ALPHABET)}
REGISTRATION_AUTHORITIES = set("123456789ABCDEFGNY")


@dataclass(frozen=True)
class UsccProblem:
    code: str
    message_zh: str
    message_en: str


def normalise(code: str) -> str:
    """Upper case without spaces; full-width characters typed in Chinese text become ASCII."""
    folded = unicodedata.normalize("NFKC", code or "")
    return "".join(folded.split()).upper()


def check_character(first17: str) -> str:
    """The 18th character that GB 32100 derives from the first seventeen."""
    total = sum(_VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> UsccProblem | None:
    """Why `code` is not a valid USCC, or None when it is."""
    code = normalise(code)
    if len(code) != 18:
        return UsccProblem(
            "length",
            f"统一社会信用代码应为18位,实际为{len(code)}位",
            f"a USCC has 18 characters, this one has {len(code)}",
        )
    bad = [char for char in code if char not in _VALUES]
    if bad:
        return UsccProblem(
            "charset",
            f"含有不允许的字符“{bad[0]}”(不使用I、O、Z、S、V)",
            f"contains the character {bad[0]!r}, which a USCC never uses "
            "(I, O, Z, S and V are excluded)",
        )
    if code[0] not in REGISTRATION_AUTHORITIES:
        return UsccProblem(
            "authority",
            f"第1位登记管理部门代码“{code[0]}”无效",
            f"the registration authority code {code[0]!r} does not exist",
        )
    if not code[2:8].isdigit():
        return UsccProblem(
            "adcode",
            "第3至8位应为行政区划代码(数字)",
            "characters 3 to 8 must be the six digits of an administrative code",
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        return UsccProblem(
            "checksum",
            f"校验码错误:第18位应为“{expected}”,实际为“{code[17]}”",
            f"check character is wrong: expected {expected!r}, found {code[17]!r}",
        )
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None
