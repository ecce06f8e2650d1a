"""The words reports use for biomarkers and their results, as patterns the reader matches.

Kept apart from the reading itself (biomarkers.py) so that a new way of writing a result is a
change here only.
"""

import re

# What each mention means, as (name, pattern). Abbreviations are case-sensitive, so that "er"
# is not ER; phrases are not. At one position the first pattern that matches wins.
MENTIONS: list[tuple[str, str]] = [
    # Not the HER2 of an ISH ratio ("HER2/CEP17 ratio 1.4"), which belongs to the ISH result.
    ("HER2", r"(?:HER-?2(?:/neu)?|ERBB2|c-erbB-?2)(?!\s*[/:]\s*CEP)"),
    ("CPS", r"CPS|(?i:combined positive score)"),
    ("TPS", r"TPS|(?i:tumou?r proportion score)"),
    ("PD-L1", r"PD-?L1|(?i:programmed death[- ]ligand[- ]1)"),
    (
        "MSI",
        r"MSI(?:-H|-L|-high|-low)?|MSS"
        r"|(?i:(?:high[- ])?microsatellite (?:instability(?:[- ]high|[- ]low)?|stable|stability))",
    ),
    ("MMR", r"[dp]MMR|MMR|(?i:mismatch repair)"),
    ("MLH1", r"MLH-?1"),
    ("MSH2", r"MSH-?2"),
    ("MSH6", r"MSH-?6"),
    ("PMS2", r"PMS-?2"),
    ("CLDN18.2", r"CLDN-?18\.2|(?i:claudin[- ]?18\.2)"),
    ("FGFR2b", r"FGFR2b|FGFR2 IIIb"),
    ("FGFR2", r"FGFR2"),
    ("EBV", r"EBV|EBER|(?i:epstein[- ]barr(?: virus)?)"),
    ("TMB", r"TMB(?:-H|-L|-high|-low)?|(?i:tumou?r mutational burden)"),
    ("KRAS", r"KRAS"),
    ("NRAS", r"NRAS"),
    ("BRAF", r"BRAF"),
    ("EGFR", r"EGFR"),
    ("ISH", r"[FSC]ISH|DD?ISH|ISH|(?i:in[- ]situ hybridi[sz]ation)"),
    # Markers we do not read, named only so that what is said of them is not taken for another's.
    (
        "other",
        r"ER|PR|PgR|AR|Ki-?67|ALK|ROS-?1|NTRK[1-3]?|MET|RET|PIK3CA|BRCA[12]?|TP53|p53|CK ?7|CK ?20|CDX-?2|HER3|CEA",
    ),
]
MENTION = re.compile(
    "|".join(rf"(?P<m{index}>(?<![\w-])(?:{pattern})(?![\w]))" for index, (_, pattern) in enumerate(MENTIONS))
)
GENES = frozenset({"KRAS", "NRAS", "BRAF", "EGFR"})
MMR_PROTEINS = frozenset({"MLH1", "MSH2", "MSH6", "PMS2"})
# Markers an in-situ hybridisation result can belong to, when it follows them.
ISH_OWNERS = frozenset({"HER2", "EBV", "FGFR2"})

# Mentions that are a result in themselves: what follows them is said of the next marker, as in
# "Mismatch repair deficient (dMMR): loss of MLH1 and PMS2".
SELF_CONTAINED = re.compile(r"[dp]MMR|MSS|MSI-(?:H|L|high|low)|TMB-(?:H|L|high|low)")
# "Loss of MLH1 with positive internal control": the control says nothing of the tumour.
INTERNAL_CONTROL = re.compile(r"\(?\b(?:with\s+)?(?:\w+\s+)?internal\s+(?:\w+\s+)?controls?\b\)?", re.IGNORECASE)

_NUMBER = r"(\d+(?:\.\d+)?)"
COMPARATORS = {
    "<": "<",
    "≤": "<=",
    ">": ">",
    "≥": ">=",
    "less than": "<",
    "below": "<",
    "under": "<",
    "more than": ">",
    "greater than": ">",
    "above": ">",
    "at least": ">=",
}
# A value right after its label: "CPS 8", "CPS: ≥ 1", "(TPS) of 1-49%", "score of 10".
VALUE = re.compile(
    r"^[\s:=()\-]*(?:(?:score|value|of|is|was|=)\s*[:=]?\s*)*"
    r"(?P<comparator><|≤|>|≥|less than|below|under|more than|greater than|above|at least)?\s*"
    rf"{_NUMBER}(?:\s*(?:-|to)\s*{_NUMBER})?\s*(?P<percent>%)?",
    re.IGNORECASE,
)
PERCENT = re.compile(
    r"(?P<comparator><|≤|>|≥|less than|more than|greater than|at least)?\s*" + _NUMBER + r"\s*%", re.IGNORECASE
)
IHC_SCORE = re.compile(r"(?<![\w.+])([0-3])\s?\+(?![\d+])")
IHC_ZERO = re.compile(r"(?:^[\s:=(]*|\b(?:score|IHC)\s*[:=]?\s*)0(?![\d.,%+/])(?!\s*%)", re.IGNORECASE)
RATIO = re.compile(r"\bratio\b\s*(?:of|:|=|is)?\s*" + _NUMBER, re.IGNORECASE)
TMB_UNIT = re.compile(r"^\s*(?:mut(?:ation)?s?|muts)\s*(?:/|per)\s*(?:Mb|megabase)", re.IGNORECASE)
ASSAY = re.compile(r"\b(22C3|28-8|SP263|SP142|73-10|4B5|HercepTest|43-14A|FPR5A|SP174)\b")

