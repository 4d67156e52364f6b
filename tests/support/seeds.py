"""Where the tests find the seed articles the demo data quotes, and what they do without them.

The articles live outside the repository (`../shared/seeds` next to it, or the directory
named by `PARKLINK_SEEDS_DIR`). A fresh clone without them skips the tests that read them,
with a message naming the variable; under CI (`CI=true`) a missing directory fails instead,
so a pipeline cannot go green without checking the quotes.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

SEEDS_ENV = "PARKLINK_SEEDS_DIR"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SEEDS_DIR = REPO_ROOT.parent / "shared" / "seeds"


def seeds_dir() -> Path:
    """`$PARKLINK_SEEDS_DIR`, else `../shared/seeds` relative to the repository root."""
    env = os.environ.get(SEEDS_ENV)
    return Path(env) if env else DEFAULT_SEEDS_DIR


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def unavailable(reason: str) -> None:
    """Skip the calling test, or fail it under CI, saying how to provide the articles."""
    message = (
        f"{reason}. The demo data quotes the seed articles verbatim; set {SEEDS_ENV} to the "
        "directory holding 000_*.txt .. 004_*.txt"
    )
    if in_ci():
        pytest.fail(f"{message} (CI=true: a missing directory fails the run).", pytrace=False)
    pytest.skip(f"{message}.")


def require_seeds_dir() -> Path:
    """The seed directory, or skip (fail under CI) when it is absent."""
    directory = seeds_dir()
    if not directory.is_dir():
        unavailable(f"Seed articles directory not found: {directory}")
    return directory


@cache
def _texts(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.txt"))}


def seed_texts() -> dict[str, str]:
    """File name → text of every seed article (skip / fail under CI when there are none)."""
    directory = require_seeds_dir()
    texts = _texts(directory)
    if not texts:
        unavailable(f"No seed articles (*.txt) in {directory}")
    return texts
