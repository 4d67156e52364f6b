"""How the search page finds parks: name, short name and their pinyin keys."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from parklink.core.search import Query, name_conditions, ranked
from parklink.parks.models import Park


def matches(user: Any, query: Query) -> QuerySet[Park]:
    """Every park (parks are public), best match first."""
    exact, prefix, contains = name_conditions(query, ("name", "short_name"))
    return ranked(Park.objects.select_related("region"), exact, prefix, contains)


def detail(park: Park) -> str:
    """Where the park is and what kind it is."""
    return f"{park.region.name} · {park.get_kind_display()}"
