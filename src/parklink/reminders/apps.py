"""The reminders app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import DashboardCard, NavItem, Registry


class RemindersConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.reminders"
    verbose_name = _("提醒")
    url_prefix = "reminders/"

    def register(self, registry: Registry) -> None:
        _register_pages(registry)


def _register_pages(registry: Registry) -> None:
    """我的提醒 in the navigation and as a card on the home page (the attention list)."""
    from parklink.reminders import views

    registry.navigation.add(
        NavItem(
            "reminders",
            _("提醒"),
            "reminders:mine",
            order=90,
            visible=lambda user: bool(getattr(user, "is_authenticated", False)),
        )
    )
    registry.dashboard.add(
        DashboardCard("reminders", "reminders/dashboard.html", views.dashboard_context, order=5)
    )
