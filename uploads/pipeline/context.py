"""Whether words about a marker state this patient's result, and where a report's sections run.

A report names markers in many places that are not results: the methods ("the assay detects
mutations in codons 12 and 13"), criteria ("classified as MSI-H if two markers are unstable"),
literature ("EGFR mutations predict response to TKIs"), tests that are pending or could not be
done, and relatives' results. The reader asks this module, for the sentence around each mention,
which of these it is; anything but a plain statement is not taken as a result.

Hand-written rules over the sentence, in the spirit of NegEx/ConText (Chapman et al.): each cue
opens a context for the sentence it is in. medspaCy's ConText was measured against these rules
on the project's corpus (README, "Reading records").
"""

import os
import re
from dataclasses import dataclass
from enum import StrEnum


class Context(StrEnum):
    STATED = "stated"
    PENDING = "pending"
    NOT_DONE = "not done"
    DEFINITION = "definition"
    LITERATURE = "literature"
    FAMILY = "family"
    HEDGED = "hedged"


def _cues(*patterns: str) -> re.Pattern:
    return re.compile("|".join(patterns), re.IGNORECASE)


# Each context with the words that open it, most decisive first.
_CUES: list[tuple[Context, re.Pattern]] = [
    (
        Context.FAMILY,
        _cues(
            r"\b(?:mother|father|sister|brother|aunt|uncle|cousin|daughter|grandmother|grandfather|niece|nephew"
            r"|sibling|relatives?|maternal|paternal)\b",
            r"\bfamily (?:history|member)",
            r"\bfamilial\b(?! adenomatous)",
        ),
    ),
    (
        Context.NOT_DONE,
        _cues(
            r"\binsufficient\b",
            r"\bnot (?:be )?(?:possible|performed|done|evaluable|assessable|interpretable|assessed|tested|available)\b",
            r"\bcould not be\b",
            r"\bcannot be (?:assessed|evaluated|determined|performed|interpreted)\b",
            r"\bunable to\b",
            r"\bfail(?:ed|ure)\b",
            r"\bquantity not sufficient\b|\bQNS\b",
            r"\binadequate\b",
            r"\buninterpretable\b|\bnon-?evaluable\b|\bunevaluable\b|\bnot informative\b|\bnon-?informative\b",
            r"\bcancell?ed\b",
            r"\bnot suitable\b|\bunsuitable\b",
            r"\btoo (?:few|little|small)\b",
            r"\bno (?:\w+\s+)?(?:tumou?r|tissue) (?:remain|left|available)",
        ),
    ),
    (
        Context.PENDING,
        _cues(
            r"\b(?:will|would|to) be (?:performed|sent|done|reported|issued|repeated|submitted|ordered|forwarded|"
            r"undertaken|carried out|requested|tested|assessed|evaluated)\b",
            r"\bpending\b",
            r"\b(?:has|have) been (?:ordered|requested|sent|forwarded|submitted|referred)\b",
            r"\b(?:is|are|was|were) (?:being )?(?:ordered|requested|sent|forwarded|referred)\b",
            r"\bsent (?:out|away|off)\b|\bsent to\b",
            r"\bto follow\b|\bwill follow\b|\bfollows? in (?:a|an) (?:separate|addendum)",
            r"\bseparate (?:report|addendum)\b",
            r"\bin progress\b|\bawaited\b|\bawaiting\b|\bnot yet\b|\bunderway\b",
            r"\brecommend(?:ed|s)?\b|\bsuggest(?:ed)? (?:that )?(?:\w+\s+)?test",
            r"\bconsider(?:ation)? (?:of |for )?(?:\w+\s+){0,3}?test",
            r"\b(?:could|can|may|might|should) be (?:performed|considered|requested|ordered|sent|useful|helpful|done|tested)\b",
            r"\bavailable (?:on|upon) request\b|\bif (?:clinically )?(?:indicated|requested|desired)\b",
            r"\bon request\b|\bupon request\b|\bplease (?:contact|call|request)\b",
            r"\bplanned\b|\bscheduled\b",
            r"\bwould (?:have|be)\b|\bcould have\b|\bshould (?:it|the|a)\b",
        ),
    ),
    (
        Context.DEFINITION,
        _cues(
            r"\bdefined as\b|\bis defined\b|\bdefinition\b",
            r"\b(?:is|are) (?:classified|categori[sz]ed|considered|interpreted|scored|reported|regarded) as\b",
            r"\bclassified as\b(?=[^.;]*\bif\b)",
            r"\bcriteri(?:a|on)\b|\bcut-?off\b|\bthreshold\b|\bguidelines?\b",
            r"\bif\b|\bwhen(?:ever)?\b(?=[^.;]*\b(?:is|are|shows?)\b)|\bunless\b|\bwhereas\b",
            r"\bscoring (?:system|guide|scheme)\b|\binterpretation (?:guide|key)\b",
            r"\breference (?:range|interval)\b|\bnormal range\b",
            r"\b(?:this|the) (?:assay|test|panel|kit) (?:detects|covers|targets|identifies|interrogates|includes|is designed)\b",
            r"\b(?:designed|intended|able) to (?:detect|identify)\b",
            r"\blimit of detection\b|\banalytic(?:al)? sensitivity\b|\bsensitivity of\b",
            r"\bdetects? (?:\w+\s+){0,3}?mutations? in\b",
            r"\bincludes?\b(?=[^.;]*\b(?:codons?|exons?|hotspots?)\b)",
            r"\bpossible results?\b|\bresult options?\b",
            r"\bby this (?:assay|test|method|panel)\b|\bmay not be\b|\bin between\b",
            r"\b(?:loss|absence) of (?:[\w-]+[, ]+){1,4}or\b",
            r"\b(?:deficien\w*|loss|positive|negative|aberrant|mutated|retained|present|absent|high|low)\s+or\s+(?:\w+\s+)?"
            r"(?:deficien\w*|loss|positive|negative|aberrant|mutated|retained|absent|present|wild|proficient|normal)\b",
            r"\d\s*%?\s*(?:or (?:more|higher|greater|above|less|lower|below)|and (?:above|over|higher))\b",
            r"\b(?:altered|normal|reference|expected|positive|negative) range\b",
            r"\bFDA\b|\bapprov(?:ed|al)\b|\bperformance characteristics\b|\bdeveloped and\b",
        ),
    ),
    (
        Context.LITERATURE,
        _cues(
            r"\b(?:studies|trials?) (?:have|has|show|showed|suggest|indicate|demonstrated?|found|reported)\b",
            r"\b(?:in|from|of|by) (?:a |the |several |recent |large |randomi[sz]ed |prospective |retrospective )?(?:studies|trials?|series|cohorts?)\b",
            r"\bclinical trials?\b|\bliterature\b|\bet al\b|\bpublished\b|\breported (?:in|to)\b",
            r"\b(?:has|have) been (?:shown|reported|described|associated|linked)\b|\bshown to\b",
            r"\b(?:is|are) (?:associated|correlated|linked)\b|\bassociated with (?:a |an )?(?:response|resistance|poor|better|worse|improved|favou?rable|increased|decreased)",
            r"\bpredict(?:s|ive of|ing)\b(?! (?:marker|biomarker)s? (?:testing|studies|panel))",
            r"\bresponse to\b|\bresistance to\b|\bsensiti[sz]e\b",
            r"\bbenefit\b|\bpatients with(?:out)?\b|\btumou?rs with\b(?=[^.;]*\b(?:may|are|have|show)\b)",
            r"\bmutually exclusive\b|\boccurs? in\b|\bfound in (?:about |approximately )?\d+%|\bin (?:about |approximately )?\d+% of (?:cases|patients|tumou?rs)",
            r"\bfrequen(?:t|tly|cy)\b|\bcommonly\b|\bprevalence\b|\btypically\b|\busually\b|\brarely\b|\boften\b|\bsometimes\b",
            r"\bin (?:about |approximately |over |up to |more than |around )?\d+(?:-\d+)?% of\b",
            r"\bhereditary\b(?! testing)|\bsyndrome\b|\bgermline testing\b|\bgenetic counsel",
            r"\beligib(?:le|ility)\b(?=[^.;]*\b(?:if|when|for patients)\b)",
            r"\b(?:NCCN|ESMO|NICE)\b",
            r"\bknown to\b|\be\.g\.|\bsuch as\b|\bmolecular target\b|\band/or\b|\btargeted (?:therapy|agents?)\b",
            r"\bup to \d+%|\b\d+% (?:to \d+% )?of (?:all )?(?:patients|cases|tumou?rs)\b|\bof patients\b",
            r"\b(?:19|20)\d\d;\s?\d+",
        ),
    ),
    (
        Context.HEDGED,
        _cues(
            r"\bsuspicious for\b|\bcannot (?:be )?exclude",
            r"\bpossibl[ey]\b|\bprobabl[ey]\b|\blikely\b|\bfavou?r(?:s|ed)?\b|\bsuggestive of\b|\bsuggests?\b",
            r"\bquestionable\b|\buncertain\b|\bunclear\b|\bequivocal for\b",
        ),
    ),
]
# Sections whose words describe the test, not the tumour.
_SECTION_TITLE = re.compile(
    r"^[ \t]*(?:[A-Z0-9]\.|\d+[.)])?[ \t]*(?P<title>references?|bibliography|methods?|methodology|test methodology|"
    r"(?:test |assay )?(?:description|background|information|limitations?|details)|background|disclaimers?|"
    r"limitations?(?: of (?:the )?(?:test|assay))?|interpretation (?:guide|key|criteria)|scoring(?: criteria| system| guide)?|"
    r"(?:technical |general )?notes?|about (?:this|the) test|genes? (?:tested|analy[sz]ed|covered|included|in (?:the|this) panel)|"
    r"(?:assay|test) (?:description|information|methodology|performed)|(?:list of )?genes evaluated|"
    r"literature|explanatory notes?|educational (?:notes?|comments?)|clinical significance|background information|"
    r"clinical history|history|indications?|reason for (?:referral|test(?:ing)?)|past (?:medical )?history|"
    r"family history|previous (?:history|results)|prior (?:malignancy|history)(?: history)?)[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Any title that ends a section: short, alone on its line, in capitals or ending with a colon.
_ANY_TITLE = re.compile(
    r"^[ \t]*(?:[A-Z0-9]\.|\d+[.)])?[ \t]*(?:[A-Z][A-Z0-9 /&(),'-]{2,60}|[A-Z][A-Za-z0-9 /&(),'-]{2,50}:)[ \t]*$",
    re.MULTILINE,
)
# The history sections state results too (an earlier biopsy's HER2) but of an earlier time:
# they are kept apart from methods and literature, whose words are never results.
HISTORY_TITLES = re.compile(r"history|indication|reason for|previous|prior", re.IGNORECASE)

# Where a sentence ends: a full stop or semicolon before a new word, a blank line, or a line
# that is a field of its own ("Label: value").
_ABBREVIATIONS = ("approx", r"e\.g", r"i\.e", "vs", "No", "no", "Fig", "fig", "Dr", "Mr", "Ms", "Mrs", "St")
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Za-z])" + "".join(rf"(?<!\b{abbreviation})" for abbreviation in _ABBREVIATIONS) + r"[.!?](?=\s+[A-Z(\[0-9\"'])"
    r"|[.!?;](?=\s*\n)|;|\n[ \t]*\n|(?<=[A-Z0-9)\]:])[ \t]*\n(?=[ \t]*[A-Z])|\n(?=[ \t]*(?:[A-Z0-9]\.|\d+[.)]|[-•*])[ \t])|\n(?=[ \t]*[A-Z][\w /()-]{1,40}:)"
    r"|\n(?=[ \t]*[A-Z][A-Z0-9 /()&-]{3,}\n)|(?<=\n)(?=[ \t]*[A-Z][A-Z0-9 /()&-]{3,}[ \t]*\n)"
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def sections(text: str) -> list[tuple[Span, str]]:
    """The spans of the text under a title that describes the test, the literature or the history."""
    found = []
    for match in _SECTION_TITLE.finditer(text):
        following = _ANY_TITLE.search(text, match.end() + 1)
        end = following.start() if following else len(text)
        found.append((Span(match.start(), end), match["title"].lower()))
    return found


def sentence(text: str, start: int, end: int) -> Span:
    """The sentence around text[start:end]."""
    begin = 0
    for match in _SENTENCE_END.finditer(text, max(0, start - 400), start):
        begin = match.end()
    if begin == 0 and start > 400:
        begin = start - 400
    stop = _SENTENCE_END.search(text, end)
    return Span(begin, stop.start() if stop else len(text))


# Names of variant classes, not hedges: "no pathogenic or likely pathogenic variant".
_VARIANT_CLASSES = re.compile(r"\blikely (?:pathogenic|benign)\b|\b(?:variant|uncertain) (?:of )?uncertain significance\b", re.IGNORECASE)


def context_of(words: str) -> Context:
    """The context the words of one sentence put a result in."""
    words = _VARIANT_CLASSES.sub(" ", words)
    for context, cues in _CUES:
        if cues.search(words):
            return context
    return Context.STATED


# The reader asks these rules, or medspaCy (an optional extra, measured against them in README,
# "Reading records"): NAVIS_READER_CONTEXT=medspacy takes its ConText and its Sectionizer,
# medspacy-context or medspacy-sections only one of them. Chosen once, here, at import.
READER_CONTEXT = os.environ.get("NAVIS_READER_CONTEXT", "rules")
if READER_CONTEXT in ("medspacy", "medspacy-context"):
    from uploads.pipeline.context_medspacy import context_of  # noqa: F401
if READER_CONTEXT in ("medspacy", "medspacy-sections"):
    from uploads.pipeline.context_medspacy import sections  # noqa: F401
