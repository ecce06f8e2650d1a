"""The article page under gunicorn on loopback, cached and uncached, beside a minimal Django view.

Goals: uncached at least 0.20 of the minimal view's rate, cached at least 0.90 of it, and no more than
6 queries on an uncached article page.
"""

import os
import subprocess
import sys

from bench.harness import ROOT, create_database, gunicorn, manage, production_env, requests_per_second, work_dir

# In the measuring process: fill the database and count queries with Django's own tools.
FILL_AND_COUNT = r"""
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import services
from tests.factories import ArticleFactory, StaffFactory

editor = StaffFactory(email="bench-editor@example.com", groups=["Editor"])
reviewer = StaffFactory(email="bench-reviewer@example.com", groups=["Medical reviewer"])

def publish(article):
    services.article_revision_record(article=article, user=editor)
    services.article_submit(article=article, user=editor)
    services.article_approve(article=article, user=reviewer)
    services.article_publish(article=article, user=editor)
    return article

related = [publish(ArticleFactory(created_by=editor)) for _ in range(3)]
section = "## A section\n\nA paragraph of plain explanation that runs to a few sentences. " * 3
steps = "\n".join(f"{i}. **Step {i}**: what happens at this step, in plain words." for i in range(1, 7))
article = ArticleFactory(created_by=editor, questions=6, resources=4, sources=5, slug="bench-article",
                         body="The short answer first.\n\n" + (section + "\n\n" + steps + "\n\n") * 4)
article.related.set(related)
publish(article)
with CaptureQueriesContext(connection) as queries:
    response = Client(HTTP_HOST="127.0.0.1").get("/answers/bench-article/?utm_source=bench")
assert response.status_code == 200, response.status_code
print(len(queries))
"""


def main() -> None:
    with work_dir() as directory:
        env = production_env(directory)
        create_database()
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        count = subprocess.run(
            [sys.executable, "-c", FILL_AND_COUNT], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if count.returncode:
            raise RuntimeError(f"Filling the bench database failed:\n{count.stderr}")
        queries = int(count.stdout.strip().splitlines()[-1])
        seconds = int(os.environ.get("BENCH_SECONDS", "10"))
        with gunicorn(env) as base:
            minimal = requests_per_second(f"{base}/healthz", seconds=seconds)
            # A query string keeps the page out of the cache, as a reader arriving from a campaign link.
            uncached = requests_per_second(f"{base}/answers/bench-article/?utm_source=bench", seconds=seconds)
            cached = requests_per_second(f"{base}/answers/bench-article/", seconds=seconds)

    print(f"gunicorn, 2 workers, loopback, {seconds} s per run (wrk, 2 threads, 8 connections)")
    rows = [
        ("minimal Django view (/healthz)", minimal, ""),
        ("article page, uncached", uncached, f"ratio {uncached / minimal:.2f}  (goal >= 0.20)"),
        ("article page, cached (shared Redis)", cached, f"ratio {cached / minimal:.2f}  (goal >= 0.90)"),
    ]
    for label, rate, note in rows:
        print(f"{label:<40} {rate:>9.0f} req/s  {note}")
    print(f"{'queries on an uncached article page':<40} {queries:>9d}        (goal <= 6)")
