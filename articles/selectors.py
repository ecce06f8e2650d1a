"""Reads the public pages need, each with a fixed number of queries."""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from django.core.paginator import InvalidPage, Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.fields.json import KeyTransform
from django.http import Http404
from django.urls import reverse

from articles import search
from articles.content import PageContent
from articles.models import (
    Article,
    ArticleQuerySet,
    CancerType,
    SearchWord,
    Topic,
    article_path,
    cancer_type_path,
    cancer_type_topic_path,
)

# What the public page reads: not the working copy, nor the revision's search text.
LIVE_PAGE_FIELDS = (
    "slug",
    "published_at",
    "live_revision__number",
    "live_revision__content",
    "live_revision__body_html",
    "live_revision__approved_at",
    "live_revision__cancer_type__name",
    "live_revision__cancer_type__slug",
    "live_revision__approved_by__email",
    "live_revision__approved_by__full_name",
    "live_revision__approved_by__credentials",
)


def article_live_get(*, slug: str) -> Article:
    """Return a published article with its live revision, cancer type and reviewer, or 404."""
    try:
        return (
            Article.objects.published()
            .select_related("live_revision", "live_revision__cancer_type", "live_revision__approved_by")
            .only(*LIVE_PAGE_FIELDS)
            .get(slug=slug)
        )
    except Article.DoesNotExist:
        raise Http404("No published article here.") from None


# What a card shows, in ArticleCard's order (its address from the slug).
CARD_COLUMNS = ("slug", "live_revision__title", "live_revision__summary", "live_revision__cancer_type__name")


@dataclass(frozen=True)
class ArticleCard:
    url: str
    title: str
    summary: str
    cancer_type_name: str


def article_cards(*, ids: list[int], exclude_id: int | None = None) -> list[ArticleCard]:
    """Cards for the published articles among `ids` (unpublished ones drop out), in one light query."""
    if not ids:
        return []
    rows = (
        Article.objects.published()
        .filter(pk__in=ids)
        .exclude(pk=exclude_id)
        .order_by("-published_at")
        .values_list(*CARD_COLUMNS)
    )
    return _cards(rows)


def _cards(rows: Iterable[Sequence[str]]) -> list[ArticleCard]:
    return [ArticleCard(article_path(slug), title, summary, type_name) for slug, title, summary, type_name in rows]


# What article_live_get and article_cards read, as one statement: the live revision (without its Markdown,
# which the page shows rendered), its cancer type and reviewer, and the cards for its related articles.
LIVE_PAGE_SQL = """
SELECT article.slug, article.published_at,
       revision.number, revision.content - 'body', revision.body_html, revision.approved_at,
       cancer_type.name, cancer_type.slug,
       reviewer.full_name, reviewer.email, reviewer.credentials,
       ARRAY(
           SELECT ARRAY[related.slug, related_revision.title, related_revision.summary, related_type.name]
           FROM articles_article related
           JOIN articles_articlerevision related_revision ON related_revision.id = related.live_revision_id
           JOIN articles_cancertype related_type ON related_type.id = related_revision.cancer_type_id
           WHERE related.id = ANY(ARRAY(SELECT jsonb_array_elements_text(revision.content -> 'related_ids')::bigint))
             AND related.id <> article.id
           ORDER BY related.published_at DESC
       )
FROM articles_article article
JOIN articles_articlerevision revision ON revision.id = article.live_revision_id
JOIN articles_cancertype cancer_type ON cancer_type.id = revision.cancer_type_id
LEFT JOIN navis_user reviewer ON reviewer.id = revision.approved_by_id
WHERE article.slug = %s
"""


