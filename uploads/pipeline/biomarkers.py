"""Biomarkers and their results as a report states them, read with patterns, never guessed.

The text is cut at each mention of a marker (HER2, CPS, MLH1, KRAS...). What follows a mention
up to the next mention, the end of its clause or 120 characters is what the report says about
it; a few words before it can negate it ("No KRAS mutation detected"). Markers listed together
("MLH1, PMS2, MSH2 and MSH6 retained") share what follows the last of them. A value is taken
only when it stands right after its label, and a result only when the words say it.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from uploads.pipeline import biomarker_words as words

_SEGMENT_LIMIT = 120
_PREFIX_LIMIT = 60
# Where a clause ends: a semicolon, a line break, or a full stop before a new sentence.
_CLAUSE_END = re.compile(r";|\n|\f|\.(?=\s+[A-Z(]|\s*$)")
# Where the words that belong to the next mention start: "HER2 negative, no KRAS mutation".
_PREFIX_CUT = re.compile(r"[,;\n\f]|\.(?=\s)|\b(?:and|but|while|whereas)\b")
_LIST_JOINER = re.compile(r"^\s*(?:,|/|&|\+|and|or)?\s*(?:and|or)?\s*$")


@dataclass(frozen=True)
class Biomarker:
    name: str
    # The result in words, as the report gives it: positive, negative, equivocal, low, amplified,
    # not amplified, MSI-H, MSI-L, MSS, dMMR, pMMR, loss, retained, mutated, wild-type, high.
    status: str = ""
    # IHC or ISH, when the report names the method or gives an IHC score.
    method: str = ""
    # An immunohistochemistry score: 0, 1+, 2+ or 3+.
    score: str = ""
    # What `value` measures: CPS, TPS, ratio, positive cells or TMB.
    measure: str = ""
    value: float | None = None
    # The top of a range, as in "TPS 1-49%".
    upper: float | None = None
    unit: str = ""
    # <, <=, > or >= when the value is a bound ("CPS ≥ 1").
    comparator: str = ""
    # A mutation as named: G12C, V600E, exon 19 deletion.
    variant: str = ""
    # The antibody clone or assay: 22C3, SP263, 4B5...
    assay: str = ""
    # The words this was read from, for a reviewer to check.
    evidence: str = ""


@dataclass(frozen=True)
class _Mention:
    name: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Segment:
    text: str
    end: int


def find_biomarkers(text: str) -> list[Biomarker]:
    """Return the biomarker results that `text` (normalised, see findings.normalize) states."""
    mentions = list(_mentions(text))
    prefix_starts = [_prefix_start(text, mentions, index) for index in range(len(mentions))]
    found: list[Biomarker] = []
    index = 0
    while index < len(mentions):
        last = _last_of_list(mentions, index, text)
        next_start = prefix_starts[last + 1] if last + 1 < len(mentions) else len(text)
        segment = _segment(text, mentions[last].end, next_start)
        prefix = text[prefix_starts[index] : mentions[index].start]
        for mention in mentions[index : last + 1]:
            read = _read(mention, prefix, segment.text, mentions, text)
            start = min(prefix_starts[index], _anchor(mention, mentions).start)
            found.extend(replace(biomarker, evidence=_evidence(text, start, segment.end)) for biomarker in read)
        index = last + 1
    return _unique(found)


def _mentions(text: str) -> Iterator[_Mention]:
    for match in words.MENTION.finditer(text):
        name = words.MENTIONS[int(match.lastgroup[1:])][0]
        yield _Mention(name=name, start=match.start(), end=match.end(), text=match.group())


def _last_of_list(mentions: list[_Mention], index: int, text: str) -> int:
    """The index of the last mention of a list that starts at `index` ("KRAS, NRAS and BRAF")."""
    family = words.GENES if mentions[index].name in words.GENES else words.MMR_PROTEINS
    if mentions[index].name not in family:
        return index
    last = index
    while (
        last + 1 < len(mentions)
        and mentions[last + 1].name in family
        and _LIST_JOINER.match(text[mentions[last].end : mentions[last + 1].start])
    ):
        last += 1
    return last


def _segment(text: str, mention_end: int, next_start: int) -> _Segment:
    """What follows a mention: up to the next mention's words, the end of its clause, or the limit."""
    start = mention_end
    end = min(start + _SEGMENT_LIMIT, next_start)
    # "HER2:" alone on its line: its result is on the next one.
    line_break = text.find("\n", start, end)
    if line_break != -1 and not text[start:line_break].strip(" \t:=-|"):
        start = line_break + 1
    if clause_end := _CLAUSE_END.search(text, start, end):
        end = clause_end.start()
    return _Segment(text=text[mention_end:end], end=end)


