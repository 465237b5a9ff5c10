"""Reading an uploaded table: CSV (chosen separator; UTF-8 with or without BOM, or
Windows-1252 as Excel writes it) or XLSX (read-only). Anything else, or a file that cannot be
read, raises ImportFileError with one plain message."""

from __future__ import annotations

import codecs
import csv
import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, Any

from picsweb.errors import UserError
from picsweb.imports import xlsx
from picsweb.imports.xlsx import Limits

logger = logging.getLogger(__name__)

SEPARATORS = {",": "Comma (,)", ";": "Semicolon (;)", "\t": "Tab", "|": "Pipe (|)"}
Cell = str | int | float | bool | date | datetime | time | timedelta | None

XLSX_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"


class ImportFileError(UserError):
    """The file as a whole cannot be imported; the message says why, plainly."""


@dataclass
class Table:
    format: str  # "csv" or "xlsx"
    headers: list[str]
    rows: Iterator[tuple[int, list[Cell]]]  # (row number as the spreadsheet shows it, cells)
    encoding: str = ""
    estimated_rows: int = 0  # for the progress bar, the header included; 0: unknown


OLD_EXCEL_MESSAGE = (
    "This is an old-style Excel (.xls) file. Save it as .xlsx or CSV and upload it again."
)


def sniff_format(head: bytes, *, xls: bool = False) -> str:
    """ "xlsx", "csv", or "xls" when the caller reads old-style Excel files (else refused)."""
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.startswith(OLD_EXCEL_MAGIC):
        if xls:
            return "xls"
        raise ImportFileError(OLD_EXCEL_MESSAGE)
    if head.startswith(_UTF16_BOMS):  # Excel's "Unicode Text": UTF-16, tab-separated
        return "csv"
    if b"\x00" in head:
        raise ImportFileError(
            "This file holds binary data: it is neither a CSV file nor an Excel workbook."
        )
    return "csv"


_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# The five bytes that Windows-1252 leaves undefined: no text file Excel writes holds them.
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


def _csv_encoding(handle: IO[bytes]) -> str:
    """UTF-16 when the file starts with its byte order mark (what Excel's "Unicode Text"
    writes); else UTF-8 (BOM or not) when every byte decodes as UTF-8, else Windows-1252 when
    every byte is one; else the file is refused, naming the line of the first byte that is
    neither."""
    handle.seek(0)
    if handle.read(2) in _UTF16_BOMS:
        if not _decodes(handle, "utf-16"):
            raise ImportFileError(
                "The file starts as UTF-16 text but is not UTF-16 throughout. Save it again as "
                "CSV UTF-8 and upload it again."
            )
        return "utf-16"
    if _decodes(handle, "utf-8"):
        return "utf-8-sig"
    _check_cp1252(handle)
    handle.seek(0)
    return "cp1252"


def _decodes(handle: IO[bytes], encoding: str) -> bool:
    """Whether the whole file is text in `encoding` (read a megabyte at a time)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    handle.seek(0)
    try:
        while chunk := handle.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        handle.seek(0)
    return True


def _check_cp1252(handle: IO[bytes]) -> None:
    handle.seek(0)
    lines = 0
    while chunk := handle.read(1 << 20):
        found = _NOT_CP1252.search(chunk)
        if found:
            line = lines + chunk.count(b"\n", 0, found.start()) + 1
            raise ImportFileError(
                f"Line {line} of the file holds a byte (0x{found.group()[0]:02X}) that is not text "
                "in UTF-8 or in Windows-1252: is it a CSV file? Save it again as CSV UTF-8 and "
                "upload it again."
            )
        lines += chunk.count(b"\n")


def open_table(
    handle: IO[bytes], separator: str = ",", *, xls: bool = False, sheet: str | None = None
) -> Table:
    """Opens the table in `handle` (a binary file positioned anywhere); old-style Excel files
    only when `xls` (the import takes them), else refused with a plain message. A workbook is
    read from its first sheet, or from the one named `sheet`."""
    handle.seek(0)
    head = handle.read(4096)
    handle.seek(0)
    if not head.strip():
        raise ImportFileError("The file is empty.")
    found = sniff_format(head, xls=xls)
    if found == "xlsx":
        return _open_xlsx(handle, sheet)
    if found == "xls":
        return _open_xls(handle, sheet)
    return _open_csv(handle, separator)


def csv_header(handle: IO[bytes], separator: str) -> list[str]:
    """The header row of a CSV file, with the checks of `open_table` (encoding, separator,
    width), read at upload so a wrong file is refused on the upload page. Leaves `handle`
    open, at its start."""
    import io

    encoding = _csv_encoding(handle)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    try:
        return _csv_header(csv.reader(text, delimiter=separator, strict=True), separator)
    finally:
        text.detach()
        handle.seek(0)


def _csv_header(reader: Any, separator: str) -> list[str]:
    try:
        headers: list[str] = next(reader)
    except StopIteration:
        raise ImportFileError("The file is empty.") from None
    except csv.Error as error:
        raise ImportFileError(f"Row 1 is not valid CSV ({error}).") from None
    limits = xlsx_limits()
    if len(headers) > limits.max_columns:
        raise ImportFileError(
            f"The header row has {len(headers):,} columns; this import reads at most "
            f"{limits.max_columns:,}."
        )
    if len(headers) == 1:
        used = next((s for s in SEPARATORS if s != separator and s in headers[0]), None)
        if used is not None:
            raise ImportFileError(
                "The header row has one column only, so the separator is not the one this file "
                f"uses: it seems to use {SEPARATORS[used].lower()}. Choose it as the separator "
                "and upload the file again."
            )
    return headers


def _empty(name: str | None) -> str:
    return f"The sheet '{name}' is empty." if name else "The first sheet of the workbook is empty."


def _open_xls(handle: IO[bytes], name: str | None = None) -> Table:
    """An old-style Excel workbook (the portal's learner import takes them: seed 003 §7.2d),
    read with calamine; its errors file is written as XLSX."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(handle)
        if name is None:
            sheet = workbook.get_sheet_by_index(0)
        else:
            names = {n.strip().lower(): n for n in workbook.sheet_names}
            if name.lower() not in names:
                raise ImportFileError(f"The workbook has no sheet named '{name}'.")
            sheet = workbook.get_sheet_by_name(names[name.lower()])
        records = sheet.iter_rows()
        first = next(records, None)
    except (CalamineError, ValueError, OSError) as error:
        raise ImportFileError(f"The XLS file cannot be opened ({error}).") from None
    if first is None:
        raise ImportFileError(_empty(name))
    headers = _xlsx_headers(first)
    offset = (sheet.start or (0, 0))[0]

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for number, record in enumerate(records, start=offset + 2):
            yield number, list(record)

    return Table("xls", headers, rows())


def _open_csv(handle: IO[bytes], separator: str) -> Table:
    if separator not in SEPARATORS:
        raise ImportFileError("Choose a separator: comma, semicolon, tab or pipe.")
    encoding = _csv_encoding(handle)
    import io

    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=separator, strict=True)
    headers = _csv_header(reader, separator)
    limits = xlsx_limits()

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        number = 1
        try:
            for record in reader:
                number += 1
                if number > limits.max_rows + 1:
                    raise ImportFileError(
                        f"The file has more than {limits.max_rows:,} rows after the header, "
                        "the most this import reads: split it."
                    )
                yield number, list(record)
        except csv.Error as error:
            raise ImportFileError(
                f"Row {number + 1} is not valid CSV ({error}). Nothing was read past it."
            ) from None

    return Table("csv", [h for h in headers], rows(), encoding)


