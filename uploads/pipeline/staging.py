"""Stage and grade as a report states them: TNM, stage groups (AJCC, FIGO, Ann Arbor), Gleason,
grade group, histological and ISUP grade, Breslow thickness, ulceration and cores involved.

Reports write TNM in every way: "pT3 pN1 cM0", "pT 3 N 1 M X", "T2a NO MX", synoptic fields on
lines of their own ("Primary tumour (pT): pT2a" ... "Distant metastasis (pM): Not applicable"),
and with OCR swaps inside the tokens ("pNO", "pTla", "pNl"). The patient's TNM is the one the
report gives as its stage; the option lists of a checklist ("pT2: Tumour invades ...") are not.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from uploads.pipeline.context import Span, sentence

# OCR reads 1 as l or I and 0 as O or o inside a TNM token.
_DIGIT = {"O": "0", "o": "0", "l": "1", "I": "1", "i": "1", "|": "1"}
# OCR capitalises a prefix ("PMX") as often as it keeps it.
_PREFIX = r"(?P<{0}y>y)?(?P<{0}r>r)?(?P<{0}p>[cpauP])?"
_T = (
    _PREFIX.format("t") + r"\s?T\s?(?P<tv>is|IS|X|x|a(?![a-z])|i[a-d](?![a-z])|[0-4OolI](?![0-9])(?:mi"
    r"|[a-dA-D](?![a-z])(?:\s?[1-3](?![0-9]))?|\s(?:[abdABD]|[cC](?!\s?[NM]\s?[0-3xXO]))(?![a-z]))?)"
    + r"(?:\s?\((?:m|is|\d+|sn)\))?"
)
_N = (
    _PREFIX.format("n") + r"\s?N\s?(?P<nv>X|x|[0-3OolIi](?![0-9])(?:mi|[a-cA-C](?![a-z])(?!M)|\s(?:[abAB]"
    r"|[cC](?!\s?M\s?[01xXO]))(?![a-z]))?)(?:\s?\((?:sn|i[+-]|mol[+-]|\d+\s?/\s?\d+)\))?"
)
_M = _PREFIX.format("m") + r"\s?M\s?(?P<mv>X|x|[01Ol](?![0-9])(?:\s?[a-dA-D](?![a-z]))?)(?:\s?\((?:[a-z]{2,3}|\+)\))?"
_SEP = r"(?:\s{0,3}[,/;.]?\s{0,3}|\s*\n\s*)"
_TNM = re.compile(rf"(?<![\w/])(?:{_T})(?:{_SEP}(?:{_N}))?(?:{_SEP}(?:{_M}))?(?![\w/])")
_T_ALONE = re.compile(rf"(?<![\w/])(?:{_T})(?![\w/])")
_N_ALONE_PREFIXED = re.compile(rf"(?<![\w/])(?=y?p|c)(?:{_N})(?![\w/])")
_M_ALONE_PREFIXED = re.compile(rf"(?<![\w/])(?=y?p|c)(?:{_M})(?![\w/])")
# "The regional lymph nodes are classified as: NX", "Regional lymph nodes (pN): N0".
_CLASSIFIED = r"(?:classified as|\(p?[NM]\)|categor(?:y|ised as))\s*[:;]?\s*"
_N_CLASSIFIED = re.compile(rf"(?i:{_CLASSIFIED})(?:{_N})(?![\w/])")
_M_CLASSIFIED = re.compile(rf"(?i:{_CLASSIFIED})(?:{_M})(?![\w/])")
# A checklist's heading names the letter, the chosen answer below ends with its category in brackets:
# "DISTANT METASTASIS (M)" / "Distant metastasis cannot be assessed (MX)".
_N_UNDER_HEADING = re.compile(rf"\(p?N\)[ \t]*\n[^\n()]{{0,80}}\((?:{_N})\)[ \t]*$", re.MULTILINE)
_M_UNDER_HEADING = re.compile(rf"\(p?M\)[ \t]*\n[^\n()]{{0,80}}\((?:{_M})\)[ \t]*$", re.MULTILINE)
# A checklist's chosen category starting a line beside the question it answers, its meaning in brackets
# or the question glued on by OCR: "... DISTANT TUMOR SITES is classified" / "MX (Status cannot be
# assessed)", "NOTHE REGIONAL LYMPH NODES ARE:" / "(Free of metastases)".
_N_BESIDE_QUESTION = re.compile(rf"^[ \t]*(?:{_N})(?=[ \t]*\((?=[A-Z][a-z])|(?i:the ?regional)\b)", re.MULTILINE)
_M_BESIDE_QUESTION = re.compile(rf"^[ \t]*(?:{_M})(?=[ \t]*\((?=[A-Z][a-z])|(?i:(?:the ?)?distant)\b)", re.MULTILINE)
_QUESTION_OF = {"N": re.compile(r"regional\s?lymph\s?nodes", re.IGNORECASE), "M": re.compile(r"distant", re.IGNORECASE)}
_SCHEME_HEAD = re.compile(r"^[ \t]*TNM\s+(?:SCH\S*|categor)", re.IGNORECASE)
_N_ALONE = re.compile(rf"(?<![\w/])(?:{_N})(?:{_SEP}(?:{_M}))?(?![\w/])")
_M_ALONE = re.compile(rf"(?<![\w/])(?:{_M})(?![\w/])")
# Synoptic fields: "Regional lymph nodes (pN): pN0", "Distant metastasis: not applicable".
_FIELD = re.compile(
    r"(?P<label>primary tumou?r|tumou?r(?: extent)?|regional lymph nodes?|lymph nodes?|distant metastas[ie]s"
    r"|metastas[ie]s)"
    r"[^\n:]{0,20}:[ \t]*(?P<value>[^\n]{0,60})",
    re.IGNORECASE,
)
_NOT_APPLICABLE = re.compile(
    r"^\W*(?:\(?p?M\)?\W*)?(?:not applicable|n/?a\b|not assessed|cannot be assessed|none)", re.IGNORECASE
)
_STAGE_WORDS = re.compile(r"(?<![-\w])stag(?:e|ing)\b(?!-)|\bTNM\b|\bAJCC\b|\bclassification\b|\bUICC\b", re.IGNORECASE)
# An option of a checklist: the category, a colon or dash and its definition ("pT2: Tumour invades").
_OPTION = re.compile(
    r"^[ \t]*(?:[`'][ \t]*)?(?:[\[(][ \t]?[\]) ]?[ \t]*)*(?:[\[(]?[ \t]?[\])][ \t]*)?(?:y?p?)?[TNM][ \t]?(?:is|X"
    r"|[0-4OIl])[a-d]?[ \t]*(?:\[[IVX]+[ABC]?\][ \t]*)?[:\-][ \t]*[A-Z][a-z]",
    re.MULTILINE,
)
_UNCHECKED = re.compile(r"^[ \t]*(?:\[[ \t]?\]|\([ \t]?\)|\[[ \t]?\)|\([ \t]?\]|[□☐])", re.MULTILINE)


@dataclass(frozen=True)
class TnmStage:
    # As written, with single spaces and OCR swaps put right: "pT3 pN1 cM0", "ypT2 N0".
    text: str
    # Each category with its own prefix (c, p, yp...): "pT3", "pN1", "cM0".
    t: str
    n: str = ""
    m: str = ""
    evidence: str = ""
    page: int | None = None


@dataclass(frozen=True)
class _Found:
    stage: TnmStage
    start: int
    rank: int


def tnm_stages(text: str, excluded: list[Span] = (), page_of: Callable[[int], int] | None = None) -> list[TnmStage]:
    """The TNM stages the text states, the patient's own (the report's final stage) first."""
    found: list[_Found] = []
    form_found, form_lines = _form_lines(text, excluded, page_of)
    found.extend(form_found)
    excluded = [*excluded, *form_lines]
    for match in _TNM.finditer(text):
        if _excluded(text, match.start(), excluded):
            continue
        line = _line(text, match.start())
        above = _line(text, max(text.rfind("\n", 0, match.start()) - 1, 0))
        # Under a checklist table's "TNM Scheme" head the first word of a row is a category, OCR or not.
        if _ocr_without_prefix(match) and not match["nv"] and not _SCHEME_HEAD.search(above):
            continue
        if _ONE_OF_SEVERAL.match(text, match.end()):
            continue  # "(T3c/N0/M0) OR (T1-3/N1/M0)": the combinations a stage group stands for
        t = _category(match, "t", "T")
        n = _category(match, "n", "N") if match["nv"] else ""
        m = _category(match, "m", "M") if match["mv"] else ""
        # A bare "T2" is as likely an MRI sequence ("T2-weighted"): it needs a prefix, an N or a stage word.
        if not (match["tp"] or match["ty"] or n or _STAGE_WORDS.search(line) or _STAGE_WORDS.search(above)):
            continue
        if not n and re.match(r"-[A-Za-z]", text[match.end() : match.end() + 2]):
            continue  # "T2-weighted"
        if match["tv"] == "a" and not match["tp"]:
            continue
        if n == "" and m == "" and " " in match.group().strip() and not match["tp"]:
            continue
        stage = replace(_stage(t, n, m, text, match), page=page_of(match.start()) if page_of else None)
        found.append(_Found(stage, match.start(), _rank(text, match, t, n, m)))
    lines = _category_lines(text, excluded, page_of)
    found.extend(lines)
    if fields := _synoptic(text, excluded):
        found.append(replace(fields, stage=replace(fields.stage, page=page_of(fields.start) if page_of else None)))
    if not found:
        return []
    best = max(found, key=lambda item: (item.rank, item.start))
    rest = [item.stage for item in sorted(found, key=lambda item: item.start) if item is not best]
    best_stage = _completed(best.stage, _singles(text, excluded, [*found]))
    # A row that only repeats part of the patient's stage ("pT2a" beside "pT2a pN0") says nothing more.
    rest = [stage for stage in rest if not _part_of(stage, best_stage)]
    return _unique([best_stage, *rest])


def _part_of(stage: TnmStage, whole: TnmStage) -> bool:
    parts = ((stage.t, whole.t), (stage.n, whole.n), (stage.m, whole.m))
    return all(not part or _bare(part) == _bare(other) for part, other in parts)


def _singles(text: str, excluded, found: list[_Found]) -> dict[str, list[str]]:
    """Every category the report states on its own ("N STAGE: pN0", "pMX"), by letter, to complete the stage with."""
    singles: dict[str, list[str]] = {"T": [], "N": [], "M": []}
    for item in found:
        for letter, value in (("T", item.stage.t), ("N", item.stage.n), ("M", item.stage.m)):
            if value:
                singles[letter].append(value)
    for letter, pattern in (
        ("N", _N_CLASSIFIED),
        ("M", _M_CLASSIFIED),
        ("N", _N_UNDER_HEADING),
        ("M", _M_UNDER_HEADING),
    ):
        for match in pattern.finditer(text):
            if not _excluded(text, match.start(), excluded):
                singles[letter].append(_category(match, letter.lower(), letter))
    for letter, pattern in (("N", _N_BESIDE_QUESTION), ("M", _M_BESIDE_QUESTION)):
        for match in pattern.finditer(text):
            above = _line(text, max(text.rfind("\n", 0, match.start()) - 1, 0))
            if not _QUESTION_OF[letter].search(_line(text, match.start()) + " " + above):
                continue
            # "MX (cannot be assessed)" / "M1 (distant metastasis)": a list of the options, none chosen.
            neighbours = _neighbour_lines(text, text.rfind("\n", 0, match.start()) + 1)
            if any(pattern.match(neighbour) for neighbour in neighbours) or _excluded(text, match.start(), excluded):
                continue
            singles[letter].append(_category(match, letter.lower(), letter))
    for letter, pattern in (("T", _T_ALONE), ("N", _N_ALONE_PREFIXED), ("M", _M_ALONE_PREFIXED)):
        for match in pattern.finditer(text):
            if not _excluded(text, match.start(), excluded):
                singles[letter].append(_category(match, letter.lower(), letter))
    return singles


def _bare(category: str) -> str:
    """A category without its prefix, for comparing: "pN2c" and "N2c" are the same nodes."""
    return re.sub(r"^[ycpaur]*", "", category).lower()


def _completed(stage: TnmStage, singles: dict[str, list[str]]) -> TnmStage:
    """The stage with what the report's other statements add: a missing N or M, a T's subcategory, a prefix.

    Only what is unambiguous is added: one value for the letter, or one more specific form of it.
    """
    parts = {"T": stage.t, "N": stage.n, "M": stage.m}
    clinical = stage.t.startswith("c")
    for letter, current in parts.items():
        # A clinical T or N beside a pathological stage is an earlier one; cM0 is how pTNM gives M.
        pool = [value for value in singles[letter] if clinical or letter == "M" or not value.startswith("c")]
        if not current:
            values = {_bare(value) for value in pool}
            if len(values) == 1 and letter != "T":
                parts[letter] = max(pool, key=lambda value: (value.startswith(("p", "yp")), len(value)))
            continue
        bare = _bare(current)
        specific = {_bare(value) for value in pool if _bare(value).startswith(bare) and _bare(value) != bare}
        if len(specific) == 1 and bare[-1].isdigit():
            wanted = specific.pop()
            parts[letter] = next(value for value in pool if _bare(value) == wanted)
            bare = wanted
        if not re.match(r"^(?:y|r)?[cp]", parts[letter]):
            prefixed = [value for value in pool if _bare(value) == bare and re.match(r"^(?:y|r)?p", value)]
            if prefixed:
                parts[letter] = prefixed[0]
    if parts == {"T": stage.t, "N": stage.n, "M": stage.m}:
        return stage
    text = " ".join(part for part in parts.values() if part)
    return replace(stage, text=text, t=parts["T"], n=parts["N"], m=parts["M"])


_LINE_CATEGORY = re.compile(
    rf"^[ \t]*(?:[\[(][ \t]?[xX✓✔]?[ \t]?[\])][ \t]*)?\(?(?:(?P<T>{_T})|(?P<N>{_N})"
    rf"|(?P<M>{_M}))\)?[ \t]*(?:\[[IVX]+[ABC]?\][ \t]*)?(?::|-(?![A-Za-z])|\s\((?=[A-Z][a-z]))",
    re.MULTILINE,
)


def _category_lines(text: str, excluded, page_of) -> list[_Found]:
    """Categories that start lines of their own ("pT2a: ...", "pN0: ...", "(pM) Not applicable").

    Lines in a row with one category each (T, then N, then M) are the patient's stage; lines that
    repeat a letter are a checklist's options, and are not.
    """
    runs: list[list[re.Match]] = []
    previous_line_end = -2
    for match in _LINE_CATEGORY.finditer(text):
        line_start = match.start()
        # An option's definition may wrap onto one line of its own before the next option.
        if runs and text.count("\n", previous_line_end, line_start) <= 2 and previous_line_end >= 0:
            runs[-1].append(match)
        else:
            runs.append([match])
        end = text.find("\n", match.end())
        previous_line_end = len(text) if end == -1 else end
    found = []
    for run in runs:
        # "To:" heading a letter is no T0: an OCR swap is read only after a prefix.
        run = [match for match in run if not _ocr_without_prefix(match)]
        if not run:
            continue
        letters = [next(letter for letter in "TNM" if match[letter]) for match in run]
        if len(set(letters)) != len(letters) or "T" not in letters:
            continue
        if any(_excluded(text, match.start(), excluded, options=False) for match in run):
            continue
        parts = {letter: _category(match, letter.lower(), letter) for letter, match in zip(letters, run, strict=False)}
        t, n, m = parts.get("T", ""), parts.get("N", ""), parts.get("M", "")
        stage = TnmStage(text=" ".join(p for p in (t, n, m) if p), t=t, n=n, m=m, evidence="synoptic lines")
        stage = replace(stage, page=page_of(run[0].start()) if page_of else None)
        found.append(_Found(stage, run[0].start(), 6 + bool(n) + bool(m)))
    return found


# A research form's staging lines, filled in by hand: a heading ("Clinical Staging", "Pathological
# Staging", spaced and cut by OCR) on the line or the line above, then the printed "T  N  M  Stage:"
# with what the hand wrote between the letters.
_FORM_HEADING = re.compile(r"(?P<kind>clin|surg|path)[a-z ]{0,14}?s[ ]?ta[ ]?g?[ ]?in", re.IGNORECASE)
_FORM_BODY = re.compile(
    r"(?:(?<![A-Za-z])|(?<=ng))(?P<tp>[pP])?T(?P<t>[^\n]{0,6}?)N(?P<n>[^\n]{0,6}?)(?:M(?P<m>[^\n]{0,6}?))?\s*(?i:stage)"
)
# What OCR makes of a handwritten category: 2 read as Z, 0 as o, 1 as l; a stray tick before it.
_FORM_VALUE = re.compile(r"^\s*['`]?\s*(?P<v>[0-4XxOoZzlI|])(?P<sub>[a-d])?(?![A-Za-z0-9])")
_FORM_DIGIT = {**_DIGIT, "Z": "2", "z": "2", "x": "X"}


def _form_lines(text: str, excluded, page_of) -> tuple[list[_Found], list[Span]]:
    """The pathological stage a form's staging line gives, and the form's other staging lines.

    The clinical and surgical lines of the same form are estimates made before the pathologist's,
    so their spans are returned to be left out.
    """
    found, others = [], []
    for body in _FORM_BODY.finditer(text):
        line_start = text.rfind("\n", 0, body.start()) + 1
        before = text[line_start : body.start()]
        above = _line(text, max(line_start - 2, 0)) if line_start else ""
        heading = _FORM_HEADING.search(before) or (not before.strip() and _FORM_HEADING.search(above))
        if not heading or _excluded(text, body.start(), excluded, options=False):
            continue
        if heading["kind"].lower() != "path":
            end = text.find("\n", body.start())
            others.append(Span(line_start, len(text) if end == -1 else end))
            continue
        parts = {}
        for letter in "TNM":
            value = _FORM_VALUE.match(body[letter.lower()] or "")
            prefix = "p" if letter == "T" and body["tp"] else ""
            parts[letter] = (
                f"{prefix}{letter}{_FORM_DIGIT.get(value['v'], value['v'])}{value['sub'] or ''}" if value else ""
            )
        if not any(parts.values()):
            continue
        t, n, m = parts["T"], parts["N"], parts["M"]
        stage = TnmStage(
            text=" ".join(p for p in (t, n, m) if p), t=t, n=n, m=m, evidence=" ".join(body.group().split())
        )
        found.append(_Found(replace(stage, page=page_of(body.start()) if page_of else None), body.start(), 12))
    return found, others


def _ocr_without_prefix(match: re.Match) -> bool:
    for letter in "tnm":
        value = match.groupdict().get(f"{letter}v")
        if value and value[0] in "OolIi" and not (match[f"{letter}p"] or match[f"{letter}y"]):
            return True
    return False


def _category(match: re.Match, letter: str, capital: str) -> str:
    prefix = "".join(match[f"{letter}{part}"] or "" for part in ("y", "r", "p")).lower()
    value = re.sub(r"\s", "", match[f"{letter}v"])
    if value == "i":
        value = "1"
    if value.lower() in ("x", "is") or value == "a":
        value = {"x": "X", "is": "is", "a": "a"}[value.lower()]
    else:
        value = _DIGIT.get(value[0], value[0]) + value[1:].lower()
        if len(value) > 1 and value[1] in _DIGIT and value[1:] not in ("mi",):
            value = value[0] + _DIGIT[value[1]] + value[2:]
    return f"{prefix}{capital}{value}"


def _stage(t: str, n: str, m: str, text: str, match: re.Match | None) -> TnmStage:
    parts = [part for part in (t, n, m) if part]
    evidence = " ".join(_line(text, match.start()).split()) if match else ""
    return TnmStage(text=" ".join(parts), t=t, n=n, m=m, evidence=evidence[:160])


def _rank(text: str, match: re.Match, t: str, n: str, m: str) -> int:
    line = _line(text, match.start())
    rank = 0
    if _STAGE_WORDS.search(line):
        rank += 4
    if re.search(r"\bpatholog|\bpTNM\b|\bfinal\b|\bsummary\b", line, re.IGNORECASE):
        rank += 2
    if re.search(r"\bclinical|\bc(?:linical)?TNM\b|\bradiolog|\bprior|\bprevious", line, re.IGNORECASE):
        rank -= 3
    if t.startswith(("p", "yp")):
        rank += 2
    elif t.startswith("c"):
        rank -= 1
    rank += bool(n) + bool(m)
    return rank


def _line(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : len(text) if end == -1 else end]


def _excluded(text: str, position: int, excluded, options: bool = True) -> bool:
    if any(span.start <= position < span.end for span in excluded):
        return True
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    if _UNCHECKED.match(line):
        return True
    # A checklist's option is one of several such lines in a row (a definition may wrap onto the next line).
    if options and _OPTION.match(line) and position - line_start < 12:
        neighbours = _neighbour_lines(text, line_start)
        if sum(1 for neighbour in neighbours if _OPTION.match(neighbour)) >= 1:
            return True
    # A row of a table of what each stage group stands for ("IIIA  T3a N0 M0"), among rows like it,
    # is a definition unless a tick marks it: OCR keeps a ticked box no better than an empty one.
    if options and _COMBINATION.search(line) and not _TICKED.match(line):
        neighbours = _neighbour_lines(text, line_start)
        if sum(1 for neighbour in neighbours if _COMBINATION.search(neighbour)) >= 2:
            return True
    around = sentence(text, position, position + 1)
    # "TNM Scheme  FIGO Scheme  Definition": a checklist table's column heads, not a definition.
    words = _COLUMN_HEADS.sub(" ", text[around.start : around.end])
    return bool(
        re.search(
            r"\bpatients with\b|\bstudies\b|\bpredictive accuracy\b|\bdefin(?:ed|ition)\b|\bcriteria\b",
            words,
            re.IGNORECASE,
        )
    )


_ONE_OF_SEVERAL = re.compile(r"\)?[ \t]*OR\b")
# A T, an N and an M together, as a table of stage groups writes them: "T3a N0 M0", "T3b Any N M0", "AnyT AnyN M1".
_COMBINATION = re.compile(
    r"(?<![a-z])(?:Any\s?T|T(?:is|[0-4XOIl])(?:\s?[a-d][\dlI]?)?)\s?/?\s?(?:Any\s?N|N[0-3XOIli][a-c]?)\s?/?\s?M[01OXx][a-c]?\b"
)
_TICKED = re.compile(r"^[ \t]*(?:[\[(][ \t]?[xX✓✔][ \t]?[\])]|[☒☑✓✔])")
_COLUMN_HEADS = re.compile(r"\bScheme\s+Definition\b", re.IGNORECASE)


def _neighbour_lines(text: str, line_start: int) -> list[str]:
    """The two lines above and the two below the line starting at `line_start` (fewer at the text's ends)."""
    lines = []
    end = line_start - 1
    for _ in range(2):
        if end < 0:
            break
        start = text.rfind("\n", 0, end) + 1
        lines.append(text[start:end])
        end = start - 1
    start = text.find("\n", line_start)
    for _ in range(2):
        if start == -1:
            break
        end = text.find("\n", start + 1)
        lines.append(text[start + 1 : len(text) if end == -1 else end])
        start = end
    return lines


def _synoptic(text: str, excluded) -> _Found | None:
    """A TNM from the fields of a synoptic report, each category on a line of its own."""
    parts: dict[str, str] = {}
    first = None
    for field in _FIELD.finditer(text):
        if _excluded(text, field.start(), excluded):
            continue
        label, value = field["label"].lower(), field["value"]
        letter = "T" if "primary" in label or label.startswith("tumo") else "N" if "node" in label else "M"
        if letter in parts:
            continue
        pattern = {"T": _TNM, "N": _N_ALONE, "M": _M_ALONE}[letter]
        token = pattern.search(value)
        if token and token.start() < 25:
            key = letter.lower()
            if letter == "T" and not (token["tp"] or token["ty"] or "(" in field.group()):
                continue
            parts[letter] = _category(token, key, letter)
            first = field.start() if first is None else first
        elif letter == "M" and _NOT_APPLICABLE.match(value):
            parts["M"] = ""
    if not parts.get("T"):
        return None
    stage = TnmStage(
        text=" ".join(part for part in (parts["T"], parts.get("N", ""), parts.get("M", "")) if part),
        t=parts["T"],
        n=parts.get("N", ""),
        m=parts.get("M", ""),
        evidence="synoptic fields",
    )
    return _Found(stage, first or 0, 5 + bool(parts.get("N")) + bool(parts.get("M")))


def _unique(stages: list[TnmStage]) -> list[TnmStage]:
    seen, unique = set(), []
    for stage in stages:
        if stage.text not in seen:
            seen.add(stage.text)
            unique.append(stage)
    return unique


# --- Stage groups ---------------------------------------------------------------------------

_ROMAN_OCR = str.maketrans({"l": "I", "1": "I", "i": "I", "|": "I", "v": "V"})
_GROUP = r"(?P<group>IV|I{1,3}|[Il1i|]{1,3}V?|[1-4]|0)(?P<sub>-?[ABCDabcd](?:\s?[1-3])?)?"
_STAGE_GROUP = re.compile(
    r"(?<![\w-])(?:(?P<system>FIGO|Ann Arbor|Lugano|AJCC|UICC)\s*(?:\(?\d{4}\)?:?\s*)?(?:\d+(?:st|nd|rd"
    r"|th)\s+(?:ed(?:ition)?\.?)?\s*)?"
    r"(?:pathologic(?:al)?\s+)?(?:prognostic\s+)?(?:stage|staging)?\s*(?:group(?:ing)?)?"
    r"|(?:p(?:athologic(?:al)?)?\s?|clinical\s|overall\s|anatomic\s|prognostic\s)?(?:stage|staging)\s*(?:group(?:ing)?)?)"
    rf"\s*(?:\([^()\n]{{0,24}}\)\s*)?[:\-=]?\s*(?:is\s+|of\s+)?{_GROUP}(?:[pr](?=\W|$))?(?![\w/+])",
    re.IGNORECASE,
)


# A checklist's "The final stage of the tumour is:" with the group starting a line below it, after
# the scheme's column heads: "AJCC SCHEME FIGO SCHEME" / "Ib (T1b/N0/M0)", "3c (T3c/N0/M0)".
_FINAL_STAGE_IS = re.compile(
    r"\b(?:final|overall)\b[^\n]{0,40}\bstage\b[^\n]{0,30}\bis(?:\s+at\s+least)?\s*[:;]?[ \t]*\n"
    r"(?:[^\n]*\bSCHEME\b[^\n]*\n)?[ \t]*(?P<group>IV|I{1,3}|[lI|]{1,3}|[1-4])(?P<sub>[ABCabc][1-3]?)?(?=[\s,(])",
    re.IGNORECASE,
)
# A group that OCR spaced out, alone after its label: "FIGO 2009 : I I I C 1".
_SPACED_GROUP = re.compile(
    r"(?<![\w-])(?:FIGO|stage)\b[^\n:]{0,24}:[ \t]*(?P<letters>(?:[IV][ \t]){1,3}(?:[A-D](?:[ \t]?[1-3])?)?)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# A stage named as a kind of disease, not this patient's: "not performed for stage II disease".
_CLASS_OF_DISEASE = re.compile(r"stage\s+\S+\s+(?:disease|tumou?rs|patients|cancers|cases)\b", re.IGNORECASE)
_CLASS_BEFORE = re.compile(r"\b(?:for|in|of|with)\s+$", re.IGNORECASE)
# A FIGO group in brackets after the T category of a synoptic line: "pT2a (IIA): Endocervical ...".
_GROUP_AFTER_T = re.compile(rf"(?<![\w/])(?:{_T})\s?[\[(](?P<group>IV|I{{1,3}})(?P<sub>[ABC][1-3]?)?[\])]")
# Other staging systems, whose numbers are not stage groups.
_OTHER_SYSTEMS = re.compile(r"(?:Dukes?'?s?|Astler[- ]Coll?er|Clark(?:'s)?(?: level)?|modified)\W{0,3}$", re.IGNORECASE)
# A synoptic report whose OCR put the labels in one column and the values below them in another:
# "T STAGE: / N STAGE: / M STAGE: / FIGO STAGE:" then "pT2a / pNO / pMX / I IA", the group spaced out.
_VALUES_THEN_GROUP = re.compile(
    rf"^[ \t]*(?:{_T})[ \t]*\n[ \t]*(?:{_N})[ \t]*\n[ \t]*(?:{_M})[ \t]*\n"
    r"[ \t]*(?P<letters>(?:I[ \t]?){1,3}|I?[ \t]?V)[ \t]?(?P<sub>[A-C](?:[ \t]?[1-3])?)?[ \t]*$",
    re.MULTILINE,
)
_MEASURE_AFTER = re.compile(r"\s*(?:of\b|mm\b|cm\b|%|x\s?\d)", re.IGNORECASE)
_ROMAN_GROUP_NUMBER = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _group_beside_values(match: re.Match) -> str | None:
    """The spaced-out group below a column of T, N and M values, when it is the one their T stands for.

    OCR's spaces leave "I IA" open (IIA, or I and IA): it is read only where the T's number is the
    group's, as FIGO groups a node-negative T, and left unread otherwise.
    """
    group = re.sub(r"[ \t]", "", match["letters"])
    t, n, m = _category(match, "t", "T"), _category(match, "n", "N"), _category(match, "m", "M")
    if group not in _ROMAN_GROUP_NUMBER or _bare(n) not in ("n0", "nx") or _bare(m) == "m1":
        return None
    number = re.match(r"t(\d)", _bare(t))
    if not number or int(number[1]) != _ROMAN_GROUP_NUMBER[group]:
        return None
    return group + re.sub(r"[ \t]", "", match["sub"] or "")


# A form's "T N M Stage:" line, filled in by hand: what OCR makes of the writing is not a stage.
_FORM_LINE = re.compile(r"\bM\b.{0,12}\bStage\s*:", re.IGNORECASE)


def stage_groups(text: str, excluded: list[Span] = ()) -> list[str]:
    """The stage groups the text states, in Roman numerals with their letters: "IIIA", "IC1", "IVB"."""
    groups = []
    for match in _GROUP_AFTER_T.finditer(text):
        if not _excluded(text, match.start(), excluded):
            groups.append((match.start(), match["group"] + (match["sub"] or "")))
    for match in _STAGE_GROUP.finditer(text):
        if _excluded(text, match.start(), excluded) or _excluded(text, match.start("group"), excluded):
            continue
        if _OTHER_SYSTEMS.search(text[max(0, match.start() - 20) : match.start()]):
            continue
        # Under a research form's staging heading the printed letters may carry what the hand wrote
        # after them ("Pathol ogical Sta gingPT Nn Ma Stage :1"): a form's line still.
        line = _line(text, match.start())
        form = _FORM_LINE.search(line) or (_FORM_HEADING.search(line) and _FORM_BODY.search(line))
        if match["group"].isdigit() and form:
            continue
        if _SPACED_GROUP.match(text, match.start()):
            continue  # "FIGO 2009 : I I I C 1": read whole below, not as its first letter
        raw = match["group"]
        system = (match["system"] or "").lower()
        if raw.isdigit():
            if (raw == "0" or not re.search(r"\bstage\b", match.group(), re.IGNORECASE)) and raw != "0":
                continue
            # "FIGO STAGE :4 of 11 mm": another field's value, run onto the label by a column layout.
            if _MEASURE_AFTER.match(text, match.end()):
                continue
            group = {"0": "0", "1": "I", "2": "II", "3": "III", "4": "IV"}[raw]
        else:
            group = raw.translate(_ROMAN_OCR).upper()
            if group not in ("I", "II", "III", "IV"):
                continue
        sub = re.sub(r"[\s-]", "", match["sub"] or "").upper()
        # "Stage I" alone in running text may be a word ("stage is"): it needs a colon, a letter or a system.
        # "stage i" in lower case is a word cut short, not a stage.
        if raw == "i" and not sub and not system and not re.search(r"[:\-=]|group", match.group(), re.IGNORECASE):
            continue
        if system in ("ann arbor", "lugano") and sub not in ("", "A", "B", "E", "S"):
            continue
        groups.append((match.start(), group + sub))
    for match in _FINAL_STAGE_IS.finditer(text):
        raw, sub = match["group"], (match["sub"] or "").upper()
        group = {"1": "I", "2": "II", "3": "III", "4": "IV"}.get(raw) or raw.translate(_ROMAN_OCR).upper()
        if group in ("I", "II", "III", "IV") and not _excluded(text, match.start("group"), excluded):
            groups.append((match.start("group"), group + sub))
    for match in _SPACED_GROUP.finditer(text):
        group = re.sub(r"[ \t]", "", match["letters"])
        if re.fullmatch(r"(?:IV|I{1,3})(?:[A-D][1-3]?)?", group) and not _excluded(text, match.start(), excluded):
            groups.append((match.start(), group))
    for match in _VALUES_THEN_GROUP.finditer(text):
        if (group := _group_beside_values(match)) and not _excluded(text, match.start("letters"), excluded):
            groups.append((match.start("letters"), group))
    groups = [
        (start, group)
        for start, group in groups
        if not (_CLASS_OF_DISEASE.match(text, start) and _CLASS_BEFORE.search(text, max(0, start - 12), start))
    ]
    ordered = list(dict.fromkeys(group for _, group in sorted(groups)))
    if ordered and ordered[0] in ("I", "II", "III", "IV"):
        # "Ann Arbor stage III ... so the stage is IIIB": the same stage, said more exactly.
        finer = [group for group in ordered if re.fullmatch(rf"{ordered[0]}[A-D]\d?", group)]
        if len(finer) == 1:
            ordered = [finer[0], *(group for group in ordered if group != finer[0])]
    return ordered


# --- Grading --------------------------------------------------------------------------------

_GLEASON = re.compile(
    r"\bGleason\b[^\n\d]{0,60}?(?P<a>[1-5])\s*\+\s*(?P<b>[1-5])(?:\s*=\s*(?P<sum>\d{1,2}))?"
    r"|\bGleason\b[^\n\d]{0,40}?(?P<total>[2-9]|10)\s*\(\s*(?P<a2>[1-5])\s*\+\s*(?P<b2>[1-5])\s*\)",
    re.IGNORECASE,
)
_PATTERNS = re.compile(
    r"primary\s+(?:gleason\s+)?(?:pattern|grade)\s*[:=]?\s*(?:grade\s*)?(?P<a>[1-5])\b.{0,80}?"
    r"secondary\s+(?:gleason\s+)?(?:pattern|grade)\s*[:=]?\s*(?:grade\s*)?(?P<b>[1-5])\b",
    re.IGNORECASE | re.DOTALL,
)
_GRADE_GROUP = re.compile(
    r"\b(?:ISUP\s+|WHO\s+|WHO/ISUP\s+)?grade\s+group\s*(?:\(\w+\)\s*)?[:=]?\s*(?P<group>[1-5]|I{1,3}|IV|V)\b",
    re.IGNORECASE,
)
_ISUP = re.compile(
    r"\b(?:WHO\s*/\s*ISUP|ISUP(?:\s*/\s*WHO)?|ISUP nucleolar)\s+(?:nucle(?:ar"
    r"|olar)\s+)?grade\s*[:=]?\s*(?P<grade>[1-4]|I{1,3}|IV)\b"
    r"|\bgrade\s*[:=]?\s*(?P<after>[1-4])\s*\((?:WHO\s*/\s*)?ISUP\)"
    # "Histologic grade (WHO/ISUP): Grade 2", "high grade (ISUP 4)".
    r"|\bgrade\s*\((?:WHO\s*/\s*)?ISUP\)\s*[:=]?\s*(?:grade\s*)?(?P<field>[1-4])\b"
    r"|\(ISUP\s*(?:grade\s*)?(?P<bracket>[1-4])\)",
    re.IGNORECASE,
)
_GRADE = re.compile(
    r"\b(?:(?:Nottingham|histologic(?:al)?|overall|tumou?r|combined|modified Bloom-Richardson|Elston-Ellis"
    r"|FNCLCC|FIGO)\s+)"
    r"(?:histologic(?:al)?\s+)?grade\s*(?:\([^()\n]{0,30}\)\s*)?[:=]?\s*(?:grade\s*)?(?:G\s?)?(?P<grade>[1-4]|I{1,3}|IV)\b(?!\s*[-/]\s*[1-4I])"
    r"|(?<![\w-])G(?P<g>[1-4])\b(?!\s*[-/])(?=[:\s,.;)]|$)"
    r"|(?<!nuclear )(?<!gleason )(?<!isup )(?<!architectural )(?<!budding )(?<!fuhrman )"
    r"\bgrade\s*[:=]?\s*(?P<plain>[1-3])\b(?!\s*[-/+]\s*[1-4])(?!\s*group)",
    re.IGNORECASE,
)
# OCR spaces a decimal point ("6 . 2 mm") and reads a 1 as l ("l . 2 mm").
_BRESLOW = re.compile(
    r"\b(?:Breslow(?:\s+thickness|\s+depth)?|(?:maximum\s+)?tumou?r\s+thickness|maximum\s+thickness)\s*"
    r"(?:\([^()\n]{0,20}\)\s*)?[:=]?\s*(?:of\s+|is\s+)?(?P<mm>[\dlI]\d*(?:\s?\.\s?\d+)?)\s*mm",
    re.IGNORECASE,
)
_ULCERATION = re.compile(
    r"\bulceration\s*(?:is\s+|was\s+)?[:=]?\s*(?P<word>present|identified|absent|not identified|not present|none|no"
    r"|yes)\b"
    r"|\b(?P<neg>no|without)\s+(?:\w+\s+)?ulceration\b"
    # "Breslow 4.7 mm, ulcerated": the word beside the thickness is the melanoma's.
    r"|\bBreslow\b(?:[^\n.;]|\.(?=\d)){0,30}?,\s*(?P<ulcerated>(?:non-?|not\s+)?ulcerated)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
    )
}
_COUNT = r"\d{1,2}|" + "|".join(_NUMBER_WORDS)
_CORES = re.compile(
    rf"\b(?P<involved>{_COUNT})\s*(?:of|/|out of)\s*(?P<total>{_COUNT})\s*(?:\w+\s+)?(?:cores|biopsies|biopsy cores)\b"
    rf"|\b(?:cores|biopsies)\s+(?:involved|positive|with\s+(?:cancer|carcinoma|tumou?r))\s*[:=]?\s*"
    rf"(?P<involved2>{_COUNT})\s*(?:of|/)\s*(?P<total2>{_COUNT})\b"
    rf"|\b(?:positive|involved)\s+cores\s*[:=]?\s*(?P<involved3>{_COUNT})\s*(?:of|/)\s*(?P<total3>{_COUNT})\b",
    re.IGNORECASE,
)
_ROMAN_NUMBER = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}


