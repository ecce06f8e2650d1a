"""The words reports use for biomarkers and their results, as patterns the reader matches.

Kept apart from the reading itself (biomarkers.py) so that a new way of writing a result is a
change here only. Every marker key is a canonical key of articles/profiles.py.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Marker:
    key: str
    # How a reviewer reads its name in the table.
    name: str
    # Which reading applies (biomarkers.py): receptor, her2, percent, pd_l1, msi, mmr_protein,
    # stain, p53, gene, fusion, tmb, hrd, score, mammaprint, origin, lab, ish, other.
    family: str
    pattern: str


# The partner genes fusions are named with, first: "EML4-ALK", "IGH/BCL2".
FUSION_PARTNERS = r"EML4|CD74|KIF5B|CCDC6|NCOA4|SLC34A2|EZR|TPM3|ETV6|LMNA|IGH|IGK|IGL|SDC4"
_PARTNER = rf"(?:(?:{FUSION_PARTNERS})[- :/]+)?"

# At one position the first pattern that matches wins, so longer names come first. Abbreviations
# are case-sensitive, so that "er" is not ER; phrases are not.
MARKERS: list[Marker] = [
    # Not the HER2 of an ISH ratio ("HER2/CEP17 ratio 1.4"), which belongs to the ISH result.
    Marker(
        "her2",
        "HER2",
        "her2",
        r"(?:HER-?2(?:\s?[/\[(]?\s?neu\)?)?|Her-?2(?:\s?[/\[(]?\s?neu\)?)?|ERBB2|c-?erb-?B-?2|(?i:her2/neu))(?!\s*[/:]\s*CEP)(?!\s+(?:gene\s+)?(?:copy|copies|signals))",
    ),
    Marker("pd_l1", "PD-L1", "pd_l1", r"PD-?L1|(?i:programmed death[- ]ligand[- ]1)"),
    Marker("pd_l1", "CPS", "cps", r"CPS|(?i:combined\s+positive\s+score)"),
    Marker("pd_l1", "TPS", "tps", r"TPS|(?i:tumou?r\s+proportion\s+score)"),
    Marker("pd_l1", "IC", "ic", r"(?<=PD-L1 )IC|(?i:immune cell score)"),
    Marker("er", "ER", "receptor", r"ER(?:\u03b1|-?alpha)?|(?i:o?estrogen\s+receptors?(?: alpha)?)"),
    Marker("pr", "PR", "receptor", r"PR|PgR|(?i:progesterone\s+receptors?)"),
    Marker("ki67", "Ki-67", "percent", r"(?i:ki-?67)|MIB-?1"),
    Marker(
        "msi_mmr",
        "MSI",
        "msi",
        r"MSI(?:-H|-L|-(?i:high|low))?|MSS"
        r"|(?i:(?:high[- ]|low[- ])?micro-?satellite\s(?:instability(?:[- ]high|[- ]low)?|stable|stability|status))",
    ),
    Marker(
        "msi_mmr",
        "MMR",
        "msi",
        r"[dp]MMR|MMR-?[dp](?![a-z])|MMR|(?i:(?:dna\s+)?mismatch[-\s]+repair(?: proteins?| status| enzymes?)?)",
    ),
    Marker("other", "MLH1 methylation", "other", r"MLH-?1 (?i:(?:gene )?promoter (?:hyper)?methylation|methylation)"),
    Marker("mlh1", "MLH1", "mmr_protein", r"h?MLH-?1"),
    Marker("msh2", "MSH2", "mmr_protein", r"h?MSH-?2"),
    Marker("msh6", "MSH6", "mmr_protein", r"h?MSH-?6"),
    Marker("pms2", "PMS2", "mmr_protein", r"h?PMS-?2"),
    Marker("cldn18_2", "Claudin 18.2", "stain", r"CLDN-?18\.2|(?i:claudin[- ]?18\.2)"),
    Marker("fgfr2b", "FGFR2b", "stain", r"FGFR2b|FGFR2 IIIb"),
    Marker("ebv", "EBV", "stain", r"EBV|EBER|(?i:epstein[- ]barr(?: virus)?)"),
    Marker("cd20", "CD20", "stain", r"CD20|(?i:L26)"),
    Marker("p53", "p53", "p53", r"p53|P53"),
    Marker("tmb", "TMB", "tmb", r"TMB(?:-H|-L|-high|-low)?|(?i:tumou?r\s+mutation(?:al)?\s+burden)"),
    Marker("hrd", "HRD", "hrd", r"HRD|(?i:homologous recombination deficiency)|(?i:genomic instability score)|GIS"),
    Marker(
        "oncotype_dx", "Oncotype DX", "score", r"(?i:oncotype(?: ?dx)?(?: breast recurrence score)?|recurrence score)"
    ),
    Marker("mammaprint", "MammaPrint", "mammaprint", r"(?i:mammaprint)"),
    Marker(
        "cell_of_origin",
        "Cell of origin",
        "origin",
        r"(?i:cell[- ]of[- ]origin|hans (?:algorithm|classifier)|germinal cent(?:re|er) b[- ]cell(?: type"
        r"| subtype| phenotype| like)?"
        r"|non-?germinal cent(?:re|er) b[- ]cell(?:[- ]like)?|activated b[- ]cell(?: type| subtype| like)?)"
        r"|non-?GCB|GCB|COO|ABC(?= type| subtype)",
    ),
    Marker("psa", "PSA", "lab", r"PSA|(?i:prostate[- ]specific antigen)"),
    Marker("ca125", "CA-125", "lab", r"CA-? ?125"),
    Marker("kras", "KRAS", "gene", r"K-?RAS"),
    Marker("nras", "NRAS", "gene", r"N-?RAS"),
    Marker("braf", "BRAF", "gene", r"B-?RAF"),
    Marker("egfr", "EGFR", "gene", r"EGFR(?!\s?v(?:III|iii|lll|ill))"),
    Marker(
        "met",
        "MET",
        "gene",
        r"c-?MET|MET(?=\s?(?:exon|amplification|gene|mutation|alteration|status|:|no|not|negative|wild|WT|p\.|c\.))"
        r"|(?<=, )MET|(?<=and )MET"
        r"|(?<=or )MET",
    ),
    Marker("pik3ca", "PIK3CA", "gene", r"PIK3CA"),
    Marker("brca1", "BRCA1", "gene", r"BRCA-?1"),
    Marker("brca2", "BRCA2", "gene", r"BRCA-?2"),
    Marker("palb2", "PALB2", "gene", r"PALB2"),
    Marker("atm", "ATM", "gene", r"ATM"),
    Marker("chek2", "CHEK2", "gene", r"CHEK2"),
    Marker("pole", "POLE", "gene", r"POLE(?:\s?exonuclease)?"),
    Marker("kit", "KIT", "gene", r"c-?KIT|KIT"),
    Marker("fgfr3", "FGFR3", "gene", r"FGFR-?3"),
    Marker("idh1", "IDH1", "gene", r"IDH-?1"),
    Marker("tp53", "TP53", "gene", r"TP53"),
    # A fusion named with its partner is one mention: "EML4-ALK", "CD74-ROS1", "ETV6-NTRK3".
    Marker("alk", "ALK", "fusion", rf"{_PARTNER}ALK"),
    Marker("ros1", "ROS1", "fusion", rf"{_PARTNER}ROS-?1"),
    Marker(
        "ret",
        "RET",
        "fusion",
        rf"{_PARTNER}RET(?=\s*(?:,|/|\)|;|:|\band\b|\bor\b|fusion|rearrangement|gene|mutation|status|alteration"
        r"|negative|positive|not\b|-|\.|$)|[ \t]*\n)",
    ),
    Marker("ntrk", "NTRK", "fusion", rf"{_PARTNER}NTRK[1-3]?|(?i:pan-?trk)"),
    Marker("myc", "MYC", "fusion", rf"{_PARTNER}(?:c-?MYC|MYC)"),
    Marker("bcl2", "BCL2", "fusion", rf"{_PARTNER}BCL-?2"),
    Marker("bcl6", "BCL6", "fusion", rf"{_PARTNER}BCL-?6"),
    Marker("ish", "ISH", "ish", r"[FSC]ISH|DD?ISH|ISH|(?i:in[- \n]situ\s+hybridi[sz]ation)"),
    # Markers we do not read, named only so that what is said of them is not taken for another's.
    Marker(
        "other",
        "other",
        "other",
        r"AR|CK ?\d{1,2}|CAM ?5\.2|AE1/AE3|TTF-?1|p63|p40|p16|p21|p27|CDX-?2|HER3|CEA|CA ?19-?9|AFP|PAP|PSMA|ERG"
        r"|AMACR|GATA-?3|PAX-?8|WT-?1|SOX-?10|S-?100|HMB-?45|Melan-?A|MART-?1|CD\d{1,3}|MUM-?1|Cyclin D1"
        r"|PTEN|ATRX|MGMT|EGFR\s?v(?:III|iii|lll|ill)|GFAP|(?i:synaptophysin|chromogranin|vimentin|desmin|calretinin)"
        r"|(?i:napsin)|E-?cadherin|ARID1A|SMAD4|DPC4|INI-?1|SDHB|CA-?IX|β-?catenin|PAX-?5|(?i:hormone receptors?)"
        # Genes of a panel that we do not read, so that their results stay theirs.
        r"|CDH1|STK11|KEAP1|NF1|RB1|APC|CDKN2A|AKT1|ESR1|FGFR1|FGFR2|ERBB3|MAP2K1|NRG1|BARD1|RAD51[CD]|BRIP1|MUTYH"
        r"|CTNNB1|TERT|TSC[12]|VHL|BAP1|PBRM1|SETD2|NOTCH1|GNAQ|GNA11|SF3B1|EZH2|CREBBP|EP300|MYD88|CD79B|IDH2"
        r"|KMT2D|DAXX|MEN1|SPOP|FOXA1|CCND1|MDM2|CDK4|MYCN|RICTOR|POLD1|MSH3|EPCAM|CDK12|FANCA|RAD51B|PPP2R2A"
        r"|ARID2|MET amplification",
    ),
]
MENTION = re.compile(
    r"(?<![\w-])(?:" + "|".join(rf"(?P<m{index}>{marker.pattern})(?!\w)" for index, marker in enumerate(MARKERS)) + ")"
)
# Families whose members are often listed together and share a result.
LIST_FAMILIES = {
    "mmr_protein": "mmr_protein",
    "gene": "gene",
    "fusion": "gene",
    "receptor": "receptor",
    "stain": "stain",
}
# Markers an in-situ hybridisation result can belong to, when it follows them.
ISH_OWNERS = frozenset({"her2", "ebv", "myc", "bcl2", "bcl6", "alk", "ros1", "ret", "ntrk"})

# Mentions that are a result in themselves: what follows them is said of the next marker, as in
# "Mismatch repair deficient (dMMR): loss of MLH1 and PMS2".
SELF_CONTAINED = re.compile(r"[dp]MMR|MMR-?[dp]|MSS|MSI-(?:H|L|high|low)|TMB-(?:H|L|high|low)", re.IGNORECASE)
# "Loss of MLH1 with positive internal control": the control says nothing of the tumour.
INTERNAL_CONTROL = re.compile(
    r"\(?\b(?:with\s+)?(?:appropriate\s+|adequate\s+)?(?:\w+\s+)?(?:internal|external)\s+(?:\w+\s+)?controls?\b"
    r"(?:\s+(?:is|are|was|were)\s+(?:\w+\s+){0,3}?(?:positive|present|appropriate|satisfactory|intact|negative))?\)?"
    r"|\b(?:non-?neoplastic|normal|background|benign|stromal|inflammatory)\s+(?:\w+\s+){0,3}?(?:cells?|tissues?|mucosa|epithelium|glands?|lymphocytes?)"
    r"\s+(?:show|shows|showed|with|serve|serves|served|demonstrate|demonstrates|are|is|were|was)\s+(?:\w+\s+){0,3}?"
    r"(?:positive|intact|retained|present|preserved|expression|staining)\w*\)?",
    re.IGNORECASE,
)
# Names of tests, not results: "KRAS MUTATION ANALYSIS", "HER2 testing", "BRAF V600E by PCR".
TEST_NAME = re.compile(
    r"\b(?:(?:gene\s+|somatic\s+|germline\s+)?mutations?(?:al)?|gene|rearrangements?|amplifications?|fusions?|"
    r"expression|protein|immunohistochemical|molecular|mutational|IHC|FISH)?\s*"
    r"(?:analysis|analyses|testing|tests?|status|panel|assays?|studies|study|screen(?:ing)?|evaluation|profil(?:e|ing)|"
    r"(?:hot\s?spot\s+)?(?:sequencing)|result(?:s)?|report)\b"
    r"(?:\s+(?:by|using|with|via)\s+(?:\w+[- ]?){1,3})?",
    re.IGNORECASE,
)

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
    "over": ">",
    "above": ">",
    "at least": ">=",
}
_COMPARATOR = r"(?P<comparator><|≤|>|≥|less than|below|under|more than|greater than|over|above|at least)"
# A value right after its label: "CPS 8", "CPS: ≥ 1", "(TPS) of 1-49%", "score of 10".
VALUE = re.compile(
    r"^[\s:=\-]*(?:\([^()]{1,15}\)\s*)?[\s:=()\-]*(?:(?:score|value|of|is|was|=|approximately|approx\.?|about"
    r"|estimated at)\s*[:=]?\s*)*"
    rf"{_COMPARATOR}?\s*"
    rf"{_NUMBER}(?:\s*%?\s*(?:-|to)\s*{_NUMBER})?\s*(?P<percent>%)?",
    re.IGNORECASE,
)
PERCENT = re.compile(
    rf"{_COMPARATOR}?\s*(?:approximately\s+|approx\.?\s+|about\s+|~\s*)?{_NUMBER}(?:\s*%?\s*(?:-|to)\s*(?P<upper>\d+(?:\.\d+)?))?\s*%",
    re.IGNORECASE,
)
ALLRED = re.compile(r"\bAllred(?:\s+score)?\s*(?:of|:|=|is)?\s*(\d)(?:\s*/\s*8)?\b", re.IGNORECASE)
ALLRED_AFTER = re.compile(r"\b(\d)\s*/\s*8\b")
H_SCORE = re.compile(r"\bH-?\s?score\s*(?:of|:|=|is)?\s*(\d{1,3})\b", re.IGNORECASE)
# A score, not a range of intensities ("2+/3+").
IHC_SCORE = re.compile(r"(?<![\w.+/])([0-3])\s?\+(?![\d+])(?!\s?/\s?[0-3]\s?\+)")
IHC_ZERO = re.compile(
    r"(?:^[\s:=]*(?:\([^()]{1,12}\)\s*)?[\s:=(]*|\b(?:score|IHC)\s*[:=]?\s*)0(?![\d.,%+/])(?!\s*%)", re.IGNORECASE
)
RATIO = re.compile(r"\bratio\b\s*(?:of|:|=|is|was)?\s*" + _NUMBER, re.IGNORECASE)
COPIES = re.compile(
    r"(?:\b(?:average|mean)\s+(?:HER2\s+)?(?:gene\s+)?(?:copy\s+number|copies|signals)(?:\s+per\s+(?:cell|nucleus))?"
    r"|\bHER2\s+(?:signals|copies)\s+per\s+(?:cell|nucleus)(?:\s*\((?:mean|average)\))?"
    r"|\bcopy\s+number)"
    r"\s*(?:of|:|=|is|was)?\s*"
    + _NUMBER
    + r"|"
    + _NUMBER
    + r"\s+(?:HER2\s+)?(?:signals|copies)\s+per\s+(?:cell|nucleus)",
    re.IGNORECASE,
)
TMB_UNIT = re.compile(r"^\s*(?:mut(?:ation)?s?|muts|m)\s*(?:/|per)\s*(?:Mb|megabase)", re.IGNORECASE)
ASSAY = re.compile(
    r"\b(22C3|28-8|SP263|SP142|73-10|4B5|HercepTest|43-14A|FPR5A|SP174|D5F3|D4D6|VE1|SP6|SP1|1E2|30-9|MIB-?1)\b"
)
AMINO_ACIDS = {
    "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E", "Gly": "G", "His": "H",
    "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F", "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W",
    "Tyr": "Y", "Val": "V", "Ter": "*",
}  # fmt: skip
_ONE_LETTER_CHANGE = r"[ACDEFGHIKLMNPQRSTVWY]\d{2,4}(?:[ACDEFGHIKLMNPQRSTVWY*]|del|ins|dup|fs)"
_THREE_LETTER_CHANGE = r"(?P<from>[A-Z][a-z]{2})(?P<position>\d{1,4})(?P<to>[A-Z][a-z]{2}|\*|fs)"
VARIANT = re.compile(
    rf"(?<![\w.])(?:p\.\s?\(?)?(?:(?P<one>{_ONE_LETTER_CHANGE})|{_THREE_LETTER_CHANGE})\)?(?![\w])"
    r"|\bexon\s?(?P<exon>\d{1,2})\s?(?P<kind>deletion|insertion|del|ins|skipping|skip|mutation|alteration)s?\b"
    rf"|\b(?P<fusion>(?:{FUSION_PARTNERS})[- :/]+(?:ALK"
    r"|ROS1|RET|NTRK[1-3]|MYC|BCL2|BCL6))\b"
    r"|(?<![\w.])(?P<cdna>c\.\d+(?:[+-]\d+)?(?:_\d+)?(?:[ACGT]>[ACGT]|del[ACGT]*|dup[ACGT]*|ins[ACGT]+))(?![\w>])",
)
# A result in a form's list of options ("ER [ ] Negative [ ] Positive"): the form, not the patient.
FORM_OPTIONS = re.compile(
    r"(?:^|\s)[oqa0cDQO□☐]\s?(?:Positive|Negative|POSITIVE|NEGATIVE)\b|(?:^|\s)[\[(]?\s?[oq0a□☐\]\[)(|]?\s?(?:negative|positive)\s+[\[(]?\s?[oq0a□☐\]\[)(|]\s?(?:negative|positive)\b"
    r"|\bnegative\s*/\s*positive\b|\bpositive\s*/\s*negative\b|\bpresent\s*/\s*absent\b|\bretained\s*/\s*lost\b",
    re.IGNORECASE,
)

# Results in words, per kind of marker: the first kind found, in this order, is the result.
Results = list[tuple[str, re.Pattern]]


def _results(*pairs: tuple[str, str]) -> Results:
    return [(result, re.compile(pattern, re.IGNORECASE)) for result, pattern in pairs]


_NEGATION = r"\b(?:no|not|non|without|negative for|absence of|absent)\b"
_NOT_FOUND = (
    r"\bnot (?:been )?(?:detected|identified|found|seen|present|observed|demonstrated)\b|\bno evidence of\b"
    r"|\bnone (?:detected|identified|found)\b|\bundetected\b|\bnegative\b"
)
RECEPTOR_RESULTS = _results(
    ("low", r"\blow[- ]?(?:positive|expression|expressing)\b|\bweakly positive\b(?=.*\b(?:[1-9]|10)\s*%)"),
    (
        "negative",
        rf"{_NOT_FOUND}|\bno (?:nuclear )?(?:staining|expression|immunoreactivity)\b|\bnot expressed\b|\bn[o']t stain",
    ),
    (
        "positive",
        r"\bpositive\b|\bpositivity\b|\bexpressed\b|\bexpression (?:in|of) \d|\bstrongly\b|\bimmunoreactive\b"
        # "10-20% of cells show weak nuclear staining".
        r"|\bcells (?:show|shows|showed|demonstrate|demonstrated|display|displayed)\b[^.;]{0,60}\bstaining\b",
    ),
)
EXPRESSION_RESULTS = _results(
    (
        "negative",
        rf"\bnegative\b|\bnot (?:over)?expressed\b|{_NEGATION}[^.;]*\b(?:over)?expression\b|{_NOT_FOUND}"
        r"|\bno (?:\w+\s+)?(?:staining|immunoreactivity)\b",
    ),
    ("equivocal", r"\bequivocal\b|\bborderline\b"),
    ("low", r"\bHER2[- ]low\b|\blow\b"),
    (
        "positive",
        r"\bpositive\b|\bpositivity\b|\boverexpress(?:ed|ion)\b|\bdetected\b|\bimmunoreactive\b|\bexpressed\b",
    ),
)
AMPLIFICATION_RESULTS = _results(
    (
        "not amplified",
        rf"\bnot amplified\b|\bnon-?amplified\b|\bunamplified\b|{_NEGATION}[^.;]*\bamplification\b"
        rf"|\bnegative\b|{_NOT_FOUND}"
        r"|\bno (?:gene )?amplification\b",
    ),
    ("amplified", r"\bamplified\b|\bamplification\b|\bpositive\b"),
)
GENE_RESULTS = _results(
    (
        "wild-type",
        rf"\bwild\s?[- ]?\s?type\b|\bWT\b|{_NOT_FOUND}|\bnot mutated\b|\bunmutated\b|\b(?:was|were|is|are) normal\b"
        rf"|{_NEGATION}[^.;]*\b(?:mutations?|variants?|alterations?|changes?)\b|\bnon-?mutated\b"
        r"|\bno (?:pathogenic|clinically significant|reportable|actionable)\b"
        # "MET: no exon 14 skipping detected", "no V600E found".
        r"|\bno\b(?:\s+[\w.>+-]+){1,4}?\s+(?:was\s+|were\s+)?(?:detected|identified|found|seen)\b",
    ),
    (
        "mutated",
        r"\bmutat(?:ed|ion (?:was |is |has been )?(?:detected|identified|found|present|positive))\b|\bmutant\b"
        r"|\bpathogenic (?:variant|mutation)\b|\bvariant (?:was |is )?(?:detected|identified)\b|\bpositive\b"
        r"|\bdetected\b"
        r"|\bharbou?rs?\b|\bharbou?ring\b",
    ),
)
FUSION_RESULTS = _results(
    (
        "not rearranged",
        rf"\bnot rearranged\b|\bnon-?rearranged\b|{_NEGATION}[^.;]*\b(?:rearrangements?|fusions?"
        rf"|translocations?|break-?apart|split|alterations?|variants?)\b"
        rf"|{_NOT_FOUND}|\bintact\b",
    ),
    (
        "rearranged",
        r"\brearranged\b|\brearrangement (?:was |is )?(?:detected|identified|present)\b|\bfusion (?:was "
        r"|is )?(?:detected|identified|present)\b|\bpositive\b|\bdetected\b|\btranslocation\b"
        r"|\bbreak-?apart signals?\b",
    ),
)
STAIN_RESULTS = _results(
    (
        "negative",
        rf"{_NOT_FOUND}|\bno (?:\w+\s+)?(?:staining|expression|immunoreactivity)\b|\bnot expressed\b|\bn[o']t stain"
        r"|\b(?:not|n't|never|no longer) (?:\w+\s+)?express\b",
    ),
    # "The tumour cells express CD20, CD79a and PAX5".
    ("positive", r"\bpositive\b|\bpositivity\b|\b(?:over)?express(?:ed|es|ion)?\b|\bimmunoreactive\b|\bdetected\b"),
)
P53_RESULTS = _results(
    ("wild-type", r"\bwild[- ]?type\b|\bwt\b|\bnormal (?:\w+\s+)?pattern\b|\bnon-?aberrant\b"),
    (
        "aberrant",
        r"\baberrant\b|\bmutant[- ]?(?:type|pattern)\b|\bmutation[- ]?type\b|\bover[- ]?express(?:ed|ion"
        r"|es)?\b|\bnull\b"
        r"|\bcomplete (?:loss|absence)\b|\bstrong (?:and )?diffuse\b|\bdiffuse (?:and )?strong\b",
    ),
)
PROTEIN_RESULTS = _results(
    (
        "retained",
        r"\bloss\b[^.;]{0,40}\b(?:not identified|not seen|not present|not detected|absent)\b"
        r"|\bno loss\b|\bnot lost\b|\bno (?:\w+\s+)?deficien",
    ),
    (
        "loss",
        r"\bloss\b|\blost\b|\babsent\b|\babsence\b|\bdeficien|\bnegative\b|\bnot (?:expressed|present|retained"
        r"|intact)\b"
        r"|\bno (?:nuclear )?(?:staining|expression)\b|\bstaining absent\b",
    ),
    (
        "retained",
        r"\bretained\b|\bretention\b|\bintact\b|\bpreserved\b|\bnormal\b|\bpositive\b|\bpresent\b|\bproficien"
        r"|\bexpressed\b|\bexpression\b(?! (?:is |was )?(?:lost|absent))",
    ),
)
# The abbreviations first: in "MSS (low TMB)" the "low" is the TMB's.
MSI_RESULTS = _results(
    ("deficient", r"\bMSI-H\b|\bMSI-high\b|\bdMMR\b|\bMMR-?d\b"),
    ("msi-l", r"\bMSI-L\b|\bMSI-low\b"),
    ("proficient", r"\bMSS\b|\bpMMR\b|\bMMR-?p\b"),
    (
        "proficient",
        r"\binstability\b[^.;]{0,20}\bnot (?:identified|detected|seen|present)\b|\bnot\b[^.;]{0,40}\binstability\b"
        r"|\bno (?:\w+\s+){0,5}?(?:deficiency|loss|instability|abnormalit(?:y|ies))\b"
        r"|\blow (?:probability|likelihood) of (?:\w+\s+){0,2}instability\b"
        r"|\bnot (?:\w+\s+)?(?:deficient|unstable)\b|\bzero of\b|\bnone of\b",
    ),
    ("deficient", r"\bdeficien|\bhigh\b|\bunstable\b|\bloss\b|\blost\b|\binstability[- ]high\b"),
    ("msi-l", r"\blow\b"),
    (
        "proficient",
        r"\bproficien|\bstable\b|\bstability\b|\bintact\b|\bretained\b|\bpreserved\b|\bnormal\b"
        r"|\bnegative\b|\bnot detected\b",
    ),
)
TMB_RESULTS = _results(("high", r"TMB-H\b|TMB-high\b|\bhigh\b"), ("low", r"TMB-L\b|TMB-low\b|\blow\b|\bintermediate\b"))
HRD_RESULTS = _results(
    (
        "negative",
        rf"{_NOT_FOUND}|\bHRD[- ]negative\b|\bproficient\b|\bHRP\b|\bno (?:evidence of )?(?:HRD|deficiency)\b",
    ),
    ("positive", r"\bpositive\b|\bHRD[- ]positive\b|\bdeficient\b|\bdetected\b|\bhigh\b"),
)
MAMMAPRINT_RESULTS = _results(("low", r"\blow[- ]risk\b|\blow\b"), ("high", r"\bhigh[- ]risk\b|\bhigh\b"))
ORIGIN_RESULTS = _results(
    ("non-GCB", r"\bnon-?GCB\b|\bnon-?germinal\b|\bactivated b[- ]cell\b|\bABC\b"),
    ("GCB", r"\bGCB\b|\bgerminal cent(?:re|er)\b"),
)
