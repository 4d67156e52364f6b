"""The engagements app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import (
    Attachable,
    DemoStep,
    NavItem,
    Panel,
    Registry,
    ReminderSource,
    SearchProvider,
    TabularKind,
    VisibilityScope,
)


class EngagementsConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.engagements"
    verbose_name = _("客商与对接")
    url_prefix = "engagements/"

    def register(self, registry: Registry) -> None:
        _register_scopes(registry)
        _register_data(registry)
        _register_pages(registry)
        _register_search(registry)
        _register_reminders(registry)
        _register_attachments(registry)
        _register_demo(registry)


def _register_scopes(registry: Registry) -> None:
    """Contacts to the owner's officers; engagements to the owner's members and participants."""
    from parklink.engagements import queries

    for label, visible in queries.SCOPES.items():
        registry.scopes.add(VisibilityScope(label, visible))


def _register_data(registry: Registry) -> None:
    """Contacts and engagements from and to spreadsheets (`parklink import/export`)."""
    from parklink.engagements import exports, imports

    registry.tabular.add(
        TabularKind(
            "engagement-contacts",
            _("客商联系人"),
            noun_zh="位联系人",
            noun_en="contact(s)",
            importer=imports.build_contact_importer,
            exporter=exports.export_contacts,
            export_arguments=exports.contact_arguments,
            list_url_name="engagements:contacts",
            order=70,
        )
    )
    registry.tabular.add(
        TabularKind(
            "engagements",
            _("对接记录"),
            noun_zh="条对接记录",
            noun_en="engagement(s)",
            importer=imports.build_engagement_importer,
            exporter=exports.export_engagements,
            export_arguments=exports.engagement_arguments,
            list_url_name="engagements:list",
            order=71,
        )
    )


def _register_pages(registry: Registry) -> None:
    """对接记录 in the navigation; sections on an enterprise's and a project's page."""
    from parklink.engagements import panels

    registry.navigation.add(
        NavItem(
            "engagements",
            _("对接记录"),
            "engagements:list",
            order=55,
            group=("projects", _("项目")),
        )
    )
    registry.navigation.add(
        NavItem(
            "engagements:my_follow_ups",
            _("我的跟进"),
            "engagements:my_follow_ups",
            order=56,
            group=("projects", _("项目")),
        )
    )
    registry.panels.add(
        Panel(
            "enterprises.enterprise",
            "engagements",
            "engagements/panels/enterprise_section.html",
            panels.enterprise_panel,
            order=120,
        )
    )
    registry.panels.add(
        Panel(
            "projects.project",
            "engagements",
            "engagements/panels/project_section.html",
            panels.project_panel,
            order=120,
        )
    )


def _register_search(registry: Registry) -> None:
    from parklink.engagements import search

    registry.search.add(
        SearchProvider(
            "engagement",
            _("对接记录"),
            "engagements:detail",
            matches=search.engagements,
            detail=search.engagement_detail,
            order=70,
        )
    )
    registry.search.add(
        SearchProvider(
            "contact",
            _("客商联系人"),
            "engagements:contact",
            matches=search.contacts,
            detail=search.contact_detail,
            order=71,
        )
    )


def _register_reminders(registry: Registry) -> None:
    """Open follow-ups overdue, due today or within three days, for their assignees."""
    from parklink.engagements import reminders

    registry.reminders.add(
        ReminderSource(
            reminders.KIND,
            _("对接跟进事项"),
            reminders.collect,
            order=40,
            collect_for=reminders.collect,
        )
    )


def _can_change(user: Any, record: Any) -> bool:
    from parklink.accounts.services import ensure_can_write
    from parklink.core.views import permitted

    return permitted(ensure_can_write, user, record.owner_id)


def _url(record: Any) -> str:
    from django.urls import reverse

    return reverse("engagements:detail", args=[record.pk])


def _attachments_panel(request: Any, record: Any) -> Any:
    from parklink.attachments.panels import panel_context

    return panel_context(request, record)


def _register_attachments(registry: Registry) -> None:
    """Files on an engagement: seen by its readers, changed by the owner's officers; listed
    (with the upload form) on the record's page."""
    from parklink.attachments.panels import PANEL_KEY, PANEL_TEMPLATE
    from parklink.engagements import queries

    registry.attachables.add(
        Attachable(
            "engagements.engagement",
            _("对接记录"),
            visible=queries.visible_engagements,
            can_change=_can_change,
            url=_url,
            order=40,
        )
    )
    registry.panels.add(
        Panel("engagements.engagement", PANEL_KEY, PANEL_TEMPLATE, _attachments_panel, order=50)
    )


def _register_demo(registry: Registry) -> None:
    """高德产业园's signing ceremony (from the article) and illustrative contacts and visits."""
    from parklink.engagements import demo

    registry.demo_steps.add(
        DemoStep(
            "engagements",
            demo.load,
            after=("regions", "organizations", "enterprises", "projects"),
        )
    )
