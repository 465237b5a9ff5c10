"""Files that people open in a spreadsheet: every text cell is made safe from formula
injection (OWASP: a cell starting with = + - @ tab or carriage return is prefixed with a
single quote so Excel shows it as text instead of running it)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str | int | Decimal | float:
    """The value as written to a cell: numbers stay numbers, dates dd/mm/yyyy, text made safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, int | Decimal | float):
        return value
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class SafeCsvWriter:
    """csv.writer that passes every cell through safe_cell."""

    def __init__(self, handle: IO[str], delimiter: str = ",") -> None:
        self._writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")

    def writerow(self, row: Sequence[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.writerow(row)
