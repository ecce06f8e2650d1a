from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles import selectors
from articles.models import Article


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.for_listing()

    def lastmod(self, item: Article):
        return item.live_revision.approved_at or item.published_at


class CancerTypeSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return selectors.cancer_types_with_articles()


class StaticSitemap(Sitemap):
    priority = 0.5

    def items(self) -> list[str]:
        return ["home", "articles:cancer_type_list"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"articles": ArticleSitemap, "cancer-types": CancerTypeSitemap, "static": StaticSitemap}
