"""How the search page finds queued items: by project name, in the user's own queue only."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from parklink.accounts.models import User
from parklink.core.search import Query, ranked
from parklink.intel.models import Item
from parklink.intel.queries import visible_items


def matches(user: User, query: Query) -> QuerySet[Item]:
    """Items (pinyin is not kept for them: a name typed in Chinese finds them)."""
    text = query.text
    exact, prefix, contains = (
        Q(name__iexact=text),
        Q(name__istartswith=text),
        Q(name__icontains=text),
    )
    return ranked(visible_items(user).select_related("document"), exact, prefix, contains)


def detail(item: Item) -> str:
    """The article it came from and its review status."""
    return f"{item.document.title} · {item.get_status_display()}"
