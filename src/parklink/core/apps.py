"""The base AppConfig every ParkLink app uses, and the core app's own config."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

from parklink.core.registry import Registry, registry


class ParkLinkAppConfig(AppConfig):
    """An app that plugs into the registry.

    `register` fills the registry when Django is ready; `url_prefix` is where the app's
    `urls.py` is mounted (None: no pages), and the app's `api.py` `router`, if there is one,
    is mounted at `/api/v1/<label>/`. `urls.py` and `api.py` walk the apps to find both.
    """

    # Django picks a module's AppConfig by this flag when the module holds several (each
    # apps.py imports this base class): the base is never chosen, every concrete app is.
    default = False
    url_prefix: str | None = None
    api_prefix: str | None = None

    def register(self, registry: Registry) -> None:
        """Add this app's entries to the registry (demo steps, kinds, panels, ...)."""

    def ready(self) -> None:
        self.register(registry)

    def submodule(self, name: str) -> ModuleType | None:
        """`<app>.<name>` when the app has such a module, else None."""
        dotted = f"{self.name}.{name}"
        if find_spec(dotted) is None:
            return None
        return import_module(dotted)


def parklink_apps() -> Iterator[ParkLinkAppConfig]:
    """The installed ParkLink apps, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if isinstance(config, ParkLinkAppConfig):
            yield config


class CoreConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.core"
    verbose_name = _("核心")

    def ready(self) -> None:
        from parklink.core import admin_site  # noqa: F401  (sets the admin titles)

        super().ready()
