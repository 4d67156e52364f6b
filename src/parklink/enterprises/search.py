"""How the search page finds enterprises: name, short name, pinyin, normalised name and USCC."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from parklink.core.search import Query, name_conditions, ranked
from parklink.core.text import normalise_name
from parklink.enterprises import uscc as uscc_rules
from parklink.enterprises.models import Enterprise


def matches(user: Any, query: Query) -> QuerySet[Enterprise]:
    """Every enterprise (enterprises are public), best match first; a whole USCC is exact."""
    exact, prefix, contains = name_conditions(query, ("name", "short_name"))
    key = normalise_name(query.text)
    if key:
        contains |= Q(normalized_name__contains=key)
        exact |= Q(normalized_name=key)
    code = uscc_rules.normalise(query.code)
    if code:
        exact |= Q(uscc=code)
        prefix |= Q(uscc__startswith=code)
        contains |= Q(uscc__startswith=code)
    return ranked(Enterprise.objects.select_related("region"), exact, prefix, contains)


def detail(enterprise: Enterprise) -> str:
    """Where the enterprise is registered, and its USCC when it has one."""
    return " · ".join([enterprise.region.name] + ([enterprise.uscc] if enterprise.uscc else []))
