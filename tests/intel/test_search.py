"""The search page finds queued items by name, in the user's own organisation's queue only."""

from __future__ import annotations

import pytest

from parklink.core.search import search
from parklink.intel.services import ingest_text
from tests.intel.conftest import ARTICLE, World
from tests.support.search import count, names

pytestmark = pytest.mark.django_db


def test_items_are_found_by_name_in_the_own_queue_only(world: World) -> None:
    ingest_text(world.users["zhangye"], ARTICLE)
    assert any(
        "储能电池" in n for n in names(search(world.users["zhangye"], "储能电池"), "intel-item")
    )
    assert count(search(world.users["jinniu"], "储能电池"), "intel-item") == 0
    assert count(search(world.users["zhangye"], "chuneng"), "intel-item") == 0  # no pinyin keys
