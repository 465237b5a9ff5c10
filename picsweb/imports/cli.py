"""The command-line face of the pipeline, shared by every import command: the report as
counts, then one line per problem (row number as the spreadsheet shows it, column, message);
the errors file beside the input; nothing changed without --confirm."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.management.base import CommandError, CommandParser, OutputWrapper

from picsweb.commands import provider_by_ukprn
from picsweb.imports.pipeline import ImportSpec, Pass, apply_plan, validate_file
from picsweb.imports.reading import SEPARATORS, ImportFileError


def add_import_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", help="The CSV or XLSX file.")
    parser.add_argument("--provider", required=True, help="The provider's UKPRN.")
    parser.add_argument("--separator", default=",", help="CSV separator: , ; | or \\t (default ,).")
    parser.add_argument(
        "--confirm", action="store_true", help="Apply the accepted rows (else change nothing)."
    )


def run_import(
    *, spec: ImportSpec, file: str, provider: str, separator: str, confirm: bool, out: OutputWrapper
) -> None:
    separator = "\t" if separator in ("\\t", "tab") else separator
    if separator not in SEPARATORS:
        raise CommandError("The separator must be one of , ; | \\t")
    found = provider_by_ukprn(provider)
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"No file at {path}.")
    with path.open("rb") as handle, tempfile.TemporaryFile() as plan:
        try:
            summary, file_format, errors = validate_file(
                spec=spec,
                provider=found,
                handle=handle,
                separator=separator,
                keep_problems=None,
                plan=plan,
            )
        except ImportFileError as error:
            raise CommandError(error.message) from None
        _report(summary, errors, path, file_format, out)
        if not confirm:
            out.write("Nothing was changed (add --confirm to import the accepted rows).")
            return
        if not summary.accepted:
            raise CommandError("No rows can be imported.")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        try:
            batch = apply_plan(
                spec=spec, provider=found, plan=plan, file_name=path.name, sha256=digest
            )
        except ImportFileError as error:
            raise CommandError(error.message) from None
    out.write(f"Imported: {batch.created_count} new, {batch.updated_count} updated.")


def _report(
    summary: Pass, errors: File[bytes] | None, path: Path, file_format: str, out: OutputWrapper
) -> None:
    out.write(
        f"{summary.rows} rows: {summary.accepted} can be imported ({summary.new} new, "
        f"{summary.updated} updated, {summary.unchanged} unchanged), "
        f"{summary.problem_rows} have errors."
    )
    for problem in summary.problems:
        column = f", {problem.column}" if problem.column else ""
        value = f" (value: {problem.value!r})" if problem.value else ""
        out.write(f"Row {problem.row}{column}: {problem.message}{value}")
    if errors is not None:
        errors_path = path.with_name(f"{path.stem}-errors.{file_format}")
        errors_path.write_bytes(errors.read())
        out.write(f"The rows with errors are in {errors_path}.")
