"""The attachments app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import Registry, VisibilityScope


class AttachmentsConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.attachments"
    verbose_name = _("附件")
    url_prefix = "attachments/"

    def register(self, registry: Registry) -> None:
        _register_scopes(registry)


def _register_scopes(registry: Registry) -> None:
    """An attachment, and the record of its upload or deletion, is seen with its record."""
    from parklink.attachments import services
    from parklink.attachments.models import Event

    registry.scopes.add(VisibilityScope("attachments.attachment", services.visible_attachments))
    registry.scopes.add(
        VisibilityScope(
            "attachments.event", lambda user: Event.objects.filter(services.visible_q(user))
        )
    )
