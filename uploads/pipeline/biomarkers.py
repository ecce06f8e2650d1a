"""Biomarkers and their results as a report states them, read with patterns, never guessed.

The text is cut at each mention of a marker (HER2, CPS, MLH1, KRAS...). What follows a mention
up to the next mention, the end of its clause or 160 characters is what the report says about
it; a few words before it can negate it ("No KRAS mutation detected"). Markers listed together
("MLH1, PMS2, MSH2 and MSH6 retained") share what follows the last of them and what precedes the
first ("Intact nuclear expression of MLH1, MSH2, MSH6 and PMS2"). A title with nothing after it
("KRAS MUTATION ANALYSIS") takes its result from the next lines. The sentence around a mention
decides whether its words are a result at all (context.py): definitions, methods, literature,
pending tests, tests not done and relatives' results are not. Words that say two things, or hedge,
give a reading marked "check" with its evidence instead of a guess.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from uploads.pipeline import biomarker_words as words
from uploads.pipeline.context import Context, Span, context_of, definition_before, earlier_before, sentence

_SEGMENT_LIMIT = 160
_PREFIX_LIMIT = 70
_FOLLOWING_LINES = 8
# Where a clause ends: a semicolon, a line break before a new field, or a full stop before a new sentence.
_CLAUSE_END = re.compile(
    r";|\n[ \t]*\n|\n(?=[ \t]*[A-Z][\w /()-]{1,40}:)|\n(?=[ \t]*[A-Z][A-Z /&()-]{3,40}[ \t]*(?:\n|$))"
    r"|\.(?=\s+[A-Z(])|\.\s*$|\.(?=\s*\n)"
)
# Where the words that belong to the next mention start: "HER2 negative, no KRAS mutation".
# A line break cuts, unless the line before ends on a word that leads into the marker ("Intact
# nuclear expression of" / "MLH1, MSH2, MSH6 and PMS2"): report lines wrap inside sentences.
_PREFIX_CUT = re.compile(
    r"[,;:]|\s-\s|(?<!\bof)(?<!\bfor)(?<!\bin)(?<!\bwith)(?<!\bthe)(?<!\bby)(?<!\bshowing)\s*\n"
    # ... unless the next line carries the sentence on: "was identified\n in BRCA1 or BRCA2".
    r"(?![ \t]*(?:in|of|for|and|or|with|to)\b)"
    r"|\.(?=\s)|\)|\b(?:and|but|while|whereas|with)\b",
    re.IGNORECASE,
)
_LIST_JOINER = re.compile(
    # A bracket between two names may hold a clone or an abbreviation ("(SP1)", "(ER)"), not a result
    # of its own ("estrogen receptor (90%, strong) and progesterone receptor (40%)").
    r"^(?:[-/]\d)*\s*(?:,|/|&|\+|and|or|,\s*and|,\s*or)?\s*(?:and|or)?\s*"
    r"(?:\((?![^()]*(?:\d\s*%|\bpositive\b|\bnegative\b|\b[0-3]\+))[^()]{0,12}\))?\s*(?:,|/|and|or)?\s*"
    # "positive for ER and focally PR": how much of the next one stains, the same result.
    r"(?:(?:focally|patchily|weakly|diffusely)\s+)?"
    # Genes and stains we do not read, inside a list of those we do: "BRCA1, CDH1, CHEK2", "CD23, IgD".
    r"(?:(?:[A-Z][A-Z0-9]{1,7}|Ig[ADGEM])(?:/\d)*\s*(?:,|/|and|or|,\s*and|,\s*or)\s*)*$"
)
# A list of gene symbols before a marker: "No reportable alteration in: AKT1, BRCA1".
# "none detected, including NTRK1-3 and RET": the list after "including" shares the result.
_INCLUDING = re.compile(r"\s*(?:including|incl\.?|namely|such as|i\.e\.)\s*", re.IGNORECASE)
_SYMBOLS_BEFORE = re.compile(r"^\s*(?:[A-Z][A-Z0-9]{1,7}(?:/\d)*\s*(?:,|/|and|or)\s*)+$")
# Words before a marker that can carry its result: a negation, or a result leading into it.
_PREFIX_SPEAKS = re.compile(
    r"\b(?:no|not|non|none|without|absence|absent|negative|loss|lost)\b"
    r"|\b(?:of|for|in|on|to|with|shows?|showed|showing|demonstrates?|demonstrated|reveals?|revealed|harbou?rs?|harbou?ring|(?:over)?express\w*|:)"
    r"\s*(?:\w+[\s,]+){0,5}$|:\s*$"
    # A result written before the name: "Deficient mismatch repair", "pathogenic BRCA1 variant".
    r"|\b(?:deficient|proficient|intact|retained|preserved|positive|negative|aberrant|mutated|mutant|amplified|rearranged"
    r"|pathogenic|wild-type|unstable|stable|high|low)\s*$",
    re.IGNORECASE,
)
# Any word that could be a result, to find where a mention's own words end.
_RESULT_WORD = re.compile(
    r"\b(?:positive|negative|detected|identified|mutat\w*|mutant|wild|WT|loss|lost|retained|intact|preserved|present|absent"
    r"|amplif\w*|rearrang\w*|equivocal|low|high|stable|deficien\w*|proficien\w*|normal|aberrant|MSS|MSI-[HL]|[dp]MMR"
    r"|expressed|expression|staining|GCB|non-GCB|ratio)\b|\d+(?:\.\d+)?\s?%|\b[0-3]\s?\+|[A-Z]\d{2,4}[A-Z]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Biomarker:
    # The canonical marker key (articles/profiles.py): er, her2, msi_mmr, kras, psa...
    key: str
    # How the report names it, shortened: "HER2", "MLH1", "PD-L1".
    name: str
    # The result in the canonical words of its marker (bench/findings_corpus/README.md):
    # positive, negative, low, equivocal, amplified, not amplified, deficient, proficient,
    # msi-l, retained, loss, mutated, wild-type, rearranged, not rearranged, aberrant, high, GCB...
    status: str = ""
    # IHC or ISH, when the report names the method or gives an IHC score.
    method: str = ""
    # An immunohistochemistry score: 0, 1+, 2+ or 3+.
    score: str = ""
    # What `value` measures: CPS, TPS, IC, TAP, ratio, copies, allred, h-score, positive cells, TMB, score.
    measure: str = ""
    value: float | None = None
    # The top of a range, as in "TPS 1-49%".
    upper: float | None = None
    unit: str = ""
    # <, <=, > or >= when the value is a bound ("CPS ≥ 1").
    comparator: str = ""
    # A mutation or fusion as named: G12C, V600E, exon 19 deletion, EML4-ALK.
    variant: str = ""
    # The antibody clone or assay: 22C3, SP263, 4B5...
    assay: str = ""
    # The words this was read from, for a reviewer to check, and the page they are on (from 1).
    evidence: str = ""
    page: int | None = None
    # True when the words are not clear enough to state: a reviewer checks them by eye.
    check: bool = False


@dataclass(frozen=True)
class _Mention:
    marker: words.Marker
    start: int
    end: int
    text: str

    @property
    def family(self) -> str:
        return self.marker.family


@dataclass(frozen=True)
class _Said:
    """The words a mention's result is read from: before it, after it, and where they end."""

    prefix: str
    segment: str
    start: int
    end: int

    @property
    def words(self) -> str:
        return f"{self.prefix} {self.segment}"


