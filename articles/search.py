"""How search reads what people type: their words, the other names of each cancer, and their typos.

A revision's search vector is written once, when it goes live (articles.services); a query reads the
GIN index over it. The words a reader types are widened with their other names (a cancer type's
"also called" names, and the common words below), and when nothing matches, each word is put right
against the words the site uses, by trigram similarity (pg_trgm) on PostgreSQL or difflib on SQLite.
"""

import difflib
import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
# Words that say nothing about which cancer a name means: "gastric cancer" is another name for "stomach".
GENERIC_WORDS = frozenset(
    {"cancer", "cancers", "carcinoma", "tumour", "tumours", "tumor", "tumors", "of", "the", "and"}
)
# Words people use for the same thing, whatever the cancer types' names say.
COMMON_WORDS = (
    {"stomach", "gastric"},
    {"bowel", "colon", "colorectal", "rectal", "rectum"},
    {"oesophagus", "oesophageal", "esophagus", "esophageal", "gullet"},
    {"womb", "uterus", "uterine", "endometrial"},
    {"kidney", "renal"},
    {"lung", "pulmonary"},
    {"ovary", "ovarian"},
    {"pancreas", "pancreatic"},
    {"tumour", "tumor"},
    {"chemotherapy", "chemo"},
    {"radiotherapy", "radiation"},
)
# Trigram similarity a word needs to be offered instead of what was typed ("stomch" and "stomach": 0.5).
SIMILARITY_THRESHOLD = 0.3
# ts_headline marks matches with these; highlight() turns them into <mark> after escaping the text.
MATCH_START = "\ue000"
MATCH_STOP = "\ue001"
_MARKERS = re.compile(f"({MATCH_START}|{MATCH_STOP})")
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")


def revision_search_vector(cancer_type_name: str) -> SearchVector:
    """What a revision is found by: its question and cancer type first, then its summary, then its body."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector(Value(cancer_type_name), weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body_text", weight="C", config=SEARCH_CONFIG)
    )


def query_words(query: str) -> list[str]:
    """The words of a query, lower case, as many as search looks at."""
    return _WORD.findall(query[:MAX_QUERY_LENGTH].lower())[:MAX_WORDS]


def name_words(names: str) -> set[str]:
    """The telling words of a comma-separated list of names: "gastric cancer, stomach" -> {gastric, stomach}."""
    return {word for word in _WORD.findall(names.lower()) if word not in GENERIC_WORDS}


def synonym_groups(cancer_types: Iterable[tuple[str, str]]) -> list[set[str]]:
    """Sets of words that mean the same: the common ones, and each cancer type's name with its other names."""
    groups = [set(group) for group in COMMON_WORDS]
    for name, also_called in cancer_types:
        words = name_words(f"{name}, {also_called}")
        if len(words) > 1:
            groups.append(words)
    return groups


def alternatives(word: str, groups: list[set[str]]) -> list[str]:
    """The word and every word that means the same, the word first."""
    others = set().union(*(group for group in groups if word in group)) - {word}
    return [word, *sorted(others)]


def full_text_query(words: list[str], groups: list[set[str]]) -> SearchQuery | None:
    """Every word must match, each through any of its alternatives; None for no words."""
    combined = None
    for word in words:
        term = None
        for alternative in alternatives(word, groups):
            one = SearchQuery(alternative, search_type="plain", config=SEARCH_CONFIG)
            term = one if term is None else term | one
        combined = term if combined is None else combined & term
    return combined


# For each word typed, the most similar word of the site's own vocabulary: its cancer types' names and
# other names, its topics, the common words and the questions of its published articles.
CLOSEST_WORDS_SQL = """
WITH vocabulary AS (
    SELECT DISTINCT word FROM (
        SELECT regexp_split_to_table(lower(name || ' ' || also_called), '[^[:alnum:]]+') FROM articles_cancertype
        UNION ALL SELECT regexp_split_to_table(lower(name), '[^[:alnum:]]+') FROM articles_topic
        UNION ALL SELECT unnest(%s::text[])
        UNION ALL SELECT regexp_split_to_table(lower(revision.title), '[^[:alnum:]]+')
        FROM articles_article article
        JOIN articles_articlerevision revision ON revision.id = article.live_revision_id
    ) AS words (word)
    WHERE length(word) > 2
)
SELECT typed.word, closest.word
FROM unnest(%s::text[]) WITH ORDINALITY AS typed (word, position)
LEFT JOIN LATERAL (
    SELECT vocabulary.word FROM vocabulary
    WHERE similarity(vocabulary.word, typed.word) >= %s
    ORDER BY similarity(vocabulary.word, typed.word) DESC, vocabulary.word
    LIMIT 1
) AS closest ON true
ORDER BY typed.position
"""


def corrected_words(words: list[str], *, vocabulary: Iterable[str] = ()) -> list[str]:
    """Each word, or the closest word the site uses when it is not one (a typo); one query on PostgreSQL.

    `vocabulary` is only read on SQLite, where difflib stands in for pg_trgm.
    """
    if not words:
        return []
    common = sorted(set().union(*COMMON_WORDS))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(CLOSEST_WORDS_SQL, [common, words, SIMILARITY_THRESHOLD])
            return [closest or typed for typed, closest in cursor.fetchall()]
    known = {word for word in (*common, *vocabulary) if len(word) > 2}
    return [
        word if word in known else next(iter(difflib.get_close_matches(word, known, n=1, cutoff=0.75)), word)
        for word in words
    ]


def highlight(headline: str) -> SafeString:
    """A ts_headline snippet as HTML: the text escaped, and only the matches it marked inside <mark>."""
    parts = []
    inside = False
    for part in _MARKERS.split(headline):
        if part == MATCH_START:
            inside = True
        elif part == MATCH_STOP:
            inside = False
        elif part:
            parts.append(f"<mark>{escape(part)}</mark>" if inside else escape(part))
    return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)
