"""The case reviewers' queue page with 10,000 cases: how long it takes to render (goal: under 150 ms).

Measured in one process on the production settings, PostgreSQL and Redis: the median and the 95th
percentile of the queue page's server time, as a signed-in case reviewer with two-factor opens it.
"""

import os

from bench.harness import fresh_site_output

CASES = int(os.environ.get("BENCH_QUEUE_CASES", "10000"))
GOAL_MS = 150

MEASURE = r"""
import statistics, sys, time
from datetime import timedelta

import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import CancerType
from tests.factories import StaffFactory, UserFactory
from uploads.models import Case, CaseStatus

cases = int(sys.argv[1])
reviewer = StaffFactory(email="bench-reviewer@example.com", groups=["Case reviewer"])
owner = UserFactory(email="bench-owner@example.com")
types = [CancerType.objects.create(name=f"Type {n}", slug=f"type-{n}") for n in range(5)]
now = timezone.now()
statuses = [CaseStatus.WAITING_FOR_REVIEW, CaseStatus.IN_REVIEW, CaseStatus.GUIDANCE_READY]
Case.objects.bulk_create(
    Case(
        owner=owner,
        status=statuses[n % 3],
        cancer_type=types[n % 5],
        priority=1 + n % 5,
        due_at=now + timedelta(hours=n % 97 - 24),
        submitted_at=now - timedelta(hours=n % 50),
        assigned_to=reviewer if n % 3 == 1 else None,
    )
    for n in range(cases)
)
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(reviewer)
url = "/admin/uploads/case/"
for _ in range(5):
    assert client.get(url).status_code == 200
times = []
for _ in range(40):
    start = time.perf_counter()
    response = client.get(url)
    times.append((time.perf_counter() - start) * 1000)
    assert response.status_code == 200
with CaptureQueriesContext(connection) as queries:
    client.get(url)
times.sort()
print(statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries), Case.objects.count())
"""


def main() -> None:
    median, p95, queries, total = fresh_site_output(MEASURE, str(CASES), what="queue").split()
    print(f"review queue page, {int(total):,} cases, signed-in case reviewer, production settings")
    print(f"{'median render time':<40} {float(median):>8.1f} ms  (goal < {GOAL_MS} ms)")
    print(f"{'95th percentile':<40} {float(p95):>8.1f} ms")
    print(f"{'queries per page':<40} {int(queries):>8d}")