def find_biomarkers(
    text: str,
    excluded: list[Span] = (),
    page_of: Callable[[int], int] | None = None,
    labs_excluded: list[Span] | None = None,
) -> list[Biomarker]:
    """Return the biomarker results that `text` (normalised, see findings.normalize) states."""
    mentions = [
        mention
        for mention in _mentions(text)
        if not _inside(
            mention.start, labs_excluded if mention.family == "lab" and labs_excluded is not None else excluded
        )
    ]
    mentions = [mention for index, mention in enumerate(mentions) if not _partner_of_previous(mentions, index, text)]
    mentions = [
        mention for index, mention in enumerate(mentions) if not _abbreviation_of_previous(mentions, index, text)
    ]
    prefix_starts = [_prefix_start(text, mentions, index) for index in range(len(mentions))]
    found: list[Biomarker] = []
    index = 0
    while index < len(mentions):
        last = _last_of_list(mentions, index, text)
        next_start = prefix_starts[last + 1] if last + 1 < len(mentions) else len(text)
        next_mention = mentions[last + 1].start if last + 1 < len(mentions) else len(text)
        said = _words_for(text, mentions, index, last, prefix_starts[index], next_start, next_mention)
        for mention in mentions[index : last + 1]:
            page = page_of(mention.start) if page_of else None
            found.extend(replace(biomarker, page=page) for biomarker in _read_in_context(mention, said, mentions, text))
        index = last + 1
    for biomarker in all_four(text, mentions):
        if context_of(biomarker.evidence) == Context.STATED:
            found.append(replace(biomarker, page=page_of(text.find(biomarker.evidence[:20])) if page_of else None))
    if _SUPERSEDES.search(text):
        found = _latest(found)
    return _unique(found)


def _abbreviation_of_previous(mentions: list[_Mention], index: int, text: str) -> bool:
    """Whether a mention only abbreviates, in brackets, the marker just named, inside a list of names.

    "for oestrogen receptor (ER) and progesterone receptor (PR)": the list goes on after the bracket.
    """
    if index == 0 or mentions[index - 1].marker.key != mentions[index].marker.key:
        return False
    mention = mentions[index]
    return bool(
        re.fullmatch(r"\s?\(\s?", text[mentions[index - 1].end : mention.start])
        and re.match(r"\s?\)\s*(?:,|and\b|or\b|&|/)", text[mention.end : mention.end + 8])
    )


def _partner_of_previous(mentions: list[_Mention], index: int, text: str) -> bool:
    """Whether a fusion named with its partner only gives the result of the mention before it on its line.

    In "NTRK fusion: POSITIVE: ETV6-NTRK3" the fusion's name is the variant of the NTRK result.
    """
    mention = mentions[index]
    if not index or mention.family != "fusion" or not re.match(rf"(?:{words.FUSION_PARTNERS})\b", mention.text):
        return False
    previous = mentions[index - 1]
    return previous.marker.key == mention.marker.key and "\n" not in text[previous.end : mention.start]


# "This supersedes the core result": of two results for one marker and method, the later stands.
_SUPERSEDES = re.compile(r"\bsupersed\w*|\breplaces? (?:the )?(?:earlier|previous|prior|core|biopsy)\b", re.IGNORECASE)


def _latest(found: list[Biomarker]) -> list[Biomarker]:
    last = {(biomarker.key, biomarker.method): index for index, biomarker in enumerate(found)}
    return [biomarker for index, biomarker in enumerate(found) if last[(biomarker.key, biomarker.method)] == index]


def _inside(position: int, spans) -> bool:
    return any(span.start <= position < span.end for span in spans)


def _mentions(text: str) -> Iterator[_Mention]:
    for match in words.MENTION.finditer(text):
        marker = words.MARKERS[int(match.lastgroup[1:])]
        yield _Mention(marker=marker, start=match.start(), end=match.end(), text=match.group())


def _last_of_list(mentions: list[_Mention], index: int, text: str) -> int:
    """The index of the last mention of a list that starts at `index` ("KRAS, NRAS and BRAF").

    Genes we do not read may stand in a gene list ("AKT1, BRCA1, PTEN, KRAS"), at its start too.
    """
    starts_unread = mentions[index].family == "other"
    family = words.LIST_FAMILIES.get(mentions[index].family)
    if family is None and not starts_unread:
        return index
    last = following = index
    while following + 1 < len(mentions) and _LIST_JOINER.match(
        text[mentions[following].end : mentions[following + 1].start]
    ):
        candidate = mentions[following + 1]
        if family is None and candidate.family != "other":
            # "CD5, CD20 and CD23", "AKT1, BRCA1": the list is of the first marker we read.
            family = words.LIST_FAMILIES.get(candidate.family)
            if family is None:
                break
        # HER2 ends a list of receptors ("ER, PR and HER2 negative") or of genes ("KRAS, ERBB2").
        joins = candidate.family == "her2" and family in ("receptor", "gene")
        # BCL2 is a stain as often as a rearrangement: among stains ("CD20, CD5 and BCL2") it is one.
        joins = joins or (candidate.marker.key == "bcl2" and family == "stain")
        if joins or words.LIST_FAMILIES.get(candidate.family) == family:
            last = following = following + 1
        elif candidate.family == "mmr_protein" and family == "gene":
            following += 1  # "CHEK2, MLH1, MSH2, PALB2": the genes, not the proteins' stains
        elif candidate.family == "other" and family in ("gene", "stain", None):
            following += 1
        else:
            break
    if starts_unread and last == index:
        return index  # only markers we do not read: no list of ours
    # The list's words follow its last member, read or not: "(ALK, ROS1, NRG1): none detected".
    return following if family in ("gene", "stain") else last


def _prefix_start(text: str, mentions: list[_Mention], index: int) -> int:
    """Where the words before a mention that belong to it start ("No" in "No KRAS mutation")."""
    previous_end = mentions[index - 1].end if index else 0
    if (
        index
        and mentions[index - 1].family == "ish"
        and not _PREFIX_CUT.search(text, previous_end, mentions[index].start)
    ):
        # "Negative FISH result for ALK rearrangement": the method's words are the marker's.
        return _prefix_start(text, mentions, index - 1)
    start = max(mentions[index].start - _PREFIX_LIMIT, previous_end)
    if mentions[index].family in ("cps", "tps", "ic") and re.search(r"\(\s*$", text[start : mentions[index].start]):
        return mentions[index].start  # "PD-L1: negative (TPS 0%)": the word before the bracket is PD-L1's
    if cuts := list(_PREFIX_CUT.finditer(text, start, mentions[index].start)):
        while len(cuts) > 1 and (
            _SYMBOLS_BEFORE.match(text[cuts[-2].end() : mentions[index].start])
            or _INCLUDING.fullmatch(text[cuts[-1].end() : mentions[index].start])
        ):
            cuts.pop()
        cut = cuts[-1]
        # "Positive for: ER" keeps its words; "ER positive, PR negative" does not give PR "positive".
        if not (cut.group() == ":" and not text[cut.end() : mentions[index].start].strip()):
            return cut.end() if _PREFIX_SPEAKS.search(text, cut.end(), mentions[index].start) else mentions[index].start
        # "Positive for: ER": the field's label, from the line's start or the clause before it.
        return max(_line_start(text, cut.start(), start), cuts[-2].end() if len(cuts) > 1 else start)
    if index and start == previous_end and not words.SELF_CONTAINED.fullmatch(mentions[index - 1].text):
        # Nothing divides them from the mention before: the words are what that one says, unless
        # they lead into this one ("mismatch repair stains showed loss of MSH6").
        lead = _LEADING_RESULT.search(text, start, mentions[index].start)
        return lead.start() if lead else mentions[index].start
    line_start = _line_start(text, mentions[index].start, start)
    if line_start > start and not _LEADS_IN.search(text, start, line_start):
        start = line_start  # the line before does not lead into this marker: its words are its own
    return start if _PREFIX_SPEAKS.search(text, start, mentions[index].start) else mentions[index].start


def _line_start(text: str, position: int, floor: int) -> int:
    return max(text.rfind("\n", floor, position) + 1, floor)


