"""How the search page finds contacts (their owner's officers only) and engagements."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet

from parklink.core.search import Query, name_conditions, ranked
from parklink.engagements import queries
from parklink.engagements.models import Contact, Engagement


def contacts(user: Any, query: Query) -> QuerySet[Contact]:
    exact, prefix, contains = name_conditions(query, ("name",))
    if query.text:
        contains |= name_conditions(query, ("enterprise__name",))[2]
    return ranked(
        queries.visible_contacts(user).select_related("enterprise"), exact, prefix, contains
    )


def contact_detail(contact: Contact) -> str:
    return " · ".join(part for part in (contact.enterprise.name, contact.title) if part)


def engagements(user: Any, query: Query) -> QuerySet[Engagement]:
    """Engagements the user reads whole, by title or by an enterprise met (each once)."""
    visible = queries.visible_engagements(user)
    exact = Q(title__iexact=query.text)
    prefix = Q(title__istartswith=query.text)
    contains = Q(title__icontains=query.text) | Q(enterprises__name__icontains=query.text)
    if query.latin:  # pinyin finds the enterprises met
        contains |= Q(enterprises__name_pinyin__contains=query.latin)
        contains |= Q(enterprises__name_initials__contains=query.latin)
    found = visible.filter(contains).values("pk")
    qs = visible.filter(pk__in=found).annotate(name=F("title"))
    return ranked(qs, exact, prefix, Q())


def engagement_detail(engagement: Engagement) -> str:
    return f"{engagement.held_on:%Y-%m-%d} · {engagement.get_kind_display()}"
