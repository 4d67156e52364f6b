"""The top navigation: groups from the registry become menus, ungrouped items stay on the bar."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from parklink.accounts.models import User
from parklink.core.registry import NavGroup, NavItem, RegistryError, registry

pytestmark = pytest.mark.django_db


@dataclass
class Entry:
    """One entry of the bar: a link (`href`) or a menu (`label`, `links`)."""

    label: str = ""
    href: str = ""
    key: str = ""
    classes: str = ""
    current: bool = False
    group: str = ""
    links: list[Entry] = field(default_factory=list)


class NavParser(HTMLParser):
    """Reads the <nav id="pl-nav-links"> of a page into its entries, and the 菜单 button."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.toggle: dict[str, str | None] = {}
        self.summaries = 0
        self._depth = 0  # inside the nav: depth of open elements
        self._menu: Entry | None = None
        self._text: Entry | None = None
        self._in_summary = False
        self._hidden_text = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "button" and "pl-nav__toggle" in (a.get("class") or ""):
            self.toggle = a
        if tag == "nav" and a.get("id") == "pl-nav-links":
            self._depth = 1
            return
        if not self._depth:
            return
        self._depth += 1
        if tag == "li" and a.get("data-nav-group"):
            self._menu = Entry(group=a["data-nav-group"] or "", classes=a.get("class") or "")
            self.entries.append(self._menu)
        elif tag == "summary":
            self._in_summary = True
            self.summaries += 1
        elif tag == "span" and "pl-nav__sr" in (a.get("class") or ""):
            self._hidden_text = True
        elif tag == "a":
            link = Entry(
                href=a.get("href") or "",
                key=a.get("data-nav-item") or "",
                classes=a.get("class") or "",
                current=a.get("aria-current") == "page",
            )
            (self._menu.links if self._menu else self.entries).append(link)
            self._text = link

    def handle_endtag(self, tag: str) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if tag == "details":
            self._menu = None
        elif tag == "summary":
            self._in_summary = False
        elif tag == "span":
            self._hidden_text = False
        elif tag == "a":
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._in_summary and self._menu is not None and not self._hidden_text:
            self._menu.label += data.strip()
        elif self._text is not None:
            self._text.label += data.strip()


def _nav(client: Client, url: str) -> NavParser:
    response = client.get(url)
    assert response.status_code == 200
    parser = NavParser()
    parser.feed(response.content.decode())
    return parser


def _menu(parser: NavParser, group: str) -> Entry:
    found = [e for e in parser.entries if e.group == group]
    assert len(found) == 1, [e.group or e.key for e in parser.entries]
    return found[0]


@pytest.fixture
def client(users: dict[str, User]) -> Client:
    client = Client()
    client.force_login(users["jinniu"])
    return client


def test_each_registered_group_is_one_menu_in_the_place_of_its_first_item(client: Client) -> None:
    parser = _nav(client, reverse("home"))
    grouped: dict[str, list[str]] = {}
    for item in registry.navigation:
        if isinstance(item.group, NavGroup):
            grouped.setdefault(item.group.key, []).append(item.key)
    assert grouped, "the apps name their groups"
    for key, members in grouped.items():
        if len(members) < 2:
            continue
        menu = _menu(parser, key)
        assert [link.key for link in menu.links] == members
        assert menu.label == str(registry.navigation[members[0]].group.label)  # type: ignore[union-attr]
    # Ungrouped items stay on the bar, each its own link; the order is the items' order.
    top = [e.key or e.group for e in parser.entries]
    assert "home" in top and top[0] == "home"
    assert not any(e.key == "projects" for e in parser.entries)
    assert parser.summaries == sum(1 for m in grouped.values() if len(m) > 1)
    # The bar's order is the order of each entry's first item.
    firsts = []
    for item in registry.navigation:
        entry = item.group.key if isinstance(item.group, NavGroup) else item.key
        if entry not in firsts:
            firsts.append(entry)
    single = {k for k, m in grouped.items() if len(m) == 1}
    expected = [registry.navigation[grouped[k][0]].key if k in single else k for k in firsts]
    assert [e for e in top if e in expected] == [e for e in expected if e in top]


def test_the_named_groups(client: Client) -> None:
    parser = _nav(client, reverse("home"))
    projects = _menu(parser, "projects")
    assert projects.label == "项目"
    assert {"projects", "map", "engagements"} <= {link.key for link in projects.links}
    parks = _menu(parser, "parks")
    assert parks.label == "园区与产业"
    assert {"parks", "chains", "positioning"} <= {link.key for link in parks.links}
    matching = _menu(parser, "matching")
    assert matching.label == "对接与政策"
    assert {"matching", "policies", "finance"} <= {link.key for link in matching.links}


