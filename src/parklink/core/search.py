"""Search by Chinese name, pinyin, initials and codes across whatever the apps register.

The engine knows no app: each app registers a `core.registry.SearchProvider` whose `matches`
builds its ranked queryset from the helpers here (`name_conditions`, `ranked`), and `search`
walks the providers in their `order`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length

from parklink.core.registry import SearchProvider, registry
from parklink.core.text import to_simplified

MAX_QUERY_LENGTH = 64
DEFAULT_LIMIT = 10
_LATIN = re.compile(r"^[a-z0-9'\s]+$")
_ALNUM = re.compile(r"^[0-9A-Z]+$")

EXACT, PREFIX, CONTAINS = 0, 1, 2
PINYIN_KEYS = ("name_pinyin", "name_initials", "alias_pinyin", "alias_initials")


@dataclass(frozen=True)
class Query:
    """A user's search text in the forms the fields are stored in."""

    raw: str
    text: str  # simplified Chinese, NFKC-folded, trimmed
    latin: str  # lower-case letters and digits when the query is pinyin-like, else ""
    code: str  # upper-case letters and digits without spaces (part of a code?), else ""

    @property
    def is_empty(self) -> bool:
        return not self.text


@dataclass(frozen=True)
class Hit:
    """One found record, already reduced to what a result list shows."""

    kind: str
    pk: int
    name: str
    detail: str
    rank: int
    url_name: str  # the detail page's URL pattern, reversed with `pk`


@dataclass
class Group:
    """All hits of one kind: the best `limit` of them and how many there are in total."""

    kind: str
    label: str
    count: int
    hits: list[Hit] = field(default_factory=list)

    @property
    def has_more(self) -> bool:
        return self.count > len(self.hits)


@dataclass
class SearchResult:
    query: Query
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)


def parse_query(raw: str | None) -> Query:
    """Fold width, convert traditional characters and derive the pinyin and code forms."""
    folded = unicodedata.normalize("NFKC", raw or "").strip()[:MAX_QUERY_LENGTH]
    text = to_simplified(folded)
    lowered = text.lower()
    latin = re.sub(r"[^a-z0-9]", "", lowered) if _LATIN.match(lowered) else ""
    code = "".join(text.split()).upper()
    return Query(raw=raw or "", text=text, latin=latin, code=code if _ALNUM.match(code) else "")


def rank(exact: Q, prefix: Q) -> Case:
    """EXACT, PREFIX or CONTAINS for each row, by the first condition it meets."""
    return Case(
        When(exact, then=Value(EXACT)),
        When(prefix, then=Value(PREFIX)),
        default=Value(CONTAINS),
        output_field=IntegerField(),
    )


def name_conditions(query: Query, fields: tuple[str, ...]) -> tuple[Q, Q, Q]:
    """(exact, prefix, contains) over Chinese name fields and the `PinyinSearchable` keys."""
    exact, prefix, contains = Q(pk__in=[]), Q(pk__in=[]), Q(pk__in=[])
    for name in fields:
        exact |= Q(**{f"{name}__iexact": query.text})
        prefix |= Q(**{f"{name}__istartswith": query.text})
        contains |= Q(**{f"{name}__icontains": query.text})
    if query.latin:
        # Stored keys of the name and of its alias (short name or code name).
        for key in PINYIN_KEYS:
            exact |= Q(**{key: query.latin})
            prefix |= Q(**{f"{key}__startswith": query.latin})
            contains |= Q(**{f"{key}__contains": query.latin})
    return exact, prefix, contains


def ranked(qs: QuerySet[Any], exact: Q, prefix: Q, contains: Q) -> QuerySet[Any]:
    """The rows meeting `contains`, annotated with `search_rank`, best and shortest first."""
    return (
        qs.filter(contains)
        .annotate(search_rank=rank(exact, prefix), name_length=Length("name"))
        .order_by("search_rank", "name_length", "name", "pk")
    )


def _group(provider: SearchProvider, qs: QuerySet[Any], limit: int) -> Group:
    rows = list(qs[:limit])
    count = len(rows) if len(rows) < limit else qs.count()
    hits = [
        Hit(
            kind=provider.kind,
            pk=row.pk,
            name=row.name,
            detail=provider.detail(row),
            rank=row.search_rank,
            url_name=provider.url_name,
        )
        for row in rows
    ]
    return Group(kind=provider.kind, label=str(provider.label), count=count, hits=hits)


def search(user: Any, raw: str | None, limit: int = DEFAULT_LIMIT) -> SearchResult:
    """What every registered provider finds for `raw` and `user`, `limit` per kind, in order."""
    query = parse_query(raw)
    if query.is_empty:
        return SearchResult(query=query, groups=[])
    groups = [
        _group(provider, provider.matches(user, query), limit) for provider in registry.search
    ]
    return SearchResult(query=query, groups=groups)


def pick(user: Any, kind: str, raw: str | None, limit: int = DEFAULT_LIMIT) -> Group | None:
    """The best `limit` rows of one registered kind for a picker; None for an unknown kind."""
    provider = next((p for p in registry.search if p.kind == kind), None)
    if provider is None:
        return None
    query = parse_query(raw)
    if query.is_empty:
        return Group(kind=provider.kind, label=str(provider.label), count=0)
    return _group(provider, provider.matches(user, query), limit)