def article_live_page(*, slug: str) -> tuple[PageContent, list[ArticleCard]]:
    """Return a published article's page and the cards of its related articles, or 404."""
    if connection.vendor != "postgresql":
        article = article_live_get(slug=slug)
        page = PageContent.live(article)
        return page, article_cards(ids=page.related_ids, exclude_id=article.pk)
    # The site's busiest page, so one statement written out: building the same joins with the ORM costs
    # twice as long as running them.
    with connection.cursor() as cursor:
        cursor.execute(LIVE_PAGE_SQL, [slug])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No published article here.")
    (
        slug,
        published_at,
        number,
        content,
        body_html,
        approved_at,
        type_name,
        type_slug,
        full_name,
        email,
        credentials,
        related,
    ) = row
    page = PageContent.from_content(
        slug=slug,
        content=json.loads(content),
        cancer_type_name=type_name,
        cancer_type_slug=type_slug,
        body_html=body_html,
        published_at=published_at,
        reviewed_by_name=full_name or email or "",
        reviewed_by_credentials=credentials or "",
        reviewed_at=approved_at,
        revision_number=number,
    )
    return page, _cards(related)


FEATURED_CARDS = 3
LATEST_CARDS = 6

# The home page's three lists in one statement: the newest featured and newest answers (each a few rows of
# an index in this order: article_featured_newest, article_published_newest) and the cancer types that
# have a published answer (EXISTS stops at the first). Plain SQL that SQLite runs too: the ORM took five
# times as long to build these three queries as PostgreSQL takes to run them.
HOME_SQL = """
SELECT 1 AS list, position, slug, title, summary, type_name FROM (
    SELECT ROW_NUMBER() OVER (ORDER BY article.published_at DESC, article.id DESC) AS position,
           article.slug, revision.title, revision.summary, cancer_type.name AS type_name
    FROM articles_article article
    JOIN articles_articlerevision revision ON revision.id = article.live_revision_id
    JOIN articles_cancertype cancer_type ON cancer_type.id = revision.cancer_type_id
    WHERE article.live_revision_id IS NOT NULL AND article.featured
    ORDER BY article.published_at DESC, article.id DESC
    LIMIT %s
) featured
UNION ALL
SELECT 2, position, slug, title, summary, type_name FROM (
    SELECT ROW_NUMBER() OVER (ORDER BY article.published_at DESC, article.id DESC) AS position,
           article.slug, revision.title, revision.summary, cancer_type.name AS type_name
    FROM articles_article article
    JOIN articles_articlerevision revision ON revision.id = article.live_revision_id
    JOIN articles_cancertype cancer_type ON cancer_type.id = revision.cancer_type_id
    WHERE article.live_revision_id IS NOT NULL
    ORDER BY article.published_at DESC, article.id DESC
    LIMIT %s
) latest
UNION ALL
SELECT 3, ROW_NUMBER() OVER (ORDER BY cancer_type."order", cancer_type.name), cancer_type.slug, cancer_type.name,
       NULL, NULL
FROM articles_cancertype cancer_type
WHERE EXISTS (
    SELECT 1 FROM articles_article article
    WHERE article.cancer_type_id = cancer_type.id AND article.live_revision_id IS NOT NULL
)
ORDER BY 1, 2
"""


@dataclass(frozen=True)
class CancerTypeLink:
    name: str
    url: str


@dataclass(frozen=True)
class HomeLists:
    featured: list[ArticleCard]
    latest: list[ArticleCard]
    cancer_types: list[CancerTypeLink]


def home_lists() -> HomeLists:
    """The newest featured answers, the newest answers, and the cancer types with answers, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(HOME_SQL, [FEATURED_CARDS, LATEST_CARDS])
        rows = cursor.fetchall()
    lists: dict[int, list] = {1: [], 2: [], 3: []}
    for list_number, _, slug, title, summary, type_name in rows:
        if list_number == 3:
            lists[3].append(CancerTypeLink(title, cancer_type_path(slug)))
        else:
            lists[list_number].append(ArticleCard(article_path(slug), title, summary, type_name))
    return HomeLists(featured=lists[1], latest=lists[2], cancer_types=lists[3])


@dataclass(frozen=True)
class QuestionSheet:
    slug: str
    title: str
    cancer_type_name: str
    questions: list[str]


def article_question_sheet(*, slug: str) -> QuestionSheet:
    """A published article's questions for the care team, to print, or 404 (one query, no body)."""
    row = (
        Article.objects.published()
        .filter(slug=slug)
        .values_list(
            "live_revision__title",
            "live_revision__cancer_type__name",
            KeyTransform("questions", "live_revision__content"),
        )
        .first()
    )
    if row is None:
        raise Http404("No published article here.")
    title, type_name, questions = row
    return QuestionSheet(slug=slug, title=title, cancer_type_name=type_name, questions=questions or [])


