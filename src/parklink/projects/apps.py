from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "parklink.projects"
    verbose_name = _("招商项目")
