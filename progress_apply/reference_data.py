"""The qualification reference data shipped in progress_apply/data/ (see LICENCE.md there):
types, the subjects of each type and the grades of each type (seed §5.4, §9.2).

The files come from three DfE sources that do not share names, so the types are made here:
- GCSE (9-1), GCSE (A*-G), A level and AS level, each single and double award, with the
  subjects the DfE lists for GCSE or for A level / AS level and their own grade scales;
- every other type of RQF entry level to level 3 in the DfE's list (diplomas, awards,
  certificates, functional skills, BTEC-style national diplomas...), with every subject of
  both lists and the DfE's generic "other UK" grades (Distinction* ... Unclassified).
Admins edit all of it in the Django admin afterwards; loading again adds nothing twice."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

# name in the grades file -> (type name, RQF level, subjects list in the subjects file)
_GRADED = {
    ("GCSE (9-1)", "single"): ("GCSE (9-1)", "2", "GCSE"),
    ("GCSE (9-1)", "double award"): ("GCSE (9-1) double award", "2", "GCSE"),
    ("GCSE (A*-G, legacy / Northern Ireland)", "single"): ("GCSE (A*-G)", "2", "GCSE"),
    ("GCSE (A*-G, legacy / Northern Ireland)", "double award"): (
        "GCSE (A*-G) double award",
        "2",
        "GCSE",
    ),
    ("A level", "single"): ("A level", "3", "A level / AS level"),
    ("A level", "double award"): ("A level double award", "3", "A level / AS level"),
    ("AS level", "single"): ("AS level", "3", "A level / AS level"),
    ("AS level", "double award"): ("AS level double award", "3", "A level / AS level"),
}
_OTHER_LEVELS = ("entry", "1", "2", "3")
# Types of the DfE list already made above from the grade scales (or not a qualification a
# learner would take now).
_COVERED = ("GCSE", "O level", "CSE", "A level", "AS level")


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load_qualifications(type_model: Any, subject_model: Any, grade_model: Any) -> int:
    """Loads the types, subjects and grades (the models, or their historical versions in a
    migration), leaving rows that exist alone. Returns how many types the data has."""
    subjects: dict[str, list[str]] = {}
    for row in _rows("uk_qualification_subjects.csv"):
        subjects.setdefault(row["qualification_type"], []).append(row["subject"].strip())
    every_subject = sorted({name for names in subjects.values() for name in names})
    grades: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for row in _rows("uk_qualification_grades.csv"):
        key = (row["qualification_type"], row["award"])
        grades.setdefault(key, []).append((row["grade"].strip(), int(row["rank"])))
    other_key = next(key for key in grades if key[0].startswith("Other UK"))

    # (name, level, subjects, grades) in the order the drop-down shows them.
    types: list[tuple[str, str, list[str], list[tuple[str, int]]]] = [
        (name, level, subjects[list_name], grades[key])
        for key, (name, level, list_name) in _GRADED.items()
    ]
    for row in _rows("uk_qualification_types.csv"):
        name = row["name"].strip()
        if row["rqf_level"] in _OTHER_LEVELS and not name.startswith(_COVERED):
            types.append(
                (name[0].upper() + name[1:], row["rqf_level"], every_subject, grades[other_key])
            )

    existing = {t.name: t for t in type_model.objects.all()}
    for position, (name, level, _, _) in enumerate(types, start=1):
        if name not in existing:
            existing[name] = type_model.objects.create(name=name, level=level, position=position)
    subject_model.objects.bulk_create(
        [
            subject_model(type=existing[name], name=subject)
            for name, _, names, _ in types
            for subject in names
        ],
        ignore_conflicts=True,
    )
    grade_model.objects.bulk_create(
        [
            grade_model(type=existing[name], grade=grade, rank=rank)
            for name, _, _, scale in types
            for grade, rank in scale
        ],
        ignore_conflicts=True,
    )
    return len(types)
