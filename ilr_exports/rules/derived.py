"""ESFA's derived data items (DDnn) and small shared helpers, as plain functions."""

from __future__ import annotations

import re
from datetime import date
from operator import mul
from typing import Any

from ilr_exports.rules.records import APPRENTICESHIP_PROG_TYPES, Delivery, Learner

TEMPORARY_ULN = 9999999999
TEMPORARY_EMP_ID = 999999999
ZPROG = "ZPROG001"
# Funding models
FM_COMMUNITY, FM_1619, FM_ADULT, FM_APPS, FM_ESF = 10, 25, 35, 36, 70
FM_OTHER_ADULT, FM_OTHER_1619, FM_NON_FUNDED = 81, 82, 99
FUND_MODELS = frozenset({10, 25, 35, 36, 70, 81, 82, 99})
PROG_STANDARD, PROG_TRAINEESHIP, PROG_TLEVEL = 25, 24, 31
EMPLOYED = 10
_ULN_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_EMP_ID_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)

# The postcode pattern of the ILR specification (a single space, upper case).
POSTCODE = re.compile(
    r"^(GIR 0AA|ZZ99 9ZZ|[A-PR-UWYZ]([0-9]{1,2}|([A-HK-Y][0-9]|[A-HK-Y][0-9]([0-9]|[ABEHMNPRV-Y]))"
    r"|[0-9][A-HJKPS-UW]) [0-9][ABD-HJLNP-UW-Z]{2})$"
)


def dd01_uln_valid(uln: int | None) -> bool:
    """DD01: the ULN's check digit. Digits 1-9 weighted 10..2, sum mod 11; 0 is never
    valid, else digit 10 = 10 - remainder."""
    if uln is None:
        return False
    text = str(uln)
    if len(text) != 10:
        return False
    remainder = sum(map(mul, map(int, text[:9]), _ULN_WEIGHTS)) % 11
    return remainder != 0 and int(text[9]) == 10 - remainder


def dd05_emp_id_valid(emp_id: int | None) -> bool:
    """DD05: the employer number's check digit. Digits 1-8 weighted 9..2, digit 9 is
    11 - (sum mod 11), 11 meaning 0 and 10 never valid. 999999999 is the temporary one."""
    if emp_id is None:
        return False
    if emp_id == TEMPORARY_EMP_ID:
        return True
    text = str(emp_id)
    if len(text) != 9:
        return False
    check = 11 - sum(map(mul, map(int, text[:8]), _EMP_ID_WEIGHTS)) % 11
    if check == 10:
        return False
    return int(text[8]) == (0 if check == 11 else check)


def dd07_apprenticeship(prog_type: int | None) -> bool:
    """DD07: the programme type is an apprenticeship."""
    return prog_type in APPRENTICESHIP_PROG_TYPES


def age_on(dob: date, on: date) -> int:
    """Whole years between a date of birth and a date."""
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def august_31_of_year_of(d: date) -> date:
    """31 August of the teaching year (1 August to 31 July) a date falls in."""
    return date(d.year if d.month >= 8 else d.year - 1, 8, 31)


def age_at_start_of_year(rec: Learner, d: Delivery) -> int | None:
    """The learner's age on 31 August of the teaching year the aim started in."""
    if rec.date_of_birth is None or d.learn_start_date is None:
        return None
    return age_on(rec.date_of_birth, august_31_of_year_of(d.learn_start_date))


def dd04_programme_start(rec: Learner, d: Delivery) -> date | None:
    """DD04: the earliest start of the programme aims of the aim's programme (2025-26:
    same ProgType and StdCode; FworkCode/PwayCode are gone)."""
    best = None
    for p in rec.deliveries:
        if (
            p.aim_type == 1
            and p.prog_type == d.prog_type
            and p.std_code == d.std_code
            and p.learn_start_date is not None
            and (best is None or p.learn_start_date < best)
        ):
            best = p.learn_start_date
    return best


def days_between(a: date | None, b: date | None) -> int | None:
    if a is None or b is None:
        return None
    return (b - a).days


def is_levy(d: Delivery) -> bool:
    return d.has_fam("ACT", "1")


def in_custody(d: Delivery) -> bool:
    """LDM 034: OLASS, offenders in custody."""
    return d.has_fam("LDM", "034")


def blank(text: str | None) -> bool:
    return text is None or not text.strip()


def repeated(values: list[Any]) -> bool:
    """A value returned more than once (ESFA's cross-entity duplicate rules R07 ... R50)."""
    return len(values) != len(set(values))


def occurrences(monitoring: list[Any]) -> list[str]:
    """The occurrence letters of provider monitoring, as ESFA compares them: ignoring case,
    a missing one as blank."""
    return [(m.occur or "").upper() for m in monitoring]


def odd_occurrence(monitoring: list[Any], letters: tuple[str, ...]) -> bool:
    """An occurrence returned that is none of `letters` (ProvSpec*MonOccur_01)."""
    return any(o.strip() and o not in letters for o in occurrences(monitoring))
