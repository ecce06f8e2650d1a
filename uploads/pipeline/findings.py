"""What a document's text says: biomarkers, stage and dates, ready to store as JSON.

Only what the words state is taken: no value is filled in from a rule of thumb, and a date that
could be read two ways (03/12/2026) is kept as written rather than given a day and month.
"""

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from itertools import accumulate

from uploads.pipeline.biomarkers import Biomarker, find_biomarkers
from uploads.pipeline.context import is_history, sections
from uploads.pipeline.staging import TnmStage, grading, stage_groups, tnm_stages

# Stored with the findings, so that rows written by an older reader can be told apart.
# Version 2: each biomarker has its canonical key, status, evidence, page and "check"; labs,
# grading and the evidence of each TNM are stored too.
FINDINGS_VERSION = 2


def _one_letter_misread(*names: str) -> tuple[re.Pattern, Callable[[re.Match], str]]:
    """A pattern of the long names with any one of their letters (not the first) misread, and its repair."""
    variants = "|".join(
        f"(?P<n{number}>{'|'.join(f'{name[:i]}[a-z0-9]{name[i + 1 :]}' for i in range(1, len(name)))})"
        for number, name in enumerate(names)
    )

    def repaired(match: re.Match) -> str:
        name, written = names[int(match.lastgroup[1:])], match.group()
        if written.isupper():
            return name.upper()
        return name.capitalize() if written[0].isupper() else name

    initials = "".join(sorted({name[0] for name in names}))
    # The first letter is kept: looking for it first spares the alternatives at every other word.
    return re.compile(rf"\b(?=[{initials}])(?:{variants})\b", re.IGNORECASE), repaired


