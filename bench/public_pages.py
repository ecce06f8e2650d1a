"""The public pages under gunicorn on loopback, each as a share of a bare Django view's rate.

Two servers run side by side, each gunicorn with 2 workers: the site on production settings, and the
bare yardstick (bench/bare_site.py: no middleware, one view returning "ok"). Rounds are interleaved:
each round loads the yardstick and then every page, and a page's share is the median over the rounds
of its rate divided by the yardstick's in the same round, so a machine that gets busier or quieter
during the run moves both alike.

The library holds BENCH_ARTICLES (10,000) published articles over 25 cancer types, made with
bulk_create and their search vectors written as publishing writes them. Goals (issue 13, on a quiet
machine): cached article >= 0.90, uncached article >= 0.30, cancer-type and home pages >= 0.25,
search >= 0.15. Each page's query count is printed beside it (tests/articles assert them constant).
"""

import json
import os
import statistics
import subprocess
import sys

from bench.harness import ROOT, create_database, gunicorn, manage, production_env, requests_per_second, work_dir

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))

# (label, path, goal). A query string keeps a page out of the cache, as a reader arriving from a campaign link.
PAGES = [
    ("article page, cached", "/answers/bench-article/", 0.90),
    ("article page, uncached", "/answers/bench-article/?utm_source=bench", 0.30),
    ("cancer-type page", "/cancer/bench-type-0/?utm_source=bench", 0.25),
    ("home page", "/?utm_source=bench", 0.25),
    ("search", "/search/?q=chemotherapy", 0.15),
    # No goal of their own: a typo put right through the word list, and a word every article's text has.
    ("search, misspelt", "/search/?q=stomch+cancr", None),
    ("search, every text", "/search/?q=explanation", None),
]

# In a separate process: fill the database, then count each page's queries with Django's own tools.
FILL_AND_COUNT = r"""
import json, sys
import django
django.setup()
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search, services
from articles.models import Article, ArticleRevision, ArticleStatus, CancerType, Topic
from tests.factories import ArticleFactory, StaffFactory

articles, paths = int(sys.argv[1]), json.loads(sys.argv[2])
editor = StaffFactory(email="bench-editor@example.com", groups=["Editor"])
reviewer = StaffFactory(email="bench-reviewer@example.com", groups=["Medical reviewer"])
types = CancerType.objects.bulk_create(
    CancerType(name=f"Bench type {n}", slug=f"bench-type-{n}", description="A cancer type, in one plain sentence.",
               also_called=f"bench growth {n}", order=n)
    for n in range(25)
)
topics = Topic.objects.bulk_create(Topic(name=f"Topic {n}", slug=f"topic-{n}") for n in range(12))


def publish(article):
    services.article_revision_record(article=article, user=editor)
    services.article_submit(article=article, user=editor)
    services.article_approve(article=article, user=reviewer)
    services.article_publish(article=article, user=editor)
    return article


related = [publish(ArticleFactory(created_by=editor, cancer_type=types[0], featured=True)) for _ in range(3)]
section = "## A section\n\nA paragraph of plain explanation that runs to a few sentences. " * 3
steps = "\n".join(f"{i}. **Step {i}**: what happens at this step, in plain words." for i in range(1, 7))
body = "The short answer first.\n\n" + (section + "\n\n" + steps + "\n\n") * 4
article = ArticleFactory(created_by=editor, cancer_type=types[0], questions=6, resources=4, sources=5,
                         slug="bench-article", body=body)
article.related.set(related)
article.topics.set(topics[:2])
publish(article)

# The rest of the library in bulk: copies of the bench article's live revision under other questions.
template = ArticleRevision.objects.get(pk=Article.objects.get(pk=article.pk).live_revision_id)
words = ["chemotherapy", "radiotherapy", "surgery", "side effects", "fatigue", "scan", "biopsy", "stage",
         "immunotherapy", "diet", "work", "family", "pain", "hair loss", "nausea", "trial"]
now = timezone.now()
questions = [f"What should I know about {words[n % 16]} and {words[n * 7 % 16]}, question {n}?"
             for n in range(articles)]
bulk = Article.objects.bulk_create((
    Article(title=question, slug=f"bench-{n}", cancer_type=types[n % 25],
            summary=f"A plain answer about {words[n % 16]}.", body=template.content["body"],
            status=ArticleStatus.PUBLISHED, published_at=now, created_by=editor)
    for n, question in enumerate(questions)
), batch_size=1000)
ArticleRevision.objects.bulk_create((
    ArticleRevision(
        article=row, number=1, title=row.title, summary=row.summary, cancer_type=row.cancer_type,
        content={**template.content, "title": row.title, "summary": row.summary, "related_ids": [],
                 "cancer_type_id": row.cancer_type_id, "topic_ids": [topics[n % 12].pk]},
        body_html=template.body_html, body_text=f"{row.summary} {template.body_text}",
        approved_by=reviewer, approved_at=now,
    )
    for n, row in enumerate(bulk)
), batch_size=1000)
with connection.cursor() as cursor:
    cursor.execute(
        "UPDATE articles_article a SET live_revision_id = r.id FROM articles_articlerevision r"
        " WHERE r.article_id = a.id AND a.live_revision_id IS NULL"
    )
for cancer_type in types:
    ArticleRevision.objects.filter(cancer_type=cancer_type, search_vector__isnull=True).update(
        search_vector=search.revision_search_vector(cancer_type.name)
    )
Article.topics.through.objects.bulk_create((
    Article.topics.through(article_id=row.pk, topic_id=topics[n % 12].pk) for n, row in enumerate(bulk)
), batch_size=1000)
# As publishing writes them: the live revision's topics, which the cancer-type pages read.
ArticleRevision.topics.through.objects.bulk_create((
    ArticleRevision.topics.through(articlerevision_id=revision_id, topic_id=topics[n % 12].pk)
    for n, revision_id in enumerate(Article.objects.filter(pk__in=[row.pk for row in bulk])
                                    .order_by("pk").values_list("live_revision_id", flat=True))
), batch_size=1000)
# The words of the new questions, for "did you mean", as publishing adds them.
services.search_words_rebuild()
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE")

counts = {}
client = Client(HTTP_HOST="127.0.0.1")
for path in paths:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    counts[path] = len(queries)
print(json.dumps({"counts": counts, "published": Article.objects.published().count()}))
"""


