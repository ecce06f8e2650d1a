from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from navis.demo import totp_code_now


class Command(BaseCommand):
    help = "Print the two-factor code the demo staff accounts take right now (DEBUG only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts exist only with DEBUG on.")
        self.stdout.write(totp_code_now())