AMINO_ACIDS = {
    "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E", "Gly": "G", "His": "H",
    "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F", "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W",
    "Tyr": "Y", "Val": "V", "Ter": "*",
}  # fmt: skip
_ONE_LETTER_CHANGE = r"[ACDEFGHIKLMNPQRSTVWY]\d{1,4}(?:[ACDEFGHIKLMNPQRSTVWY*]|del|ins|dup|fs)"
_THREE_LETTER_CHANGE = r"(?P<from>[A-Z][a-z]{2})(?P<position>\d{1,4})(?P<to>[A-Z][a-z]{2}|\*)"
VARIANT = re.compile(
    rf"(?<![\w.])(?:p\.\s?\(?)?(?:(?P<one>{_ONE_LETTER_CHANGE})|{_THREE_LETTER_CHANGE})\)?(?![\w])"
    r"|\bexon\s?(?P<exon>\d{1,2})\s?(?P<kind>deletion|insertion|del|ins|skipping|mutation)s?\b",
)

# Results in words, per kind of marker: the first kind found, in this order, is the result.
Results = list[tuple[str, re.Pattern]]


def _results(*pairs: tuple[str, str]) -> Results:
    return [(result, re.compile(pattern, re.IGNORECASE)) for result, pattern in pairs]


_NEGATION = r"\b(?:no|not|non|without|negative for|absence of)\b"
_NOT_FOUND = r"\bnot (?:been )?(?:detected|identified|found|seen)\b|\bno evidence of\b"
EXPRESSION_RESULTS = _results(
    ("negative", rf"\bnegative\b|\bnot (?:over)?expressed\b|{_NEGATION}[^.;]*\b(?:over)?expression\b|{_NOT_FOUND}"),
    ("equivocal", r"\bequivocal\b|\bborderline\b"),
    ("low", r"\blow\b"),
    ("positive", r"\bpositive\b|\boverexpress(?:ed|ion)\b|\bdetected\b"),
)
AMPLIFICATION_RESULTS = _results(
    (
        "not amplified",
        rf"\bnot amplified\b|\bnon-?amplified\b|{_NEGATION}[^.;]*\bamplification\b|\bnegative\b|{_NOT_FOUND}",
    ),
    ("amplified", r"\bamplified\b|\bamplification\b|\bpositive\b"),
)
GENE_RESULTS = _results(
    (
        "wild-type",
        rf"\bwild[- ]?type\b|\bWT\b|{_NOT_FOUND}|\bnot mutated\b"
        rf"|{_NEGATION}[^.;]*\b(?:mutations?|variants?|alterations?)\b|\bnegative\b|\bnon-?mutated\b",
    ),
    ("amplified", r"\bamplified\b|\bamplification\b"),
    ("mutated", r"\bmutat|\bmutant\b|\bdetected\b|\bpositive\b|\bvariant\b"),
)
PROTEIN_RESULTS = _results(
    ("retained", r"\bno loss\b|\bnot lost\b"),
    ("loss", r"\bloss\b|\blost\b|\babsent\b|\bdeficient\b|\bnegative\b"),
    ("retained", r"\bretained\b|\bintact\b|\bpreserved\b|\bnormal\b|\bpositive\b|\bpresent\b"),
)
MMR_RESULTS = _results(
    ("dMMR", r"\bdMMR\b|\bdeficien|\bloss\b|\blost\b"),
    ("pMMR", r"\bpMMR\b|\bproficien|\bintact\b|\bretained\b|\bpreserved\b|\bnormal\b"),
)
# The abbreviations first: in "MSS (low TMB)" the "low" is the TMB's.
MSI_RESULTS = _results(
    ("MSI-H", r"\bMSI-H\b|\bMSI-high\b"),
    ("MSS", r"\bMSS\b"),
    ("MSI-L", r"\bMSI-L\b|\bMSI-low\b"),
    ("MSI-H", r"\bhigh\b|\bunstable\b"),
    ("MSS", r"\bstable\b"),
    ("MSI-L", r"\blow\b"),
    ("negative", r"\bnegative\b|\bnot detected\b"),
)
TMB_RESULTS = _results(("high", r"TMB-H\b|\bhigh\b"), ("low", r"TMB-L\b|\blow\b"))