_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d\u00b7]")
_SPACES = re.compile(r"[^\S\n]+")
_LEADER_DOTS = re.compile(r"[ \t]*\.{2,}[ \t]*")
# OCR swaps inside tokens the reader knows: "MLHI", "MLH-l", "KR.AS", "1HC", "Ki-G7".
_OCR_TOKENS = [
    # A speck read as a quote before a gene or protein, with none after it: "hMLH1, 'hMSH2 and hMSH6".
    (re.compile(r"['`\u2018\u2019](?<=[\s,;(].)(?=h?[A-Z]{2,}\d)(?![A-Za-z0-9]*['`\u2018\u2019])"), ""),
    # One letter misread inside a receptor's long name ("prcgesterone", "estr0gen"): the name still.
    _one_letter_misread("progesterone", "oestrogen", "estrogen"),
    (re.compile(r"\bAl[1l]red\b|\bAll red\b"), "Allred"),
    (re.compile(r"\b(MLH|PMS|MSH)\s?-?\s?[lI|](?![a-z])"), r"\g<1>1"),
    (re.compile(r"\b(h?)MSH[S5G]\b"), r"\g<1>MSH6"),
    (re.compile(r"\bMSH\s?-\s?([26])\b"), r"MSH\1"),
    (re.compile(r"\bPMS\s?-\s?2\b"), "PMS2"),
    # The S of PMS2 read as an 8 or a 5, its 2 as a Z: "PM82", "PMSZ".
    (re.compile(r"\bPM[85]2\b|\bPMSZ\b"), "PMS2"),
    (re.compile(r"\bMLH\s?-\s?1\b"), "MLH1"),
    (re.compile(r"\bK\s?R\s?\.?\s?AS\b|\bK-RAS\b"), "KRAS"),
    (re.compile(r"\bB\s?R\s?\.\s?AF\b"), "BRAF"),
    (re.compile(r"\bN-RAS\b"), "NRAS"),
    (re.compile(r"\bB-RAF\b"), "BRAF"),
    (re.compile(r"\b[1l]HC\b"), "IHC"),
    (re.compile(r"\bPD-?L[lI|]\b"), "PD-L1"),
    (re.compile(r"(?<=[a-z])(?=clone\b)"), " "),
    (re.compile(r"\bBRCA[lI|]\b"), "BRCA1"),
    (re.compile(r"\bMIB-?[lI]\b"), "MIB1"),
    (re.compile(r"\bKi-?G7\b|\bKl-?67\b|\bK[il1]-67\b|\bK[Ii]-?67[1l](?=\s)"), "Ki-67"),
    # "over express", "over-\nexpressed": one word, wherever the line wrapped it.
    (re.compile(r"\b([Oo])ver[- \t]*\n?[ \t]*(express)"), r"\g<1>ver\g<2>"),
    # The slash of "HER-2/c-erbB-2" read as a j or an l.
    (re.compile(r"\b(HER-?2)[jl|](?=c-?erb)"), r"\g<1>/"),
    # "HER·2/neu" with its slash read as a 1: "HER-21neu".
    (re.compile(r"\b(?:HER|Her)\s?-?\s?2\s?[1l|]\s?neu\b"), "HER2/neu"),
    (re.compile(r"\bHER\s?-\s?2\b|\bHer\s?-\s?2\b"), "HER2"),
    (re.compile(r"\bHER2\s?[\[(/]\s?neu\b\)?", re.IGNORECASE), "HER2/neu"),
    (re.compile(r"\bBRCA\s?-\s?([12])\b"), r"BRCA\1"),
    (re.compile(r"\bBRCA\s?1\s?/\s?2\b"), "BRCA1/BRCA2"),
    (re.compile(r"\bIDH[I|l]\b"), "IDH1"),
    # "Bcl-2" as stains are written, and its l read as an I or a 1: "BcI-2", "Bc1-6".
    (re.compile(r"\bB(?:c[lI1|]|C[I1|])\s?-?\s?([26])\b"), r"BCL\g<1>"),
    (re.compile(r"\bR[0O]S-?[1lI|]\b"), "ROS1"),
    (re.compile(r"\bF[I1l|]G[O0]\b"), "FIGO"),
    # A T whose bar OCR split off as two quotes: "p'1'2", "METAS'I'ASIS".
    (re.compile(r"'(?<=[A-Za-z]')[1I]'(?=[A-Za-z0-9])"), "T"),
    (re.compile(r"\b([Mm])icro-?sate[l1I|i]{1,4}te\b"), r"\g<1>icrosatellite"),
    # Digits for letters inside words, and letters for digits inside numbers.
    (re.compile(r"\bn0(?=t?\b)"), "no"),
    (re.compile(r"\b0f\b"), "of"),
    (re.compile(r"0(?<=[a-z]0)(?=[a-z])|0(?<=[a-z]{3}0)\b"), "o"),
    (re.compile(r"0(?<=[A-Z]{2}0)(?=[A-Z])|0(?<=[A-Z]0)(?=[A-Z]{2})"), "O"),
    (re.compile(r"\bN0T\b"), "NOT"),
    (re.compile(r"[l1](?<=[A-Z]{2}[l1])(?=[A-Z]{2})"), "I"),
    (re.compile(r"\bwi[1I]d\b", re.IGNORECASE), "wild"),
    (re.compile(r"1(?<=[a-z]{2}1)(?=[a-z]{2})|1(?<=\b[a-z]{2}1)(?=[a-z]\b)"), "i"),
    # "U1ceration", "c1inical", "Bres1ow": a 1 for the l after a word's first letters.
    (re.compile(r"1(?<=\b[A-Za-z]1)(?=[a-z]{3})|1(?<=\b[A-Z][a-z]{3}1)(?=ow\b)"), "l"),
    # "cel1s", "contro1s": a 1 before a word's last s is the l of "-ls".
    (re.compile(r"1(?<=[a-z]{2}1)(?=s\b)"), "l"),
    (re.compile(r"l(?<![\w.]l)(?=-?\d)|l(?<=[A-Z]l)(?=\d)"), "1"),
    (re.compile(r"(?<=\d)[Oo]+(?=\b|\s*%)"), lambda match: "0" * len(match.group())),
    (re.compile(r"l(?<=[A-Z]\dl)(?=\d)|l(?<=[A-Z]\d\dl)(?=[A-Z]?\b)|l(?<=[A-Z]\dl)(?=[A-Z]\b)"), "1"),
    (re.compile(r"l(?<=\d\.l)\b|l(?<=[<>≤≥=]l)\b|l(?<=[<>≤≥=] l)\b"), "1"),
    (re.compile(r"\bN0(?= (?:LOSS|MUTATION|EVIDENCE|VARIANT|FUSION|AMPLIFICATION)\b)"), "NO"),
    # Letters for digits inside a variant's position: "c.l799T>A", "p.V6OOE".
    (re.compile(r"\b(c\.)[lI|](?=\d)"), r"\g<1>1"),
    (
        re.compile(r"\bp\.[A-Z][\dOolI|]{2,4}(?=[A-Z*]\b)"),
        lambda match: match.group()[:3] + match.group()[3:].translate(str.maketrans("OolI|", "00111")),
    ),
    (re.compile(r"\bEML4\s?[1I|l/:-]\s?ALK\b"), "EML4-ALK"),
]


def normalize(text: str) -> str:
    """Text as the readers expect it: one kind of dash, space and line break, and ≥ for >=."""
    text = unicodedata.normalize("NFKC", text)
    text = _DASHES.sub("-", text)
    for written, sign in ((">=", "≥"), ("=>", "≥"), ("<=", "≤"), ("=<", "≤")):
        text = text.replace(written, sign)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    # Leader dots of a table ("KRAS ........ not detected") are no full stops.
    text = _LEADER_DOTS.sub(" : ", text)
    text = _SPACES.sub(" ", text)
    for pattern, replacement in _OCR_TOKENS:
        text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True)
