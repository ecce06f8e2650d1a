"""The case pipeline: small documents through a real Celery worker on Redis, with the real clamd.

Prints documents a second, and the pipeline's own overhead a document: the worker's time that
did not go to the steps themselves (hashing, scanning, the safe copy, reading), taken from the
steps' own timings. With one worker process the worker is never idle while documents wait, so
its busy time is the wall time, and the overhead is everything else it did: taking messages from
Redis, claims and outcomes in PostgreSQL, the case summary, the emails.

Machines differ, so each run also measures a reference on the same worker just before: the round
trip of a task that does nothing (Celery's own `celery.accumulate`), sent in a batch of the same
size. The overhead a document is printed as a multiple of it too, the figure to compare between
machines and revisions.

Goals: under 10 ms of overhead a document, and at least 50 small documents a second. Each figure
is the best of BENCH_REPEATS runs (3), each run's own beside it: on a shared machine, other work
only ever slows a run down.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import redis

from bench.harness import BENCH_REDIS_URL, ROOT, celery_worker, create_database, manage, production_env, work_dir

TASK_SUCCEEDED = re.compile(r"Task uploads\.tasks\.\w+\[[^\]]+\] succeeded in ([\d.e-]+)s")

# In the measuring process: cases as intake leaves them, sent as intake sends them, then the
# timings the pipeline recorded.
SUBMIT_AND_MEASURE = r"""
import json, os, sys, time
import django
django.setup()
from django.db.models import Sum
from navis.celery import app as celery_app
from tests.factories import CaseFactory, DocumentFactory
from tests.uploads import samples
from uploads import task_names
from uploads.models import Case, CaseStatus, Document, Notification, PipelineStep

