"""Chinese text normalisation shared by duplicate checks, search and imports."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

_PUNCT_MAP = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "·": "", "•": "", "—": "-"})
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified ones."""
    return str(_converter().convert(text))


def normalise_name(name: str) -> str:
    """Key for duplicate detection: NFKC width folding, simplified, no spaces or brackets."""
    folded = unicodedata.normalize("NFKC", name or "").translate(_PUNCT_MAP)
    folded = to_simplified(folded)
    folded = _SPACES.sub("", folded).lower()
    return folded.replace("(", "").replace(")", "")


def pinyin_keys(text: str) -> tuple[str, str]:
    """('gaodechanyeyuan', 'gdcyy') for '高德产业园': full pinyin and initials, for search."""
    from pypinyin import Style, lazy_pinyin

    simplified = to_simplified(text or "")
    full = "".join(lazy_pinyin(simplified, errors="default")).lower()
    initials = "".join(
        syllable[:1]
        for syllable in lazy_pinyin(simplified, style=Style.FIRST_LETTER, errors="default")
    ).lower()
    return re.sub(r"[^0-9a-z]", "", full)[:255], re.sub(r"[^0-9a-z]", "", initials)[:64]