class Findings:
    biomarkers: tuple[Biomarker, ...] = ()
    # The patient's own TNM (the report's final stage) first.
    tnm: tuple[TnmStage, ...] = ()
    # Stage groups as written, in Roman numerals: "IIIA", "IV".
    stage_groups: tuple[str, ...] = ()
    dates: tuple[date, ...] = ()
    # Dates that could be day/month or month/day, as written.
    ambiguous_dates: tuple[str, ...] = ()
    # Blood tests: PSA, CA-125, each as a Biomarker with its value and unit.
    labs: tuple[Biomarker, ...] = ()
    # gleason "4+3=7", grade_group 3, grade "2", isup_grade 2, breslow_mm 1.2, ulceration, cores "3/12".
    grading: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Return the findings as JSON-ready values (dates as ISO strings), for a JSONField."""
        return {
            "version": FINDINGS_VERSION,
            "biomarkers": [asdict(biomarker) for biomarker in self.biomarkers],
            "labs": [asdict(lab) for lab in self.labs],
            "tnm": [asdict(stage) for stage in self.tnm],
            "stage_groups": list(self.stage_groups),
            "grading": dict(self.grading),
            "dates": [day.isoformat() for day in self.dates],
            "ambiguous_dates": list(self.ambiguous_dates),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Findings":
        """Read back what `to_dict` returned, by this reader or by version 1."""
        return cls(
            biomarkers=tuple(_biomarker(biomarker) for biomarker in data["biomarkers"]),
            tnm=tuple(TnmStage(**stage) for stage in data["tnm"]),
            stage_groups=tuple(data["stage_groups"]),
            dates=tuple(date.fromisoformat(day) for day in data["dates"]),
            ambiguous_dates=tuple(data["ambiguous_dates"]),
            labs=tuple(_biomarker(lab) for lab in data.get("labs", [])),
            grading=dict(data.get("grading", {})),
        )


def _biomarker(stored: dict) -> Biomarker:
    if "key" in stored:
        return Biomarker(**stored)
    # Version 1 had no key: the name says which marker it is.
    from articles.profiles import marker_key

    return Biomarker(key=marker_key(stored["name"]) or stored["name"].lower(), **stored)


def extract_findings(text: str) -> Findings:
    """Return the biomarkers, labs, TNM stages, stage groups, grading and dates that the text states."""
    pages = [normalize(page) for page in text.split("\f")]
    joined = "\n".join(pages)
    # Where each page starts in the joined text, for the page a finding is on (from 1).
    starts = list(accumulate((len(page) + 1 for page in pages[:-1]), initial=0))

    def page_of(position: int) -> int:
        return bisect_right(starts, position)

    found = sections(joined)
    excluded = [span for span, _ in found]
    dates, ambiguous = _dates(joined)
    # A history's PSA or CA-125 is still the patient's blood result: only methods and references hide labs.
    labs_excluded = [span for span, title in found if not is_history(title)]
    read = find_biomarkers(joined, excluded, page_of, labs_excluded=labs_excluded)
    return Findings(
        biomarkers=tuple(biomarker for biomarker in read if biomarker.key not in LAB_KEYS),
        labs=tuple(biomarker for biomarker in read if biomarker.key in LAB_KEYS),
        tnm=tuple(tnm_stages(joined, excluded, page_of)),
        stage_groups=tuple(stage_groups(joined, excluded)),
        grading=grading(joined, excluded),
        dates=tuple(dates),
        ambiguous_dates=tuple(ambiguous),
    )


# Blood tests, kept apart from what the tissue says.
LAB_KEYS = frozenset({"psa", "ca125"})


# --- Dates ----------------------------------------------------------------------------------

_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
# A full stop may end the sentence after a date, but not continue a number ("2026-03-19.5").
_DATE_END = r"(?![\d/-])(?!\.\d)"
_ISO_DATE = re.compile(rf"(?<![\d/.-])(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}}){_DATE_END}")
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?!\w),?\s+(?P<year>\d{{4}})(?!\d)", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b{_MONTH}(?!\w)\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?!\d)", re.IGNORECASE
)
_NUMERIC_DATE = re.compile(
    rf"(?<![\d/.-])(?P<first>\d{{1,2}})(?P<sep>[/.-])(?P<second>\d{{1,2}})(?P=sep)(?P<year>\d{{4}}){_DATE_END}"
)


def _dates(text: str) -> tuple[list[date], list[str]]:
    """The dates in the text in order of appearance, and the numeric ones that are ambiguous."""
    found: list[tuple[int, date]] = []
    ambiguous: list[str] = []
    for pattern in (_ISO_DATE, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            month = match["month"]
            month = int(month) if month.isdigit() else _MONTHS[month[:3].lower()]
            if day := _valid_date(int(match["year"]), month, int(match["day"])):
                found.append((match.start(), day))
    for match in _NUMERIC_DATE.finditer(text):
        first, second, year = int(match["first"]), int(match["second"]), int(match["year"])
        if first == second or second > 12:
            day = _valid_date(year, first, second)  # month/day, or both the same
        elif first > 12:
            day = _valid_date(year, second, first)  # day/month
        else:
            ambiguous.append(match.group())
            continue
        if day:
            found.append((match.start(), day))
    return _unique(day for _, day in sorted(found, key=lambda item: item[0])), _unique(ambiguous)


def _valid_date(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _unique(items) -> list:
    return list(dict.fromkeys(items))
