"""Lists in words, in the user's language: 甲、乙、丙 in Chinese, "a, b, c" in English.

The separator is a translatable string with its own context, so the English catalogue gives
", " where Chinese writes "、" (never a hard-coded "、" joining translated words).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext


def separator() -> str:
    return pgettext("list separator", "、")


def join(items: Iterable[object]) -> str:
    return separator().join(str(item) for item in items)
