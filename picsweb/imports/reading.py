"""Reading an uploaded table: CSV (chosen separator; UTF-8 with or without BOM, or
Windows-1252 as Excel writes it) or XLSX (read-only). Anything else, or a file that cannot be
read, raises ImportFileError with one plain message."""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, Any

SEPARATORS = {",": "Comma (,)", ";": "Semicolon (;)", "\t": "Tab", "|": "Pipe (|)"}
Cell = str | int | float | bool | date | datetime | time | timedelta | None

XLSX_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, plainly."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    format: str  # "csv" or "xlsx"
    headers: list[str]
    rows: Iterator[tuple[int, list[Cell]]]  # (row number as the spreadsheet shows it, cells)
    encoding: str = ""


def sniff_format(head: bytes) -> str:
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.startswith(OLD_EXCEL_MAGIC):
        raise ImportFileError(
            "This is an old-style Excel (.xls) file. Save it as .xlsx or CSV and upload it again."
        )
    if b"\x00" in head:
        raise ImportFileError("This is not a CSV or XLSX file: it holds binary data.")
    return "csv"


def _csv_encoding(handle: IO[bytes]) -> str:
    """UTF-8 (BOM or not) when every byte decodes as UTF-8, else Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    handle.seek(0)
    try:
        while chunk := handle.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        handle.seek(0)
    return "utf-8-sig"


def open_table(handle: IO[bytes], separator: str = ",") -> Table:
    """Opens the table in `handle` (a binary file positioned anywhere)."""
    handle.seek(0)
    head = handle.read(4096)
    handle.seek(0)
    if not head.strip():
        raise ImportFileError("The file is empty.")
    if sniff_format(head) == "xlsx":
        return _open_xlsx(handle)
    return _open_csv(handle, separator)


def _open_csv(handle: IO[bytes], separator: str) -> Table:
    if separator not in SEPARATORS:
        raise ImportFileError("Choose a separator: comma, semicolon, tab or pipe.")
    encoding = _csv_encoding(handle)
    import io

    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=separator, strict=True)
    try:
        headers = next(reader)
    except StopIteration:
        raise ImportFileError("The file is empty.") from None
    except csv.Error as error:
        raise ImportFileError(f"Row 1 is not valid CSV ({error}).") from None
    if len(headers) == 1 and separator != "," and "," in headers[0]:
        raise ImportFileError(
            "The header row has one column only: is the separator right? This file looks "
            "comma-separated."
        )

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        number = 1
        try:
            for record in reader:
                number += 1
                yield number, list(record)
        except csv.Error as error:
            raise ImportFileError(
                f"Row {number + 1} is not valid CSV ({error}). Nothing was read past it."
            ) from None

    return Table("csv", [h for h in headers], rows(), encoding)


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formulas(handle: IO[bytes]) -> bool:
    """Whether any worksheet of the workbook holds a formula (an <f> element)."""
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            for name in archive.namelist():
                if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
                    continue
                with archive.open(name) as sheet:
                    tail = b""
                    while chunk := sheet.read(1 << 20):
                        if _FORMULA_TAG.search(tail + chunk):
                            return True
                        tail = chunk[-16:]
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportFileError(f"The XLSX file cannot be opened ({error}).") from None
    finally:
        handle.seek(0)
    return False


def _open_xlsx(handle: IO[bytes]) -> Table:
    """Most workbooks are read with calamine (fast). A workbook with formulas is read with
    openpyxl, which tells which cells hold them, so each gets its own message."""
    if _has_formulas(handle):
        return _open_xlsx_with_openpyxl(handle)
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(handle).get_sheet_by_index(0)
        records = sheet.iter_rows()
        first = next(records, None)
    except (CalamineError, ValueError, OSError) as error:
        raise ImportFileError(f"The XLSX file cannot be opened ({error}).") from None
    if first is None:
        raise ImportFileError("The first sheet of the workbook is empty.")
    headers = _xlsx_headers(first)
    offset = (sheet.start or (0, 0))[0]  # rows above the used area

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for number, record in enumerate(records, start=offset + 2):
            yield number, list(record)

    return Table("xlsx", headers, rows())


def _xlsx_headers(first: list[Any]) -> list[str]:
    headers = ["" if h is None else str(h) for h in first]
    while headers and headers[-1] == "":
        headers.pop()
    return headers


def _open_xlsx_with_openpyxl(handle: IO[bytes]) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise ImportFileError(f"The XLSX file cannot be opened ({error}).") from None
    sheet = workbook.worksheets[0]
    # Cells are read with their type: a formula cell reads as its formula text ("=A1+1"),
    # marked here as Formula so that text that merely starts with "=" is not taken for one.
    cell_rows = sheet.iter_rows()
    try:
        first = [cell.value for cell in next(cell_rows)]
    except StopIteration:
        raise ImportFileError("The first sheet of the workbook is empty.") from None
    headers = _xlsx_headers(first)

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for number, record in enumerate(cell_rows, start=2):
                yield (
                    number,
                    [
                        Formula(cell.value) if cell.data_type == "f" else cell.value
                        for cell in record
                    ],
                )
        finally:
            workbook.close()

    return Table("xlsx", headers, rows())


class Formula(str):
    """The text of a formula found in an XLSX cell."""

    __slots__ = ()


def is_blank_row(cells: list[Any]) -> bool:
    for cell in cells:
        if cell is not None and (not isinstance(cell, str) or cell.strip()):
            return False
    return True
