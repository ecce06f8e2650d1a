"""What changed between two versions of an article, field by field and word by word, in editors' words."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from articles.models import Article, ArticleRevision, CancerType, HowMade, Topic

# A long unchanged stretch shows this many words either side of the changes around it.
CONTEXT_WORDS = 12
_TOKENS = re.compile(r"\s+|\S+")


@dataclass(frozen=True)
class FieldChange:
    """One field that changed: its label and its text as runs of ("same" | "add" | "remove" | "gap", text)."""

    label: str
    runs: list[tuple[str, str]]

    @property
    def added(self) -> int:
        return sum(_word_count(text) for kind, text in self.runs if kind == "add")

    @property
    def removed(self) -> int:
        return sum(_word_count(text) for kind, text in self.runs if kind == "remove")


def revision_diff(previous: ArticleRevision | None, revision: ArticleRevision) -> list[FieldChange]:
    """The fields that changed from `previous` (None: an empty article) to `revision`."""
    return content_diff(previous.content if previous else None, revision.content)


def content_diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[FieldChange]:
    """The fields that changed between two article contents (articles/content.py), with names, not ids."""
    names = _Names([c for c in (before, after) if c])
    changes = []
    for label, text_of in _fields(names):
        old, new = (text_of(before) if before else ""), text_of(after)
        if old != new:
            changes.append(FieldChange(label=label, runs=_word_runs(old, new)))
    return changes


class _Names:
    """The names behind the ids two contents refer to: three queries, whatever the number of ids."""

    def __init__(self, contents: list[dict[str, Any]]) -> None:
        def ids(key: str) -> set[int]:
            return {pk for c in contents for pk in (c.get(key) or [])}

        cancer_type_ids = {c["cancer_type_id"] for c in contents if c.get("cancer_type_id")}
        self.cancer_types = dict(CancerType.objects.filter(pk__in=cancer_type_ids).values_list("pk", "name"))
        self.topics = dict(Topic.objects.filter(pk__in=ids("topic_ids")).values_list("pk", "name"))
        self.articles = dict(Article.objects.filter(pk__in=ids("related_ids")).values_list("pk", "title"))


def _fields(names: _Names) -> list[tuple[str, Callable[[dict[str, Any]], str]]]:
    def lines(items) -> str:
        return "\n".join(items)

    return [
        ("Question", lambda c: c.get("title") or ""),
        ("Cancer type", lambda c: names.cancer_types.get(c.get("cancer_type_id"), "")),
        ("Topics", lambda c: ", ".join(sorted(names.topics.get(pk, "") for pk in c.get("topic_ids") or []))),
        ("Summary", lambda c: c.get("summary") or ""),
        ("The answer", lambda c: c.get("body") or ""),
        ("Questions to ask your care team", lambda c: lines(c.get("questions") or [])),
        (
            "Where to find more information",
            lambda c: lines(
                ", ".join(filter(None, (r["name"], r["url"], r["note"]))) for r in c.get("resources") or []
            ),
        ),
        ("Sources", lambda c: lines(_source(s) for s in c.get("sources") or [])),
        ("Byline", lambda c: c.get("byline") or ""),
        ("How it was made", lambda c: _how_made(c.get("how_made"))),
        ("Disclaimer", lambda c: c.get("disclaimer") or ""),
        ("Next medical review", lambda c: _long_date(c.get("next_review_due"))),
        ("Related articles", lambda c: lines(names.articles.get(pk, "") for pk in c.get("related_ids") or [])),
    ]


def _source(source: dict[str, Any]) -> str:
    accessed = f"accessed {_long_date(source['accessed_on'])}" if source.get("accessed_on") else ""
    parts = (source["title"], source["publisher"], source["url"], source.get("guideline_version"), accessed)
    return ", ".join(filter(None, parts))


def _how_made(value: str | None) -> str:
    return HowMade(value).label if value in HowMade.values else value or ""


def _long_date(value: str | None) -> str:
    if not value:
        return ""
    day = date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"


def _word_count(text: str) -> int:
    return len(text.split())


def _word_runs(old: str, new: str) -> list[tuple[str, str]]:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    # Segments: ["same", text] or ["change", removed, added].
    segments: list[list[str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(["same", "".join(a[i1:i2])])
        elif segments and segments[-1][0] == "change":
            segments[-1][1] += "".join(a[i1:i2])
            segments[-1][2] += "".join(b[j1:j2])
        else:
            segments.append(["change", "".join(a[i1:i2]), "".join(b[j1:j2])])
    segments = _without_chance_matches(segments)
    runs: list[tuple[str, str]] = []
    for index, segment in enumerate(segments):
        if segment[0] == "same":
            runs.extend(_shortened(segment[1], first=index == 0, last=index == len(segments) - 1))
            continue
        runs.extend((kind, part) for kind, part in (("remove", segment[1]), ("add", segment[2])) if part)
    return runs


def _without_chance_matches(segments: list[list[str]]) -> list[list[str]]:
    # A rewritten sentence shares a "the" or a space with the old one by chance; an unchanged stretch
    # shorter than the changes either side of it reads better as part of one change.
    def size(change: list[str]) -> int:
        return max(_word_count(change[1]), _word_count(change[2]))

    index = 1
    while index < len(segments) - 1:
        before, same, after = segments[index - 1 : index + 2]
        if same[0] == "same" and _word_count(same[1]) < min(size(before), size(after)):
            merged = ["change", before[1] + same[1] + after[1], before[2] + same[1] + after[2]]
            segments[index - 1 : index + 2] = [merged]
        else:
            index += 1
    return segments


def _shortened(text: str, *, first: bool, last: bool) -> list[tuple[str, str]]:
    # An unchanged paragraph between two changes reads as a few words each side, not the whole body.
    words = _TOKENS.findall(text)
    keep = CONTEXT_WORDS * 2  # tokens: words and the spaces between them
    head = [] if first else words[:keep]
    tail = [] if last else words[-keep:]
    if len(words) <= len(head) + len(tail) + keep:
        return [("same", text)]
    runs = [("same", "".join(head))] if head else []
    runs.append(("gap", "…"))
    if tail:
        runs.append(("same", "".join(tail)))
    return runs
