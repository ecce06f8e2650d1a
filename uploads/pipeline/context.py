"""Whether words about a marker state this patient's result, and where a report's sections run.

A report names markers in many places that are not results: the methods ("the assay detects
mutations in codons 12 and 13"), criteria ("classified as MSI-H if two markers are unstable"),
literature ("EGFR mutations predict response to TKIs"), tests that are pending or could not be
done, and relatives' results. The reader asks this module, for the sentence around each mention,
which of these it is; anything but a plain statement is not taken as a result.

Hand-written rules over the sentence, in the spirit of NegEx/ConText (Chapman et al.): each cue
opens a context for the sentence it is in. medspaCy's ConText and Sectionizer were measured against
these rules on the benchmark and read worse or slower (README, "Reading records").
"""

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class Context(StrEnum):
    STATED = "stated"
    PENDING = "pending"
    NOT_DONE = "not done"
    DEFINITION = "definition"
    LITERATURE = "literature"
    FAMILY = "family"
    HEDGED = "hedged"
    EARLIER = "earlier"


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
            r"\b(?:could|can|may|might|should) be (?:performed|considered|requested|ordered|sent|useful"
            r"|helpful|done|tested)\b",
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
            r"\bfor (?:a )?(?:positive|negative) (?:results?|staining|interpretation|calls?)\b",
            r"\bif\b|\bwhen(?:ever)?\b(?=[^.;]*\b(?:is|are|shows?)\b)|\bunless\b|\bwhereas\b",
            r"\bscoring (?:system|guide|scheme)\b|\binterpretation (?:guide|key)\b",
            r"\breference (?:range|interval)\b|\bnormal range\b",
            r"\b(?:this|the) (?:assay|test|panel|kit) (?:detects|covers|targets|identifies|interrogates"
            r"|includes|is designed)\b",
            r"\b(?:designed|intended|able) to (?:detect|identify)\b",
            r"\blimit of detection\b|\banalytic(?:al)? sensitivity\b|\bsensitivity of\b",
            r"\bdetects? (?:\w+\s+){0,3}?mutations? in\b",
            r"\b(?:is|are) detected by\b|\bdetected (?:using|with) (?:the|this)\b",
            r"\bincludes?\b(?=[^.;]*\b(?:codons?|exons?|hotspots?)\b)",
            r"\bpossible results?\b|\bresult options?\b|\brequire[sd]?\b",
            r"\bin the (?:absence|presence|setting|context) of\b|\b(?:one|two|three) or more\b|\bdefined by\b",
            r"\bdetects\b|\bindicates? (?:positivity|negativity|positive|negative)\b",
            r"[≥≤<>]\s*\d+(?:\.\d+)?\s*%?\s*(?:is|are|=)\s*(?:considered\s+)?(?:positive|negative|high|low|equivocal)\b",
            r"\b(?:positive|negative|low|equivocal)\s*=\s*|\b[0-3]\+\s*(?:is|=|means)\s|\b[0-3]\+ or\b",
            r"\bat (?:one|two|none|\d+|two or more|fewer than \w+"
            r"|least two)\b(?:[^.;]{0,20}\bmarkers?\b)?(?=[^.;]*\bmarkers?\b)|\bat none\b",
            r"\bMSI-H\b[^.;]*\bMSS\b|\bMSS\b[^.;]*\bMSI-H\b|\bMSI-L\b[^.;]*\bMSS\b|\bMSS\b[^.;]*\bMSI-L\b",
            # A legend of cut-offs: "<1% = negative, 1-10% weak positive, >10% positive".
            r"[<>≤≥]\s*\d+(?:\.\d+)?\s*%?[^.;]{0,60}?[<>≤≥]\s*\d+(?:\.\d+)?\s*%?",
            r"\d\s*%?\s*=\s*(?:negative|positive|low|high|weak)\b",
            r"\bby this (?:assay|test|method|panel)\b|\bmay not be\b|\bin between\b",
            r"(?<![Nn]o )\b(?:loss|absence) of (?:[\w-]+[, ]+){1,4}or\b",
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
            r"\b(?:in|from|of|by) (?:a |the |several |recent |large |randomi[sz]ed |prospective "
            r"|retrospective )?(?:studies|trials?|series|cohorts?)\b",
            r"\bclinical trials?\b|\bliterature\b|\bet al\b|\bpublished\b|\breported (?:in|to)\b",
            r"\b(?:has|have) been (?:shown|reported|described|associated|linked)\b|\bshown to\b",
            r"\b(?:is|are) (?:associated|correlated|linked)\b|\bassociated with (?:a |an )?(?:response"
            r"|resistance|poor|better|worse|improved|favou?rable|increased|decreased)",
            r"\bpredict(?:s|ive of|ing)\b(?! (?:marker|biomarker)s? (?:testing|studies|panel))",
            r"\bresponse to\b|\bresistance to\b|\bsensiti[sz]e\b|\brespond(?:s|ed)? (?:well )?to\b",
            r"\bin (?:\w+\s+)?(?:carcinomas|tumou?rs|cancers|cases|neoplasms|lymphomas|melanomas)\b"
            r"|\bbenefit\b|\bpatients with(?:out)?\b|\btumou?rs with\b(?=[^.;]*\b(?:may|are|have|show)\b)",
            r"\bmutually exclusive\b|\boccurs? in\b|\bfound in (?:about |approximately )?\d+%|\bin (?:about "
            r"|approximately )?\d+% of (?:cases|patients|tumou?rs)",
            r"\bfrequen(?:t|tly|cy)\b|\bcommonly\b|\bprevalence\b|\btypically\b|\busually\b|\brarely\b|\boften\b|\bsometimes\b",
            r"\bin (?:about |approximately |over |up to |more than |around )?\d+(?:-\d+)?% of (?:all "
            r"|the )?(?:\w+[- ]){0,2}"
            r"(?:patients|cases|tumou?rs|cancers|carcinomas|adenocarcinomas|lymphomas|melanomas)\b",
            # "Germline testing is advised"; not the field "Germline testing: no pathogenic variant".
            r"\bgermline testing\b(?![ \t]*(?:\([^()\n]{0,30}\))?[ \t]*:)|\bgenetic counsel",
            r"\beligib(?:le|ility)\b(?=[^.;]*\b(?:if|when|for patients)\b)",
            r"\b(?:NCCN|ESMO|NICE)\b",
            r"\bknown to\b|\be\.g\.|\bsuch as\b|\bmolecular target\b|\band/or\b|\btargeted (?:therapy|agents?)\b",
            r"\bup to \d+%|\b\d+% (?:to \d+% )?of (?:all )?(?:patients|cases|tumou?rs)\b|\bof patients\b",
            r"\b(?:19|20)\d\d;\s?\d+",
        ),
    ),
    (
        Context.EARLIER,
        _cues(
            r"\bhistory of\b|\bpreviously\b|\bprevious (?:biopsy|specimen|tumou?r|cancer|core|report|result)",
            r"\bprior (?:biopsy|specimen|tumou?r|cancer|malignancy|core|report|result)",
            r"\boriginal tumou?r\b|\b\d+ years? ago\b|\bdiagnosed (?:in|with)\b[^.;]{0,40}\b(?:19|20)\d\d\b",
            r"\b(?:was|were) (?:\w+\s+){0,3}?(?:in|on) (?:19|20)\d\d\b|\bin (?:19|20)\d\d\b[^.;]{0,30}\b(?:was"
            r"|were|showed)\b",
            r"\b(?:core|diagnostic|initial|original|outside|earlier) (?:biopsy|core|specimen)\b"
            r"[^.;]{0,30}\b(?:was|were|had been)\b",
            r"\bon (?:the )?(?:core|diagnostic core|core biopsy)\b",
            # The pluperfect of a test speaks of an earlier result: "the classifier had given GCB".
            r"\bhad (?:given|shown|suggested|indicated|been (?:reported|called|read) as)\b",
            r"\b(?:given|shown|quoted) for comparison\b",
            r"\bsuperseded\b|\bno longer\b|\breported elsewhere\b|\b(?:tumou?r|biopsy|specimen|resection"
            r"|core) \((?:19|20)\d\d\)",
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
    r"(?:test |assay )?(?:description|information|limitations?|details)|(?:test |assay |scientific "
    r"|gene )background|disclaimers?|"
    r"limitations?(?: of (?:the )?(?:test|assay))?|interpretation (?:guide|key|criteria)|scoring(?: criteria"
    r"| system| guide)?|"
    r"(?:technical |general )?notes?|about (?:this|the) test|genes? (?:tested|analy[sz]ed|covered|included"
    r"|in (?:the|this) panel)|"
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
# A title in ordinary capitals, known by its word: "Pathologic Diagnosis", "Gross Description".
_KNOWN_TITLE = re.compile(
    r"^[ \t]*(?:[A-Z][a-z]+[ \t]+){0,3}(?:Diagnos[ie]s|Comments?|Gross|Microscopic|Description|Specimens?|Impression"
    r"|Findings|Addendum|Summary|Results?|Interpretation|Conclusion)[ \t]*:?[ \t]*$",
    re.MULTILINE,
)
# The history sections state results too (an earlier biopsy's HER2) but of an earlier time:
# they are kept apart from methods and literature, whose words are never results.
HISTORY_TITLES = re.compile(r"history|indication|reason for|previous|prior", re.IGNORECASE)

# Where a sentence ends: a full stop or semicolon before a new word, a blank line, or a line
# that is a field of its own ("Label: value").
_ABBREVIATIONS = ("approx", r"e\.g", r"i\.e", "vs", "No", "no", "Fig", "fig", "Dr", "Mr", "Ms", "Mrs", "St")
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Za-z])"
    + "".join(rf"(?<!\b{abbreviation})" for abbreviation in _ABBREVIATIONS)
    + r"[.!?](?=\s+[A-Z(\[0-9\"'])"
    r"|[.!?;](?=\s*\n)|;|\n[ \t]*\n|(?<=[A-Z0-9)\]:])[ \t]*\n(?=[ \t]*[A-Z])|\n(?=[ \t]*(?:[A-Z0-9]\.|\d+[.)]"
    r"|[-•*])[ \t])|\n(?=[ \t]*[A-Z][\w /()-]{1,40}:)"
    r"|\n(?=[ \t]*[A-Z][A-Z0-9 /()&-]{3,}\n)|(?<=\n)(?=[ \t]*[A-Z][A-Z0-9 /()&-]{3,}[ \t]*\n)"
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def sections(text: str) -> list[tuple[Span, str]]:
    """The spans of the text under a title that describes the test, the literature or the history.

    A history runs to the end of its paragraph; methods and references to the next title.
    """
    found = []
    for match in _SECTION_TITLE.finditer(text):
        title = match["title"].lower()
        following = [
            title.start()
            for title in (_ANY_TITLE.search(text, match.end() + 1), _KNOWN_TITLE.search(text, match.end() + 1))
            if title
        ]
        end = min(following) if following else len(text)
        if HISTORY_TITLES.search(title):
            paragraph = _PARAGRAPH_END.search(text, match.end() + 1)
            end = min(end, paragraph.start() if paragraph else end, match.end() + _HISTORY_LIMIT)
        found.append((Span(match.start(), min(end, match.end() + _SECTION_LIMIT)), title))
    for match in _INLINE_HISTORY.finditer(text):
        # "Frozen section pathologist: Dr X. Clinical History: ...": a history that starts mid-line.
        paragraph = _PARAGRAPH_END.search(text, match.end())
        end = min(paragraph.start() if paragraph else len(text), match.end() + _HISTORY_LIMIT)
        found.append((Span(match.start(), end), (match["title"] or match["opening"]).lower()))
    return found