def _count(written: str) -> int:
    return int(written) if written.isdigit() else _NUMBER_WORDS[written.lower()]


def grading(text: str, excluded: list[Span] = ()) -> dict:
    """The grading keys the text states: gleason, grade_group, grade, isup_grade, breslow_mm, ulceration, cores."""
    found: dict = {}

    def keep(key: str, value, position: int) -> None:
        if key not in found and not _excluded(text, position, excluded):
            found[key] = value

    for match in _GLEASON.finditer(text):
        a, b = (match["a"], match["b"]) if match["a"] else (match["a2"], match["b2"])
        total = match["sum"] or match["total"]
        if total and int(total) != int(a) + int(b):
            continue
        keep("gleason", f"{a}+{b}={int(a) + int(b)}", match.start())
    if "gleason" not in found and (patterns := _PATTERNS.search(text)):
        a, b = patterns["a"], patterns["b"]
        keep("gleason", f"{a}+{b}={int(a) + int(b)}", patterns.start())
    for match in _GRADE_GROUP.finditer(text):
        group = match["group"]
        keep("grade_group", int(group) if group.isdigit() else _ROMAN_NUMBER[group.upper()], match.start())
    for match in _ISUP.finditer(text):
        grade = match["grade"] or match["after"] or match["field"] or match["bracket"]
        keep("isup_grade", int(grade) if grade.isdigit() else _ROMAN_NUMBER[grade.upper()], match.start())
    for match in _GRADE.finditer(text):
        if match["g"] and not re.search(r"grade|differentiat", _line(text, match.start()), re.IGNORECASE):
            continue
        grade = match["grade"] or match["g"] or match["plain"]
        keep("grade", str(grade if grade.isdigit() else _ROMAN_NUMBER[grade.upper()]), match.start())
    for match in _BRESLOW.finditer(text):
        keep("breslow_mm", float(re.sub(r"\s", "", match["mm"]).replace("l", "1").replace("I", "1")), match.start())
    for match in _ULCERATION.finditer(text):
        word = (match["word"] or match["ulcerated"] or "").lower()
        absent = bool(match["neg"]) or word in ("absent", "not identified", "not present", "none", "no")
        absent = absent or word.startswith("no")
        keep("ulceration", "absent" if absent else "present", match.start())
    for match in _CORES.finditer(text):
        involved = _count(match["involved"] or match["involved2"] or match["involved3"])
        total = _count(match["total"] or match["total2"] or match["total3"])
        if involved <= total:
            keep("cores", f"{involved}/{total}", match.start())
    return found
