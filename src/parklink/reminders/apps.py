"""The reminders app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import DashboardCard, NavItem, Registry, VisibilityScope

if TYPE_CHECKING:
    from django.db.models import QuerySet


class RemindersConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.reminders"
    verbose_name = _("提醒")
    url_prefix = "reminders/"

    def register(self, registry: Registry) -> None:
        _register_pages(registry)
        _register_scopes(registry)


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


def _register_scopes(registry: Registry) -> None:
    """A user's settings and digests are theirs; an organisation's robots and their
    deliveries are its admins' (installation administrators see all)."""
    from parklink.reminders.models import Delivery, Digest, Preference, Webhook

    def own(model: type[Preference] | type[Digest]) -> Callable[[Any], QuerySet[Any]]:
        def visible(user: Any) -> QuerySet[Any]:
            rows = model._default_manager.all()
            return rows if user.is_superuser else rows.filter(user_id=user.pk)

        return visible

    def robots(user: Any) -> QuerySet[Any]:
        if user.is_superuser:
            return Webhook.objects.all()
        if user.organization_id is None or user.role != "admin":
            return Webhook.objects.none()
        return Webhook.objects.filter(organization_id=user.organization_id)

    registry.scopes.add(VisibilityScope("reminders.preference", own(Preference)))
    registry.scopes.add(VisibilityScope("reminders.digest", own(Digest)))
    registry.scopes.add(VisibilityScope("reminders.webhook", robots))
    registry.scopes.add(
        VisibilityScope(
            "reminders.delivery",
            lambda user: Delivery.objects.filter(webhook__in=robots(user).values("pk")),
        )
    )
