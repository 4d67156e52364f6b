from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "parklink.core"
    verbose_name = _("核心")

    def ready(self) -> None:
        from parklink.core import admin_site  # noqa: F401  (sets the admin titles)