documents, per_case = int(sys.argv[1]), int(sys.argv[2])
run = sys.argv[3]
cases = []
for number in range(documents // per_case):
    case = CaseFactory(owner__email=f"patient-{run}-{number}@example.com", cancer_type__slug="bench")
    for page in range(per_case):
        text = f"Clinic letter {run}-{number}-{page}\nDear Dr Okafor,\nHER2 negative (score 1+), PD-L1 CPS {page + 1}."
        DocumentFactory(case=case, content=samples.text_pdf(text))
    cases.append(case.pk)

with celery_app.producer_or_acquire() as producer:
    started = time.time()
    for pk in cases:
        celery_app.send_task(task_names.CASE_PROCESS, args=[pk], producer=producer)

deadline = time.monotonic() + 300
while Case.objects.filter(pk__in=cases, status=CaseStatus.WAITING_FOR_REVIEW).count() < len(cases):
    if time.monotonic() > deadline:
        raise SystemExit("The cases were not all reviewed within 300 s")
    time.sleep(0.1)
while Notification.objects.filter(case__in=cases, sent_at__isnull=True).exists():
    time.sleep(0.1)
finished = max(Notification.objects.filter(case__in=cases).values_list("sent_at", flat=True)).timestamp()

steps = PipelineStep.objects.filter(case__in=cases)
document_steps = steps.exclude(name=PipelineStep.Name.FINALISE)
work_ms = document_steps.aggregate(total=Sum("duration_ms"))["total"]
scan_ms = document_steps.filter(name__in=["integrity", "scan"]).aggregate(total=Sum("duration_ms"))["total"]
done = Document.objects.filter(case__in=cases, status="done").count()
print(json.dumps({
    "documents": done,
    "cases": len(cases),
    "seconds": finished - started,
    "work_ms": work_ms,
    "scan_ms": scan_ms,
    "emails": Notification.objects.filter(case__in=cases, sent_at__isnull=False).count(),
}))
"""


# In the measuring process: `count` no-op tasks, then a heartbeat; with one worker process taking
# them in order, the heartbeat's row says when the last no-op has run.
NO_OP_ROUND_TRIPS = r"""
import json, sys, time
import django
django.setup()
from navis.celery import app as celery_app
from navis.models import Heartbeat

count, run = int(sys.argv[1]), sys.argv[2]
with celery_app.producer_or_acquire() as producer:
    started = time.time()
    for number in range(count):
        celery_app.send_task("celery.accumulate", args=[number], producer=producer)
    celery_app.send_task("navis.tasks.heartbeat_record", args=[run], producer=producer)
deadline = time.monotonic() + 120
while not Heartbeat.objects.filter(name=run).exists():
    if time.monotonic() > deadline:
        raise SystemExit("The no-op tasks did not all run within 120 s")
    time.sleep(0.01)
print(json.dumps({"round_trip_ms": (time.time() - started) * 1000 / (count + 1)}))
"""


def round_trip_ms(env: dict[str, str], *, count: int, run: str) -> float:
    """The wall time a no-op task takes through Redis and the running worker, in a batch of `count`."""
    result = subprocess.run(
        [sys.executable, "-c", NO_OP_ROUND_TRIPS, str(count), run], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"The reference round trips failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])["round_trip_ms"]


def run_batch(env: dict[str, str], *, documents: int, run: str) -> dict:
    """Submit `documents` in cases of 5 to the running worker, and return what was measured."""
    result = subprocess.run(
        [sys.executable, "-c", SUBMIT_AND_MEASURE, str(documents), "5", run],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"The pipeline bench failed:\n{result.stderr}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    if figures["documents"] != documents or figures["emails"] != 2 * figures["cases"]:
        raise RuntimeError(f"Not every document was done once: {figures}")
    return figures


def measure(env: dict[str, str], log: Path, *, concurrency: int, documents: int, repeats: int) -> list[dict]:
    """Run a worker with `concurrency` processes, warm it up, then measure `repeats` batches."""
    runs = []
    with celery_worker(env, log, concurrency=concurrency):
        # The first tasks of a worker load libmagic's database, compile templates and connect to
        # PostgreSQL, clamd and Redis: a short batch first, not counted.
        run_batch(env, documents=20, run=f"warm-{concurrency}")
        for repeat in range(repeats):
            reference_ms = round_trip_ms(env, count=documents, run=f"reference-{concurrency}-{repeat}")
            start = len(log.read_text())
            figures = run_batch(env, documents=documents, run=f"measured-{concurrency}-{repeat}")
            figures["task_ms"] = sum(float(s) for s in TASK_SUCCEEDED.findall(log.read_text()[start:])) * 1000
            figures["rate"] = figures["documents"] / figures["seconds"]
            figures["overhead_ms"] = (figures["seconds"] * 1000 - figures["work_ms"]) / figures["documents"]
            figures["reference_ms"] = reference_ms
            figures["multiple"] = figures["overhead_ms"] / reference_ms
            runs.append(figures)
    return runs


def main() -> None:
    documents = int(os.environ.get("BENCH_DOCUMENTS", "200"))
    # Other work on the machine only ever slows a run: the best of a few is the pipeline's own speed.
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    processes = os.cpu_count() or 1
    with work_dir() as directory:
        # The project's own clamd, as `make test` runs it (started here if it does not run).
        subprocess.run(["bash", "scripts/clamd.sh", "start"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        env = production_env(
            directory,
            CLAMD_SOCKET=os.environ.get("CLAMD_SOCKET", str(ROOT / "var" / "clamd" / "clamd.sock")),
            EMAIL_URL=f"filemail:///{directory / 'mail'}",
            PIPELINE_STAFF_EMAILS="reviewers@navis.example",
            # Celery logs each task it ran and how long it took: the breakdown below reads that.
            LOG_LEVEL="INFO",
        )
        create_database()
        # Messages an earlier, interrupted run left would name rows that no longer exist.
        redis.Redis.from_url(BENCH_REDIS_URL).flushdb()
        manage(env, "migrate", "--no-input")
        one = measure(env, directory / "worker-1.log", concurrency=1, documents=documents, repeats=repeats)
        many = measure(env, directory / "worker-n.log", concurrency=processes, documents=documents, repeats=repeats)

    print(f"{documents} one-page PDFs in cases of 5; real worker on Redis, clamd and PostgreSQL on this machine")
    print(f"best of {repeats} runs, each run's figure in brackets; load average {os.getloadavg()[0]:.1f}")
    for label, runs in (("1 worker process", one), (f"{processes} worker processes", many)):
        rates = ", ".join(f"{run['rate']:.0f}" for run in runs)
        print(f"{label:<24} {max(run['rate'] for run in runs):>6.1f} documents/s  (goal >= 50)  [{rates}]")
    best = min(one, key=lambda run: run["overhead_ms"])
    count, wall_ms, task_ms, steps_ms = best["documents"], best["seconds"] * 1000, best["task_ms"], best["work_ms"]
    overheads = ", ".join(f"{run['overhead_ms']:.1f}" for run in one)
    print(f"pipeline overhead        {best['overhead_ms']:>6.1f} ms/document  (goal < 10)  [{overheads}]")
    references = ", ".join(f"{run['reference_ms']:.2f}" for run in one)
    print(f"  reference, same run    {best['reference_ms']:>6.2f} ms/no-op task round trip  [{references}]")
    multiples = ", ".join(f"{run['multiple']:.1f}" for run in one)
    lowest = min(run["multiple"] for run in one)
    print(f"  overhead / reference   {lowest:>6.1f} x (the figure to compare between machines)  [{multiples}]")
    for label, ms, what in (
        ("in the tasks", task_ms - steps_ms, "claims, outcomes, summary, emails"),
        ("between the tasks", wall_ms - task_ms, "Redis and Celery hand-offs"),
        ("the steps themselves", steps_ms, "hash, scan, safe copy, text, findings"),
    ):
        print(f"  {label:<22} {ms / count:>6.1f} ms/document  ({what})")
