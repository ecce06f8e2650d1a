from django.apps import AppConfig


class NavisConfig(AppConfig):
    name = "navis"
    verbose_name = "Navis"

    def ready(self) -> None:
        from navis import checks  # noqa: F401 - registers the system checks