def is_history(title: str) -> bool:
    """Whether a section's title names the patient's history (whose blood results still count)."""
    return bool(HISTORY_TITLES.search(title))


_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
_INLINE_HISTORY = re.compile(
    r"(?<=\S)[ \t]+(?P<title>clinical history|past (?:medical )?history|prior malignancy history"
    r"|history of present illness|clinical indications?)[ \t]*:"
    # ... or a line that starts with the title and goes on: "Clinical indication: stage IV disease".
    r"|^[ \t]*(?P<opening>clinical history|past (?:medical )?history|history of present illness"
    r"|clinical indications?)[ \t]*:(?=[ \t]*\S)",
    re.IGNORECASE | re.MULTILINE,
)
_HISTORY_LIMIT = 600
_SECTION_LIMIT = 4000


def sentence(text: str, start: int, end: int) -> Span:
    """The sentence around text[start:end]."""
    starts, stops = _boundaries(text)
    index = bisect_right(starts, start) - 1
    begin = max(starts[index] if index >= 0 else 0, start - 400)
    following = bisect_left(stops, end)
    return Span(begin, stops[following] if following < len(stops) else len(text))


@lru_cache(maxsize=8)
def _boundaries(text: str) -> tuple[list[int], list[int]]:
    """Where the text's sentences start and end, found once per text."""
    matches = list(_SENTENCE_END.finditer(text))
    return [0, *(match.end() for match in matches)], [match.start() for match in matches]


