from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NavisConfig(AppConfig):
    default = True
    name = "navis"
    verbose_name = "Navis"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from navis import checks  # noqa: F401 - registers the system checks
        from navis.middleware import session_times_start

        user_logged_in.connect(session_times_start, dispatch_uid="navis_session_times_start")


class NavisAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "navis.admin_site.NavisAdminSite"
