"""The web app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import NavItem, Registry


class WebConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.web"
    verbose_name = _("界面")
    url_prefix = ""

    def register(self, registry: Registry) -> None:
        registry.navigation.add(NavItem("home", _("首页"), "home", order=0))
        registry.navigation.add(NavItem("import", _("导入"), "import", order=90))
