"""Cancer profiles: for each cancer type we support, what guides its treatment and where it is written.

Pure data, in one place. The intake form asks a profile's markers and stage questions, the records
reader reads every marker named here, and the case summary compares the two under the same keys.
Marker keys are the canonical keys of bench/findings_corpus/README.md; a CancerType points at a
profile by its slug (CancerType.profile), and a type without one gets the generic profile.
"""

import re
from dataclasses import dataclass, replace
from enum import StrEnum


class Reported(StrEnum):
    """How a report gives a marker's result."""

    STATUS = "status"  # in words: positive, negative, retained, loss, deficient...
    IHC_SCORE = "ihc_score"  # 0, 1+, 2+ or 3+
    PERCENT = "percent"  # percent of cells, or a score such as CPS, TPS, Allred, H-score
    NUMBER = "number"  # a number with a unit: PSA 8.4 ng/mL, TMB 12 mut/Mb
    VARIANT = "variant"  # a named variant or fusion: G12C, exon 19 deletion, EML4-ALK


class RecordKind(StrEnum):
    """The kinds of record that usually hold a profile's results (DocumentKind values where one exists)."""

    PATHOLOGY = "pathology_report"
    MOLECULAR = "molecular_report"
    LETTER = "clinic_letter"
    LABS = "lab_results"
    IMAGING = "imaging_report"


RECORD_KIND_LABELS = {
    RecordKind.PATHOLOGY: "pathology report (biopsy or operation)",
    RecordKind.MOLECULAR: "molecular or genetic test report",
    RecordKind.LETTER: "clinic letter",
    RecordKind.LABS: "blood test results",
    RecordKind.IMAGING: "scan report",
}
# What the patient reads for a kind of record no profile lists ("other" from the classifier).
OTHER_RECORD_LABEL = "other document"


def record_kind_label(kind: str) -> str:
    """The patient's words for a document kind (uploads.pipeline.classify), "" for one not read yet."""
    if not kind or kind == "unknown":
        return ""
    try:
        return RECORD_KIND_LABELS[RecordKind(kind)]
    except ValueError:
        return OTHER_RECORD_LABEL


@dataclass(frozen=True)
class Marker:
    """A result that guides treatment, as the patient is asked it and the records are read for it."""

    key: str
    # What the patient reads: "HER2", "Oestrogen receptor (ER)".
    label: str
    reported: tuple[Reported, ...]
    # The usual results, offered as suggestions; the patient may write anything.
    suggestions: tuple[str, ...] = ()
    # Where the result is found on a report, for the patient.
    hint: str = ""
    # Asked about by the "what is missing" check when the records do not give it.
    key_result: bool = False
    # One plain sentence: why the result matters for this cancer.
    why_it_matters: str = ""
    # The unit a number is given in (PSA: ng/mL).
    unit: str = ""
    # Other markers whose result states this one too: the four MMR proteins give the MMR status.
    stated_by: tuple[str, ...] = ()

    @property
    def result_name(self) -> str:
        """What the "what is missing" check calls it: "your HER2 result"."""
        return f"{self.label} result"


@dataclass(frozen=True)
class Detail:
    """A stage, grade or other answer about the diagnosis, beyond the stage number."""

    key: str
    label: str
    suggestions: tuple[str, ...] = ()
    hint: str = ""
    # Where the records' findings say it: "stage_groups", "tnm", or a key of "grading".
    finding: str = ""
    key_result: bool = False
    why_it_matters: str = ""
    # What the "what is missing" check calls it, when the label does not read well there.
    plain_name: str = ""

    @property
    def result_name(self) -> str:
        return self.plain_name or self.label


@dataclass(frozen=True)
class StagingSystem:
    slug: str
    name: str
    details: tuple[Detail, ...]


