"""Whether words about a marker state this patient's result, read with medspaCy's ConText.

The same question as context.py answers with its own rules, asked of medspaCy (Eyre et al., 2021):
a blank English pipeline, medspaCy's sentence splitter (PyRuSH), the marker mentions as ConText's
targets, and ConText with its default rules (negation, possible, hypothetical, historical, family)
plus rules for what a pathology report says that clinical notes do not: pending tests, tests not
done, definitions and methods, literature. Each rule opens a modifier with a direction and a scope
(the sentence, up to a terminating word), so a cue modifies only the mentions it reaches.

ConText's negation is left out of the answer on purpose: here "no mutation detected" is a result
(wild-type), not the absence of a finding. Only the other categories decide.

The reader uses it when NAVIS_READER_CONTEXT=medspacy (context.py); medspaCy is an optional extra
(pyproject, `medspacy`). On the project's corpus and the real reports it read no better than the
rules, at 1.4 to 3 times their cost, so the rules are the default (README, "Reading records"). It
stays so that the benchmark can measure both as the corpus grows: it asks ConText the same cues.
"""

from functools import cache

import spacy
from loguru import logger
from medspacy.context import ConText, ConTextRule
from spacy.language import Language
from spacy.tokens import Doc

from uploads.pipeline import biomarker_words as words
from uploads.pipeline.context import _ANY_TITLE, _CUES, _SECTION_TITLE, Context, Span

# ConText's categories and ours, most decisive first (the order context.py applies its cues in).
_CATEGORIES: list[tuple[str, Context]] = [
    ("FAMILY", Context.FAMILY),
    ("NOT_DONE", Context.NOT_DONE),
    ("PENDING", Context.PENDING),
    ("HYPOTHETICAL", Context.PENDING),
    ("DEFINITION", Context.DEFINITION),
    ("LITERATURE", Context.LITERATURE),
    # What was true before (a history, an earlier test) is not the result this report gives.
    ("HISTORICAL", Context.LITERATURE),
    ("POSSIBLE_EXISTENCE", Context.HEDGED),
]
_CONTEXT_OF_CATEGORY = dict(_CATEGORIES)
_ADDED = {Context.NOT_DONE, Context.PENDING, Context.DEFINITION, Context.LITERATURE}
# Names of variant classes, not hedges ("no pathogenic or likely pathogenic variant"): matched, and
# so kept from being read as ConText's "likely", but modifying nothing.
_PSEUDO = r"\blikely (?:pathogenic|benign)\b|\b(?:variant|uncertain) (?:of )?uncertain significance\b"


def _rules(default_rules: str) -> list[ConTextRule]:
    # ConText's negation rules are left out: they decide nothing here, and as the longer match they
    # would hide our cues that start with the same words ("not assessed", "not performed").
    defaults = [rule for rule in ConTextRule.from_json(default_rules) if rule.category != "NEGATED_EXISTENCE"]
    added = [
        ConTextRule(context.name.lower(), context.name, pattern=cues.pattern, direction="BIDIRECTIONAL")
        for context, cues in _CUES
        if context in _ADDED
    ]
    return [*defaults, *added, ConTextRule("variant class", "PSEUDO", pattern=_PSEUDO, direction="PSEUDO")]


@Language.component("navis_marker_targets")
def _marker_targets(doc: Doc) -> Doc:
    """Mark each marker mention as a ConText target; the whole words when none is named."""
    spans = [
        doc.char_span(m.start(), m.end(), label="MARKER", alignment_mode="expand")
        for m in words.MENTION.finditer(doc.text)
    ]
    spans = spacy.util.filter_spans([span for span in spans if span is not None])
    doc.ents = spans or [doc.char_span(0, len(doc.text), label="MARKER", alignment_mode="expand")]
    return doc


@cache
def _pipeline() -> Language:
    # PyRuSH logs every sentence it splits at DEBUG through loguru, which costs more than the splitting.
    logger.disable("PyRuSH")
    nlp = spacy.blank("en")
    nlp.add_pipe("medspacy_pyrush")
    nlp.add_pipe("navis_marker_targets")
    context: ConText = nlp.add_pipe("medspacy_context", config={"rules": None})
    context.add(_rules(context.DEFAULT_RULES_FILEPATH))
    return nlp


def context_of(words: str) -> Context:
    """The context the words of one sentence put a result in."""
    if not words.strip():
        return Context.STATED
    doc = _pipeline()(words)
    found = {
        _CONTEXT_OF_CATEGORY[modifier.category]
        for target in doc.ents
        for modifier in target._.modifiers
        if modifier.category in _CONTEXT_OF_CATEGORY
    }
    return next((context for _, context in _CATEGORIES if context in found), Context.STATED)


# The sections medspaCy's default rules know (clinical notes) whose words are not this report's results,
# and the titles context.py knows for test descriptions, literature and history.
_EXCLUDED_CATEGORIES = {
    "past_medical_history",
    "history_of_present_illness",
    "family_history",
    "social_history",
    "reason_for_examination",
    "patient_education",
}
_EXCLUDED_TITLE = "excluded_title"


@cache
def _sectionizer() -> Language:
    from medspacy.section_detection import Sectionizer, SectionRule

    nlp = spacy.blank("en")
    sectionizer: Sectionizer = nlp.add_pipe("medspacy_sectionizer", config={"rules": "default"})
    # medspaCy's regex rules are case-blind; the title of context.py needs its own flags, per line.
    sectionizer.add(
        [
            SectionRule("excluded title", _EXCLUDED_TITLE, pattern="(?m)" + _SECTION_TITLE.pattern),
            # Any other title ends the section before it, as in context.sections().
            SectionRule("any title", "other", pattern="(?m)(?-i:" + _ANY_TITLE.pattern + ")"),
        ]
    )
    return nlp


def sections(text: str) -> list[tuple[Span, str]]:
    """The spans of the text under a title that describes the test, the literature or the history."""
    doc = _sectionizer()(text)
    found = []
    for section in doc._.sections:
        if section.category in _EXCLUDED_CATEGORIES or section.category == _EXCLUDED_TITLE:
            title = doc[section.title_start : section.title_end]
            body = doc[section.body_start : section.body_end]
            found.append((Span(title.start_char, max(title.end_char, body.end_char)), title.text.strip(" \t:").lower()))
    return found