def _words_for(
    text: str, mentions: list[_Mention], first: int, last: int, prefix_start: int, next_start: int, next_mention: int
) -> _Said:
    start = mentions[last].end
    end = min(start + _SEGMENT_LIMIT, next_start)
    segment_start = start
    # "HER2:" alone on its line, or a title ("KRAS MUTATION ANALYSIS"): the result is on the next lines.
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    own = words.TEST_NAME.sub(" ", text[start:line_end]).strip(" \t:=-|().,")
    title = not own or (len(own) <= 20 and own.isupper() and not re.search(r"\d", own)) or _METHOD_ONLY.fullmatch(own)
    clause_from = None
    # "Genes without a reportable variant: KRAS, BRAF": the words before already say it.
    said_before = re.search(
        r"\b(?:no|not|none|without|negative|positive|detected)\b",
        text[prefix_start : mentions[first].start],
        re.IGNORECASE,
    )
    if line_end < next_mention and not _RESULT_WORD.search(own) and title and not said_before:
        following = _following_result(text, line_end, next_mention)
        if following > line_end:
            end, segment_start, clause_from = following, line_end, following
    if clause_from is None and (clause_end := _CLAUSE_END.search(text, start, end)):
        end = clause_end.start()
        # "HER2: 1+; negative": a word or two after a semicolon still speak of the same marker.
        tail = _SHORT_TAIL.match(text, clause_end.end()) if clause_end.group() == ";" else None
        if tail and tail.end() <= next_start and _RESULT_WORD.search(tail.group()):
            end = tail.end()
    prefix = text[prefix_start : mentions[first].start]
    if _FIELD_VALUE.match(text, mentions[last].end) and not _NEGATED_NAME.search(prefix):
        # "MSH2: retained": a field's value is its result, whatever the line above said.
        prefix = ""
    between = text[mentions[first].end : mentions[last].start] if last > first else ""
    segment = between + " " + text[segment_start:end]
    if (title := _list_title(text, mentions[first].start, end)) is not None:
        prefix = title
    elif _JOINED.match(text, mentions[last].end) and _RESULT_WORD.search(prefix):
        # "positive for CD20 and PAX5, and negative for CD3": the words before are the result.
        segment = between
    elif _LEADS_ON.match(text, mentions[last].end):
        # "... C023, IgO, and BCL2 and negative for CD10": a result "for" the names after it is theirs,
        # whatever OCR left unreadable of the words before.
        segment = between
    elif not _PREFIX_SPEAKS.search(prefix):
        # Words before a marker say its result only as "No ...", "Negative for ...", "Loss of ...".
        prefix = ""
    return _Said(prefix=prefix, segment=segment, start=prefix_start, end=end)


# Where a title's result is given, lines below it: "RESULTS: No mutation detected."
_RESULT_LABEL = re.compile(
    r"\b(?:final\s+)?(?:results?|interpretation|conclusions?|findings|status|impression|summary)\s*:", re.IGNORECASE
)


# A title that names only the method: "HER2 immunohistochemistry", "ALK (D5F3) IHC".
_METHOD_ONLY = re.compile(
    r"(?:\([^()]{1,20}\)\s*)?(?:by\s+)?"
    r"(?:immunohistochemistry|immunohistochemical stain(?:ing)?|immunostain(?:ing)?|IHC|[FSC]?ISH"
    r"|NGS|PCR|sequencing)?(?:\s*\([^()]{1,20}\))?",
    re.IGNORECASE,
)
_FIELD_VALUE = re.compile(r"\s*(?:\([^()]{1,20}\)\s*)?[:=]\s*\S")
_NEGATED_NAME = re.compile(r"\b(?:no|not|negative for|absence of)\s*$", re.IGNORECASE)
_SHORT_TAIL = re.compile(r"[ \t]*[\w+-]+(?:[ \t]+[\w+-]+)?[ \t]*(?=[.;\n]|$)")
_BRACKETS = re.compile(r"\([^()]*\)")
# A result that ends just before the marker it is of: "loss of MSH6", "negative for ALK".
_LEADING_RESULT = re.compile(
    r"\b(?:(?:isolated|complete|partial|focal)\s+)?(?:loss|lack|absence)\s+of\s*$|\b(?:negative|positive)\s+for\s*$"
    # "MSH6 intact (no evidence of MMR deficiency)": a negation leads into the marker after it.
    r"|\b(?:no\s+evidence\s+of|no|not|without)\s*$",
    re.IGNORECASE,
)
_LEADS_IN = re.compile(r"\b(?:of|for|in|with|the|by|showing)\s*\n", re.IGNORECASE)
_JOINED = re.compile(r"\s*(?:,|\band\b|\bor\b)")
_LEADS_ON = re.compile(
    r"\s*,?\s*(?:and|but|while)\s+(?:\w+\s+)?(?:positive|negative|reactive|immunoreactive)\s+(?:for|with)\b",
    re.IGNORECASE,
)
# What may stand beside the markers of a line that only lists them.
_LIST_TOKEN = re.compile(
    r"[,;/&()]*(?:and|or|[A-Z][A-Za-z0-9-]{0,9}(?:/\d)*|\d+|exons?|fusions?|genes?)?(?:/\d)*[,;/&().]*"
)


def _list_title(text: str, start: int, end: int) -> str | None:
    """The title above a line that only lists markers ("ALTERATIONS NOT DETECTED" over "EGFR T790M; KRAS")."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    listed = _BRACKETS.sub(" ", words.MENTION.sub(" ", line))
    if not all(_LIST_TOKEN.fullmatch(token) for token in listed.split()):
        return None
    above_end = line_start - 1
    for _ in range(2):
        above_start = text.rfind("\n", 0, max(above_end, 0)) + 1
        above = text[above_start:above_end].strip()
        if above:
            title = above.rstrip(":").strip()
            says = _RESULT_WORD.search(title) or re.search(
                r"\b(?:no|not|none|negative|without)\b", title, re.IGNORECASE
            )
            if (above.endswith(":") or title.isupper()) and len(title) <= 90 and says:
                return title
            return None
        above_end = above_start - 1
    return None


def _following_result(text: str, line_end: int, limit: int) -> int:
    """The end of the line after a title that says its result, before the next marker.

    A line labelled as the result ("RESULTS: ...") within a few lines wins; otherwise the first of
    the next lines that holds a result word.
    """
    lines = []
    position = line_end
    while len(lines) < _FOLLOWING_LINES and position < min(limit, len(text)):
        following = text.find("\n", position + 1)
        following = len(text) if following == -1 else following
        line = text[position + 1 : min(following, limit)]
        if line.strip():
            lines.append((line, min(following, limit)))
        position = following
    for line, end in lines:
        if (label := _RESULT_LABEL.search(line)) and _RESULT_WORD.search(words.TEST_NAME.sub(" ", line[label.end() :])):
            return end
    for line, end in lines[:3]:
        if _RESULT_WORD.search(words.TEST_NAME.sub(" ", line)):
            return end
    return line_end


def _read_in_context(mention: _Mention, said: _Said, mentions: list[_Mention], text: str) -> list[Biomarker]:
    if mention.family == "other":
        return []
    read = _read(mention, said, mentions, text)
    if not read and (longer := _next_sentence(mention, said, mentions, text)):
        # "HER2 stained with the 4B5 antibody. Positive reaction (Score = 3+)": the next sentence says it.
        said, read = longer, _read(mention, longer, mentions, text)
    if not read:
        return []
    context = _context(mention, said, text)
    if context not in (Context.STATED, Context.HEDGED):
        return []
    start = min(said.start, mention.start)
    owner = _owner(mention, mentions, _SCORE_OWNERS, 250) if mention.family in ("ish", "cps", "tps", "ic") else None
    if owner and not re.search(r"[.;]\s", text[owner.end : mention.start]):
        start = min(start, owner.start)  # "HER2 ISH: not amplified", "PD-L1 (22C3): CPS 8"
    evidence = _evidence(text, start, said.end)
    unclear = context == Context.HEDGED or _says_two_things(mention, said)
    return [replace(biomarker, evidence=evidence, check=biomarker.check or unclear) for biomarker in read]


_METHOD_SENTENCE = re.compile(
    r"\b(?:stain(?:ed|ing)?|antibod(?:y|ies)|clone|performed|immunohistochemi\w*)\b", re.IGNORECASE
)
_RESULT_OPENING = re.compile(
    r"\s*(?:positive|negative|result|score|the tumou?r|tumou?r cells|there is|no)\b", re.IGNORECASE
)
_READ_AFTER = frozenset({"her2", "receptor", "stain", "mmr_protein", "pd_l1", "percent", "p53"})


def _next_sentence(mention: _Mention, said: _Said, mentions: list[_Mention], text: str) -> _Said | None:
    """The words up to the end of the next sentence, when a marker's own sentence only says how it was tested."""
    if mention.family not in _READ_AFTER or not _METHOD_SENTENCE.search(said.segment):
        return None
    following = [m.start for m in mentions if m.start > said.end]
    limit = min(following[0] if following else len(text), said.end + _SEGMENT_LIMIT)
    opening = re.compile(r"[.;]\s+").match(text, said.end) or re.compile(r"\s*\n").match(text, said.end)
    if not opening or not _RESULT_OPENING.match(text, opening.end()):
        return None
    stop = _CLAUSE_END.search(text, opening.end(), limit)
    end = stop.start() if stop else limit
    return replace(said, segment=f"{said.segment} {text[said.end : end]}", end=end)