def _open_xlsx(handle: IO[bytes], sheet: str | None = None) -> Table:
    """The first sheet (or the one named `sheet`), read by xlsx.py in a process of its own
    under a memory limit (see there why), one row at a time as that process reads it."""
    found: dict[str, int] = {}
    rows = _xlsx_rows(handle, found, sheet)
    first = next(rows, None)
    if first is None:
        rows.close()
        raise ImportFileError(_empty(sheet))
    headers = _xlsx_headers(first[1])
    return Table("xlsx", headers, rows, estimated_rows=found.get("rows", 0))


def xlsx_limits() -> Limits:
    from django.conf import settings

    return Limits(
        max_rows=settings.IMPORT_MAX_ROWS,
        max_columns=settings.IMPORT_MAX_COLUMNS,
        max_cell_chars=settings.IMPORT_MAX_CELL_CHARS,
        memory_mb=settings.IMPORT_MEMORY_LIMIT_MB,
    )


def _xlsx_rows(
    handle: IO[bytes], found: dict[str, int], sheet: str | None = None
) -> Generator[tuple[int, list[Cell]]]:
    """The rows as the reader process sends them; `found` gets "rows", its count of the
    sheet's rows, before the first row comes."""
    limits = xlsx_limits()
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as copy, tempfile.TemporaryFile() as errors:
        handle.seek(0)
        shutil.copyfileobj(handle, copy)
        copy.flush()
        handle.seek(0)
        # Run as a script (not -m picsweb…): the reader needs neither Django nor Celery.
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-I",
                xlsx.__file__,
                limits.as_json(),
                copy.name,
                *([sheet] if sheet else []),
            ],
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        assert process.stdout is not None
        try:
            for line in process.stdout:
                item = json.loads(line, object_hook=_xlsx_value)
                if isinstance(item, list):  # a batch of [number, cells]
                    yield from item
                elif "rows" in item:
                    found["rows"] = item["rows"]
                elif "error" in item:
                    raise ImportFileError(item["error"])
                else:
                    return
            process.wait()
            errors.seek(0)
            logger.warning(
                "The XLSX reader stopped (exit %s): %s",
                process.returncode,
                errors.read()[-2000:].decode(errors="replace"),
            )
            # Without its last line, the reader was ended by the memory limit (an abort in
            # C code that could not allocate) or killed.
            raise ImportFileError(xlsx.MEMORY_MESSAGE.format(limit=limits.memory_mb))
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
            process.stdout.close()


def _xlsx_value(item: dict[str, Any]) -> Any:
    if len(item) == 1:
        if "formula" in item:
            return Formula(item["formula"])
        if "date" in item:
            return date.fromisoformat(item["date"])
        if "datetime" in item:
            return datetime.fromisoformat(item["datetime"])
        if "time" in item:
            return time.fromisoformat(item["time"])
        if "seconds" in item:
            return timedelta(seconds=item["seconds"])
    return item


def _xlsx_headers(first: list[Any]) -> list[str]:
    headers = ["" if h is None else str(h) for h in first]
    while headers and headers[-1] == "":
        headers.pop()
    return headers


class Formula(str):
    """The text of a formula found in an XLSX cell."""

    __slots__ = ()


def is_blank_row(cells: list[Any]) -> bool:
    for cell in cells:
        if cell is not None and (not isinstance(cell, str) or cell.strip()):
            return False
    return True
