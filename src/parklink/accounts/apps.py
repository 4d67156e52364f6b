"""The accounts app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import DemoStep, Registry


class AccountsConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.accounts"
    verbose_name = _("组织与用户")
    url_prefix = "account/"

    def register(self, registry: Registry) -> None:
        from parklink.accounts import demo

        registry.demo_steps.add(
            DemoStep("organizations", demo.load_organizations, after=("regions",))
        )