def _context(mention: _Mention, said: _Said, text: str) -> Context:
    around = sentence(text, mention.start, mention.end)
    # Words of the sentence before any marker govern it all ("Guidelines recommend EGFR testing");
    # after the mention, only its own words count.
    before = [(m.start(), m.end()) for m in words.MENTION.finditer(text, around.start, mention.start)]
    head_end = min([start for start, _ in before] or [mention.start])
    head = text[around.start : min(head_end, said.start)] if said.start > around.start else ""
    own = f"{head} {said.prefix} {mention.text} {said.segment}"
    context = context_of(own)
    if context == Context.STATED and definition_before(text[around.start : mention.start]):
        return Context.DEFINITION
    # The words since the marker before, in this sentence: "the biopsy, which was CD20 positive".
    since = max([end for _, end in before] or [around.start])
    if context == Context.STATED and earlier_before(text[since : mention.start]):
        return Context.EARLIER
    # "dMMR: loss of one or more MMR proteins" defines the term it starts with.
    term = context == Context.STATED and words.SELF_CONTAINED.fullmatch(mention.text)
    if term and definition_before(text[mention.end : around.end]):
        return Context.DEFINITION
    if context == Context.DEFINITION and _CONDITIONAL_ASIDE.search(said.segment):
        # "CPS is 20, which would matter only if the cancer came back": a comment on the result.
        shorter = said.segment[: _CONDITIONAL_ASIDE.search(said.segment).start()]
        if context_of(f"{head} {said.prefix} {mention.text} {shorter}") == Context.STATED:
            return Context.STATED
    if context in (Context.LITERATURE, Context.HEDGED):
        # The words after a result may comment on it ("KRAS G12D, associated with resistance"): the
        # result stands; literature must come before or instead of it.
        # A comment is set off from the result by a comma, a bracket or "which".
        cut = _RESULT_WORD.search(said.segment)
        aside = _ASIDE.search(said.segment, cut.end()) if cut else None
        shorter = f"{head} {said.prefix} {mention.text} {said.segment[: aside.start() if aside else None]}"
        context = context_of(shorter)
        if context not in (Context.LITERATURE, Context.HEDGED):
            return Context.STATED
    return context


# "..., which would matter only if ...", "..., which is negative at the 10 cut-off": the result, then a
# comment that weighs it against a rule.
_CONDITIONAL_ASIDE = re.compile(
    r",\s*(?:which|as it|and this)\b[^.;]*\b(?:if|when|would|cut-?off|threshold|criteri(?:on|a))\b", re.IGNORECASE
)
_ASIDE = re.compile(r"[,(;]|\s-\s|\bwhich\b|\bwho\b")


_SCORE_OWNERS = words.ISH_OWNERS | {"pd_l1"}


def _says_two_things(mention: _Mention, said: _Said) -> bool:
    """Whether the words give opposite results ("positive ... negative"), as a form's options do."""
    return bool(words.FORM_OPTIONS.search(said.words))


def _evidence(text: str, start: int, end: int) -> str:
    said = " ".join(text[start:end].split()).lstrip(" ,;:()").rstrip(" ,;:(")
    return said[:-1] if said.endswith(")") and said.count(")") > said.count("(") else said


# --- Reading one mention --------------------------------------------------------------------


# A result written onto the marker's name: "ER+", "PR-", "HER2-low", "CD20+".
_ATTACHED = re.compile(
    r"(?:\+(?![\d+])|-(?=[\s,;.)/]|$)|-(?P<word>low|positive|negative|high)\b)(?!\s*(?:disease|cancers?|tumou?rs|patients|carcinomas)\b)"
)
_SPACED_PLUS = re.compile(r" \+(?![\d+])(?=\s|$|[,;(])")
# "EBER (ISH) -", "MUM1 - ;": a minus set apart, alone before the line's or the item's end.
_SPACED_MINUS = re.compile(r"(?:[ \t]*\([^()\n]{1,15}\))?[ \t]+-(?=[ \t]*(?:$|\n|[,;.](?:\s|$)))")
_ATTACHED_FAMILIES = {"receptor", "her2", "stain"}


def _attached(mention: _Mention, text: str) -> str:
    if mention.family == "stain" or mention.marker.key == "bcl2":
        if _SPACED_PLUS.match(text, mention.end):
            return "positive"  # "CD20 + PAX5 +": a list of stains, each with its sign
        if _SPACED_MINUS.match(text, mention.end):
            return "negative"
    match = _ATTACHED.match(text, mention.end)
    if not match or (mention.family not in _ATTACHED_FAMILIES and mention.marker.key != "bcl2"):
        return ""
    if match["word"]:
        return {"high": "positive"}.get(match["word"], match["word"])
    return "positive" if match.group() == "+" else "negative"


# "consistent with HER2-positive disease": a kind of disease, which the result before it stands for.
_KIND_OF_DISEASE = re.compile(
    r"-?\s?(?:positive|negative|low|amplified|mutated|mutant|rearranged|deficient)\s+(?:disease|cancers?|tumou?rs?"
    r"|carcinomas?)\b",
    re.IGNORECASE,
)
_KIND_BEFORE = re.compile(
    r"\b(?:consistent with|in keeping with|compatible with|typical of|seen in|for|in)\s+(?:an?\s+)?$", re.IGNORECASE
)


def _read(mention: _Mention, said: _Said, mentions: list[_Mention], text: str) -> list[Biomarker]:
    marker = mention.marker
    if _KIND_OF_DISEASE.match(text, mention.end) and _KIND_BEFORE.search(
        text, max(0, mention.start - 30), mention.start
    ):
        return []
    attached = _attached(mention, text)
    if attached and (attached != "low" or mention.family in ("receptor", "her2")):
        # "HER2-low (IHC 1+)": the word on the name is the result; the rest adds to it.
        rest = [b for b in _read_words(mention, said, mentions, text) if b.method != "ISH"]
        first = rest[0] if rest and rest[0].key == marker.key else Biomarker(key=marker.key, name=marker.name)
        return [replace(first, status=attached)]
    return _read_words(mention, said, mentions, text)


