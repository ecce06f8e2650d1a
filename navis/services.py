from django.db import transaction
from django.utils import timezone

from navis.models import Heartbeat


@transaction.atomic
def heartbeat_record(*, name: str) -> Heartbeat:
    """Record that the process called `name` is alive now."""
    heartbeat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})
    return heartbeat
