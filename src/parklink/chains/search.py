"""How the search page finds chain templates: by name (光伏, 氢能) or key (photovoltaics)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from parklink.chains.models import ChainTemplate
from parklink.chains.services.templates import visible_templates
from parklink.core.search import Query, ranked


def matches(user: Any, query: Query) -> QuerySet[ChainTemplate]:
    """The templates the user may see (shipped and their organisation's), best match first."""
    text = query.text.strip()
    if not text:
        return ChainTemplate.objects.none()
    exact = Q(name__iexact=text) | Q(key__iexact=text)
    prefix = Q(name__istartswith=text) | Q(key__istartswith=text)
    contains = Q(name__icontains=text) | Q(key__icontains=text)
    return ranked(visible_templates(user).select_related("owner"), exact, prefix, contains)


def detail(template: ChainTemplate) -> str:
    """Whose template it is, and its key."""
    owner = template.owner.name if template.owner else "系统内置"
    return f"{owner} · {template.key}"