def _read_words(mention: _Mention, said: _Said, mentions: list[_Mention], text: str) -> list[Biomarker]:
    marker = mention.marker
    clean = _clean(said.words)
    segment = _clean(said.segment)
    base = Biomarker(key=marker.key, name=marker.name)
    family = marker.family
    if words.FORM_OPTIONS.search(clean) and not words.PERCENT.search(segment):
        # A blank form ("ER o Negative o Positive") says nothing of this patient.
        return []
    if family == "ish":
        owner = _owner(mention, mentions, words.ISH_OWNERS, 250)
        if owner is None:
            return []
        if owner.marker.key == "her2":
            facts = _ish(clean, segment)
            if "status" not in facts or "copies" not in facts:
                facts = _with_block(facts, _ish_block(text, said.end))
            return _known(Biomarker(key="her2", name="HER2", method="ISH"), facts)
        if owner.marker.key == "ebv":
            return _known(Biomarker(key="ebv", name="EBV", method="ISH"), _status(clean, words.STAIN_RESULTS))
        return _known(Biomarker(key=owner.marker.key, name=owner.marker.name, method="FISH"), _fusion(clean, segment))
    if family == "her2":
        return _her2(base, mention, clean, segment)
    if family in ("cps", "tps", "ic"):
        return _known(replace(base, name="PD-L1"), _pd_l1_score(marker.name, segment, mention, text))
    if family == "pd_l1":
        return _pd_l1(base, clean, segment, mention, text)
    if family == "receptor":
        return _known(base, _receptor(clean, segment))
    if family == "percent":
        facts = _percent_only(segment)
        if facts.get("upper") is not None or facts.get("comparator"):
            facts["check"] = True  # "5-10%", "less than 1%": a range, for a reviewer to read
        return _known(base, facts)
    if family == "msi":
        return _msi(base, mention, said, clean)
    if family == "mmr_protein" and re.search(r"\b(?:pathogenic|variants?|mutations?|germline)\b", clean, re.IGNORECASE):
        return []  # the gene in a germline or tumour panel, not the protein's stain
    if family == "mmr_protein":
        return _known(replace(base, method="IHC"), _status(clean, words.PROTEIN_RESULTS))
    if family == "stain":
        return _known(base, _stained_cells(clean, segment))
    if family == "p53":
        return _known(replace(base, method="IHC"), _status(clean, words.P53_RESULTS))
    if family == "tmb":
        return _known(base, _tmb(f"{mention.text} {clean}", segment))
    if family == "hrd":
        return _known(base, _hrd(clean, segment))
    if family == "score":
        return _known(base, _number_score(segment))
    if family == "mammaprint":
        return _known(base, _status(clean, words.MAMMAPRINT_RESULTS))
    if family == "origin":
        return _known(base, _status(f"{mention.text} {clean}", words.ORIGIN_RESULTS))
    if family == "lab":
        return _labs(base, said.segment)
    if family == "gene":
        facts = _gene(clean, segment, said.segment)
        if facts.get("status") == "mutated" and _doubted_after(mention, said, mentions, text):
            facts["check"] = True
        return _known(base, facts)
    if family == "fusion":
        return _known(base, _fusion_or_stain(marker.key, clean, segment, mention, text))
    return []


_ALL_PROTEINS = re.compile(
    r"\b(?:all|four|4|each|the tested|both)\b[^.;]{0,60}\bproteins?\b|\bproteins?\b[^.;]{0,20}\b(?:all|four|4)\b"
    r"|\ball (?:four|4)\b",
    re.IGNORECASE,
)


def _msi(base: Biomarker, mention: _Mention, said: _Said, clean: str) -> list[Biomarker]:
    if words.SELF_CONTAINED.fullmatch(mention.text) and not re.search(r"\b(?:no|not)\b", said.prefix, re.IGNORECASE):
        # "MSS", "MSI-H", "dMMR" say their result themselves.
        facts = _status(mention.text, words.MSI_RESULTS)
    else:
        facts = _status(_clean(f"{said.prefix} {mention.text} {said.segment}"), words.MSI_RESULTS)
    found = _known(base, facts)
    # "The tested mismatch repair proteins are retained": each protein is, and so is the whole.
    if (
        facts.get("status") == "proficient"
        and mention.marker.name == "MMR"
        and _ALL_PROTEINS.search(f"{mention.text} {said.words}")
    ) and re.search(r"\b(?:retained|intact|preserved|present|normal)\b", clean, re.IGNORECASE):
        found.extend(
            Biomarker(key=key, name=key.upper(), status="retained", method="IHC")
            for key in ("mlh1", "msh2", "msh6", "pms2")
        )
    return found


# "Positive nuclear expression for all four markers": a result for the proteins just named.
_ALL_FOUR = re.compile(
    r"\b(?P<result>intact|retained|preserved|positive|normal|present|lost|loss|absent|negative)\b[^.;]{0,60}\b(?:for|of|in)\s+all\s+(?:four|4)\s+(?:\w+\s+){0,3}?(?:markers|proteins|stains|antibodies)\b"
    r"|\ball\s+(?:four|4)\s+(?:\w+\s+){0,3}?(?:markers|proteins|stains)\s+(?:\w+\s+){0,4}?(?P<after>intact|retained|preserved|positive|normal|present|lost|absent|negative)\b",
    re.IGNORECASE,
)


def all_four(text: str, mentions: list[_Mention]) -> list[Biomarker]:
    """MMR proteins whose result a later sentence gives together ("... for all four markers")."""
    found = []
    for match in _ALL_FOUR.finditer(text):
        named = [m for m in mentions if m.family == "mmr_protein" and 0 < match.start() - m.end < 400]
        if not named:
            continue
        word = (match["result"] or match["after"]).lower()
        status = "loss" if word in ("lost", "loss", "absent", "negative") else "retained"
        evidence = " ".join(text[match.start() : match.end()].split())
        found.extend(
            Biomarker(key=key, name=key.upper(), status=status, method="IHC", evidence=evidence)
            for key in ("mlh1", "msh2", "msh6", "pms2")
        )
    return found


def _clean(said: str) -> str:
    """The words without what does not speak of the tumour (controls) or only names a test."""
    said = words.INTERNAL_CONTROL.sub(" ", " ".join(said.split()))
    return words.TEST_NAME.sub(" ", said)


def _owner(mention: _Mention, mentions: list[_Mention], keys: frozenset, reach: int) -> _Mention | None:
    """The marker a result hangs on: for ISH the marker before it, for a CPS or TPS the PD-L1 before it."""
    earlier = [m for m in mentions if m.end <= mention.start and m.family not in ("other", "ish", "cps", "tps", "ic")]
    if earlier and earlier[-1].marker.key in keys and mention.start - earlier[-1].end <= reach:
        return earlier[-1]
    return None


def _known(base: Biomarker, facts: dict) -> list[Biomarker]:
    """The biomarker with what was read, or nothing when nothing was."""
    if not facts:
        return []
    copies = facts.pop("copies", None)
    also = facts.pop("also", None)
    found = [replace(base, **facts)]
    if copies is not None:
        found.append(replace(found[0], measure="copies", value=copies))
    if also is not None:
        found.append(replace(found[0], unit="", upper=None, comparator="", **also))
    return found


def _status(said: str, results: words.Results) -> dict:
    for result, pattern in results:
        if pattern.search(said):
            return {"status": result}
    return {}


# "The ratio of HER2 to the centromere of chromosome 17 is 1.70": an ISH ratio written out.
_RATIO_TO_CHROMOSOME = re.compile(
    r"\s*(?:to|/)\s+(?:the\s+)?(?:centromere|CEP\s?17|chromosome\s+17)[^.;]{0,40}?"
    r"\b(?:is|was|=|of)\s*(?P<ratio>\d+(?:\.\d+)?)",
    re.IGNORECASE,
)