def _prefix_start(text: str, mentions: list[_Mention], index: int) -> int:
    """Where the words before a mention that belong to it start ("No" in "No KRAS mutation")."""
    previous_end = mentions[index - 1].end if index else 0
    start = max(mentions[index].start - _PREFIX_LIMIT, previous_end)
    if cuts := list(_PREFIX_CUT.finditer(text, start, mentions[index].start)):
        return cuts[-1].end()
    if index and start == previous_end and not words.SELF_CONTAINED.fullmatch(mentions[index - 1].text):
        # Nothing divides them from the mention before: the words are what that one says.
        return mentions[index].start
    return start


def _evidence(text: str, start: int, end: int) -> str:
    words = " ".join(text[start:end].split()).lstrip(" ,;:()").rstrip(" ,;:(")
    return words[:-1] if words.endswith(")") and words.count(")") > words.count("(") else words


def _read(mention: _Mention, prefix: str, segment: str, mentions: list[_Mention], text: str) -> list[Biomarker]:
    said = words.INTERNAL_CONTROL.sub(" ", f"{prefix} {mention.text} {segment}")
    name = mention.name
    if name == "ISH":
        owner = _anchor(mention, mentions)
        if owner is mention:
            return []
        return _known(Biomarker(name=owner.name, method="ISH"), _ish(owner.name, said, segment))
    if name == "HER2":
        return _known(Biomarker(name="HER2"), _her2(said, segment))
    if name in ("CPS", "TPS"):
        return _known(Biomarker(name="PD-L1"), _pd_l1_score(name, segment, mention, text))
    if name == "PD-L1":
        return _known(Biomarker(name="PD-L1"), _status(said, words.EXPRESSION_RESULTS))
    if name == "MSI":
        return _known(Biomarker(name="MSI"), _status(said, words.MSI_RESULTS))
    if name == "MMR":
        return _known(Biomarker(name="MMR"), _status(said, words.MMR_RESULTS))
    if name in words.MMR_PROTEINS:
        return _known(Biomarker(name=name, method="IHC"), _status(said, words.PROTEIN_RESULTS))
    if name in ("CLDN18.2", "FGFR2b"):
        return _known(Biomarker(name=name), _stained_cells(said, segment))
    if name == "FGFR2":
        return _known(Biomarker(name=name), _status(said, words.AMPLIFICATION_RESULTS))
    if name == "EBV":
        method = "ISH" if mention.text == "EBER" else ""
        return _known(Biomarker(name="EBV", method=method), _status(said, words.EXPRESSION_RESULTS))
    if name == "TMB":
        return _known(Biomarker(name="TMB"), _tmb(said, segment))
    if name in words.GENES:
        return _known(Biomarker(name=name), _gene(said, segment))
    return []


