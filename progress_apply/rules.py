"""The portal's field rules, with the seed's own messages (seed 003 §3.3, §3.4, §5.1; inventory
R8-R12, R20, R44). Each rule is a function returning the cleaned value or raising
`RuleError(message)`, shared by the forms, the learner import and the account pages."""

from __future__ import annotations

import re
import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from learners.identifiers import normalise_postcode, postcode_problem, uln_problem, upn_problem
from picsweb.errors import UserError
from picsweb.forms import CONTROL_CHARACTERS as CONTROL_CHARACTERS
from picsweb.forms import control_character_found
from picsweb.forms import line_ends as line_ends
from picsweb.imports.cells import FORMULA_STARTS
from progress_apply.models import Ethnicity, Gender

REQUIRED = "This field is required"
# Not a seed message (the seed has none for it): a first password must not be the issued one.
PASSWORD_NOT_NEW = "Choose a new password, not the one you have now"  # noqa: S105 - a message
LEARNER_USERNAME = (
    "This field is required and must be between 6 and 127 characters and contain only "
    "letters, numbers or these characters (@._-)"
)
_PW_RULE = (
    "This field is required and must be between 6 and 20 characters and contain at least one "
    "letter and one symbol or number"
)
PASSWORD_MESSAGE = _PW_RULE
# Seed §3.3 says 6-256; Django's user table holds 150 characters (see the report/README).
MANAGER_USERNAME_MAX = 150
MANAGER_USERNAME = (
    f"The username must be between 6 and {MANAGER_USERNAME_MAX} characters and may contain "
    "letters, numbers or a few select characters (@.-_)"
)
USERNAME_TAKEN = "This username is already taken: choose another"
EMAIL = "Enter a valid email address"
POSTCODE = "Postcodes must be full UK postcodes"
TELEPHONE = "Enter a valid UK telephone number with no spaces, eg 0123456789"
ULN = "Enter the Unique Learner Number (ULN) which must be 10 characters in length"
UPN = "Enter the Unique Pupil Number (UPN) which must be 13 characters in length"
CCIS = "Enter the CCIS ID which must be 10 characters in length"
DATE_OF_BIRTH = "Enter a real date of birth"

_USERNAME_RE = re.compile(r"^[A-Za-z0-9@._-]+$")
_TELEPHONE_RE = re.compile(r"^(?:0|\+44)[1-9]\d{8,9}$")
_CCIS_RE = re.compile(r"^[A-Za-z0-9]{10}$")
# Generated passwords: upper-case letters and digits that cannot be mistaken for each other.
PASSWORD_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # noqa: S105 - an alphabet
PASSWORD_DIGITS = "23456789"  # noqa: S105 - an alphabet


class RuleError(UserError, ValueError):
    """A value a portal rule refuses; `message` is the sentence to show next to the field."""


def learner_username(value: str) -> str:
    value = value.strip()
    if not 6 <= len(value) <= 127 or not _USERNAME_RE.match(value):
        raise RuleError(LEARNER_USERNAME)
    return value


def manager_username(value: str) -> str:
    value = value.strip()
    if not 6 <= len(value) <= MANAGER_USERNAME_MAX or not _USERNAME_RE.match(value):
        raise RuleError(MANAGER_USERNAME)
    return value


def password(value: str) -> str:
    """6-20 characters, at least one letter and at least one digit or symbol (§3.4)."""
    if not 6 <= len(value) <= 20:
        raise RuleError(PASSWORD_MESSAGE)
    if not any(ch.isalpha() for ch in value) or all(ch.isalpha() for ch in value):
        raise RuleError(PASSWORD_MESSAGE)
    return value


def required(value: str) -> str:
    value = value.strip()
    if not value:
        raise RuleError(REQUIRED)
    return value


def name(value: str) -> str:
    """A first or last name: required, and not starting as a spreadsheet formula does (the
    name goes on into learner records, the AS cohort file and downloads; the staff Learner
    Import refuses the same)."""
    value = required(value)
    if value.startswith(FORMULA_STARTS):
        raise RuleError(
            f"A name cannot start with {value[0]}, which a spreadsheet runs as a formula"
        )
    return value


def email(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise RuleError(EMAIL) from None
    # As GOV.UK Notify: a domain of two labels at least, the last 2-63 letters (or xn--).
    labels = value.rsplit("@", 1)[1].split(".")
    last = labels[-1]
    last_ok = (last.isalpha() and 2 <= len(last) <= 63) or last.startswith("xn--")
    if len(labels) < 2 or not last_ok:
        raise RuleError(EMAIL)
    return value.lower()


def postcode(value: str) -> str:
    if not value.strip():
        return ""
    normalised = normalise_postcode(value)
    if postcode_problem(normalised) is not None:
        raise RuleError(POSTCODE)
    return normalised


def telephone(value: str) -> str:
    value = value.strip()
    if value and not _TELEPHONE_RE.match(value):
        raise RuleError(TELEPHONE)
    return value


def uln(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    problem = uln_problem(value)
    if problem is not None:
        raise RuleError(ULN if len(value) != 10 or not value.isdigit() else f"{ULN}: {problem}")
    return value


def upn(value: str) -> str:
    value = value.replace(" ", "").upper()
    if not value:
        return ""
    problem = upn_problem(value)
    if problem is not None:
        raise RuleError(UPN if len(value) != 13 else f"{UPN}: {problem}")
    return value


def ccis(value: str) -> str:
    value = value.strip()
    if value and not _CCIS_RE.match(value):
        raise RuleError(CCIS)
    return value


def date_of_birth(value: date, *, today: date) -> date:
    """A real date, the learner aged 11 to 25 (A: the portal is for 13-19 year olds)."""
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if not 11 <= age <= 25:
        raise RuleError("The learner must be between 11 and 25 years old")
    return value


def choice_by_label(value: str, choices: type[Gender] | type[Ethnicity], column: str) -> str:
    """A gender or ethnicity given as the seed writes it (any case)."""
    wanted = " ".join(value.split()).casefold()
    if not wanted:
        return ""
    for member in choices:
        if member.label.casefold() == wanted:
            return str(member.value)
    labels = ", ".join(str(m.label) for m in choices)
    raise RuleError(f"{column} must be one of: {labels}")


def generated_password() -> str:
    """8 characters of unambiguous upper-case letters and digits, at least one of each (A7)."""
    alphabet = PASSWORD_LETTERS + PASSWORD_DIGITS
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(8))
        if any(c in PASSWORD_DIGITS for c in candidate) and any(
            c in PASSWORD_LETTERS for c in candidate
        ):
            return candidate


def username_base(first_name: str, last_name: str) -> str:
    """First initial + last name, ASCII letters only (A7): "Bob", "Learner" -> "BLearner"."""

    def letters(text: str) -> str:
        return "".join(ch for ch in text if ch.isascii() and ch.isalpha())

    base = (letters(first_name)[:1].upper() + letters(last_name))[:120]
    return base or "Learner"


class PortalPasswordValidator:
    """Django password validator with the seed's rule (for everyone: §3.4, §5.1)."""

    def validate(self, password_text: str, user: object = None) -> None:
        try:
            password(password_text)
        except RuleError as error:
            raise ValidationError(error.message, code="portal_password") from None

    def get_help_text(self) -> str:
        return (
            "Your password must be between 6 and 20 characters and contain at least one letter "
            "and one symbol or number."
        )


def plain_text(value: str) -> str:
    """Free text without control characters (tab and new line allowed)."""
    if control_character_found(value):
        raise RuleError(CONTROL_CHARACTERS)
    return value
