"""The kpi tests' world (tests/kpi/support.py)."""

from __future__ import annotations

from typing import Any

import pytest

from parklink.accounts.models import Organization
from tests.kpi.support import World, build


@pytest.fixture
def world(orgs: dict[str, Organization], db: Any) -> World:
    return build(orgs)
