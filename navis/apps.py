from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NavisConfig(AppConfig):
    default = True
    name = "navis"
    verbose_name = "Navis"

    def ready(self) -> None:
        from navis import checks  # noqa: F401 - registers the system checks


class NavisAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "navis.admin_site.NavisAdminSite"