def _her2(base: Biomarker, mention: _Mention, said: str, segment: str) -> list[Biomarker]:
    if re.search(r"\bratio\s+of\s*$", said[: len(said) - len(segment)], re.IGNORECASE) and (
        ratio := _RATIO_TO_CHROMOSOME.match(segment)
    ):
        status = _status(segment[ratio.end() :], words.AMPLIFICATION_RESULTS)
        return [replace(base, method="ISH", measure="ratio", value=float(ratio["ratio"]), **status)]
    # ERBB2 named in a gene panel takes its words from the list's title too ("without a reportable variant").
    about = said if mention.text.upper().startswith("ERBB2") else segment
    if re.search(
        r"\bmutat|\bexon\s?\d|\binsertion\b|\bp\.\s?[A-Z]|\bc\.\d|\bvariants?\b|\balterations?\b",
        about,
        re.IGNORECASE,
    ) and not re.search(r"\bIHC\b|immunohisto|[0-3]\+|amplif|\bISH\b", about, re.IGNORECASE):
        return _known(Biomarker(key="her2_mutation", name="HER2 (ERBB2)"), _gene(said, segment))
    found = []
    ish_at = re.search(
        r"\b(?:[FSC]ISH|DD?ISH|ISH|in[- ]situ hybridi[sz]ation|HER2\s?/\s?CEP\s?17)\b", segment, re.IGNORECASE
    )
    ihc_part = segment[: ish_at.start()] if ish_at else segment
    if re.search(r"amplif", ihc_part, re.IGNORECASE) and not words.IHC_SCORE.search(ihc_part):
        # "HER2 amplification detected" is a gene result, whatever the method.
        facts = _ish(said, segment)
        return _known(replace(base, method="ISH" if ish_at or facts.get("measure") else ""), facts)
    facts = _status(said if not ish_at else said[: len(said) - len(segment) + ish_at.start()], words.EXPRESSION_RESULTS)
    scores = {f"{score}+" for score in words.IHC_SCORE.findall(ihc_part)}
    if words.IHC_ZERO.search(ihc_part):
        scores.add("0")
    # Two scores ("1+ to 2+", "0/1+") do not say which: a reviewer reads them.
    if len(scores) == 1:
        facts["score"] = scores.pop()
        # 1+ is HER2-low in breast cancer and negative in stomach cancer: the score says it, not a word.
        if facts["score"] != "1+":
            facts.setdefault("status", {"0": "negative", "2+": "equivocal", "3+": "positive"}[facts["score"]])
    elif len(scores) > 1:
        facts["check"] = True
    if facts.get("score") or re.search(r"\bIHC\b|immunohisto", said, re.IGNORECASE):
        facts["method"] = "IHC"
    if assay := words.ASSAY.search(segment):
        facts["assay"] = assay.group(1)
    if "status" in facts or "score" in facts:
        found.append(replace(base, **facts))
    if ish_at:
        ish = _ish(segment[ish_at.start() :], segment[ish_at.start() :])
        found.extend(_known(replace(base, method="ISH"), ish))
    return found


# The lines an in-situ hybridisation result takes: counts, the ratio, then its interpretation.
_ISH_BLOCK_END = re.compile(r"\n[ \t]*\n(?=[ \t]*[A-Z])")
_INTERPRETATION = re.compile(
    r"\b(?:interpretation|result|conclusion|impression)\s*:\s*(?P<words>[^\n]{1,80})", re.IGNORECASE
)


def _with_block(facts: dict, block: dict) -> dict:
    """An ISH result completed from the lines below it: its status, its ratio, its copy number."""
    merged = dict(facts)
    if "status" in block:
        merged.setdefault("status", block["status"])
    if "value" not in merged and block.get("value") is not None:
        merged.update(measure=block["measure"], value=block["value"])
        if "copies" in block:
            merged["copies"] = block["copies"]
    elif merged.get("measure") == "ratio" and "copies" not in merged:
        copies = block.get("copies", block.get("value") if block.get("measure") == "copies" else None)
        if copies is not None:
            merged["copies"] = copies
    return merged


def _ish_block(text: str, start: int) -> dict:
    """What the lines below an ISH title give: the ratio, the copy number and the interpretation."""
    end = min(len(text), start + 600)
    if stop := _ISH_BLOCK_END.search(text, start, end):
        end = stop.start()
    for mention in words.MENTION.finditer(text, start, end):
        if words.MARKERS[int(mention.lastgroup[1:])].key not in ("her2", "ish", "other"):
            end = mention.start()  # another marker's words
            break
    block = text[start:end]
    facts: dict = {}
    if interpretation := _INTERPRETATION.search(block):
        facts.update(_status(_clean(interpretation["words"]), words.AMPLIFICATION_RESULTS))
    if ratio := words.RATIO.search(block):
        facts.update(measure="ratio", value=float(ratio.group(1)))
        if copies := words.COPIES.search(block):
            facts["copies"] = float(copies.group(1) or copies.group(2))
    elif copies := words.COPIES.search(block):
        facts.update(measure="copies", value=float(copies.group(1) or copies.group(2)))
    return facts if facts.get("status") or facts.get("value") is not None else {}


def _ish(said: str, segment: str) -> dict:
    facts = _status(said, words.AMPLIFICATION_RESULTS)
    if ratio := words.RATIO.search(segment):
        facts.update(measure="ratio", value=float(ratio.group(1)))
        if copies := words.COPIES.search(segment):
            # The copy number as a reading of its own, beside the ratio.
            facts["copies"] = float(copies.group(1) or copies.group(2))
    elif copies := words.COPIES.search(segment):
        facts.update(measure="copies", value=float(copies.group(1) or copies.group(2)))
    # A ratio or copy number alone is a result: its meaning is the reviewer's to read.
    return facts if "status" in facts or "value" in facts else {}


def _pd_l1(base: Biomarker, said: str, segment: str, mention: _Mention, text: str) -> list[Biomarker]:
    # "Tumour Area Positivity (TAP) 15%" names a score, not a positive result.
    facts = _status(_TAP.sub(" ", said), words.EXPRESSION_RESULTS)
    if facts.get("status") in ("equivocal", "low"):
        facts = {}
    # "PD-L1 (22C3) TPS 60%": the score's own mention reads the figure; here only "PD-L1 60%", or a
    # score named in words that are no mention of their own ("immune cells (IC) cover 6%").
    scored = re.search(
        r"\b(?:CPS|TPS|IC|combined positive|tumou?r proportion score|immune cell score)\b", segment, re.IGNORECASE
    )
    named = _PD_L1_SCORE_WORDS.search(segment)
    if named and not (scored and scored.start() < named.start()):
        measure = "IC" if "immune" in named.group().lower() else "TAP" if _TAP.match(named.group()) else "TPS"
        facts.update(_pd_l1_percent(segment, named.end()), measure=measure)
    elif not scored and (percent := _pd_l1_percent(segment, 0)):
        facts.update(percent, measure="positive cells")
    if facts and (assay := words.ASSAY.search(segment)):
        facts["assay"] = assay.group(1)
    return _known(base, facts)


# A PD-L1 score named in words rather than by its abbreviation: "tumour proportion 40%",
# "tumour-infiltrating immune cells (IC) occupying 6% of the tumour area".
_TAP = re.compile(r"\btumou?r\s+area\s+positivity(?:\s*\(TAP\))?(?:\s+score)?|\bTAP\b(?:\s+score)?", re.IGNORECASE)
_PD_L1_SCORE_WORDS = re.compile(
    r"\b(?:tumou?r[- ](?:cell[- ])?proportion(?! score)|(?:tumou?r[- ]infiltrating )?immune cells?(?:\s*\(IC\))?"
    r"|tumou?r\s+area\s+positivity(?:\s*\(TAP\))?(?:\s+score)?|TAP(?:\s+score)?)"
    r"(?=[^.;%]{0,40}?\d+(?:\.\d+)?\s*%)",
    re.IGNORECASE,
)


def _pd_l1_percent(segment: str, start: int) -> dict:
    """The percentage of cells a PD-L1 stain gives from `start`; of a range, the estimate written after it."""
    percent = words.PERCENT.search(segment, start)
    if not percent:
        return {}
    estimate = words.PERCENT.search(segment, percent.end()) if percent.group("upper") else None
    if estimate and not estimate.group("upper") and not estimate.group("comparator"):
        percent = estimate  # "1-49% of cells (estimated 15%)": the band, then the figure within it
    facts = {"value": float(percent.group(2)), "unit": "%"}
    if percent.group("upper"):
        facts.update(upper=float(percent.group("upper")), check=True)
    if percent.group("comparator"):
        facts["comparator"] = words.COMPARATORS[percent.group("comparator").lower()]
    return facts


