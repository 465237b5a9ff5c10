"""Files that people open in a spreadsheet: every text cell is made safe from formula
injection (OWASP: a cell starting with = + - @ tab or carriage return is prefixed with a
single quote so Excel shows it as text instead of running it)."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.core.files import File

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


class SafeCsvFile:
    """A CSV file being written for people to open in a spreadsheet: UTF-8 with a BOM (so
    Excel reads it as UTF-8), every cell through safe_cell. Writes to `handle`, or to a new
    temporary file; `finish` returns it rewound, as a File."""

    def __init__(self, handle: IO[bytes] | None = None) -> None:
        self.handle = handle if handle is not None else tempfile.TemporaryFile()  # noqa: SIM115
        self._text = io.TextIOWrapper(self.handle, encoding="utf-8-sig", newline="")
        self._writer = SafeCsvWriter(self._text)
        self.rows = 0

    def writerow(self, row: Sequence[Any]) -> None:
        self._writer.writerow(row)
        self.rows += 1

    def finish(self) -> File[bytes]:
        self._text.flush()
        self._text.detach()  # leaves the binary file open for the caller
        self.handle.seek(0)
        return File(self.handle)


def safe_csv_file(
    rows: Iterable[Sequence[Any]], progress: Callable[[int], None] | None = None
) -> File[bytes]:
    """`rows` (the header first) as a SafeCsvFile in a temporary file; `progress` hears the
    number of rows after the header every 500 rows."""
    csv_file = SafeCsvFile()
    for row in rows:
        csv_file.writerow(row)
        if progress and csv_file.rows % 500 == 1 and csv_file.rows > 1:
            progress(csv_file.rows - 1)
    return csv_file.finish()


# What XML 1.0 cannot hold, so neither can an XLSX cell: C0 controls but tab, newline and
# carriage return; lone surrogates; U+FFFE and U+FFFF.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LOOKS_ESCAPED = re.compile("_(x[0-9A-Fa-f]{4}_)")


def xlsx_text(text: str) -> str:
    """Text as an XLSX cell holds it: a character XML cannot hold written as Excel writes it
    (_x000B_), and text that merely looks like such an escape escaped in turn (_x005F_x0041_),
    so Excel and our import read the value back as it was."""
    if "_x" in text:
        text = _LOOKS_ESCAPED.sub(r"_x005F_\1", text)
    if text.isprintable():
        return text
    return XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def xlsx_cell(sheet: Any, value: Any, number_format: str | None = None) -> Any:
    """A cell for an openpyxl write-only sheet. Text goes in as text, so a value starting
    with = stays text in Excel and is never run as a formula."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        value = xlsx_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif number_format and value is not None:
        cell.number_format = number_format
    return cell
