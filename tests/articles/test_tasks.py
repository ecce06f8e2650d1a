import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services
from articles.models import ArticleStatus
from navis.celery import app as celery_app
from tests.workers import celery_beat, celery_worker, purge_queues

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_beat_and_a_real_worker_publish_a_scheduled_article_on_time_and_not_before(
    approved_article, editor, worker_logs
):
    article = approved_article
    publish_at = timezone.now() + timedelta(seconds=6)
    services.article_schedule(article=article, user=editor, publish_at=publish_at)
    purge_queues()

    with celery_worker(worker_logs), celery_beat(worker_logs, ARTICLES_PUBLISH_INTERVAL="1"):
        while timezone.now() < publish_at - timedelta(seconds=1):
            article.refresh_from_db()
            assert article.status == ArticleStatus.SCHEDULED, "published before its time"
            time.sleep(0.3)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            article.refresh_from_db()
            if article.is_live:
                break
            time.sleep(0.3)

    assert article.is_live, "\n".join(log.read_text() for log in worker_logs.glob("*.log"))
    assert article.status == ArticleStatus.PUBLISHED
    assert article.published_at >= publish_at
    assert article.events.filter(action="published", actor=None).count() == 1


def test_the_beat_schedule_runs_publishing_and_overdue_checks():
    schedule = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}

    assert {"articles.tasks.publish_due_articles", "articles.tasks.flag_overdue_reviews"} <= schedule
