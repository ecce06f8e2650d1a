"""What a document's text says: biomarkers, stage and dates, ready to store as JSON.

Only what the words state is taken: no value is filled in from a rule of thumb, and a date that
could be read two ways (03/12/2026) is kept as written rather than given a day and month.
"""

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date

from uploads.pipeline.biomarkers import Biomarker, find_biomarkers

# Stored with the findings, so that rows written by an older reader can be told apart.
FINDINGS_VERSION = 1

_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACES = re.compile(r"[^\S\n]+")


def normalize(text: str) -> str:
    """Text as the readers expect it: one kind of dash, space and line break, and ≥ for >=."""
    text = unicodedata.normalize("NFKC", text)
    text = _DASHES.sub("-", text)
    for written, sign in ((">=", "≥"), ("=>", "≥"), ("<=", "≤"), ("=<", "≤")):
        text = text.replace(written, sign)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return _SPACES.sub(" ", text)


@dataclass(frozen=True)
class TnmStage:
    # As written, with single spaces: "pT3 pN1 cM0", "ypT2 N0".
    text: str
    # Each category with its own prefix (c, p, yp...): "pT3", "pN1", "cM0".
    t: str
    n: str = ""
    m: str = ""


@dataclass(frozen=True)
class Findings:
    biomarkers: tuple[Biomarker, ...] = ()
    tnm: tuple[TnmStage, ...] = ()
    # Stage groups as written, in Roman numerals: "IIIA", "IV".
    stage_groups: tuple[str, ...] = ()
    dates: tuple[date, ...] = ()
    # Dates that could be day/month or month/day, as written.
    ambiguous_dates: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """Return the findings as JSON-ready values (dates as ISO strings), for a JSONField."""
        return {
            "version": FINDINGS_VERSION,
            "biomarkers": [asdict(biomarker) for biomarker in self.biomarkers],
            "tnm": [asdict(stage) for stage in self.tnm],
            "stage_groups": list(self.stage_groups),
            "dates": [day.isoformat() for day in self.dates],
            "ambiguous_dates": list(self.ambiguous_dates),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Findings":
        """Read back what `to_dict` returned."""
        return cls(
            biomarkers=tuple(Biomarker(**biomarker) for biomarker in data["biomarkers"]),
            tnm=tuple(TnmStage(**stage) for stage in data["tnm"]),
            stage_groups=tuple(data["stage_groups"]),
            dates=tuple(date.fromisoformat(day) for day in data["dates"]),
            ambiguous_dates=tuple(data["ambiguous_dates"]),
        )


def extract_findings(text: str) -> Findings:
    """Return the biomarkers, TNM stages, stage groups and dates that the text states."""
    text = normalize(text)
    dates, ambiguous = _dates(text)
    return Findings(
        biomarkers=tuple(find_biomarkers(text)),
        tnm=tuple(_unique(_tnm_stages(text))),
        stage_groups=tuple(_unique(_stage_groups(text))),
        dates=tuple(dates),
        ambiguous_dates=tuple(ambiguous),
    )


# --- Stage ----------------------------------------------------------------------------------

_TNM_PREFIX = r"(?:y|r)?[cpau]?"
_TNM = re.compile(
    rf"(?<![\w/])(?P<t>{_TNM_PREFIX}T(?:is|X|[0-4](?:mi|[a-d][1-3]?)?)(?:\((?:m|is|\d+)\))?)"
    rf"(?:[ ,]*(?P<n>{_TNM_PREFIX}N(?:X|[0-3](?:mi|[a-c])?)(?: ?\([^()\n]{{1,12}}\))?))?"
    rf"(?:[ ,]*(?P<m>{_TNM_PREFIX}M(?:X|[01][a-d]?)(?: ?\([^()\n]{{1,6}}\))?))?"
    r"(?![\w/])"
)
_STAGE_GROUP = re.compile(
    r"(?i:\bstage)\s*(?:(?i:group)\s*)?[:\-]?\s*(?P<group>IV|I{1,3}|0|[1-4])(?P<sub>[ABCabc][1-3]?)?(?![\w/])"
)
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def _tnm_stages(text: str) -> list[TnmStage]:
    stages = []
    for match in _TNM.finditer(text):
        t, n, m = match.group("t", "n", "m")
        # A bare "T2" is as likely an MRI sequence ("T2-weighted"): it needs a prefix or an N.
        if t[0] == "T" and not n:
            continue
        parts = [part for part in (t, n, m) if part]
        stages.append(TnmStage(text=" ".join(parts), t=t, n=n or "", m=m or ""))
    return stages


def _stage_groups(text: str) -> list[str]:
    return [
        _ROMAN.get(match["group"], match["group"]) + (match["sub"] or "").upper()
        for match in _STAGE_GROUP.finditer(text)
    ]


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
