"""At the door and in the validation job: check the upload, start the job, read and check
every row (writing nothing to the database), and record the report, errors file and plan."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile

from picsweb import jobs
from picsweb.imports.cells import is_formula
from picsweb.imports.reading import ImportFileError, Table, is_blank_row, open_table
from picsweb.models import Job, Provider
from picsweb.spreadsheets import XML_ILLEGAL

if TYPE_CHECKING:
    from django.contrib.auth.models import User
from picsweb.imports.errors_file import ErrorsFile
from picsweb.imports.plan import json_default
from picsweb.imports.rows import (
    CHUNK_ROWS,
    PREVIEW_CHANGES,
    PREVIEW_PROBLEMS,
    Change,
    Problem,
    Row,
)
from picsweb.imports.spec import ImportSpec, get_import

# --- at the door -------------------------------------------------------------------------


def import_check_upload(
    *,
    spec: ImportSpec,
    upload: UploadedFile,
    provider: Provider | None = None,
    separator: str = ",",
) -> None:
    """The checks made before anything is stored: size, emptiness, type; with the provider,
    a CSV's header row too (its separator and columns), so a wrong file is refused on the
    upload page. A workbook's header is checked by the validation job, which opens workbooks
    with its limits in a separate process."""
    limit = spec.max_bytes or settings.IMPORT_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size == 0:
        raise ImportFileError("The file is empty.")
    if upload.size > limit:
        raise ImportFileError(
            f"The file is {_size(upload.size)}; the largest this import takes is {_size(limit)}."
        )
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    from picsweb.imports.reading import OLD_EXCEL_MESSAGE, sniff_format

    found = sniff_format(head, xls=True)
    if found == "xls" and "xls" not in spec.formats:
        raise ImportFileError(OLD_EXCEL_MESSAGE)
    if found not in spec.formats:
        raise ImportFileError(f"This import takes {' or '.join(spec.formats).upper()} files.")
    if provider is not None and found == "csv":
        from picsweb.imports.reading import csv_header

        spec.header_index(csv_header(upload, separator), provider)


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.1f} MB"
    return f"{count / 1024:.0f} KB" if count >= 1024 else f"{count} bytes"


def import_start(
    *,
    spec: ImportSpec,
    owner: User,
    provider: Provider,
    upload: UploadedFile | File[bytes],
    separator: str = ",",
) -> Job:
    """Stores the file and queues its validation."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = jobs.short_file_name(upload.name or "") or "import"
    return jobs.job_start(
        kind=f"{spec.kind}.validate",
        owner=owner,
        provider=provider,
        params={"separator": separator, "sha256": digest.hexdigest()},
        input_file=upload,
        input_name=name,
    )


# --- reading and validating every row -----------------------------------------------------


@dataclass
class Pass:
    """What one pass over the file found."""

    keep_problems: int | None = PREVIEW_PROBLEMS  # None: keep them all (the command line)
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    problem_rows: int = 0
    problems: list[Problem] = field(default_factory=list)  # the first PREVIEW_PROBLEMS
    problem_count: int = 0
    notes: list[dict[str, Any]] = field(default_factory=list)  # the first PREVIEW_PROBLEMS
    changes: list[dict[str, Any]] = field(default_factory=list)  # the first PREVIEW_CHANGES

    @property
    def accepted(self) -> int:
        return self.new + self.updated + self.unchanged

    def as_report(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "accepted": self.accepted,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "problem_rows": self.problem_rows,
            "problem_count": self.problem_count,
            "problems": [p.as_dict() for p in self.problems],
            "notes": self.notes,
            "changes": self.changes,
        }


@dataclass
class Chunk:
    context: Any  # the spec's context for this pass (shared by every chunk)
    changes: list[Change]
    failed: list[tuple[Row, list[Problem]]]


def _scan(
    spec: ImportSpec,
    provider: Provider,
    table: Table,
    summary: Pass,
    progress: Callable[[int], None] | None,
    owner: User | None = None,
) -> Iterator[Chunk]:
    index = spec.header_index(table.headers, provider)
    context = spec.begin_for(provider, owner)
    width = len(table.headers)
    pending: list[Row] = []

    def process(rows: list[Row]) -> Chunk:
        spec.preload(context, rows)
        chunk = Chunk(context, [], [])
        for row in rows:
            summary.rows += 1
            problems = _generic_problems(row, table, width)
            result = problems or spec.validate(context, row)
            if isinstance(result, Change):
                chunk.changes.append(result)
                for note in result.notes:
                    if len(summary.notes) < PREVIEW_PROBLEMS:
                        summary.notes.append({"row": result.row, "note": note})
                if result.action == "new":
                    summary.new += 1
                elif result.action == "unchanged":
                    summary.unchanged += 1
                else:
                    summary.updated += 1
                    if len(summary.changes) < PREVIEW_CHANGES:
                        summary.changes.append(
                            {"row": result.row, "label": result.label, "diffs": result.diffs}
                        )
            else:
                chunk.failed.append((row, result))
                summary.problem_rows += 1
                summary.problem_count += len(result)
                if summary.keep_problems is None:
                    summary.problems.extend(result)
                else:
                    room = summary.keep_problems - len(summary.problems)
                    summary.problems.extend(result[: max(room, 0)])
        if progress:
            progress(summary.rows)
        return chunk

    for number, cells in table.rows:
        if is_blank_row(cells):
            continue
        pending.append(Row(number, cells, index))
        if len(pending) >= CHUNK_ROWS:
            yield process(pending)
            pending = []
    if pending:
        yield process(pending)
    if summary.rows == 0:
        raise ImportFileError("The file has a header row but no rows to import.")


