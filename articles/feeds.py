from django.contrib.syndication.views import Feed
from django.db.models.fields.json import KeyTextTransform
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article, CancerType

FEED_LENGTH = 30


def entries(articles):
    # The live byline only, not the whole revision's JSON.
    return articles.annotate(byline_live=KeyTextTransform("byline", "live_revision__content"))[:FEED_LENGTH]


class LatestArticlesFeed(Feed):
    title = "Navis: new answers about cancer"
    link = "/"
    description = "Plain-language answers about cancer, reviewed by doctors."

    def items(self):
        return entries(Article.objects.for_listing())

    def item_title(self, item: Article) -> str:
        return item.live_revision.title

    def item_description(self, item: Article) -> str:
        return item.live_revision.summary

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.live_revision.approved_at or item.published_at

    def item_author_name(self, item: Article) -> str:
        return item.byline_live

    def item_categories(self, item: Article) -> list[str]:
        return [item.live_revision.cancer_type.name]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class CancerTypeFeed(LatestArticlesFeed):
    def get_object(self, request, slug: str) -> CancerType:
        return get_object_or_404(CancerType, slug=slug)

    def title(self, obj: CancerType) -> str:
        return f"Navis: new answers about {obj.name.lower()}"

    def link(self, obj: CancerType) -> str:
        return obj.get_absolute_url()

    def description(self, obj: CancerType) -> str:
        return f"Plain-language answers about {obj.name.lower()}, reviewed by doctors."

    def items(self, obj: CancerType):
        return entries(Article.objects.for_listing().filter(live_revision__cancer_type=obj))


class CancerTypeAtomFeed(CancerTypeFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: CancerType) -> str:
        return self.description(obj)
