from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Each module has a load() that is safe to run again; order matters (accounts first).
DEMO_MODULES = ["navis.demo", "articles.demo", "uploads.demo"]


class Command(BaseCommand):
    help = "Load demo accounts and content for a local run. Safe to run again."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Load even when DEBUG is off.")

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Demo data has known passwords: it loads only with DEBUG on (or --force).")
        for module_name in DEMO_MODULES:
            import_module(module_name).load()
            self.stdout.write(f"Loaded {module_name}")
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
