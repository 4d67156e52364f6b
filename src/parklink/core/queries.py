"""Query helpers every app may use (no app's models)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Q


def prefixed(condition: Q, prefix: str) -> Q:
    """The same condition seen through a relation: Q(a=1) with "projects__" → Q(projects__a=1)."""
    copy = Q()
    copy.connector, copy.negated = condition.connector, condition.negated
    children: list[Any] = []
    for child in condition.children:
        if isinstance(child, Q):
            children.append(prefixed(child, prefix))
        else:
            lookup, value = cast(tuple[str, Any], child)
            children.append((prefix + lookup, value))
    copy.children = children
    return copy