def _generic_problems(row: Row, table: Table, width: int) -> list[Problem]:
    """What no import takes, checked here once for every cell: cells past the header, formulas,
    and text that the database or an XLSX file cannot hold (so an accepted row always applies,
    and every report of it opens)."""
    problems = []
    cells = row.cells
    if len(cells) > width and not is_blank_row(cells[width:]):
        problems.append(
            Problem(row.number, "", "", "This row has more cells than the header row has columns.")
        )
    # One pass in C over the row's text; the cells are looked at one by one only when it finds
    # something (a CSV row is all text).
    if table.format == "csv":
        text = "".join(cells)  # type: ignore[arg-type]
    else:
        text = "".join([c for c in cells if isinstance(c, str)])
    if not text.isprintable() and XML_ILLEGAL.search(text):
        for position, cell in enumerate(cells):
            if isinstance(cell, str) and (found := XML_ILLEGAL.findall(cell)):
                codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(found))
                problems.append(
                    Problem(
                        row.number,
                        _column_name(row, table, position),
                        _shown(cell),
                        f"The cell holds a control character ({codes}) that cannot be stored: "
                        "delete it.",
                    )
                )
    if table.format == "xlsx":
        for position, cell in enumerate(cells):
            if is_formula(cell):
                problems.append(
                    Problem(
                        row.number,
                        _column_name(row, table, position),
                        _shown(str(cell)),
                        "The cell holds a formula: enter the value itself (copy the cells, "
                        "then paste as values).",
                    )
                )
    return problems


def _column_name(row: Row, table: Table, position: int) -> str:
    for name, at in row.index.items():
        if at == position:
            return name
    return table.headers[position] if position < len(table.headers) else ""


def _shown(text: str, limit: int = 200) -> str:
    """A cell's text as a report shows it: characters that cannot be stored as \\xNN, and
    bounded."""
    text = XML_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _estimate_rows(handle: IO[bytes]) -> int:
    """Lines in a CSV (for the progress bar); 0 for XLSX (unknown until read)."""
    handle.seek(0)
    if handle.read(4).startswith(b"PK"):
        handle.seek(0)
        return 0
    handle.seek(0)
    count = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    handle.seek(0)
    return count


def validate_file(
    *,
    spec: ImportSpec,
    provider: Provider,
    handle: IO[bytes],
    separator: str = ",",
    progress: Callable[[int], None] | None = None,
    keep_problems: int | None = PREVIEW_PROBLEMS,
    plan: IO[bytes] | None = None,
    owner: User | None = None,
) -> tuple[Pass, str, File[bytes] | None]:
    """Reads and checks every row; writes nothing to the database. Returns what was found,
    the file's format, and the errors file (None when every row is accepted); the accepted
    changes go to `plan`, one JSON line per chunk."""
    table = open_table(handle, separator, xls="xls" in spec.formats, sheet=spec.sheet)
    if table.estimated_rows and isinstance(progress, jobs.Progress):
        progress.set_total(table.estimated_rows - 1)  # an XLSX: its rows were counted
    summary = Pass(keep_problems=keep_problems)
    errors_file = ErrorsFile(table)
    for chunk in _scan(spec, provider, table, summary, progress, owner):
        for row, problems in chunk.failed:
            errors_file.add(row, problems)
        if plan is not None:
            changes = [
                [change.row, change.action, change.label, change.payload]
                for change in chunk.changes
                if change.action != "unchanged"
            ]
            plan.write(json.dumps(changes, default=json_default).encode() + b"\n")
    return summary, table.format, errors_file.finish()


def run_validation_job(job: Job) -> None:
    spec = get_import(job.kind)
    with job.input_file.open("rb") as handle, tempfile.TemporaryFile() as plan:
        progress = jobs.Progress(job, total=_estimate_rows(handle))
        summary, file_format, errors = validate_file(
            spec=spec,
            provider=job.provider,
            handle=handle,
            separator=job.params.get("separator", ","),
            progress=progress,
            plan=plan,
            owner=job.owner,
        )
        plan.seek(0)
        job.plan_file.save("plan.jsonl", File(plan), save=False)
        job.save(update_fields=["plan_file"])
    progress.set_total(summary.rows)
    job.progress_done = summary.rows
    job.report = summary.as_report() | {"format": file_format}
    job.save(update_fields=["report", "progress_done"])
    if errors is not None:
        stem = job.input_name.rsplit(".", 1)[0] or "import"
        suffix = "xlsx" if file_format == "xls" else file_format
        jobs.job_save_result(job=job, name=f"{stem}-errors.{suffix}", content=errors)
