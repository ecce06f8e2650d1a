from datetime import date, datetime

import pytest
from django.utils import timezone

from uploads.due_dates import due_at, promised_due_at, promised_working_days, working_days_after

FRIDAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (FRIDAY, 1, date(2026, 12, 7)),  # over the weekend to Monday
        (date(2026, 12, 2), 5, date(2026, 12, 9)),  # a Wednesday to the next
        (date(2026, 12, 5), 1, date(2026, 12, 7)),  # a Saturday counts from Monday
    ],
)
def test_working_days_skip_the_weekend(start, days, expected):
    assert working_days_after(start, days) == expected


def test_a_case_is_due_its_prioritys_working_days_later_at_the_same_time_of_day(settings):
    settings.CASE_DUE_WORKING_DAYS = {1: 2, 2: 3, 3: 5}
    # British Summer Time ends on Sunday 25 October 2026: the due time is still 10 in the morning.
    with timezone.override("Europe/London"):
        asked = timezone.make_aware(datetime(2026, 10, 23, 10, 0))

        assert timezone.localtime(due_at(asked, 1)) == timezone.make_aware(datetime(2026, 10, 27, 10, 0))
        assert timezone.localtime(due_at(asked, 3)) == timezone.make_aware(datetime(2026, 10, 30, 10, 0))


def test_patients_are_promised_the_least_urgent_prioritys_days(settings):
    settings.CASE_DUE_WORKING_DAYS = {1: 1, 2: 4, 3: 7}
    submitted = timezone.make_aware(datetime(2026, 12, 4, 15, 0))

    assert promised_working_days() == 7
    assert promised_due_at(submitted) == due_at(submitted, 3)
    assert timezone.localdate(promised_due_at(submitted)) == date(2026, 12, 15)
