"""What seems missing from a patient's records: the key results of their cancer that no document states.

A pure function over plain values, used by the check step (before the patient submits) and by the
case summary (so that the reviewer sees the same list). It says only which results we could not
find, never a value the reader took from a document: the patient is told what to look for, not what
the machine made of their records. A result the patient says was not tested is not asked about, and
a reading marked for a reviewer's eye counts as found (a person will look at it).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

from articles.profiles import CancerProfile, Detail, Marker, marker_key, record_kind_label

# The module, not its function: the summary stores this module's list, so each imports the other.
from uploads.pipeline import summary

# "Not tested" (the diagnosis step's own suggestion), "never tested", "not done", "no test".
_NOT_TESTED = re.compile(r"\bnot (?:been )?(?:tested|done|checked)\b|\bnever (?:been )?tested\b|\bno test\b", re.I)
# Where a detail's finding is read from, when it is not a key of the findings' "grading".
_LIST_FINDINGS = ("stage_groups", "tnm")


@dataclass(frozen=True)
class MissingResult:
    """A key result of the patient's cancer that none of their read documents states."""

    key: str
    # "HER2 result", "Gleason score".
    name: str
    # Why it matters, in one plain sentence from the profile.
    why: str

    @property
    def message(self) -> str:
        """What the patient reads: what we could not find, why it matters, and that they may go on."""
        return (
            f"We could not find your {self.name}. {self.why} "
            "If you have it, add the report; you can still send your request without it."
        )

    def as_dict(self) -> dict:
        return {**asdict(self), "message": self.message}


def said_not_tested(answer: str) -> bool:
    """Whether the patient's answer says the test was not done (as opposed to "I don't know")."""
    return bool(_NOT_TESTED.search(str(answer)))


def missing_results(
    profile: CancerProfile, findings: Iterable[Mapping], answers: Mapping[str, str]
) -> list[MissingResult]:
    """The profile's key markers and details that no document's findings state, in the profile's order.

    `findings` are the read documents' Findings.to_dict() (version 1 or 2); `answers` the patient's
    marker and detail answers by key (older rows by the marker's name).
    """
    findings = list(findings)
    stated = _stated_keys(findings)
    not_tested = {marker_key(key) or key for key, answer in answers.items() if said_not_tested(answer)}
    missing = []
    for result in (*profile.key_markers, *profile.key_details):
        if result.key in not_tested or _is_stated(result, stated, findings):
            continue
        missing.append(MissingResult(key=result.key, name=result.result_name, why=result.why_it_matters))
    return missing


def record_kinds(kinds: Iterable[str]) -> list[str]:
    """The kinds of record the patient has given us, in their words, each once, in the order given."""
    return list(dict.fromkeys(label for kind in kinds if (label := record_kind_label(kind))))


def _stated_keys(findings: list[Mapping]) -> set[str]:
    # Biomarkers, and blood tests (version 2 reads PSA and CA-125 under "labs"), by their marker key.
    return {
        summary.reading_key(reading)
        for finding in findings
        for reading in (*finding.get("biomarkers", ()), *finding.get("labs", ()))
    }


def _is_stated(result: Marker | Detail, stated: set[str], findings: list[Mapping]) -> bool:
    if isinstance(result, Marker):
        return result.key in stated or any(key in stated for key in result.stated_by)
    where = result.finding or result.key
    if where in _LIST_FINDINGS:
        return any(finding.get(where) for finding in findings)
    return any((finding.get("grading") or {}).get(where) not in (None, "") for finding in findings)
