"""Identifier rules: ULN, UPN, UKPRN, postcode, learner reference number.

Each rule follows docs/identifiers.md (copied from the project's shared spec), which names the
public implementation it was checked against.
"""

from __future__ import annotations

import re

TEMPORARY_ULN = "9999999999"

_ULN_RE = re.compile(r"^[1-9]\d{9}$")
_UKPRN_RE = re.compile(r"^1\d{7}$")
_LRN_RE = re.compile(r"^[A-Za-z0-9 ]{1,12}$")
_ILR_POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?\s[0-9][ABD-HJLNP-UWXYZ]{2}$")
_UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"  # no I, O, S: values 0-22

# The 126 postcode areas: the 120 Great Britain areas in learners/data/uk_postcode_outcodes.csv
# plus Northern Ireland, the Channel Islands, the Isle of Man and the two BFPO areas.
POSTCODE_AREAS = frozenset(
    """AB AL B BA BB BD BH BL BN BR BS CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY
    E EC EH EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE LL
    LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK
    SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
    BT GY JE IM BF BX""".split()
)
UNKNOWN_POSTCODE = "ZZ99 9ZZ"
_POSTCODE_RE = re.compile(r"^([A-Z]{1,2})[0-9][0-9A-Z]?[0-9][ABD-HJLNP-UW-Z]{2}$")


def uln_check_digit_ok(uln: str) -> bool:
    """The ULN mod-11 check (ILR rule ULN_04). Does not accept the temporary ULN."""
    if not _ULN_RE.match(uln):
        return False
    total = sum(int(d) * w for d, w in zip(uln[:9], range(10, 1, -1), strict=True))
    remainder = total % 11
    return remainder != 0 and int(uln[9]) == 10 - remainder


def uln_problem(uln: str) -> str | None:
    """A plain message saying what is wrong with a ULN, or None when it is a real ULN."""
    uln = uln.strip()
    if not uln:
        return "The ULN is missing."
    if uln == TEMPORARY_ULN:
        return "9999999999 is the temporary ULN, not the learner's own."
    if not _ULN_RE.match(uln):
        return "A ULN is 10 digits and does not start with 0."
    if not uln_check_digit_ok(uln):
        return f"The ULN {uln} fails its check digit."
    return None


_AGREEMENT_RE = re.compile(r"^[A-Za-z0-9]{1,6}$")


def agreement_id_problem(value: str) -> str | None:
    """The Apprenticeship Service's agreement ID (seed 000): up to 6 letters and digits."""
    if not _AGREEMENT_RE.match(value):
        return "The AS Agreement ID must be 1 to 6 letters and digits."
    return None


TEMPORARY_EMP_ID = "999999999"
_EMP_ID_RE = re.compile(r"^\d{9}$")


def emp_id_check_digit_ok(emp_id: str) -> bool:
    """The employer number's mod-11 check (ILR derived item DD05, rule EmpId_02): digit 9 is
    11 minus (digits 1-8 weighted 9 down to 2, mod 11); 11 gives 0 and 10 is never valid."""
    if not _EMP_ID_RE.match(emp_id):
        return False
    total = sum(int(d) * w for d, w in zip(emp_id[:8], range(9, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 10:
        return False
    return int(emp_id[8]) == (0 if check == 11 else check)


def emp_id_with_check_digit(first_eight: str) -> str | None:
    """`first_eight` digits completed with their check digit, or None when none fits."""
    for digit in "0123456789":
        if emp_id_check_digit_ok(first_eight + digit):
            return first_eight + digit
    return None


def emp_id_problem(emp_id: str) -> str | None:
    """A plain message saying what is wrong with an employer number (EmpId/ERN), or None."""
    if not _EMP_ID_RE.match(emp_id):
        return "An employer number (EDRS) is 9 digits."
    if emp_id == TEMPORARY_EMP_ID:
        return None  # the temporary EmpId, accepted for 60 days (rule EmpId_10)
    if not emp_id_check_digit_ok(emp_id):
        return f"The employer number {emp_id} fails its check digit."
    return None


def upn_problem(upn: str) -> str | None:
    """A plain message saying what is wrong with a UPN, or None when it is valid."""
    upn = upn.replace(" ", "").upper()
    if len(upn) != 13:
        return "A UPN is 13 characters."
    if upn[0] not in _UPN_ALPHABET:
        return "The first character of a UPN is a check letter."
    if not upn[1:12].isdigit():
        return "Characters 2 to 12 of a UPN are digits."
    last = upn[12]
    if not (last.isdigit() or last in _UPN_ALPHABET):
        return "The last character of a UPN is a digit or a letter other than I, O and S."
    total = 0
    for position, char in enumerate(upn[1:], start=2):
        value = int(char) if char.isdigit() else _UPN_ALPHABET.index(char)
        total += value * position
    if _UPN_ALPHABET[total % 23] != upn[0]:
        return "The UPN's check letter does not match."
    return None


def ukprn_ok(ukprn: str) -> bool:
    return bool(_UKPRN_RE.match(ukprn))


# A National Insurance number: two letters (D, F, I, Q, U, V never; O never second), six
# digits, a suffix A-D. ESFA's NINumber_01 takes the suffix as optional.
_NI_NUMBER = re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]?")
# Prefixes HMRC never issues (its National Insurance Manual, NIM39110).
_NI_NEVER = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})


def normalise_ni_number(text: str) -> str:
    return "".join(text.split()).upper()


def ni_number_problem(text: str) -> str | None:
    """A plain message saying what is wrong with a National Insurance number, or None."""
    ni = normalise_ni_number(text)
    if not _NI_NUMBER.fullmatch(ni):
        return (
            "A National Insurance number is two letters, six digits and a letter A to D, "
            "for example AB 12 34 56 C."
        )
    if ni[:2] in _NI_NEVER:
        return f"National Insurance numbers never start with {ni[:2]}."
    return None


def lrn_ok(lrn: str) -> bool:
    return bool(_LRN_RE.match(lrn))


def normalise_postcode(raw: str) -> str:
    """Upper-case, drop all white space (NBSP and zero-width too), one space before the inward
    code: " sw1a2aa " -> "SW1A 2AA"."""
    compact = "".join(ch for ch in raw if not ch.isspace() and ch not in "\u200b\u200c\u200d\ufeff")
    compact = compact.upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_problem(postcode: str) -> str | None:
    """Checks a normalised postcode; ZZ99 9ZZ (the ILR's 'unknown') is allowed."""
    if postcode == UNKNOWN_POSTCODE:
        return None
    match = _POSTCODE_RE.match(postcode.replace(" ", ""))
    if not match or match.group(1) not in POSTCODE_AREAS:
        return f"{postcode!r} is not a UK postcode."
    if not _ILR_POSTCODE_RE.match(postcode) or len(postcode) > 8:
        return f"{postcode!r} is not a postcode the ILR accepts."
    return None


def outcode(postcode: str) -> str:
    return normalise_postcode(postcode).split(" ")[0]
