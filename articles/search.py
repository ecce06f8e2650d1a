"""How search reads what people type: their words, the other names of each cancer, and their typos.

A revision's search vector is written once, when it goes live (articles.services); a query reads the
GIN index over it. The words a reader types are widened with their other names (a cancer type's
"also called" names, and the common words below), and when nothing matches, each word is put right
against the words the site uses (a stored list, kept by articles.services), by trigram similarity
(pg_trgm, through an index) on PostgreSQL or difflib on SQLite.
"""

import difflib
import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
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


def full_text_query(words: list[str], groups: list[set[str]]) -> tuple[str, list[str]]:
    """A tsquery, as SQL and its parameters: every word must match, each through any of its alternatives."""
    terms, params = [], []
    for word in words:
        choices = alternatives(word, groups)
        terms.append("(" + " || ".join(["plainto_tsquery(%s::regconfig, %s)"] * len(choices)) + ")")
        params += [value for choice in choices for value in (SEARCH_CONFIG, choice)]
    return " && ".join(terms), params


def vocabulary_words(texts: Iterable[str]) -> set[str]:
    """The words of `texts` that "did you mean" may offer: lower case, as query_words reads them, 3 letters or more."""
    return {word for text in texts for word in _WORD.findall(text.lower()) if len(word) > 2}


# The most similar word the site uses to one typed: from the stored word list (articles.SearchWord: its cancer
# types' names, topics and published questions) through its trigram index, or from the common words.
# `%` (pg_trgm) is what reads the index; it keeps words at least pg_trgm.similarity_threshold alike (0.3 unless
# the server says otherwise), so SIMILARITY_THRESHOLD can raise that bar, not lower it. One such subquery a
# word, with the word as a parameter: the planner reads the index for a word it knows, not for one it meets
# row by row in a join.
CLOSEST_WORD_SQL = """(
    SELECT known.word FROM (
        SELECT word FROM articles_searchword WHERE word %% %s
        UNION ALL SELECT unnest(%s::text[])
    ) AS known (word)
    WHERE similarity(known.word, %s) >= %s
    ORDER BY similarity(known.word, %s) DESC, known.word
    LIMIT 1
)"""


def corrected_words(words: list[str], *, vocabulary: Iterable[str] = ()) -> list[str]:
    """Each word, or the closest word the site uses when it is not one (a typo); one query on PostgreSQL.

    `vocabulary` is only read on SQLite, where difflib stands in for pg_trgm.
    """
    if not words:
        return []
    common = sorted(set().union(*COMMON_WORDS))
    if connection.vendor == "postgresql":
        params = [value for word in words for value in (word, common, word, SIMILARITY_THRESHOLD, word)]
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join([CLOSEST_WORD_SQL] * len(words)), params)
            closest = cursor.fetchone()
        return [known or typed for typed, known in zip(words, closest, strict=True)]
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