def article_live_questions(*, article_id: int) -> list[str]:
    """The questions for the care team of a published article, as its live revision has them (none if not live)."""
    questions = (
        Article.objects.published()
        .filter(pk=article_id)
        .values_list(KeyTransform("questions", "live_revision__content"), flat=True)
        .first()
    )
    return questions or []


# How many of a topic's newest answers a cancer-type page shows; the rest are a link away.
SECTION_CARDS = 3
ANSWERS_PER_PAGE = 20


@dataclass(frozen=True)
class TopicSection:
    title: str
    cards: list[ArticleCard]
    # The link to every answer in the section, when it has more than it shows.
    more_url: str = ""
    more_label: str = ""


# A cancer type's live articles under each topic of their live revision (none: one group with no topic), the
# newest SECTION_CARDS of each with the group's size. Plain SQL that SQLite runs too: the ORM took longer to
# build this statement than the database takes to run it.
SECTIONS_SQL = """
SELECT topic.name, topic.slug, ranked.total, ranked.slug, ranked.title, ranked.summary
FROM (
    SELECT article.slug, revision.title, revision.summary, membership.topic_id,
           ROW_NUMBER() OVER (
               PARTITION BY membership.topic_id ORDER BY article.published_at DESC, article.id DESC
           ) AS place,
           COUNT(*) OVER (PARTITION BY membership.topic_id) AS total
    FROM articles_articlerevision revision
    JOIN articles_article article ON article.live_revision_id = revision.id
    LEFT JOIN articles_articlerevision_topics membership ON membership.articlerevision_id = revision.id
    WHERE revision.cancer_type_id = %s
) ranked
LEFT JOIN articles_topic topic ON topic.id = ranked.topic_id
WHERE ranked.place <= %s
ORDER BY topic.name IS NULL, topic.name, ranked.place
"""


def cancer_type_sections(*, cancer_type: CancerType) -> list[TopicSection]:
    """A cancer type's newest few published articles under each topic of their live revision, then those with none.

    One query however many articles there are: the database ranks and counts each topic's articles.
    """
    with connection.cursor() as cursor:
        cursor.execute(SECTIONS_SQL, [cancer_type.pk, SECTION_CARDS])
        rows = cursor.fetchall()
    sections = []
    for (name, slug, total), group in groupby(rows, key=itemgetter(0, 1, 2)):
        cards = _cards((row[3], row[4], row[5], cancer_type.name) for row in group)
        if name is not None:
            more = (cancer_type_topic_path(cancer_type.slug, slug), f"All {total} answers on {name}")
        else:
            name = "More answers" if sections else "Answers"
            more = (
                reverse("articles:cancer_type_answers", args=[cancer_type.slug]),
                f"All answers about {cancer_type.name.lower()}",
            )
        sections.append(TopicSection(name, cards, *(more if total > len(cards) else ())))
    return sections


def _newest_of_type(cancer_type: CancerType) -> ArticleQuerySet:
    return Article.objects.published().filter(live_revision__cancer_type=cancer_type).order_by("-published_at", "-id")


def cancer_type_answers_page(*, cancer_type: CancerType, topic: Topic | None, number: str | None) -> Page:
    """One page of a cancer type's published articles (on `topic`, if given), newest first, or 404."""
    articles = _newest_of_type(cancer_type)
    if topic is not None:
        articles = articles.filter(live_revision__topics=topic)
    paginator = Paginator(articles.values_list(*CARD_COLUMNS), ANSWERS_PER_PAGE, allow_empty_first_page=False)
    try:
        page = paginator.page(number or 1)
    except InvalidPage:
        raise Http404("No such page of answers.") from None
    page.object_list = _cards(page.object_list)
    return page


