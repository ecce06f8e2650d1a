"""When guidance is due: working days from CASE_DUE_WORKING_DAYS, by the case's priority.

The one computation behind what the patient is promised and the date the review queue sorts by: a
submitted case is due as the least urgent is (the promise in the email and on the pages), the
summary's priority can bring that date forward, and a follow-up question is due from when it was asked.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone


def working_days_after(start: date, days: int) -> date:
    """The date `days` working days (Monday to Friday) after `start`."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def working_days_for(priority: int) -> int:
    """How many working days a case of this priority (1 is the most urgent) has for its guidance."""
    return settings.CASE_DUE_WORKING_DAYS[priority]


def least_urgent_priority() -> int:
    """The priority a case has until its summary says otherwise."""
    return max(settings.CASE_DUE_WORKING_DAYS)


def promised_working_days() -> int:
    """The working days we promise every patient on submitting: those of the least urgent priority."""
    return working_days_for(least_urgent_priority())


def due_at(start: datetime, priority: int) -> datetime:
    """When guidance asked for at `start` is due at this priority: its working days on, at the same time of day."""
    local = timezone.localtime(start)
    return datetime.combine(working_days_after(local.date(), working_days_for(priority)), local.timetz())


def promised_due_at(start: datetime) -> datetime:
    """When guidance is due for a case submitted at `start`, as the patient is promised."""
    return due_at(start, least_urgent_priority())


def promised_due_date(submitted_at: datetime) -> date:
    """The working day by which guidance is due for a case submitted then, as the email and the case page say."""
    return timezone.localdate(promised_due_at(submitted_at))