@dataclass(frozen=True)
class CancerProfile:
    slug: str
    name: str
    markers: tuple[Marker, ...]
    staging: tuple[StagingSystem, ...]
    records: tuple[RecordKind, ...]
    # Answers about the diagnosis that are not staging (the side of the bowel).
    extra_details: tuple[Detail, ...] = ()
    # How the stage question is put for this cancer.
    stage_label: str = "Stage, if you know it"

    @property
    def key_markers(self) -> tuple[Marker, ...]:
        """The markers the "what is missing" check asks about, in order."""
        return tuple(marker for marker in self.markers if marker.key_result)

    @property
    def details(self) -> tuple[Detail, ...]:
        """Every stage, grade and other question this profile asks, staging systems first."""
        seen: dict[str, Detail] = {}
        for detail in (*(d for system in self.staging for d in system.details), *self.extra_details):
            seen.setdefault(detail.key, detail)
        return tuple(seen.values())

    @property
    def key_details(self) -> tuple[Detail, ...]:
        return tuple(detail for detail in self.details if detail.key_result)

    @property
    def record_labels(self) -> tuple[str, ...]:
        return tuple(RECORD_KIND_LABELS[kind] for kind in self.records)

    def marker(self, key: str) -> Marker | None:
        return next((marker for marker in self.markers if marker.key == key), None)


# --- Every marker we know, with what is true of it in any cancer ----------------------------

_STATUS = (Reported.STATUS,)
_GENE = (Reported.STATUS, Reported.VARIANT)
_FUSION = (Reported.STATUS, Reported.VARIANT)
_GENE_SUGGESTIONS = ("Mutation found", "No mutation found (wild-type)")
_FUSION_SUGGESTIONS = ("Fusion found (rearranged)", "No fusion found")
_PATHOLOGY_HINT = "On the pathology report of your biopsy or operation"
_MOLECULAR_HINT = "On a molecular or genetic (NGS) test report, in the list of genes tested"
_MMR_PROTEIN = (
    "Retained (intact, present)",
    "Lost (absent)",
)


def _gene(key: str, label: str, suggestions: tuple[str, ...] = _GENE_SUGGESTIONS) -> Marker:
    return Marker(key, label, _GENE, suggestions, f"{_MOLECULAR_HINT}.")


def _fusion(key: str, label: str) -> Marker:
    return Marker(key, label, _FUSION, _FUSION_SUGGESTIONS, f"{_MOLECULAR_HINT}, or as FISH or IHC on pathology.")


