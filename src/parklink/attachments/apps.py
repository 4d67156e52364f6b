"""The attachments app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import Registry


class AttachmentsConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.attachments"
    verbose_name = _("附件")

    def register(self, registry: Registry) -> None:
        pass
