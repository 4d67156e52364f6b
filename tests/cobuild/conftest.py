"""The cobuild tests' world (tests/cobuild/support.py)."""

from tests.cobuild.support import world

__all__ = ["world"]
