"""The one registry every app fills in its AppConfig; core and web read it and name no app.

An app contributes typed entries (demo steps, tabular kinds, search providers, dashboard cards,
navigation items, panels and list columns on other apps' pages, visibility scopes, reminder
sources, attachable records) from its
`ParkLinkAppConfig.register` hook. Readers ask the registry, never the app, so a new app is added
by writing the app and its `register`, without editing core, web, `urls.py` or `api.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

if TYPE_CHECKING:
    from argparse import ArgumentParser

    from django.db.models import Model, QuerySet
    from django.http import HttpRequest

Entry = TypeVar("Entry")


class RegistryError(Exception):
    """Two apps claimed the same key, or an entry names something that does not exist."""


def model_label(model: type[Model] | Model | str) -> str:
    """`parks.park` for the Park model, an instance of it, or the label itself."""
    if isinstance(model, str):
        return model.lower()
    return str(model._meta.label_lower)


# ---------------------------------------------------------------- entry types


@dataclass
class DemoContext:
    """What demo steps share: the acting administrator, cross-app keys and the running counts.

    `keys[namespace][key]` holds the records a step created under the keys its YAML file uses
    (e.g. `keys["parks"]["gaode"]`), so a later step refers to them without importing the app.
    """

    admin: Any
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)

    def remember(self, namespace: str, key: str, obj: Any) -> None:
        self.keys.setdefault(namespace, {})[key] = obj

    def lookup(self, namespace: str, key: str) -> Any:
        return self.keys.get(namespace, {}).get(key)

    def count(self, kind: str, n: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + n

    @property
    def total(self) -> int:
        return sum(self.created.values())


@dataclass(frozen=True)
class DemoStep:
    """Loads one part of the demo set; runs after the steps it names in `after`."""

    key: str
    load: Callable[[DemoContext], None]
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class TabularKind:
    """A kind of record users import from and/or export to a spreadsheet.

    `importer(user, owner)` builds the app's `core.imports.Importer` (owner None: the user's
    own organisation); `exporter(user, options)` returns the .xlsx bytes of what the user may
    see, filtered by `options` (the export command's parsed arguments, added to its parser by
    `export_arguments`). `noun_zh`/`noun_en` count records ("3 家企业", "3 enterprise(s)");
    `list_url_name` is the page that lists them, linked once an import is done.

    A kind whose import needs more than a file and an owner (records of one agreement and
    period) declares `import_arguments`, which adds them to its `parklink import` sub-command;
    its importer is then built as `importer(user, owner, options)` with the parsed options
    (`build_importer` calls either form). The import page has no form for such arguments yet,
    so it offers only the kinds without them (`Registry.importable_on_page`).
    """

    code: str
    label: Any
    noun_zh: str
    noun_en: str
    importer: Callable[..., Any] | None = None
    exporter: Callable[[Any, Mapping[str, Any]], bytes] | None = None
    export_arguments: Callable[[ArgumentParser], None] | None = None
    list_url_name: str | None = None
    order: int = 100
    import_arguments: Callable[[ArgumentParser], None] | None = None

    def build_importer(
        self, user: Any, owner: Any, options: Mapping[str, Any] | None = None
    ) -> Any:
        """This kind's importer for `user` and `owner`, given the import's parsed options."""
        if self.importer is None:
            raise RegistryError(f"tabular kind {self.code!r} cannot be imported")
        if self.import_arguments is None:
            return self.importer(user, owner)
        return self.importer(user, owner, options or {})


@dataclass(frozen=True)
class SearchProvider:
    """Finds one kind of record for the search page and the typeahead.

    `matches(user, query)` returns a queryset of what the user may see, annotated with
    `search_rank` and ordered best first; `detail(obj)` gives the result's second line.
    """

    kind: str
    label: Any
    url_name: str
    matches: Callable[[Any, Any], QuerySet[Any]]
    detail: Callable[[Any], str]
    order: int = 100


@dataclass(frozen=True)
class DashboardCard:
    """A block of the home page: `context(request)` gives the variables its template renders.

    `slot` is where on the page it goes: `body` below the page header, `actions` among the
    header's buttons. The template also sees the page's `request` and `user`.
    """

    key: str
    template: str
    context: Callable[[HttpRequest], Mapping[str, Any]]
    order: int = 100
    slot: str = "body"


class NavGroup(NamedTuple):
    """A menu of the top navigation: the items naming the same `key` are listed under `label`
    (the first registered item's label wins). A plain `(key, label)` tuple is read as one."""

    key: str
    label: Any


@dataclass(frozen=True)
class NavItem:
    """A link in the top navigation; the URL namespace `key` (or the page `url_name` itself)
    marks it active. With a `group` (`("projects", _("项目"))`) it is listed in that group's
    menu, which takes the place of the group's first item; without one it stays on the bar."""

    key: str
    label: Any
    url_name: str
    order: int = 100
    visible: Callable[[Any], bool] | None = None
    group: NavGroup | tuple[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.group is not None and not isinstance(self.group, NavGroup):
            key, label = self.group
            if not key:
                raise RegistryError(f"navigation item {self.key!r}: a group needs a key")
            object.__setattr__(self, "group", NavGroup(str(key), label))


@dataclass(frozen=True)
class Panel:
    """A block that one app shows on another app's detail page (projects on a park's page).

    `target` is the page's model label (`parks.park`); `slot` is where on the page the block
    goes (`stats` beside the page's figures, `actions` among its buttons, `section` in its
    body); `context(request, obj)` returns the template's variables, or None to show nothing.
    """

    target: str
    key: str
    template: str
    context: Callable[[HttpRequest, Any], Mapping[str, Any] | None]
    slot: str = "section"
    order: int = 100


@dataclass(frozen=True)
class ListColumn:
    """A figure that one app adds to another app's list rows (visible projects per park).

    `annotate(user)` returns the expression annotated onto the list's queryset as `key`;
    `requires(user)`, when given, returns annotations (name → expression) added first, which
    that expression and the cell may use by name. `sort` is the list's `?sort=` value that
    orders rows by `key` (None: not sortable). The header shows `label` (a sort link when
    sortable) with `css_class`; `template` renders the row's cell, a whole `<td>`, from `obj`
    (the row), `column` (this entry) and `value` (the row's `key`). List pages render them
    with `{% load columns %}`: `{% column_header column %}`, `{% column_cell column row %}`.
    """

    target: str
    key: str
    label: Any
    annotate: Callable[[Any], Any]
    order: int = 100
    requires: Callable[[Any], Mapping[str, Any]] | None = None
    sort: str | None = None
    template: str = "core/list_cell.html"
    css_class: str = ""

    def apply(self, qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
        """`qs` with this column's annotations for `user`."""
        for name, expression in (self.requires(user) if self.requires else {}).items():
            qs = qs.annotate(**{name: expression})
        return qs.annotate(**{self.key: self.annotate(user)})


@dataclass(frozen=True)
class VisibilityScope:
    """The rows of a model a user may see: used by the admin, citations, search and exports."""

    model: str
    visible: Callable[[Any], QuerySet[Any]]


@dataclass(frozen=True)
class DueItem:
    """One thing due or overdue for someone: what a reminder source reports.

    `kind` is the source's key (users mute reminders by kind); `key` tells this item apart
    within its kind (a milestone's or problem's id) so a digest can say what is new since the
    last one; `responsible` are the ids of the users it is for (owner, leader, …).
    """

    kind: str
    key: str
    title: str
    reason: str
    url: str
    due: Any = None  # datetime.date | None
    severity: str = "warning"  # "info" | "warning" | "danger"
    responsible: tuple[int, ...] = ()
    organization_id: int | None = None


@dataclass(frozen=True)
class ReminderSource:
    """Something that can fall due (overdue milestones, problems, follow-ups, red projects).

    `collect(today)` yields every item due on `today` across the installation; the reminders
    app routes each to its `responsible` users, the attention list and the digests.
    `collect_for(today, user_id)`, when given, yields only the items that user is responsible
    for, by a query of its own: a page shows one user's items without gathering a province's.
    """

    key: str
    label: Any
    collect: Callable[[Any], Iterator[DueItem] | Sequence[DueItem]]
    order: int = 100
    collect_for: Callable[[Any, int], Iterator[DueItem] | Sequence[DueItem]] | None = None


@dataclass(frozen=True)
class Attachable:
    """A model whose records carry attachments (agreements, photos, vouchers…).

    `visible(user)` is the queryset of records the user may see (the attachment is shown to
    exactly those users); `can_change(user, record)` says who may add or remove files;
    `url(record)` is the record's page.
    """

    model: str
    label: Any
    visible: Callable[[Any], QuerySet[Any]]
    can_change: Callable[[Any, Any], bool]
    url: Callable[[Any], str]
    order: int = 100


class Section(Generic[Entry]):
    """The entries of one type, keyed and kept in registration order."""

    def __init__(self, name: str, key: Callable[[Entry], str]) -> None:
        self.name = name
        self._key = key
        self._entries: dict[str, Entry] = {}

    def add(self, entry: Entry) -> Entry:
        key = self._key(entry)
        if key in self._entries:
            raise RegistryError(f"{self.name}: {key!r} is registered twice")
        self._entries[key] = entry
        return entry

    def remove(self, key: str) -> Entry:
        """Take an entry out again (tests that register a throwaway entry)."""
        try:
            return self._entries.pop(key)
        except KeyError:
            raise RegistryError(f"{self.name}: nothing registered as {key!r}") from None

    def get(self, key: str) -> Entry | None:
        return self._entries.get(key)

    def __getitem__(self, key: str) -> Entry:
        try:
            return self._entries[key]
        except KeyError:
            raise RegistryError(f"{self.name}: nothing registered as {key!r}") from None

    def __iter__(self) -> Iterator[Entry]:
        return iter(sorted(self._entries.values(), key=_order))

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def keys(self) -> list[str]:
        return [self._key(entry) for entry in self]

    def clear(self) -> None:
        self._entries.clear()


def _order(entry: Any) -> int:
    return int(getattr(entry, "order", 100))


class Registry:
    """Everything the apps contribute, one section per kind of entry."""

    def __init__(self) -> None:
        self.demo_steps: Section[DemoStep] = Section("demo step", lambda e: e.key)
        self.tabular: Section[TabularKind] = Section("tabular kind", lambda e: e.code)
        self.search: Section[SearchProvider] = Section("search provider", lambda e: e.kind)
        self.dashboard: Section[DashboardCard] = Section("dashboard card", lambda e: e.key)
        self.navigation: Section[NavItem] = Section("navigation item", lambda e: e.key)
        self.panels: Section[Panel] = Section("panel", lambda e: f"{e.target}:{e.slot}:{e.key}")
        self.columns: Section[ListColumn] = Section("list column", lambda e: f"{e.target}:{e.key}")
        self.scopes: Section[VisibilityScope] = Section("visibility scope", lambda e: e.model)
        self.reminders: Section[ReminderSource] = Section("reminder source", lambda e: e.key)
        self.attachables: Section[Attachable] = Section("attachable", lambda e: e.model)

    # ------------------------------------------------------------ readers

    def panels_for(self, model: type[Model] | Model | str, slot: str | None = None) -> list[Panel]:
        label = model_label(model)
        return [
            panel
            for panel in self.panels
            if panel.target == label and (slot is None or panel.slot == slot)
        ]

    def columns_for(self, model: type[Model] | Model | str) -> list[ListColumn]:
        label = model_label(model)
        return [column for column in self.columns if column.target == label]

    def column_sorts(self, model: type[Model] | Model | str) -> dict[str, str]:
        """`?sort=` value → annotation, for the sortable columns registered for `model`'s list."""
        return {c.sort: c.key for c in self.columns_for(model) if c.sort is not None}

    def importable(self) -> list[TabularKind]:
        """The tabular kinds that can be imported, in order."""
        return [kind for kind in self.tabular if kind.importer is not None]

    def importable_on_page(self) -> list[TabularKind]:
        """The importable kinds the import page offers: those that need no extra arguments."""
        return [kind for kind in self.importable() if kind.import_arguments is None]

    def exportable(self) -> list[TabularKind]:
        """The tabular kinds that can be exported, in order."""
        return [kind for kind in self.tabular if kind.exporter is not None]

    def visible(self, model: type[Model], user: Any) -> QuerySet[Any]:
        """The rows of `model` that `user` may see (all rows when no scope is registered)."""
        scope = self.scopes.get(model_label(model))
        if scope is None:
            return model._default_manager.all()
        return scope.visible(user)

    def ordered_demo_steps(self) -> list[DemoStep]:
        """Demo steps with every step after the ones it names (registration order otherwise)."""
        steps = {step.key: step for step in self.demo_steps}
        done: list[DemoStep] = []
        seen: set[str] = set()

        def visit(step: DemoStep, path: Sequence[str]) -> None:
            if step.key in seen:
                return
            if step.key in path:
                raise RegistryError(f"demo steps depend on each other: {' → '.join(path)}")
            for before in step.after:
                if before not in steps:
                    raise RegistryError(f"demo step {step.key!r} runs after unknown {before!r}")
                visit(steps[before], [*path, step.key])
            seen.add(step.key)
            done.append(step)

        for step in steps.values():
            visit(step, [])
        return done


registry = Registry()