def main() -> None:
    paths = [path for _, path, _ in PAGES]
    with work_dir() as directory:
        env = production_env(directory)
        create_database()
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        # Each page is asked for once before it is counted: the cached article's count is that of a page from the
        # cache, and search's that of a process that has read the cancer types' names (selectors.SynonymsCopy).
        fill = subprocess.run(
            [sys.executable, "-c", FILL_AND_COUNT, str(ARTICLES), json.dumps([*paths, *paths])],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if fill.returncode:
            raise RuntimeError(f"Filling the bench database failed:\n{fill.stderr}")
        filled = json.loads(fill.stdout.strip().splitlines()[-1])
        shares: dict[str, list[float]] = {path: [] for path in paths}
        bare_rates = []
        with gunicorn(env) as site, gunicorn({**env, "DJANGO_SETTINGS_MODULE": "bench.bare_site"}) as bare:
            for _ in range(ROUNDS):
                bare_rate = requests_per_second(f"{bare}/healthz", seconds=SECONDS)
                bare_rates.append(bare_rate)
                for path in paths:
                    shares[path].append(requests_per_second(f"{site}{path}", seconds=SECONDS) / bare_rate)

    print(
        f"gunicorn, 2 workers, loopback, wrk (2 threads, 8 connections), {ROUNDS} interleaved rounds of {SECONDS} s;"
        f" {filled['published']:,} published articles"
    )
    print(
        f"{'bare Django view (no middleware)':<28} {statistics.median(bare_rates):>8.0f} req/s  (median of the rounds)"
    )
    print(f"{'page':<28} {'share':>8} {'goal':>6} {'queries':>8}   each round")
    for label, path, goal in PAGES:
        share = statistics.median(shares[path])
        rounds = " ".join(f"{value:.2f}" for value in shares[path])
        mark = "" if goal is None else "ok" if share >= goal else "UNDER"
        goal_text = "-" if goal is None else f"{goal:.2f}"
        print(f"{label:<28} {share:>8.2f} {goal_text:>6} {filled['counts'][path]:>8d}   {rounds}  {mark}")