MARKERS: dict[str, Marker] = {
    marker.key: marker
    for marker in (
        Marker(
            "er",
            "Oestrogen receptor (ER)",
            (Reported.STATUS, Reported.PERCENT),
            ("Positive", "Positive, 90%", "Low positive (1-10%)", "Negative", "Allred 8/8"),
            f"{_PATHOLOGY_HINT}, under receptor status: a percentage, an Allred score (out of 8) or an H-score.",
        ),
        Marker(
            "pr",
            "Progesterone receptor (PR)",
            (Reported.STATUS, Reported.PERCENT),
            ("Positive", "Positive, 50%", "Low positive (1-10%)", "Negative", "Allred 6/8"),
            f"{_PATHOLOGY_HINT}, next to ER: a percentage, an Allred score or an H-score.",
        ),
        Marker(
            "her2",
            "HER2",
            (Reported.STATUS, Reported.IHC_SCORE),
            ("Positive (3+)", "2+ and ISH/FISH positive", "2+ and ISH/FISH negative", "Negative (0 or 1+)"),
            f"{_PATHOLOGY_HINT}: a score from 0 to 3+ (IHC), and sometimes an ISH or FISH result.",
        ),
        Marker(
            "her2_mutation",
            "HER2 (ERBB2) mutation",
            _GENE,
            _GENE_SUGGESTIONS,
            f"{_MOLECULAR_HINT}, as HER2 or ERBB2.",
        ),
        Marker(
            "ki67",
            "Ki-67",
            (Reported.PERCENT,),
            ("Under 10%", "10 to 20%", "Over 20%"),
            f"{_PATHOLOGY_HINT}: a percentage of cells dividing.",
        ),
        Marker(
            "pd_l1",
            "PD-L1",
            (Reported.STATUS, Reported.PERCENT),
            ("Negative", "Positive"),
            f"{_PATHOLOGY_HINT}, as a CPS or TPS score.",
        ),
        Marker(
            "msi_mmr",
            "MSI / MMR",
            _STATUS,
            ("MSI-high / dMMR (mismatch repair deficient)", "MSS / pMMR (mismatch repair proficient)"),
            f"{_PATHOLOGY_HINT}, as mismatch repair (MMR) proteins, or on a molecular report as MSI.",
            stated_by=("mlh1", "msh2", "msh6", "pms2"),
        ),
        Marker("mlh1", "MLH1", _STATUS, _MMR_PROTEIN, f"{_PATHOLOGY_HINT}, with the other MMR proteins."),
        Marker("msh2", "MSH2", _STATUS, _MMR_PROTEIN, f"{_PATHOLOGY_HINT}, with the other MMR proteins."),
        Marker("msh6", "MSH6", _STATUS, _MMR_PROTEIN, f"{_PATHOLOGY_HINT}, with the other MMR proteins."),
        Marker("pms2", "PMS2", _STATUS, _MMR_PROTEIN, f"{_PATHOLOGY_HINT}, with the other MMR proteins."),
        Marker(
            "cldn18_2",
            "Claudin 18.2 (CLDN18.2)",
            (Reported.STATUS, Reported.PERCENT),
            ("Positive (75% or more of cells)", "Negative"),
            f"{_PATHOLOGY_HINT}, as CLDN18.2 or Claudin 18.2, with a percentage of cells.",
        ),
        Marker(
            "fgfr2b",
            "FGFR2b",
            (Reported.STATUS, Reported.PERCENT),
            ("Positive", "Negative"),
            f"{_PATHOLOGY_HINT}, as FGFR2b by IHC.",
        ),
        Marker(
            "ebv", "EBV (Epstein-Barr virus)", _STATUS, ("Positive", "Negative"), f"{_PATHOLOGY_HINT}, as EBV or EBER."
        ),
        Marker("cd20", "CD20", _STATUS, ("Positive", "Negative"), f"{_PATHOLOGY_HINT}, in the list of stains."),
        Marker("p53", "p53", _STATUS, ("Wild-type (normal)", "Aberrant (abnormal)"), f"{_PATHOLOGY_HINT}, as a stain."),
        _gene("egfr", "EGFR"),
        _gene("kras", "KRAS"),
        _gene("nras", "NRAS"),
        _gene("braf", "BRAF"),
        _gene("met", "MET"),
        _gene("pik3ca", "PIK3CA"),
        _gene("brca1", "BRCA1"),
        _gene("brca2", "BRCA2"),
        _gene("palb2", "PALB2"),
        _gene("atm", "ATM"),
        _gene("chek2", "CHEK2"),
        _gene("pole", "POLE"),
        _gene("kit", "KIT (CD117)"),
        _gene("fgfr3", "FGFR3", ("Alteration found", "No alteration found")),
        _gene("idh1", "IDH1"),
        _gene("tp53", "TP53 gene"),
        _fusion("alk", "ALK"),
        _fusion("ros1", "ROS1"),
        _fusion("ret", "RET"),
        _fusion("ntrk", "NTRK"),
        _fusion("myc", "MYC rearrangement"),
        Marker(
            "bcl2",
            "BCL2",
            _FUSION,
            ("Rearranged", "Not rearranged", "Positive (IHC)", "Negative (IHC)"),
            _PATHOLOGY_HINT + ".",
        ),
        _fusion("bcl6", "BCL6 rearrangement"),
        Marker(
            "tmb",
            "Tumour mutational burden (TMB)",
            (Reported.STATUS, Reported.NUMBER),
            ("High (10 or more mut/Mb)", "Low"),
            f"{_MOLECULAR_HINT}, as mutations per megabase (mut/Mb).",
            unit="mut/Mb",
        ),
        Marker(
            "hrd",
            "HRD (homologous recombination deficiency)",
            (Reported.STATUS, Reported.NUMBER),
            ("Positive (HRD)", "Negative"),
            f"{_MOLECULAR_HINT}, as HRD status or a genomic instability score.",
        ),
        Marker(
            "oncotype_dx",
            "Oncotype DX recurrence score",
            (Reported.NUMBER,),
            ("0 to 10", "11 to 25", "26 or more"),
            "On a separate Oncotype DX report, as a recurrence score from 0 to 100.",
        ),
        Marker(
            "mammaprint",
            "MammaPrint",
            _STATUS,
            ("Low risk", "High risk"),
            "On a separate MammaPrint report, as low or high risk.",
        ),
        Marker(
            "cell_of_origin",
            "Cell of origin",
            _STATUS,
            ("GCB (germinal centre)", "Non-GCB (ABC)"),
            f"{_PATHOLOGY_HINT}, as GCB or non-GCB (ABC), often from the Hans algorithm.",
        ),
        Marker(
            "psa",
            "PSA",
            (Reported.NUMBER,),
            ("Under 10 ng/mL", "10 to 20 ng/mL", "Over 20 ng/mL"),
            "On blood test results or a clinic letter, in ng/mL (the level at diagnosis).",
            unit="ng/mL",
        ),
        Marker(
            "ca125",
            "CA-125",
            (Reported.NUMBER,),
            ("Under 35 U/mL", "35 U/mL or more"),
            "On blood test results or a clinic letter, in U/mL.",
            unit="U/mL",
        ),
    )
}


