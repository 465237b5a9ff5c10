"""The errors file: the original rows that have problems plus an ERRORS column, in the
upload's format, so it re-uploads as it is once corrected."""

from __future__ import annotations

import tempfile
from typing import IO, TYPE_CHECKING

from django.core.files import File

from picsweb.imports.reading import Table
from picsweb.spreadsheets import SafeCsvFile, xlsx_cell

if TYPE_CHECKING:
    pass
from picsweb.imports.rows import ERRORS_COLUMN, NAMED_AT_MOST, Problem, Row


class ErrorsFile:
    """The rows that have problems, as they were, with an ERRORS column: fix them in place
    and upload the file again (the ERRORS column is ignored on upload). Made on the first
    row with a problem."""

    def __init__(self, table: Table) -> None:
        self.format = table.format
        self.headers = [*table.headers, ERRORS_COLUMN]
        self.file: IO[bytes] | None = None

    def _start(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - returned by finish()
        if self.format == "csv":
            self.csv_file = SafeCsvFile(self.file)
            self.csv_file.writerow(self.headers)
        else:
            from openpyxl import Workbook

            self.workbook = Workbook(write_only=True)
            self.sheet = self.workbook.create_sheet("Errors")
            self.sheet.append([xlsx_cell(self.sheet, name) for name in self.headers])

    def add(self, row: Row, problems: list[Problem]) -> None:
        if self.file is None:
            self._start()
        width = len(self.headers) - 1
        cells = (row.cells + [None] * width)[:width]
        message = "; ".join(
            f"{p.column}: {p.message}" if p.column else p.message for p in problems[:NAMED_AT_MOST]
        )
        if len(problems) > NAMED_AT_MOST:
            message += f"; and {len(problems) - NAMED_AT_MOST:,} more"
        if self.format == "csv":
            self.csv_file.writerow([*cells, message])
        else:
            self.sheet.append([xlsx_cell(self.sheet, value) for value in [*cells, message]])

    def finish(self) -> File[bytes] | None:
        if self.file is None:
            return None
        if self.format == "csv":
            return self.csv_file.finish()
        self.workbook.save(self.file)
        self.file.seek(0)
        return File(self.file)


# --- the owner decides ------------------------------------------------------------------------
