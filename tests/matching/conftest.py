"""The matching tests' world (tests/matching/support.py)."""

from tests.matching.support import world

__all__ = ["world"]