def cancer_types_with_articles() -> QuerySet[CancerType]:
    """Cancer types that have at least one published article (name, slug and description only)."""
    # EXISTS stops at a type's first published article; a join with DISTINCT read every one of them.
    published = Article.objects.published().filter(cancer_type=OuterRef("pk"))
    return (
        CancerType.objects.filter(Exists(published))
        .only("name", "slug", "description", "order")
        .order_by("order", "name")
    )


SEARCH_PAGE_SIZE = 10
SEARCH_MAX_PAGE = 1000


@dataclass(frozen=True)
class SearchResult(ArticleCard):
    # The body's words around what matched, matches in <mark> (HTML); empty when the card shows them already.
    snippet: str = ""


@dataclass
class SearchPage:
    """What the search page shows: a page of results, the words searched instead of a typo, or topics to start from."""

    query: str
    results: list[SearchResult]
    total: int = 0
    number: int = 1
    searched_for: str = ""
    topics: list[Topic] = field(default_factory=list)
    cancer_types: list[CancerType] = field(default_factory=list)

    # Named as Django's Page names them.
    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // SEARCH_PAGE_SIZE))

    def start_index(self) -> int:
        return (self.number - 1) * SEARCH_PAGE_SIZE + 1 if self.results else 0

    def end_index(self) -> int:
        return (self.number - 1) * SEARCH_PAGE_SIZE + len(self.results)

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(page: str | None) -> int:
    if page is None or page == "":
        return 1
    # ASCII digits only ("²" is a digit to Python), and no page so far on that its offset overflows.
    if not (page.isascii() and page.isdigit()) or not 1 <= int(page) <= SEARCH_MAX_PAGE:
        raise Http404("No such page of results.")
    return int(page)


class SynonymsCopy:
    """This process's synonym groups, and the version of the cancer types it made them from.

    The search statement reads the cancer types' version as it runs: a search takes one query while they stay
    as they were, and reads them and searches again the first time they are not.
    """

    def __init__(self) -> None:
        self.current: tuple[str | None, list[set[str]]] = (None, search.synonym_groups([]))

    def read(self, version: str | None) -> list[set[str]]:
        groups = search.synonym_groups(CancerType.objects.values_list("name", "also_called"))
        self.current = (version, groups)
        return groups


synonyms = SynonymsCopy()


def search_page(*, query: str, page: str | None = None) -> SearchPage:
    """Search published articles a page at a time; with typos put right if nothing matches; topics for no query.

    Raises Http404 for a page that is not a number, or past the last one.
    """
    query = query.strip()[: search.MAX_QUERY_LENGTH]
    number = _page_number(page)
    words = search.query_words(query)
    if not words:
        return SearchPage(
            query=query, results=[], topics=topics_popular(), cancer_types=list(cancer_types_with_articles())
        )
    if connection.vendor == "postgresql":
        version, groups = synonyms.current
    else:
        version, groups = None, synonyms.read(None)  # no version to check them by: read them each time
    found = articles_search(words=words, groups=groups, number=number)
    if found.types_version != version:
        groups = synonyms.read(found.types_version)
        found = articles_search(words=words, groups=groups, number=number)
    searched_for = ""
    if not found.total:
        corrected = search.corrected_words(words, vocabulary=_sqlite_vocabulary())
        if corrected != words:
            searched_for = " ".join(corrected)
            found = articles_search(words=corrected, groups=groups, number=number)
    if found.total and not found.results:
        raise Http404("No such page of results.")
    return SearchPage(query=query, results=found.results, total=found.total, number=number, searched_for=searched_for)


def _sqlite_vocabulary() -> Iterable[str]:
    # PostgreSQL reads the word list in the same statement that compares the words.
    return () if connection.vendor == "postgresql" else SearchWord.objects.values_list("word", flat=True)


