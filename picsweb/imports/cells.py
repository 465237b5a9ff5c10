"""Turning one cell of an uploaded table into a value, or a plain message saying what is
wrong with it (CellError). Nothing is rounded, trimmed or guessed."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from picsweb.errors import UserError
from picsweb.imports.reading import Cell, Formula

_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MONEY_RE = re.compile(r"^\d+(\.\d+)?$")
FORMULA_STARTS = ("=", "+", "-", "@")


class CellError(UserError):
    """A problem the user can act on (picsweb.errors.UserError)."""


def is_formula(value: Cell) -> bool:
    """An XLSX cell that holds a formula (reading.Formula), not text starting with '='."""
    return isinstance(value, Formula)


def as_text(value: Cell, *, max_length: int | None = None) -> str:
    """The cell as text, exactly as given. Our own downloads prefix formula-like text with a
    single quote (picsweb.spreadsheets); that quote is taken off again here."""
    if type(value) is str:  # the usual case, first
        text = value
    elif value is None:
        return ""
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime | date):
        raise CellError("Expected text, found a date.")
    else:
        text = str(value)
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        text = text[1:]
    if max_length is not None and len(text) > max_length:
        raise CellError(f"At most {max_length} characters ({len(text)} given).")
    return text


def as_code(value: Cell) -> str:
    """A code or identifier: text with no spaces around it."""
    text = as_text(value)
    if text != text.strip():
        raise CellError("Remove the spaces before or after the value.")
    return text


def as_date(value: Cell) -> date | None:
    """dd/mm/yyyy text (d/m/yyyy too), or a real date in an XLSX cell. Blank: None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        raise CellError("Expected a date as dd/mm/yyyy, found a number: format the cell as a date.")
    if not isinstance(value, str):
        raise CellError("Enter the date as dd/mm/yyyy, for example 30/10/2020.")
    if len(value) == 10 and value[2] == "/" and value[5] == "/":  # the usual dd/mm/yyyy
        parts = (value[6:], value[3:5], value[:2])
        if not (parts[0].isdigit() and parts[1].isdigit() and parts[2].isdigit()):
            raise CellError("Enter the date as dd/mm/yyyy, for example 30/10/2020.")
    else:
        match = _DATE_RE.match(value)
        if not match:
            raise CellError("Enter the date as dd/mm/yyyy, for example 30/10/2020.")
        parts = (match.group(3), match.group(2), match.group(1))
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise CellError("This date does not exist.") from None


def as_money(value: Cell) -> Decimal | None:
    """An amount in pounds with at most 2 decimal places, never negative. Blank: None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | datetime | date):
        raise CellError("Expected an amount such as 12.00.")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    elif not isinstance(value, str):
        raise CellError("Expected an amount such as 12.00.")
    else:
        if value.startswith("£"):
            raise CellError("Enter the amount without the £ sign, for example 12.00.")
        if not _MONEY_RE.match(value):
            raise CellError("Enter the amount in pounds and pence, for example 12.00.")
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise CellError("Enter the amount in pounds and pence, for example 12.00.") from None
    if amount < 0:
        raise CellError("The amount cannot be negative: use CREDIT/DEBIT for the direction.")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise CellError("An amount has at most 2 decimal places (pence).")
    if amount >= Decimal("1000000000"):
        raise CellError("The amount is too large.")
    return amount


def display(value: Cell | Decimal) -> str:
    """A cell as the report shows it."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)
