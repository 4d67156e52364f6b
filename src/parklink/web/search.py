"""Search across parks, enterprises and projects by Chinese name, pinyin, initials and USCC."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Model, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.core.text import normalise_name, to_simplified
from parklink.enterprises import uscc as uscc_rules
from parklink.enterprises.models import Enterprise
from parklink.parks.models import Park
from parklink.projects.models import Project
from parklink.projects.queries import visible_projects

MAX_QUERY_LENGTH = 64
DEFAULT_LIMIT = 10
_LATIN = re.compile(r"^[a-z0-9'\s]+$")
_ALNUM = re.compile(r"^[0-9A-Z]+$")

EXACT, PREFIX, CONTAINS = 0, 1, 2
DETAIL_URLS = {
    "park": "parks:detail",
    "enterprise": "enterprises:detail",
    "project": "projects:detail",
}


@dataclass(frozen=True)
class Query:
    """A user's search text in the forms the fields are stored in."""

    raw: str
    text: str  # simplified Chinese, NFKC-folded, trimmed
    latin: str  # lower-case letters and digits when the query is pinyin-like, else ""
    code: str  # upper-case letters and digits when it could be (part of) a USCC, else ""

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

    @property
    def url_name(self) -> str:
        """The name of the detail page's URL pattern, reversed with `pk`."""
        return DETAIL_URLS[self.kind]


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
    code = uscc_rules.normalise(text)
    return Query(raw=raw or "", text=text, latin=latin, code=code if _ALNUM.match(code) else "")


def _rank(exact: Q, prefix: Q) -> Case:
    return Case(
        When(exact, then=Value(EXACT)),
        When(prefix, then=Value(PREFIX)),
        default=Value(CONTAINS),
        output_field=IntegerField(),
    )


def _name_conditions(query: Query, fields: tuple[str, ...]) -> tuple[Q, Q, Q]:
    """(exact, prefix, contains) conditions over Chinese name fields and the pinyin keys."""
    exact, prefix, contains = Q(pk__in=[]), Q(pk__in=[]), Q(pk__in=[])
    for name in fields:
        exact |= Q(**{f"{name}__iexact": query.text})
        prefix |= Q(**{f"{name}__istartswith": query.text})
        contains |= Q(**{f"{name}__icontains": query.text})
    if query.latin:
        # Stored keys of the name and of its alias (short name or code name).
        for key in ("name_pinyin", "name_initials", "alias_pinyin", "alias_initials"):
            exact |= Q(**{key: query.latin})
            prefix |= Q(**{f"{key}__startswith": query.latin})
            contains |= Q(**{f"{key}__contains": query.latin})
    return exact, prefix, contains


def _ranked(qs: QuerySet[Any], exact: Q, prefix: Q, contains: Q) -> QuerySet[Any]:
    return (
        qs.filter(contains)
        .annotate(search_rank=_rank(exact, prefix), name_length=Length("name"))
        .order_by("search_rank", "name_length", "name", "pk")
    )


def park_matches(query: Query) -> QuerySet[Park]:
    exact, prefix, contains = _name_conditions(query, ("name", "short_name"))
    return _ranked(Park.objects.select_related("region"), exact, prefix, contains)


def enterprise_matches(query: Query) -> QuerySet[Enterprise]:
    exact, prefix, contains = _name_conditions(query, ("name", "short_name"))
    key = normalise_name(query.text)
    if key:
        contains |= Q(normalized_name__contains=key)
        exact |= Q(normalized_name=key)
    if query.code:
        exact |= Q(uscc=query.code)
        prefix |= Q(uscc__startswith=query.code)
        contains |= Q(uscc__startswith=query.code)
    return _ranked(Enterprise.objects.select_related("region"), exact, prefix, contains)


def project_matches(user: User, query: Query) -> QuerySet[Project]:
    """Only projects the user may see, so hidden ones count for nothing."""
    exact, prefix, contains = _name_conditions(query, ("name", "code_name"))
    qs = visible_projects(user).select_related("park", "region")
    return _ranked(qs, exact, prefix, contains)


def _detail(obj: Model) -> str:
    """A short second line: where the record is and what it is."""
    if isinstance(obj, Park):
        return f"{obj.region.name} · {obj.get_kind_display()}"
    if isinstance(obj, Enterprise):
        return " · ".join([obj.region.name] + ([obj.uscc] if obj.uscc else []))
    if isinstance(obj, Project):
        place = obj.park.name if obj.park is not None else obj.region.name
        return f"{place} · {obj.get_stage_display()}"
    return ""


def _group(kind: str, label: str, qs: QuerySet[Any], limit: int) -> Group:
    rows = list(qs[:limit])
    count = len(rows) if len(rows) < limit else qs.count()
    hits = [
        Hit(kind=kind, pk=row.pk, name=row.name, detail=_detail(row), rank=row.search_rank)
        for row in rows
    ]
    return Group(kind=kind, label=label, count=count, hits=hits)


def search(user: User, raw: str | None, limit: int = DEFAULT_LIMIT) -> SearchResult:
    """Parks, enterprises and visible projects matching `raw`, best first, `limit` per kind."""
    query = parse_query(raw)
    if query.is_empty:
        return SearchResult(query=query, groups=[])
    groups = [
        _group("park", _("园区"), park_matches(query), limit),
        _group("enterprise", _("企业"), enterprise_matches(query), limit),
        _group("project", _("项目"), project_matches(user, query), limit),
    ]
    return SearchResult(query=query, groups=groups)