# One statement for a page of results: rank what matches (only live revisions have a search vector), count it,
# say which version of the cancer types it searched with (SynonymsCopy), and read the cards of the page shown
# only. A card has a snippet of the body when its question, cancer type and summary do not show all the words
# searched for: ts_headline reads the whole body (~0.6 ms for 2,000 characters), and where the card shows them
# the snippet adds nothing.
SEARCH_SQL = """
WITH query AS (SELECT {tsquery} AS query),
matches AS (
    SELECT revision.id, ts_rank(revision.search_vector, query.query) AS rank
    FROM articles_articlerevision revision, query
    WHERE revision.search_vector @@ query.query
),
shown AS (SELECT id, rank FROM matches ORDER BY rank DESC, id DESC LIMIT %s OFFSET %s)
SELECT total.count, types.version, article.slug, revision.title, revision.summary, cancer_type.name,
       CASE WHEN NOT ts_filter(revision.search_vector, '{a,b}') @@ query.query
            THEN ts_headline(%s::regconfig, revision.body_text, query.query, %s) END
FROM (SELECT count(*) FROM matches) AS total (count)
CROSS JOIN (
    SELECT md5(coalesce(string_agg(concat_ws(',', id, name, also_called), ';' ORDER BY id), ''))
    FROM articles_cancertype
) AS types (version)
CROSS JOIN query
LEFT JOIN shown ON true
LEFT JOIN articles_articlerevision revision ON revision.id = shown.id
LEFT JOIN articles_article article ON article.live_revision_id = revision.id
LEFT JOIN articles_cancertype cancer_type ON cancer_type.id = revision.cancer_type_id
ORDER BY shown.rank DESC, shown.id DESC
"""
HEADLINE_OPTIONS = f"StartSel={search.MATCH_START}, StopSel={search.MATCH_STOP}, MaxWords=30, MinWords=15"


@dataclass(frozen=True)
class Found:
    results: list[SearchResult]
    total: int
    # What the cancer types' names were when the search ran (PostgreSQL only): see SynonymsCopy.
    types_version: str | None = None


def articles_search(*, words: list[str], groups: list[set[str]], number: int = 1) -> Found:
    """A page of the published articles matching every word (or one meaning the same), best first; how many match."""
    offset = (number - 1) * SEARCH_PAGE_SIZE
    if connection.vendor == "postgresql":
        tsquery, params = search.full_text_query(words, groups)
        with connection.cursor() as cursor:
            cursor.execute(
                SEARCH_SQL.replace("{tsquery}", tsquery),
                [*params, SEARCH_PAGE_SIZE, offset, search.SEARCH_CONFIG, HEADLINE_OPTIONS],
            )
            rows = cursor.fetchall()
        results = [
            SearchResult(
                article_path(slug),
                title,
                summary,
                type_name,
                search.highlight(headline) if headline and search.MATCH_START in headline else "",
            )
            for _, _, slug, title, summary, type_name, headline in rows
            if slug is not None
        ]
        return Found(results, total=rows[0][0], types_version=rows[0][1])
    # SQLite on a laptop: every word, or one meaning the same, must appear somewhere in the text.
    condition = Q()
    for word in words:
        either = Q()
        for alternative in search.alternatives(word, groups):
            either |= (
                Q(live_revision__title__icontains=alternative)
                | Q(live_revision__cancer_type__name__icontains=alternative)
                | Q(live_revision__summary__icontains=alternative)
                | Q(live_revision__body_text__icontains=alternative)
            )
        condition &= either
    matching = Article.objects.published().filter(condition)
    rows = matching.order_by("-published_at", "-id").values_list(
        "slug", "live_revision__title", "live_revision__summary", "live_revision__cancer_type__name"
    )[offset : offset + SEARCH_PAGE_SIZE]
    return Found([SearchResult(article_path(slug), *rest) for slug, *rest in rows], total=matching.count())


def topics_popular(*, limit: int = 8) -> list[Topic]:
    """The topics with the most published articles, to start from when a search has no words."""
    return list(
        Topic.objects.annotate(published=Count("articles", filter=Q(articles__live_revision__isnull=False)))
        .filter(published__gt=0)
        .order_by("-published", "name")[:limit]
    )