def _marker(key: str, *, key_result: bool = False, why: str = "", **changes) -> Marker:
    """The catalogue's marker, as this profile asks it."""
    return replace(MARKERS[key], key_result=key_result, why_it_matters=why, **changes)


# --- Staging -------------------------------------------------------------------------------

_GROUPS = ("I", "IA", "IB", "II", "IIA", "IIB", "III", "IIIA", "IIIB", "IIIC", "IV", "IVA", "IVB")
TNM = StagingSystem(
    "tnm",
    "TNM and stage group",
    (
        Detail(
            "stage_group",
            "Stage group",
            _GROUPS,
            "On the pathology report or a clinic letter, as a Roman numeral: IIIA, IV.",
            finding="stage_groups",
        ),
        Detail(
            "tnm",
            "TNM",
            ("pT2 N1 M0", "T3 N0 M0"),
            "Letters and numbers such as pT2 N1 M0, often near the end of the pathology report.",
            finding="tnm",
        ),
    ),
)
FIGO = StagingSystem(
    "figo",
    "FIGO stage",
    (
        Detail(
            "figo_stage",
            "FIGO stage",
            ("IA", "IB", "II", "IIIA", "IIIB", "IIIC", "IVA", "IVB"),
            "On the pathology report or a clinic letter, as FIGO stage IIIC or similar.",
            finding="stage_groups",
        ),
    ),
)
GLEASON = StagingSystem(
    "gleason",
    "Gleason score, grade group and PSA",
    (
        Detail(
            "gleason",
            "Gleason score",
            ("3+3=6", "3+4=7", "4+3=7", "4+4=8", "4+5=9", "5+5=10"),
            "On the biopsy's pathology report, as two numbers added: 3+4=7.",
            finding="gleason",
            key_result=True,
            why_it_matters="It shows how fast the cancer is likely to grow, and guides whether to treat or watch.",
        ),
        Detail(
            "grade_group",
            "Grade group",
            ("1", "2", "3", "4", "5"),
            "Next to the Gleason score, as grade group 1 to 5 (ISUP grade).",
            finding="grade_group",
        ),
        Detail(
            "cores",
            "Biopsy cores with cancer",
            ("1 of 12", "3 of 12", "6 of 12"),
            "On the biopsy's pathology report: how many of the samples held cancer.",
            finding="cores",
        ),
    ),
)
ANN_ARBOR = StagingSystem(
    "ann_arbor",
    "Ann Arbor or Lugano stage",
    (
        Detail(
            "ann_arbor_stage",
            "Ann Arbor or Lugano stage",
            ("I", "II", "IIE", "III", "IV", "IIA", "IIIB", "IVB"),
            "In a clinic letter or scan report, as a Roman numeral, sometimes with A, B or E.",
            finding="stage_groups",
        ),
    ),
)
BRESLOW = StagingSystem(
    "breslow",
    "Breslow thickness and ulceration",
    (
        Detail(
            "breslow_mm",
            "Breslow thickness (mm)",
            ("0.8", "1.2", "2.5", "4.5"),
            "On the pathology report of the removed melanoma, in millimetres.",
            finding="breslow_mm",
            key_result=True,
            plain_name="Breslow thickness",
            why_it_matters="The thickness sets the stage of a melanoma and guides further tests and treatment.",
        ),
        Detail(
            "ulceration",
            "Ulceration",
            ("Present", "Absent"),
            "On the pathology report, next to the Breslow thickness.",
            finding="ulceration",
        ),
    ),
)
BREAST_GRADE = StagingSystem(
    "grade",
    "Grade",
    (
        Detail(
            "grade",
            "Grade",
            ("1", "2", "3"),
            "On the pathology report, as grade 1, 2 or 3 (Nottingham or Elston-Ellis).",
            finding="grade",
        ),
    ),
)
ISUP = StagingSystem(
    "isup",
    "Histology and ISUP grade",
    (
        Detail(
            "histology",
            "Type of kidney cancer",
            ("Clear cell", "Papillary", "Chromophobe"),
            "At the top of the pathology report, in the diagnosis.",
        ),
        Detail(
            "isup_grade",
            "ISUP grade",
            ("1", "2", "3", "4"),
            "On the pathology report, as ISUP or Fuhrman grade 1 to 4.",
            finding="isup_grade",
        ),
    ),
)
STAGING_SYSTEMS = {system.slug: system for system in (TNM, FIGO, GLEASON, ANN_ARBOR, BRESLOW, BREAST_GRADE, ISUP)}