# Names of variant classes, not hedges: "no pathogenic or likely pathogenic variant".
_VARIANT_CLASSES = re.compile(
    r"\blikely (?:pathogenic|benign)\b|\b(?:variant|uncertain) (?:of )?uncertain significance\b", re.IGNORECASE
)


# A bracket that names the scheme or the guideline a result follows ("(HERACLES criteria)").
_ASIDES = re.compile(r"\([^()]{0,80}\)")
_ASIDE_BLIND = (Context.DEFINITION, Context.LITERATURE, Context.HEDGED)


_DEFINITION = dict(_CUES)[Context.DEFINITION]
_EARLIER = dict(_CUES)[Context.EARLIER]


def definition_before(words: str) -> bool:
    """Whether the words of a sentence before a marker make it a definition ("... is reported as ER-low")."""
    return bool(_DEFINITION.search(_ASIDES.sub(" ", " ".join(words.split()))))


def earlier_before(words: str) -> bool:
    """Whether the words just before a marker put it in an earlier specimen ("the biopsy, which was CD20 ...")."""
    return bool(_EARLIER.search(" ".join(words.split())))


def context_of(words: str) -> Context:
    """The context the words of one sentence put a result in."""
    # Report lines wrap anywhere: a cue is read across line breaks.
    words = _VARIANT_CLASSES.sub(" ", " ".join(words.split()))
    plain = _ASIDES.sub(" ", words)
    for context, cues in _CUES:
        if cues.search(plain if context in _ASIDE_BLIND else words):
            return context
    return Context.STATED
