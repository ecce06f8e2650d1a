"""The corpus's labels: the keys, statuses and formats bench/findings_corpus/README.md allows, and reading them."""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from articles.profiles import MARKERS, PROFILES

STYLES = ("synoptic", "narrative", "molecular", "letter", "ocr")

FAMILIES = {
    "receptors": ("er", "pr"),
    "her2": ("her2",),
    "ki67": ("ki67",),
    "pd_l1": ("pd_l1",),
    "mmr": ("msi_mmr", "mlh1", "msh2", "msh6", "pms2"),
    "genes": (
        *("egfr", "kras", "nras", "braf", "met", "pik3ca", "brca1", "brca2", "palb2", "atm", "chek2"),
        *("pole", "kit", "fgfr3", "idh1", "tp53", "her2_mutation"),
    ),
    "fusions": ("alk", "ros1", "ret", "ntrk", "myc", "bcl2", "bcl6"),
    "ihc other": ("cldn18_2", "fgfr2b", "cd20", "ebv", "p53", "cell_of_origin"),
    "numeric scores": ("tmb", "hrd", "oncotype_dx", "mammaprint"),
    "labs": ("psa", "ca125"),
}
FAMILY_OF = {key: family for family, keys in FAMILIES.items() for key in keys}

# The statuses a label may give each key (bench/findings_corpus/README.md); an empty set: a number only.
_GENE_STATUSES = {"mutated", "wild-type"}
_FUSION_STATUSES = {"rearranged", "not rearranged"}
_IHC_STATUSES = {"positive", "negative"}
STATUSES: dict[str, set[str]] = {
    "er": {"positive", "low", "negative"},
    "pr": {"positive", "low", "negative"},
    "her2": {"positive", "equivocal", "negative", "low", "amplified", "not amplified"},
    "ki67": set(),
    "pd_l1": _IHC_STATUSES,
    "msi_mmr": {"deficient", "proficient", "msi-l"},
    **{key: {"retained", "loss"} for key in ("mlh1", "msh2", "msh6", "pms2")},
    **dict.fromkeys(("cldn18_2", "fgfr2b", "cd20", "ebv"), _IHC_STATUSES),
    "p53": {"aberrant", "wild-type"},
    **dict.fromkeys(FAMILIES["genes"], _GENE_STATUSES),
    **dict.fromkeys(FAMILIES["fusions"], _FUSION_STATUSES),
    "bcl2": _FUSION_STATUSES | _IHC_STATUSES,
    "tmb": {"high", "low"},
    "hrd": _IHC_STATUSES,
    "oncotype_dx": set(),
    "mammaprint": {"high", "low"},
    "cell_of_origin": {"gcb", "non-gcb"},
    "psa": set(),
    "ca125": set(),
}
LABEL_FIELDS = {"cancer", "style", "traps", "markers", "tnm", "stage_group", "grading", "labs", "notes", "source"}
ENTRY_FIELDS = {"marker", "status", "method", "score", "measure", "value", "upper", "unit", "comparator", "variant"}
# Each grading key with the types a label may give it; numbers are compared as numbers.
GRADING: dict[str, tuple[type, ...]] = {
    "gleason": (str,),
    "grade_group": (int,),
    "grade": (str,),
    "isup_grade": (int, str),
    "breslow_mm": (int, float),
    "ulceration": (str,),
    "cores": (str,),
}
_TNM_CATEGORY = {
    "t": re.compile(r"^(?:y?[cpr]?|a|u)T(?:X|is|a|0|[1-4](?:mi|[a-d][1-3]?)?)$"),
    "n": re.compile(r"^(?:y?[cpr]?|a|u)N(?:X|[0-3](?:mi|[a-c])?)(?:\((?:sn|i[+-]|mol[+-])\))?$"),
    "m": re.compile(r"^(?:y?[cpr]?|a|u)M(?:X|0|1[a-d]?)$"),
}
_STAGE_GROUP = re.compile(r"^(?:0|I{1,3}|IV)(?:[ABCDE]?[1-3]?|S)?$")


