"""Template context every page shares: the navigation, read from the registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from parklink.core.registry import registry


@dataclass(frozen=True)
class NavLink:
    key: str
    label: Any
    url: str
    active: bool


def navigation(request: HttpRequest) -> dict[str, Any]:
    """`nav_links`: the registered navigation items this user may follow, the current one active."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    match = getattr(request, "resolver_match", None)
    section = (match.namespace or match.url_name or "") if match else ""
    links = []
    for item in registry.navigation:
        if item.visible is not None and not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        links.append(NavLink(item.key, item.label, url, active=section == item.key))
    return {"nav_links": links}
