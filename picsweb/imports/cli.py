"""The command-line face of the pipeline, shared by every import command: the report as
counts, then one line per problem (row number as the spreadsheet shows it, column, message);
the errors file beside the input; nothing changed without --confirm."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files import File
from django.core.management.base import CommandError, CommandParser, OutputWrapper
from django.template.defaultfilters import pluralize

from picsweb.commands import provider_by_ukprn
from picsweb.errors import UserError
from picsweb.imports.pipeline import ImportSpec, Pass, apply_plan, validate_file
from picsweb.imports.reading import SEPARATORS
from picsweb.jobs import short_file_name
from picsweb.models import Provider

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def add_import_arguments(parser: CommandParser, *, provider: bool = True) -> None:
    parser.add_argument("file", help="The CSV or XLSX file.")
    if provider:
        parser.add_argument("--provider", required=True, help="The provider's UKPRN.")
    parser.add_argument("--separator", default=",", help="CSV separator: , ; | or \\t (default ,).")
    parser.add_argument(
        "--confirm", action="store_true", help="Apply the accepted rows (else change nothing)."
    )


def run_import(
    *,
    spec: ImportSpec,
    file: str,
    provider: str | Provider,
    separator: str,
    confirm: bool,
    out: OutputWrapper,
    owner: User | None = None,
) -> None:
    """Validates `file` and, with `confirm`, applies it. `provider` is a UKPRN or the provider
    itself; `owner` is the user the import runs as, for specs whose rules ask who imports."""
    separator = "\t" if separator in ("\\t", "tab") else separator
    if separator not in SEPARATORS:
        raise CommandError("The separator must be one of , ; | \\t")
    found = provider if isinstance(provider, Provider) else provider_by_ukprn(provider)
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
                owner=owner,
            )
        except UserError as error:
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
                spec=spec,
                provider=found,
                plan=plan,
                file_name=short_file_name(path.name),
                sha256=digest,
                owner=owner,
            )
        except UserError as error:
            raise CommandError(error.message) from None
    out.write(f"Imported: {batch.created_count} new, {batch.updated_count} updated.")


def _report(
    summary: Pass, errors: File[bytes] | None, path: Path, file_format: str, out: OutputWrapper
) -> None:
    out.write(
        f"{summary.rows} row{pluralize(summary.rows)}: {summary.accepted} can be imported "
        f"({summary.new} new, {summary.updated} updated, {summary.unchanged} unchanged), "
        f"{summary.problem_rows} {pluralize(summary.problem_rows, 'has,have')} errors."
    )
    for problem in summary.problems:
        column = f", {problem.column}" if problem.column else ""
        value = f" (value: {problem.value!r})" if problem.value else ""
        out.write(f"Row {problem.row}{column}: {problem.message}{value}")
    if summary.notes:
        out.write("Notes on accepted rows:")
    for note in summary.notes:
        out.write(f"Row {note['row']}: {note['note']}")
    if errors is not None:
        suffix = "xlsx" if file_format == "xls" else file_format
        stem = path.stem
        while len(f"{stem}-errors.{suffix}".encode()) > 255:  # what a file system takes
            stem = stem[:-1]
        errors_path = path.with_name(f"{stem}-errors.{suffix}")
        errors_path.write_bytes(errors.read())
        out.write(f"The rows with errors are in {errors_path}.")