def _anchor(mention: _Mention, mentions: list[_Mention]) -> _Mention:
    """The mention a result hangs on: for ISH its marker, for a CPS or TPS the PD-L1 before it."""
    owners = {"ISH": (words.ISH_OWNERS, 80), "CPS": ({"PD-L1"}, 40), "TPS": ({"PD-L1"}, 40)}
    if mention.name not in owners:
        return mention
    names, reach = owners[mention.name]
    earlier = [m for m in mentions if m.end <= mention.start and m.name not in ("other", "ISH", "CPS", "TPS")]
    if earlier and earlier[-1].name in names and mention.start - earlier[-1].end <= reach:
        return earlier[-1]
    return mention


def _known(base: Biomarker, facts: dict) -> list[Biomarker]:
    """The biomarker with what was read, or nothing when nothing was."""
    return [replace(base, **facts)] if facts else []


def _status(said: str, results: words.Results) -> dict:
    for result, pattern in results:
        if pattern.search(said):
            return {"status": result}
    return {}


def _her2(said: str, segment: str) -> dict:
    if re.search(r"amplif", segment, re.IGNORECASE):
        # "HER2 amplification detected" is a gene result, whatever the method.
        return _status(said, words.AMPLIFICATION_RESULTS)
    facts = _status(said, words.EXPRESSION_RESULTS)
    scores = {f"{score}+" for score in words.IHC_SCORE.findall(segment)}
    if words.IHC_ZERO.search(segment):
        scores.add("0")
    # Two scores ("1+ to 2+", "0/1+") do not say which: none is taken.
    if len(scores) == 1:
        facts["score"] = scores.pop()
    if facts.get("score") or re.search(r"\bIHC\b|immunohisto", said, re.IGNORECASE):
        facts["method"] = "IHC"
    if assay := words.ASSAY.search(segment):
        facts["assay"] = assay.group(1)
    return facts if "status" in facts or "score" in facts else {}


def _ish(owner: str, said: str, segment: str) -> dict:
    if owner == "EBV":
        return _status(said, words.EXPRESSION_RESULTS)
    facts = _status(said, words.AMPLIFICATION_RESULTS)
    if ratio := words.RATIO.search(segment):
        facts.update(measure="ratio", value=float(ratio.group(1)))
    return facts


def _pd_l1_score(name: str, segment: str, mention: _Mention, text: str) -> dict:
    value = words.VALUE.match(segment)
    if not value:
        return {}
    facts = {"measure": name, "value": float(value.group(2))}
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


def _stained_cells(said: str, segment: str) -> dict:
    facts = _status(said, words.EXPRESSION_RESULTS)
    if percent := words.PERCENT.search(segment):
        facts.update(measure="positive cells", value=float(percent.group(2)), unit="%")
        if percent.group("comparator"):
            facts["comparator"] = words.COMPARATORS[percent.group("comparator").lower()]
    scores = {f"{score}+" for score in words.IHC_SCORE.findall(segment)}
    if len(scores) == 1:
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


def _gene(said: str, segment: str) -> dict:
    facts = _status(said, words.GENE_RESULTS)
    if variant := words.VARIANT.search(segment):
        facts["variant"] = _variant_name(variant)
        # A named mutation is a mutation, unless the words say it was not found.
        facts.setdefault("status", "mutated")
    return facts


def _variant_name(match: re.Match) -> str:
    if match.group("one"):
        return match.group("one")
    if match.group("exon"):
        kind = {"del": "deletion", "ins": "insertion"}.get(match.group("kind").lower(), match.group("kind").lower())
        return f"exon {match.group('exon')} {kind}"
    change = (match.group("from"), match.group("to"))
    if all(part in words.AMINO_ACIDS or part == "*" for part in change):
        return f"{words.AMINO_ACIDS[change[0]]}{match.group('position')}{words.AMINO_ACIDS.get(change[1], '*')}"
    return match.group()


def _unique(found: list[Biomarker]) -> list[Biomarker]:
    """The same result stated twice (in the body and the summary) is one result."""
    seen, unique = set(), []
    for biomarker in found:
        key = replace(biomarker, evidence="")
        if key not in seen:
            seen.add(key)
            unique.append(biomarker)
    return unique