def _pd_l1_score(name: str, segment: str, mention: _Mention, text: str) -> dict:
    value = words.VALUE.match(segment)
    if not value:
        return {}
    facts = {"measure": name, "value": float(value.group(2))}
    if (status := _status(segment, words.EXPRESSION_RESULTS).get("status")) and status in ("positive", "negative"):
        facts["status"] = status
    if value.group(3):
        facts["upper"] = float(value.group(3))
    if value.group("comparator"):
        facts["comparator"] = words.COMPARATORS[value.group("comparator").lower()]
    if name == "TPS" or value.group("percent"):
        facts["unit"] = "%"
    # The clone is usually named with PD-L1, just before the score: "PD-L1 (22C3): CPS 8".
    if assay := words.ASSAY.search(text, max(0, mention.start - 40), mention.start):
        facts["assay"] = assay.group(1)
    return facts


def _receptor(said: str, segment: str) -> dict:
    facts = _status(said, words.RECEPTOR_RESULTS)
    # The percentage of cells first, as reports and patients state it; an Allred or H-score otherwise.
    # An Allred or H-score written with the percentage is a reading of its own ("95%, Allred 8/8").
    score = None
    if allred := words.ALLRED.search(segment) or words.ALLRED_AFTER.search(segment):
        score = {"measure": "allred", "value": float(allred.group(1))}
    elif h_score := words.H_SCORE.search(segment):
        score = {"measure": "h-score", "value": float(h_score.group(1))}
    if percent := words.PERCENT.search(segment):
        facts.update(value=float(percent.group(2)), unit="%")
        if percent.group("upper"):
            facts["upper"] = float(percent.group("upper"))
        if percent.group("comparator"):
            facts["comparator"] = words.COMPARATORS[percent.group("comparator").lower()]
        if score:
            facts["also"] = score
    elif score:
        facts.update(score)
    # ASCO/CAP: 1 to 10% of cells staining is "low positive".
    low = facts.get("unit") == "%" and not facts.get("upper") and 1 <= facts.get("value", 0) <= 10
    if facts.get("status") == "positive" and low:
        facts["status"] = "low"
    # "Weakly positive" with no percentage read may be ER-low (1 to 10%) or positive: a reviewer decides.
    if facts.get("status") == "positive" and "value" not in facts and re.search(r"\bweak(?:ly)?\b", said, re.I):
        facts["check"] = True
    return facts


def _percent_only(segment: str) -> dict:
    value = words.VALUE.match(segment) or words.PERCENT.search(segment)
    if not value:
        return {}
    if value.re is words.VALUE and not value.group("percent"):
        return {}
    facts = {"value": float(value.group(2)), "unit": "%"}
    upper = value.group(3) if value.re is words.VALUE else value.group("upper")
    if upper:
        facts["upper"] = float(upper)
    if value.group("comparator"):
        facts["comparator"] = words.COMPARATORS[value.group("comparator").lower()]
    return facts


def _stained_cells(said: str, segment: str) -> dict:
    facts = _status(said, words.STAIN_RESULTS)
    if percent := words.PERCENT.search(segment):
        facts.update(measure="positive cells", value=float(percent.group(2)), unit="%")
        if percent.group("comparator"):
            facts["comparator"] = words.COMPARATORS[percent.group("comparator").lower()]
    scores = {f"{score}+" for score in words.IHC_SCORE.findall(segment)}
    if len(scores) == 1 and facts:
        facts["score"] = scores.pop()
    return facts


def _tmb(said: str, segment: str) -> dict:
    facts = _status(said, words.TMB_RESULTS)
    value = words.VALUE.match(segment)
    if value and not value.group("percent"):
        facts.update(measure="TMB", value=float(value.group(2)))
        if value.group("comparator"):
            facts["comparator"] = words.COMPARATORS[value.group("comparator").lower()]
        if words.TMB_UNIT.match(segment[value.end() :]):
            facts["unit"] = "mut/Mb"
    return facts


def _hrd(said: str, segment: str) -> dict:
    facts = _status(said, words.HRD_RESULTS)
    if score := re.search(
        r"\b(?:score|GIS)\s*(?:of|:|=|is)?\s*(\d{1,3})\b|^[\s:=(]*(\d{1,3})\b(?!\s*%)", segment, re.IGNORECASE
    ):
        facts.update(measure="score", value=float(score.group(1) or score.group(2)))
    return facts


def _number_score(segment: str) -> dict:
    value = words.VALUE.match(segment) or re.search(
        r"\b(?:score|RS)\s*(?:of|:|=|is)?\s*(\d{1,3})\b", segment, re.IGNORECASE
    )
    if not value:
        return {}
    number = value.group(2) if value.re is words.VALUE else value.group(1)
    if value.re is words.VALUE and value.group("percent"):
        return {}
    return {"measure": "score", "value": float(number)}


_LAB_UNIT = r"(?P<unit>ng\s?/\s?m[lL]|µg\s?/\s?[lL]|ug\s?/\s?[lL]|k?U\s?/\s?m?[lL]|IU\s?/\s?m[lL]|units?\s?/\s?m[lL])"
_LAB_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)"
# A figure with its unit, anywhere in the words about the test: "was 1,240 U/mL", "from 340 ng/mL to 0.6 ng/mL".
_LAB_WITH_UNIT = re.compile(rf"{words._COMPARATOR}?\s*{_LAB_NUMBER}\s*{_LAB_UNIT}(?![\w/])", re.IGNORECASE)
# A figure without a unit, right after the name: "PSA 7.4,", "PSA: 12", "PSA of 6".
_LAB_BARE = re.compile(
    rf"^[\s:=]*(?:\((?:[^()]{{0,20}})\)\s*)?(?:(?:level|value|of|was|is|=|:"
    rf"|measured at)\s*)*{words._COMPARATOR}?\s*{_LAB_NUMBER}(?=[ \t]*(?:[,;)\n]|\.(?!\d)|$|\s+(?:and|with|at"
    rf"|on|in)\b))",
    re.IGNORECASE,
)


_EARLIER_FIGURE = re.compile(
    r"^\W{0,3}(?:\w+\s+){0,2}?(?:ago|previously|earlier|before that|at diagnosis|last year)\b", re.IGNORECASE
)


def _labs(base: Biomarker, segment: str) -> list[Biomarker]:
    """Each figure of a blood test the words give, with its unit."""
    found = []
    for match in list(_LAB_WITH_UNIT.finditer(segment))[:4]:
        before, after = segment[max(0, match.start() - 12) : match.start()], segment[match.end() : match.end() + 25]
        if _EARLIER_FIGURE.search(after) or re.search(
            r"\b(?:from|previously|previous|prior)\s*$", before, re.IGNORECASE
        ):
            continue  # "rising from 6.2 ng/mL a year ago": the figure before this one
        found.append(replace(base, **_lab_facts(match)))
    if not found and (bare := _LAB_BARE.match(segment)):
        found.append(replace(base, **_lab_facts(bare)))
    return found


def _lab_facts(match: re.Match) -> dict:
    facts = {"value": float(match["number"].replace(",", ""))}
    if match.groupdict().get("unit"):
        facts["unit"] = re.sub(r"\s", "", match["unit"]).replace("ml", "mL").replace("ML", "mL").replace("l", "L")
        facts["unit"] = facts["unit"].replace("mL", "mL").replace("/L", "/L")
    if match["comparator"]:
        facts["comparator"] = words.COMPARATORS[match["comparator"].lower()]
    return facts


_UNCERTAIN = re.compile(
    r"\b(?:class 3|tier 3|VUS|uncertain significance|unknown significance|unclear significance|likely benign|benign"
    r"|polymorphism|not to be used)\b|\bsignificance\b[^.;]{0,40}\b(?:is|remains) (?:unclear|unknown|uncertain)\b",
    re.IGNORECASE,
)
_DOUBT_REACH = 400