_STANDARD_RECORDS = (RecordKind.PATHOLOGY, RecordKind.LETTER, RecordKind.IMAGING)
_WITH_MOLECULAR = (RecordKind.PATHOLOGY, RecordKind.MOLECULAR, RecordKind.LETTER, RecordKind.IMAGING)

# --- The profiles --------------------------------------------------------------------------

PROFILES: dict[str, CancerProfile] = {
    profile.slug: profile
    for profile in (
        CancerProfile(
            "breast",
            "Breast cancer",
            (
                _marker("er", key_result=True, why="It decides whether hormone treatment can help in breast cancer."),
                _marker("pr", key_result=True, why="With ER, it guides hormone treatment in breast cancer."),
                _marker(
                    "her2",
                    key_result=True,
                    why="It decides whether HER2-targeted drugs can be part of treatment for breast cancer.",
                    suggestions=(
                        "Positive (3+)",
                        "2+ and ISH/FISH positive (amplified)",
                        "2+ and ISH/FISH negative (HER2-low)",
                        "1+ (HER2-low)",
                        "0 (negative)",
                    ),
                ),
                _marker(
                    "ki67",
                    key_result=True,
                    why="It shows how fast the cancer cells divide, which guides chemotherapy choices.",
                ),
                _marker("oncotype_dx"),
                _marker("mammaprint"),
                _marker("brca1"),
                _marker("brca2"),
                _marker("pik3ca"),
                _marker("pd_l1", suggestions=("CPS under 10", "CPS 10 or more", "Negative")),
            ),
            (TNM, BREAST_GRADE),
            (RecordKind.PATHOLOGY, RecordKind.MOLECULAR, RecordKind.LETTER, RecordKind.IMAGING),
        ),
        CancerProfile(
            "lung",
            "Lung cancer (non-small cell)",
            (
                _marker(
                    "egfr",
                    key_result=True,
                    why="An EGFR mutation means targeted tablets may work better than chemotherapy in lung cancer.",
                    suggestions=(
                        "Exon 19 deletion",
                        "L858R",
                        "T790M",
                        "Exon 20 insertion",
                        "No mutation found (wild-type)",
                    ),
                ),
                _marker(
                    "alk",
                    key_result=True,
                    why="An ALK fusion means targeted tablets can be the first treatment for lung cancer.",
                ),
                _marker(
                    "ros1", key_result=True, why="A ROS1 fusion means targeted tablets may be offered for lung cancer."
                ),
                _marker(
                    "kras",
                    key_result=True,
                    why="KRAS G12C can be treated with a targeted drug in lung cancer.",
                    suggestions=("G12C", "Another KRAS mutation", "No mutation found (wild-type)"),
                ),
                _marker(
                    "braf",
                    key_result=True,
                    why="BRAF V600E can be treated with targeted drugs in lung cancer.",
                    suggestions=("V600E", "Another BRAF mutation", "No mutation found (wild-type)"),
                ),
                _marker("met", suggestions=("Exon 14 skipping", "Amplified", "No alteration found")),
                _marker("ret"),
                _marker("ntrk"),
                _marker("her2_mutation"),
                _marker(
                    "pd_l1",
                    key_result=True,
                    why="It helps decide whether immunotherapy is offered for lung cancer.",
                    suggestions=("TPS under 1%", "TPS 1 to 49%", "TPS 50% or more"),
                    hint=f"{_PATHOLOGY_HINT}, as a TPS (tumour proportion score) percentage.",
                ),
            ),
            (TNM,),
            _WITH_MOLECULAR,
        ),
        CancerProfile(
            "bowel",
            "Bowel cancer",
            (
                _marker(
                    "msi_mmr",
                    key_result=True,
                    why="It shows whether immunotherapy may work, and whether to test for an inherited cause.",
                ),
                _marker("mlh1"),
                _marker("msh2"),
                _marker("msh6"),
                _marker("pms2"),
                _marker(
                    "kras",
                    key_result=True,
                    why="It decides whether antibody drugs such as cetuximab can help in bowel cancer.",
                ),
                _marker(
                    "nras", key_result=True, why="With KRAS, it decides whether cetuximab or panitumumab can help."
                ),
                _marker(
                    "braf",
                    key_result=True,
                    why="BRAF V600E changes which drugs are offered for bowel cancer.",
                    suggestions=("V600E", "No mutation found (wild-type)"),
                ),
                _marker("her2"),
            ),
            (TNM,),
            _WITH_MOLECULAR,
            extra_details=(
                Detail(
                    "tumour_side",
                    "Side of the bowel",
                    ("Right side (caecum, ascending colon)", "Left side (descending or sigmoid colon)", "Rectum"),
                    "In the pathology report's specimen description or a clinic letter.",
                ),
            ),
        ),
        CancerProfile(
            "stomach",
            "Stomach and oesophageal cancer",
            (
                _marker(
                    "her2",
                    key_result=True,
                    why="It matters for treatment choices in stomach cancer.",
                    hint=f"{_PATHOLOGY_HINT}: a score from 0 to 3+ (IHC), and sometimes an ISH result.",
                ),
                _marker(
                    "pd_l1",
                    key_result=True,
                    why="It helps decide whether immunotherapy is added to chemotherapy.",
                    suggestions=("CPS under 1", "CPS 1 to 4", "CPS 5 to 9", "CPS 10 or more"),
                    hint=f"{_PATHOLOGY_HINT}, as a CPS (combined positive score).",
                ),
                _marker(
                    "msi_mmr",
                    key_result=True,
                    why="It shows whether immunotherapy may work well, and can change the plan for surgery.",
                ),
                _marker(
                    "cldn18_2",
                    key_result=True,
                    why="A positive result means zolbetuximab may be added to chemotherapy.",
                ),
                _marker("fgfr2b"),
                _marker("ebv"),
            ),
            (TNM,),
            _STANDARD_RECORDS,
        ),
        CancerProfile(
            "prostate",
            "Prostate cancer",
            (
                _marker(
                    "psa",
                    key_result=True,
                    why="With the Gleason score, it sets the risk group that guides treatment of prostate cancer.",
                ),
                _marker("brca1"),
                _marker("brca2"),
                _marker("atm"),
                _marker("chek2"),
                _marker("palb2"),
            ),
            (GLEASON, TNM),
            (RecordKind.PATHOLOGY, RecordKind.LABS, RecordKind.LETTER, RecordKind.MOLECULAR, RecordKind.IMAGING),
        ),
        CancerProfile(
            "pancreas",
            "Pancreatic cancer",
            (
                _marker("brca1", key_result=True, why="A BRCA change can open treatment with a PARP inhibitor."),
                _marker("brca2", key_result=True, why="A BRCA change can open treatment with a PARP inhibitor."),
                _marker("palb2"),
                _marker("kras"),
                _marker(
                    "msi_mmr",
                    key_result=True,
                    why="A deficient result means immunotherapy may work for pancreatic cancer.",
                ),
                _marker("ntrk"),
            ),
            (TNM,),
            _WITH_MOLECULAR,
        ),
        CancerProfile(
            "ovary",
            "Ovarian cancer",
            (
                _marker("brca1", key_result=True, why="A BRCA change means PARP inhibitor tablets may help."),
                _marker("brca2", key_result=True, why="A BRCA change means PARP inhibitor tablets may help."),
                _marker("hrd", key_result=True, why="A positive HRD result can open PARP inhibitor treatment."),
                _marker("ca125"),
            ),
            (FIGO,),
            (RecordKind.PATHOLOGY, RecordKind.MOLECULAR, RecordKind.LABS, RecordKind.LETTER, RecordKind.IMAGING),
            stage_label="Stage (FIGO stage 1 to 4), if you know it",
        ),
        CancerProfile(
            "womb",
            "Womb (endometrial) cancer",
            (
                _marker(
                    "msi_mmr",
                    key_result=True,
                    why="It guides immunotherapy and whether to test for Lynch syndrome.",
                ),
                _marker(
                    "p53", key_result=True, why="An aberrant p53 changes the treatment usually offered after surgery."
                ),
                _marker(
                    "pole", key_result=True, why="A POLE mutation can mean less treatment is needed after surgery."
                ),
            ),
            (FIGO,),
            _WITH_MOLECULAR,
            stage_label="Stage (FIGO stage 1 to 4), if you know it",
        ),
        CancerProfile(
            "melanoma",
            "Melanoma",
            (
                _marker(
                    "braf",
                    key_result=True,
                    why="A BRAF mutation means targeted tablets can be offered for melanoma.",
                    suggestions=("V600E", "V600K", "No mutation found (wild-type)"),
                ),
                _marker("nras"),
                _marker("kit"),
            ),
            (BRESLOW, TNM),
            _WITH_MOLECULAR,
        ),
        CancerProfile(
            "bladder",
            "Bladder cancer",
            (
                _marker("fgfr3", key_result=True, why="An FGFR3 change can open treatment with erdafitinib."),
                _marker("pd_l1"),
            ),
            (TNM,),
            _WITH_MOLECULAR,
        ),
        CancerProfile(
            "kidney",
            "Kidney cancer",
            (),
            (ISUP, TNM),
            _STANDARD_RECORDS,
        ),
        CancerProfile(
            "lymphoma",
            "Diffuse large B-cell lymphoma",
            (
                _marker("cd20", key_result=True, why="CD20 shows whether rituximab can be part of treatment."),
                _marker("cell_of_origin"),
                _marker("myc"),
                _marker("bcl2"),
                _marker("bcl6"),
            ),
            (ANN_ARBOR,),
            (RecordKind.PATHOLOGY, RecordKind.IMAGING, RecordKind.LETTER),
            stage_label="Stage (Ann Arbor or Lugano, 1 to 4), if you know it",
        ),
        # Any other cancer: the stage, and whatever marker the records state.
        CancerProfile("generic", "Other cancer", (), (TNM,), _STANDARD_RECORDS),
    )
}

