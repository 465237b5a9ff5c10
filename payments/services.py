"""The Learner Payment Report: the payment records of a provider with exactly the import's
column names (plus the provider's user-defined fields), as CSV or XLSX."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from django.core.files import File
from django.db.models import QuerySet

from learners.models import Provider
from payments import columns as c
from payments.models import PaymentRecord, UserDefinedField
from picsweb.spreadsheets import SafeCsvFile, xlsx_cell

FORMATS = ("csv", "xlsx")


def payment_report_headers(*, provider: Provider) -> list[str]:
    udfs = UserDefinedField.objects.filter(provider=provider).values_list("name", flat=True)
    return [*c.COLUMNS, *udfs]


def payment_report_rows(
    *, records: QuerySet[PaymentRecord], headers: list[str]
) -> Iterator[list[Any]]:
    """One row per record, each column written from its source in c.REPORT_SOURCES (in the
    order of `headers`: the import's columns, then the user-defined fields)."""
    udfs = headers[len(c.COLUMNS) :]
    sources = [c.REPORT_SOURCES[name] for name in headers[: len(c.COLUMNS)]]
    fields = [source for source in sources if source is not None]
    # Where each column's value is in a values_list row; -1: the column is left blank.
    positions = [fields.index(source) if source is not None else -1 for source in sources]
    ordered = records.order_by("episode__learner__lrn", "episode__ident", "expected_date", "id")
    for row in ordered.values_list(*fields, "user_fields").iterator(chunk_size=2000):
        user_fields = row[-1]
        yield [
            *(row[p] if p >= 0 else "" for p in positions),
            *(user_fields.get(name, "") for name in udfs),
        ]


def payment_report_write(
    *,
    provider: Provider,
    records: QuerySet[PaymentRecord],
    file_format: str,
    handle: IO[bytes],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Writes the report; returns how many records. Text is safe from formula injection."""
    headers = payment_report_headers(provider=provider)
    count = 0
    if file_format == "csv":
        csv_file = SafeCsvFile(handle)
        csv_file.writerow(headers)
        for row in payment_report_rows(records=records, headers=headers):
            csv_file.writerow(row)
            count += 1
            if progress and count % 1000 == 0:
                progress(count)
        csv_file.finish()
        return count
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Learner Payment Report")
    sheet.append(headers)
    date_columns = {headers.index(name) for name in c.DATE_COLUMNS}
    for row in payment_report_rows(records=records, headers=headers):
        sheet.append(
            [
                xlsx_cell(sheet, value, "DD/MM/YYYY" if position in date_columns else None)
                for position, value in enumerate(row)
            ]
        )
        count += 1
        if progress and count % 1000 == 0:
            progress(count)
    workbook.save(handle)
    return count


def payment_report_file(
    *,
    provider: Provider,
    records: QuerySet[PaymentRecord],
    file_format: str,
    progress: Callable[[int], None] | None = None,
) -> File[bytes]:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller as a File
    payment_report_write(
        provider=provider,
        records=records,
        file_format=file_format,
        handle=handle,
        progress=progress,
    )
    handle.seek(0)
    return File(handle)