def _doubted_after(mention: _Mention, said: _Said, mentions: list[_Mention], text: str) -> bool:
    """Whether the sentences after a variant, before another gene is named, doubt what it means.

    "IDH1 variant detected: p.Arg49His. ... Thus the significance of this change is unclear."
    """
    later = [
        m.start for m in mentions if m.start > said.end and m.family == "gene" and m.marker.key != mention.marker.key
    ]
    end = min([said.end + _DOUBT_REACH, *later[:1]])
    return bool(_UNCERTAIN.search(text, said.end, end))


_TESTED_ONLY = re.compile(
    r"\b(?:test(?:s|ing|ed)?|analy[sz]\w*|interrogat\w*|assess\w*|screen\w*|panel|covered|included|examined|evaluat\w*|requested|sent|ordered|targets?)\b",
    re.IGNORECASE,
)


def _gene(said: str, segment: str, raw: str = "") -> dict:
    if re.search(
        r"\b(?:IHC|immunohisto\w*|stain(?:s|ed|ing)?|immunoreactiv\w*|protein)\b|\b[0-3]\+", said, re.IGNORECASE
    ) and not (re.search(r"\bmutat|\bmutant|\bvariant|\bwild", said, re.IGNORECASE) or _variant(segment)):
        # A protein stain of a gene's product is not its mutation status, unless the stain is of one
        # change ("BRAF V600E (VE1 IHC): positive").
        return {}
    if re.search(
        r"\bfusions?\b|\brearrang|\btranslocat|\bamplif|\bcopy number\b|\bmethylat", segment, re.IGNORECASE
    ) and not re.search(r"\bmutat|\bvariant", segment, re.IGNORECASE):
        return {}  # a fusion, an amplification or methylation of the gene is no mutation status
    facts = _status(said, words.GENE_RESULTS)
    variant = _variant(segment)
    if facts.get("status") != "wild-type" and _UNCERTAIN.search(segment):
        # A variant of uncertain significance is no result to act on: a reviewer reads it.
        return {"status": "mutated", "variant": variant, "check": True} if variant else {}
    if facts.get("status") == "wild-type":
        if variant:
            # "BRAF V600E: not detected" says that one change is absent.
            facts["variant"] = variant
        return facts
    if variant:
        if not facts and _TESTED_ONLY.search(raw or segment):
            return {}  # "BRAF V600E testing": a test's name, not its result
        facts["variant"] = variant
        # A named mutation is a mutation, unless the words say it was not found.
        facts.setdefault("status", "mutated")
    return facts


def _variant(segment: str) -> str:
    """The change a segment names, the protein change first ("c.35G>T p.(Gly12Val)" is G12V)."""
    found = [match for match in words.VARIANT.finditer(segment) if not match.group("fusion")]
    if not found:
        return ""
    protein = [match for match in found if not match.group("cdna")]
    cdna = [match for match in found if match.group("cdna")]
    if protein and cdna:
        # Both as the report gives them: the protein change first, as patients and letters name it.
        return f"{_variant_name(protein[0])} ({cdna[0].group('cdna')})"
    return _variant_name((protein or found)[0])


_REARRANGEMENT_TEST = re.compile(r"rearrang|translocat|break-?apart|\bfusion|\bFISH\b|\bsplit\b|t\(\d", re.IGNORECASE)


def _fusion_or_stain(key: str, said: str, segment: str, mention: _Mention, text: str) -> dict:
    # "FISH (A): MYC break-apart - positive; BCL6 - negative": the line's test is each gene's.
    line_before = text[text.rfind("\n", 0, mention.start) + 1 : mention.start]
    if key in ("bcl2", "myc", "bcl6") and not (
        _REARRANGEMENT_TEST.search(said) or _REARRANGEMENT_TEST.search(line_before)
    ):
        if key == "bcl2":
            return _stained_cells(said, segment)
        return {}
    return _fusion(said, segment, mention.text)


def _fusion(said: str, segment: str, name: str = "") -> dict:
    facts = _status(said, words.FUSION_RESULTS)
    if facts.get("status") == "not rearranged":
        return facts
    # The partner may be part of the name: "ETV6-NTRK3 gene fusion".
    if (variant := words.VARIANT.search(f"{name} {segment}")) and variant.group("fusion"):
        facts["variant"] = re.sub(r"[ :/]+", "-", variant.group("fusion")).replace("--", "-")
        facts.setdefault("status", "rearranged")
    return facts


def _variant_name(match: re.Match) -> str:
    if match.group("one"):
        return match.group("one")
    if match.group("cdna"):
        return match.group("cdna")
    if match.group("exon"):
        kind = {"del": "deletion", "ins": "insertion", "skip": "skipping"}.get(
            match.group("kind").lower(), match.group("kind").lower()
        )
        return f"exon {match.group('exon')} {kind}"
    change = (match.group("from"), match.group("to"))
    if change[0] in words.AMINO_ACIDS and (change[1] in words.AMINO_ACIDS or change[1] in ("*", "fs")):
        to = words.AMINO_ACIDS.get(change[1], change[1])
        return f"{words.AMINO_ACIDS[change[0]]}{match.group('position')}{to}"
    return match.group()


# Results that cannot both hold of one tumour by one method.
_OPPOSITES = [
    frozenset(pair)
    for pair in (
        ("positive", "negative"),
        ("mutated", "wild-type"),
        ("amplified", "not amplified"),
        ("rearranged", "not rearranged"),
        ("retained", "loss"),
        ("deficient", "proficient"),
        ("aberrant", "wild-type"),
        ("GCB", "non-GCB"),
        ("equivocal", "positive"),
        ("low", "positive"),
    )
]
_RECEPTOR_OPPOSITES = [frozenset(("low", "negative"))]


def _contradicted(biomarker: Biomarker, statuses: dict, found: list[Biomarker]) -> bool:
    """Whether the same report gives this marker, by this method, a result that contradicts this one."""
    others = statuses.get((biomarker.key, biomarker.method), set()) - {biomarker.status}
    opposites = _OPPOSITES + (_RECEPTOR_OPPOSITES if biomarker.key in ("er", "pr") else [])
    if not any(frozenset((biomarker.status, other)) in opposites for other in others):
        return False
    if biomarker.status == "mutated" and biomarker.variant:
        # A change named as found outweighs a general "not detected" elsewhere (of other changes).
        return any(b.key == biomarker.key and b.status == "wild-type" and b.variant for b in found)
    return True


def _unique(found: list[Biomarker]) -> list[Biomarker]:
    """The same result stated twice (in the body and the summary) is one result.

    A change said to be absent ("KRAS G12C not present") says nothing against another change of
    the same gene found elsewhere: that reading is dropped.
    """
    mutated = {biomarker.key for biomarker in found if biomarker.status == "mutated"}
    found = [b for b in found if not (b.status == "wild-type" and b.variant and b.key in mutated)]
    # "CPS: 15 ... Interpretation: positive (CPS ≥ 10)": beside the measured score, the bound is the cut-off met.
    measured = {(b.key, b.measure) for b in found if b.value is not None and not b.comparator and b.upper is None}
    found = [b for b in found if not (b.comparator and (b.key, b.measure) in measured)]
    # One report giving one marker two results by one method (two components, two specimens): a
    # reviewer reads them, rather than the table showing either as the answer.
    statuses: dict[tuple[str, str], set[str]] = {}
    for biomarker in found:
        # A reading already for a reviewer (hedged, a form's options) casts no doubt on a clear one.
        if biomarker.status and not biomarker.check:
            statuses.setdefault((biomarker.key, biomarker.method), set()).add(biomarker.status)
    found = [replace(b, check=True) if _contradicted(b, statuses, found) else b for b in found]
    seen, unique = set(), []
    for biomarker in found:
        key = replace(biomarker, evidence="", page=None)
        if key not in seen:
            seen.add(key)
            unique.append(biomarker)
    return unique
