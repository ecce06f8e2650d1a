from django.apps import AppConfig


class NavisConfig(AppConfig):
    name = "navis"
    verbose_name = "Navis"
