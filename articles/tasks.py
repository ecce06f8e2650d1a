from celery import shared_task

from articles import services


@shared_task(name="articles.tasks.publish_due_articles")
def publish_due_articles() -> int:
    """Publish scheduled articles whose time has come; safe to run twice."""
    return len(services.article_publish_due())


@shared_task(name="articles.tasks.flag_overdue_reviews")
def flag_overdue_reviews() -> int:
    """Flag published articles whose medical review date has passed; safe to run twice."""
    return services.article_flag_overdue_reviews()
