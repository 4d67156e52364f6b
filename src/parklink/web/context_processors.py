"""Template context every page shares: the navigation, read from the registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from parklink.core.registry import NavGroup, registry


@dataclass(frozen=True)
class NavLink:
    key: str
    label: Any
    url: str
    active: bool


@dataclass
class NavMenu:
    """A group of links shown as one menu of the bar, where its first item would stand."""

    key: str
    label: Any
    links: list[NavLink] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """`nav_links`: the registered navigation items this user may follow, the current one
    active; `nav_entries`: the same as the bar shows them, each a `NavLink` (an item without a
    group, or the only item of its group this user sees) or a `NavMenu` (a group of several)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": [], "nav_entries": []}
    # A page may render several templates with the request (its panels, its fragments): the
    # navigation is worked out once per request.
    found: dict[str, Any] | None = getattr(request, "_parklink_navigation", None)
    if found is None:
        found = _navigation(request, user)
        request._parklink_navigation = found  # type: ignore[attr-defined]
    return found


def _navigation(request: HttpRequest, user: Any) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    section = (match.namespace or match.url_name or "") if match else ""
    view_name = match.view_name if match else ""
    items = []
    for item in registry.navigation:
        if item.visible is not None and not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append((item, url))
    # The page's own item is active (policies, not the matching listings, on the policies page);
    # else the item whose key is the page's namespace.
    current = next((i.key for i, _url in items if i.url_name == view_name), None)
    if current is None:
        current = next((i.key for i, _url in items if i.key == section), None)
    links = [NavLink(i.key, i.label, url, active=i.key == current) for i, url in items]
    entries: list[NavLink | NavMenu] = []
    menus: dict[str, NavMenu] = {}
    for (item, _url), link in zip(items, links, strict=True):
        group = item.group
        if not isinstance(group, NavGroup):
            entries.append(link)
            continue
        menu = menus.get(group.key)
        if menu is None:
            menu = menus[group.key] = NavMenu(group.key, group.label)
            entries.append(menu)
        menu.links.append(link)
    entries = [e.links[0] if isinstance(e, NavMenu) and len(e.links) == 1 else e for e in entries]
    return {"nav_links": links, "nav_entries": entries}
