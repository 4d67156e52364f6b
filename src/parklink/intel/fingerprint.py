"""Fingerprints of an article's text: the same text again, and the same text republished.

`content_hash` is the sha256 of the normalised text (whitespace runs folded); `near_key`
keeps only letters, digits and CJK characters, simplified and width-folded, and leaves out
short lines (navigation, share buttons, bylines), so the article copied to another site
under another title and chrome has the same key. No Django imports.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from parklink.core.text import to_simplified

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
# Lines shorter than this (after folding) are chrome: menus, buttons, bylines, dates.
MIN_LINE = 16


def content_hash(text: str) -> str:
    folded = _SPACES.sub(" ", text or "").strip()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def skeleton(text: str) -> str:
    """The text's letters and digits, line by line, without short lines."""
    folded = to_simplified(unicodedata.normalize("NFKC", text or "")).lower()
    kept = []
    for line in folded.splitlines():
        bare = _NOT_WORD.sub("", line)
        if len(bare) >= MIN_LINE:
            kept.append(bare)
    if not kept:  # a short text: all of it
        kept = [_NOT_WORD.sub("", folded)]
    return "".join(kept)


def near_key(text: str) -> str:
    return hashlib.sha256(skeleton(text).encode("utf-8")).hexdigest()