def test_the_active_page_and_its_group_are_marked(client: Client) -> None:
    parser = _nav(client, reverse("projects:map"))
    projects = _menu(parser, "projects")
    assert "is-active" in projects.classes
    current = [link for link in projects.links if link.current]
    assert [link.key for link in current] == ["map"]  # the page's own item, not 项目
    others = [e for e in parser.entries if e is not projects]
    assert not any("is-active" in e.classes or e.current for e in others)
    assert not any(link.current for e in others for link in e.links)
    # A page of another item of the same namespace marks that item, not the namespace's first.
    parser = _nav(client, reverse("matching:policies"))
    matching = _menu(parser, "matching")
    assert [link.key for link in matching.links if link.current] == ["policies"]
    # The home page: a top-level link, no group marked.
    parser = _nav(client, reverse("home"))
    assert [e.key for e in parser.entries if e.current] == ["home"]
    assert not any("is-active" in e.classes for e in parser.entries if e.group)


def test_menus_are_keyboard_widgets_and_the_phone_menu_button_is_labelled(client: Client) -> None:
    html = client.get(reverse("projects:map")).content.decode()
    nav = html[html.index('<nav class="pl-nav__links"') : html.index("</nav>")]
    # <details>/<summary>: Enter and Space open a menu without a script; its links follow it.
    assert nav.count("<details>") == nav.count("<summary>") >= 2
    assert "(当前栏目)" in nav  # the marked group says so to a screen reader too
    parser = _nav(client, reverse("home"))
    assert parser.toggle.get("aria-expanded") == "false"
    assert parser.toggle.get("aria-controls") == "pl-nav-links"
    assert parser.toggle.get("type") == "button"
    assert 'id="pl-nav-links"' in html and 'aria-label="主导航"' in html


@pytest.fixture
def throwaway_items() -> Iterator[None]:
    registry.navigation.add(
        NavItem("lab-a", "实验甲", "search", order=998, group=("lab", "实验室"))
    )
    registry.navigation.add(NavItem("lab-b", "实验乙", "import", order=999, group=("lab", "x")))
    registry.navigation.add(
        NavItem("lab-c", "实验丙", "search", order=13, group=("projects", "ignored"))
    )
    registry.navigation.add(NavItem("solo", "独项", "search", order=997, group=("solo", "孤组")))
    yield
    for key in ("lab-a", "lab-b", "lab-c", "solo"):
        registry.navigation.remove(key)


def test_an_apps_item_joins_its_group_without_editing_web(
    client: Client, throwaway_items: None
) -> None:
    parser = _nav(client, reverse("home"))
    lab = _menu(parser, "lab")
    assert lab.label == "实验室"  # the first item's label for the group
    assert [(link.key, link.label) for link in lab.links] == [
        ("lab-a", "实验甲"),
        ("lab-b", "实验乙"),
    ]
    assert [link.href for link in lab.links] == [reverse("search"), reverse("import")]
    projects = _menu(parser, "projects")
    assert projects.label == "项目"
    keys = [link.key for link in projects.links]
    assert keys.index("lab-c") == keys.index("map") + 1  # by order, inside the existing group
    # A group of one shows its item as a plain link.
    assert not [e for e in parser.entries if e.group == "solo"]
    assert [e.label for e in parser.entries if e.key == "solo"] == ["独项"]


def test_hidden_items_leave_their_group(client: Client, users: dict[str, User]) -> None:
    registry.navigation.add(
        NavItem(
            "lab-x",
            "仅管理员",
            "search",
            order=14,
            group=("projects", "项目"),
            visible=lambda u: u.is_superuser,
        )
    )
    try:
        parser = _nav(client, reverse("home"))
        assert "lab-x" not in [link.key for link in _menu(parser, "projects").links]
        root = Client()
        root.force_login(users["root"])
        parser = _nav(root, reverse("home"))
        assert "lab-x" in [link.key for link in _menu(parser, "projects").links]
    finally:
        registry.navigation.remove("lab-x")


def test_a_group_is_a_key_and_a_label() -> None:
    item = NavItem("x", "X", "home", group=("g", "组"))
    assert item.group == NavGroup("g", "组") and isinstance(item.group, NavGroup)
    assert NavItem("y", "Y", "home").group is None
    with pytest.raises(RegistryError):
        NavItem("z", "Z", "home", group=("", "组"))


def test_anonymous_pages_have_no_navigation() -> None:
    html = Client().get(reverse("login")).content.decode()
    assert "pl-nav-links" not in html