def label_problems(label: dict, *, cancer: str = "", style: str = "") -> list[str]:
    """What is wrong with a label: unknown fields or keys, statuses outside the README's table, bad TNM."""
    problems = [f"unknown field {name!r}" for name in label.keys() - LABEL_FIELDS]
    if cancer and label.get("cancer") != cancer:
        problems.append(f"cancer {label.get('cancer')!r} is not the folder's {cancer!r}")
    if style and label.get("style") != style:
        problems.append(f"style {label.get('style')!r} is not the file name's {style!r}")
    if (style or "style" in label) and label.get("style") not in STYLES:
        problems.append(f"style {label.get('style')!r} is not one of {', '.join(STYLES)}")
    if not isinstance(label.get("traps", []), list):
        problems.append("traps is not a list")
    for where, entries in (("markers", label.get("markers", [])), ("labs", label.get("labs", []))):
        for entry in entries:
            key = entry.get("marker", "")
            if key not in STATUSES or key not in MARKERS:
                problems.append(f"{where}: unknown marker {key!r}")
                continue
            if (where == "labs") != (key in FAMILIES["labs"]):
                problems.append(f"{key} belongs in {'labs' if where == 'markers' else 'markers'}")
            problems += [f"{key}: unknown field {name!r}" for name in entry.keys() - ENTRY_FIELDS]
            status = entry.get("status")
            if status is not None and str(status).lower() not in STATUSES[key]:
                problems.append(f"{key}: status {status!r} not among {sorted(STATUSES[key]) or 'none'}")
            if status is None and entry.get("value") is None and not entry.get("score"):
                problems.append(f"{key}: no status, value or score")
    tnm = label.get("tnm")
    if tnm is not None:
        if not isinstance(tnm, dict) or set(tnm) != {"t", "n", "m"}:
            problems.append(f"tnm {tnm!r} is not {{t, n, m}}")
        else:
            problems += [
                f"tnm {name}: {tnm[name]!r}"
                for name, pattern in _TNM_CATEGORY.items()
                if tnm[name] and not pattern.match(tnm[name])
            ]
    group = label.get("stage_group")
    if group is not None and not _STAGE_GROUP.match(str(group)):
        problems.append(f"stage_group {group!r}")
    for key, value in (label.get("grading") or {}).items():
        if key not in GRADING:
            problems.append(f"grading: unknown key {key!r}")
        elif isinstance(value, bool) or not isinstance(value, GRADING[key]):
            problems.append(f"grading {key}: {value!r} is not {' or '.join(t.__name__ for t in GRADING[key])}")
    return problems


@dataclass(frozen=True)
class Sample:
    name: str
    text: str
    label: dict


def corpus_samples(folder: Path) -> tuple[list[Sample], list[str]]:
    """Every pair under the corpus folder, and what is wrong with the labels that cannot be scored."""
    samples, problems = [], []
    for label_path in sorted(folder.glob("*/*.json")):
        name = f"{label_path.parent.name}/{label_path.stem}"
        text_path = label_path.with_suffix(".txt")
        if not text_path.exists():
            problems.append(f"{name}: no .txt beside the label")
            continue
        label = json.loads(label_path.read_text())
        style = label_path.stem.partition("_")[2]
        cancer = label_path.parent.name if label_path.parent.name in PROFILES else ""
        found = label_problems(label, cancer=cancer, style=style)
        if found:
            problems += [f"{name}: {problem}" for problem in found]
            continue
        samples.append(Sample(name, text_path.read_text(), label))
    return samples, problems


def real_samples(labels: Path, texts: Path) -> tuple[list[Sample], list[str]]:
    """The real reports whose labels the project keeps, when their texts are on this machine."""
    samples, problems = [], []
    for label_path in sorted(labels.glob("*.json")):
        label = json.loads(label_path.read_text())
        source = texts / Path(label.get("source", "")).name
        if not source.is_file():
            problems.append(f"{label_path.name}: {source} is not here")
            continue
        label = {key: value for key, value in label.items() if key != "source"}
        found = label_problems(label)
        if found:
            problems += [f"{label_path.name}: {problem}" for problem in found]
            continue
        samples.append(Sample(label_path.stem, source.read_text(errors="replace"), label))
    return samples, problems