GENERIC = PROFILES["generic"]
PROFILE_CHOICES = [(profile.slug, profile.name) for profile in PROFILES.values()]


def profile_for(slug: str | None) -> CancerProfile:
    """The profile with this slug, or the generic profile."""
    return PROFILES.get(slug or "", GENERIC)


def marker_label(key: str) -> str:
    """What a reviewer or patient reads for a marker key; an unknown key is shown as written."""
    marker = MARKERS.get(key)
    return marker.label if marker else key


DETAILS: dict[str, Detail] = {detail.key: detail for profile in PROFILES.values() for detail in profile.details}


def detail_label(key: str) -> str:
    """What a reviewer or patient reads for a stage or grade answer's key."""
    detail = DETAILS.get(key)
    return detail.label if detail else key.replace("_", " ").capitalize()


# --- The names reports and older answers give a marker, to its key --------------------------

_ALIASES = {
    "her2": ("HER2", "HER2NEU", "ERBB2", "CERBB2", "HER2IHC", "HER2ISH", "HER2FISH"),
    "her2_mutation": ("HER2MUTATION", "ERBB2MUTATION"),
    "er": ("ER", "ESTROGENRECEPTOR", "OESTROGENRECEPTOR", "OESTROGENRECEPTORER", "ESTROGENRECEPTORER"),
    "pr": ("PR", "PGR", "PROGESTERONERECEPTOR", "PROGESTERONERECEPTORPR"),
    "ki67": ("KI67", "MIB1"),
    "pd_l1": ("PDL1", "CPS", "TPS", "PDL1CPS", "PDL1TPS"),
    "msi_mmr": ("MSI", "MSIH", "MSIL", "MSS", "MMR", "DMMR", "PMMR", "MSIMMR", "MISMATCHREPAIR", "MICROSATELLITE"),
    "cldn18_2": ("CLDN182", "CLAUDIN182", "CLAUDIN182CLDN182"),
    "fgfr2b": ("FGFR2B", "FGFR2IIIB"),
    "ebv": ("EBV", "EBER", "EPSTEINBARR", "EPSTEINBARRVIRUS", "EBVEPSTEINBARRVIRUS"),
    "kit": ("KIT", "CKIT", "CD117", "KITCD117"),
    "myc": ("MYC", "CMYC", "MYCREARRANGEMENT"),
    "bcl6": ("BCL6", "BCL6REARRANGEMENT"),
    "alk": ("ALK", "EML4ALK"),
    "ntrk": ("NTRK", "NTRK1", "NTRK2", "NTRK3"),
    "oncotype_dx": ("ONCOTYPE", "ONCOTYPEDX", "RECURRENCESCORE", "ONCOTYPEDXRECURRENCESCORE"),
    "cell_of_origin": ("CELLOFORIGIN", "COO"),
    "tmb": ("TMB", "TMBH", "TMBL", "TUMOURMUTATIONALBURDEN", "TUMORMUTATIONALBURDEN", "TUMOURMUTATIONALBURDENTMB"),
    "hrd": ("HRD", "HRDHOMOLOGOUSRECOMBINATIONDEFICIENCY", "HOMOLOGOUSRECOMBINATIONDEFICIENCY"),
    "tp53": ("TP53", "TP53GENE"),
    "ca125": ("CA125",),
}


def _fold(name: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", name.upper())


ALIASES: dict[str, str] = {
    **{_fold(key): key for key in MARKERS},
    **{_fold(marker.label): marker.key for marker in MARKERS.values()},
    **{alias: key for key, aliases in _ALIASES.items() for alias in aliases},
}


def marker_key(name: str) -> str:
    """The canonical key of a marker's name ("HER-2/neu" is her2, "PD-L1 (CPS)" pd_l1), or "" if unknown."""
    return ALIASES.get(_fold(name), "")
