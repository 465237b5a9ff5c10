"""The import pipeline.

upload (size and type checked at the door) -> stored file + validation Job -> the worker reads
and validates every row into a report (row, column, value, message), an errors file (the
original rows plus an ERRORS column) and a plan (the accepted changes, as JSON lines) -> the
owner confirms or cancels -> an apply Job carries out the plan in one transaction, first
checking that nothing it relies on changed since validation (the spec's apply raises
StaleImportError when it did), and records an ImportBatch (what it created, what it replaced)
-> Undo import restores that, refused when a record changed since.

Each import is an ImportSpec (columns, per-row rules, how to apply, how to undo), registered
with `register_import`. Nothing is written before the owner confirms.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from learners.models import Provider, Role
from picsweb import jobs
from picsweb.bulk import insert_rows, update_rows
from picsweb.imports.cells import is_formula
from picsweb.imports.reading import Cell, ImportFileError, Table, is_blank_row, open_table
from picsweb.models import BatchChange, ImportBatch, Job
from picsweb.spreadsheets import SafeCsvFile, xlsx_cell

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CHUNK_ROWS = 2000
PREVIEW_PROBLEMS = 500
PREVIEW_CHANGES = 200
ERRORS_COLUMN = "ERRORS"


@dataclass
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    cells: list[Cell]
    index: dict[str, int]

    def get(self, column: str) -> Cell:
        position = self.index.get(column)
        if position is None or position >= len(self.cells):
            return None
        value = self.cells[position]
        return None if value == "" else value

    def has(self, column: str) -> bool:
        return column in self.index


@dataclass
class Problem:
    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class Change:
    row: int
    action: str  # "new", "update" or "unchanged"
    label: str  # what the user recognises the record by
    diffs: list[tuple[str, str, str]] = field(default_factory=list)  # (column, before, after)
    payload: Any = None  # what the spec's apply needs
    notes: list[str] = field(default_factory=list)  # what the user should know of the row


class UndoRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleImportError(ImportFileError):
    """Something the plan relies on changed after validation: nothing is applied."""


def to_json(value: Any) -> Any:
    """Plan values as JSON: dates, datetimes and decimals tagged so they come back as such."""
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    return value


def _json_default(value: Any) -> Any:
    """For json.dumps(default=...): called only for what JSON has no type for."""
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    raise TypeError(f"{type(value).__name__} cannot go into an import plan")


def _json_hook(value: dict[str, Any]) -> Any:
    if len(value) == 1:
        if "$date" in value:
            return date.fromisoformat(value["$date"])
        if "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        if "$decimal" in value:
            return Decimal(value["$decimal"])
    return value


def from_json(text: str | bytes) -> Any:
    return json.loads(text, object_hook=_json_hook)


def from_json_value(value: Any) -> Any:
    """Like from_json, for a value already parsed (a JSONField's)."""
    if isinstance(value, dict):
        decoded = {key: from_json_value(item) for key, item in value.items()}
        return _json_hook(decoded)
    if isinstance(value, list):
        return [from_json_value(item) for item in value]
    return value


class ImportSpec:
    """One kind of import. Subclasses give the columns, the row rules, apply and undo."""

    kind: ClassVar[str]
    label: ClassVar[str]
    role: ClassVar[Role]
    max_bytes: ClassVar[int | None] = None  # None: settings.IMPORT_MAX_UPLOAD_BYTES
    formats: ClassVar[tuple[str, ...]] = ("csv", "xlsx")

    def columns(self, provider: Provider) -> list[str]:
        raise NotImplementedError

    def header_index(self, headers: list[str], provider: Provider) -> dict[str, int]:
        """Maps each known column to its position; unknown or repeated columns refuse the
        file. Matching ignores case and surrounding spaces; an ERRORS column (our errors
        file) is ignored."""
        known = {name.upper(): name for name in self.columns(provider)}
        index: dict[str, int] = {}
        unknown = []
        for position, header in enumerate(headers):
            key = header.strip().upper()
            if key in ("", ERRORS_COLUMN):
                continue
            if key not in known:
                unknown.append(header)
            elif known[key] in index:
                raise ImportFileError(f"The column {header!r} appears twice in the header row.")
            else:
                index[known[key]] = position
        if unknown:
            names = ", ".join(repr(u) for u in unknown)
            raise ImportFileError(
                f"The header row has columns this import does not know: {names}. "
                f"The columns are: {', '.join(self.columns(provider))}."
            )
        self.check_columns(set(index), provider)
        return index

    def check_columns(self, present: set[str], provider: Provider) -> None:
        """Raises ImportFileError when mandatory columns are missing."""

    def begin(self, provider: Provider) -> Any:
        """The context shared by every row of one pass over the file."""
        return None

    def preload(self, context: Any, rows: Sequence[Row]) -> None:
        """Reads what a chunk of rows refers to, in a few queries."""

    def validate(self, context: Any, row: Row) -> Change | list[Problem]:
        raise NotImplementedError

    def apply(self, context: Any, changes: list[Change], batch: ImportBatch) -> None:
        """Carries out validated changes (from the plan: payload, action and row only).
        Raises StaleImportError when a record they rely on changed since validation."""
        raise NotImplementedError

    def undo(self, batch: ImportBatch) -> None:
        raise NotImplementedError


class ModelImportSpec(ImportSpec):
    """An import that adds and updates rows of one model, with the apply and undo every such
    import shares. Payloads: a new row's field values; an update's
    {"id", "updated_at" (as validated), "before" (replaced values), "values" (new values of
    update_fields)}. The model needs `updated_at` (auto_now) and `created_batch`."""

    model: ClassVar[type[Model]]
    update_fields: ClassVar[tuple[str, ...]]
    record_label: ClassVar[str] = "id"  # the field that names a record in messages

    def new_row_fields(self, batch: ImportBatch) -> dict[str, Any]:
        """Fields every new row gets besides its payload (e.g. the provider)."""
        return {}

    def apply(self, context: Any, changes: list[Change], batch: ImportBatch) -> None:
        objects = self.model._default_manager
        updates = [ch.payload for ch in changes if ch.action == "update"]
        if updates:
            seen = {u["id"]: u["updated_at"] for u in updates}
            now_at = dict(objects.filter(id__in=seen).values_list("id", "updated_at"))
            stale = [i for i, at in seen.items() if now_at.get(i) != at]
            if stale:
                names = objects.filter(id__in=stale[:5]).values_list(self.record_label, flat=True)
                raise StaleImportError(
                    f"{len(stale)} of the records this file updates changed or were deleted "
                    f"since it was validated ({', '.join(map(str, names)) or 'deleted'}). "
                    "Nothing was imported: validate the file again."
                )
        extra = {"created_batch_id": batch.pk, **self.new_row_fields(batch)}
        insert_rows(self.model, ({**extra, **ch.payload} for ch in changes if ch.action == "new"))
        if not updates:
            return
        insert_rows(
            BatchChange,
            (
                {"batch_id": batch.pk, "object_id": u["id"], "before": to_json(u["before"])}
                for u in updates
            ),
        )
        now = timezone.now()
        update_rows(
            self.model,
            [{"id": u["id"], "updated_at": now, **u["values"]} for u in updates],
            [*self.update_fields, "updated_at"],
        )

    def undo(self, batch: ImportBatch) -> None:
        objects = self.model._default_manager
        created = objects.filter(created_batch=batch)
        changes = {ch.object_id: ch.before for ch in batch.changes.all()}
        changed_since = objects.filter(updated_at__gt=batch.applied_at)
        touched = [
            *changed_since.filter(id__in=list(changes)).values_list(self.record_label, flat=True)[
                :5
            ],
            *changed_since.filter(created_batch=batch).values_list(self.record_label, flat=True)[
                :5
            ],
        ][:5]
        if touched:
            raise UndoRefused(
                "These records changed after the import, so it cannot be undone: "
                f"{', '.join(map(str, touched))}. Change them back, or edit them by hand."
            )
        created.delete()
        if changes:
            records = []
            for record in objects.filter(id__in=list(changes)):
                for name, value in from_json_value(changes[record.pk]).items():
                    setattr(record, name, value)
                records.append(record)
            fields = sorted({name for before in changes.values() for name in before})
            objects.bulk_update(records, [*fields, "updated_at"], batch_size=1000)


_IMPORTS: dict[str, ImportSpec] = {}


def register_import(spec: ImportSpec) -> ImportSpec:
    _IMPORTS[spec.kind] = spec
    jobs.register_kind(
        jobs.JobKind(
            name=f"{spec.kind}.validate",
            label=f"{spec.label}: validation",
            role=spec.role,
            queue="imports",
            run=_run_validation,
            report_template="imports/_validation_report.html",
        )
    )
    jobs.register_kind(
        jobs.JobKind(
            name=f"{spec.kind}.apply",
            label=spec.label,
            role=spec.role,
            queue="imports",
            run=_run_apply,
            report_template="imports/_apply_report.html",
        )
    )
    return spec


def get_import(kind: str) -> ImportSpec:
    return _IMPORTS[kind.split(".")[0]]


# --- at the door -------------------------------------------------------------------------


def import_check_upload(*, spec: ImportSpec, upload: UploadedFile) -> None:
    """The checks made before anything is stored: size, emptiness, type."""
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
    from picsweb.imports.reading import sniff_format

    found = sniff_format(head)
    if found not in spec.formats:
        raise ImportFileError(f"This import takes {' or '.join(spec.formats).upper()} files.")


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
    name = (upload.name or "import").rsplit("/", 1)[-1]
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
) -> Iterator[Chunk]:
    index = spec.header_index(table.headers, provider)
    context = spec.begin(provider)
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
    problems = []
    if len(row.cells) > width and not is_blank_row(row.cells[width:]):
        problems.append(
            Problem(row.number, "", "", "This row has more cells than the header row has columns.")
        )
    if table.format == "xlsx":
        names = {position: name for name, position in row.index.items()}
        for position, cell in enumerate(row.cells):
            if is_formula(cell):
                problems.append(
                    Problem(
                        row.number,
                        names.get(position, table.headers[position] if position < width else ""),
                        str(cell),
                        "The cell holds a formula: enter the value itself (copy the cells, "
                        "then paste as values).",
                    )
                )
    return problems


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
) -> tuple[Pass, str, File[bytes] | None]:
    """Reads and checks every row; writes nothing to the database. Returns what was found,
    the file's format, and the errors file (None when every row is accepted); the accepted
    changes go to `plan`, one JSON line per chunk."""
    table = open_table(handle, separator)
    summary = Pass(keep_problems=keep_problems)
    errors_file = _ErrorsFile(table)
    for chunk in _scan(spec, provider, table, summary, progress):
        for row, problems in chunk.failed:
            errors_file.add(row, problems)
        if plan is not None:
            changes = [
                [change.row, change.action, change.label, change.payload]
                for change in chunk.changes
                if change.action != "unchanged"
            ]
            plan.write(json.dumps(changes, default=_json_default).encode() + b"\n")
    return summary, table.format, errors_file.finish()


def apply_plan(
    *,
    spec: ImportSpec,
    provider: Provider,
    plan: IO[bytes],
    file_name: str,
    sha256: str,
    job: Job | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportBatch:
    """Carries out a validated plan, all in one transaction: all of it or none."""
    with transaction.atomic():
        # One import at a time per provider: a second import of the same file waits here,
        # then finds the first one's batch and stops.
        Provider.objects.select_for_update().get(pk=provider.pk)
        previous = ImportBatch.objects.filter(
            provider=provider, kind=spec.kind, file_sha256=sha256, undone_at__isnull=True
        ).first()
        if previous is not None:
            when = timezone.localtime(previous.applied_at or timezone.now())
            raise ImportFileError(
                f"This file was imported already on {when:%d/%m/%Y at %H:%M} "
                f"({previous.file_name}). Nothing was imported again. Undo that import first "
                "if you mean to import it again."
            )
        try:
            with transaction.atomic():
                batch = ImportBatch.objects.create(
                    job=job,
                    provider=provider,
                    kind=spec.kind,
                    file_sha256=sha256,
                    file_name=file_name,
                )
        except IntegrityError:
            raise ImportFileError("This file is being imported already.") from None
        context = spec.begin(provider)
        done = 0
        plan.seek(0)
        try:
            with transaction.atomic():
                for line in plan:
                    changes = [
                        Change(row=row, action=action, label=label, payload=payload)
                        for row, action, label, payload in from_json(line)
                    ]
                    spec.apply(context, changes, batch)
                    done += len(changes)
                    batch.created_count += sum(1 for c in changes if c.action == "new")
                    batch.updated_count += sum(1 for c in changes if c.action == "update")
                    if progress:
                        progress(done)
                # Deferred foreign keys are checked here, so a record that a new row points
                # to and that was deleted since validation stops the import.
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                else:
                    connection.check_constraints()  # SQLite: PRAGMA foreign_key_check
        except IntegrityError:
            raise StaleImportError(
                "Records this file refers to were deleted or changed since it was validated. "
                "Nothing was imported: validate the file again."
            ) from None
        batch.applied_at = timezone.now()
        batch.save()
    return batch


def _run_validation(job: Job) -> None:
    spec = get_import(job.kind)
    with job.input_file.open("rb") as handle, tempfile.TemporaryFile() as plan:
        progress = jobs.Progress(job, total=_estimate_rows(handle))
        try:
            summary, file_format, errors = validate_file(
                spec=spec,
                provider=job.provider,
                handle=handle,
                separator=job.params.get("separator", ","),
                progress=progress,
                plan=plan,
            )
        except ImportFileError as error:
            raise jobs.JobError(error.message) from None
        plan.seek(0)
        job.plan_file.save("plan.jsonl", File(plan), save=False)
        job.save(update_fields=["plan_file"])
    progress.set_total(summary.rows)
    job.progress_done = summary.rows
    job.report = summary.as_report() | {"format": file_format}
    job.save(update_fields=["report", "progress_done"])
    if errors is not None:
        stem = job.input_name.rsplit(".", 1)[0] or "import"
        jobs.job_save_result(job=job, name=f"{stem}-errors.{file_format}", content=errors)


class _ErrorsFile:
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
            self.sheet.append(self.headers)

    def add(self, row: Row, problems: list[Problem]) -> None:
        if self.file is None:
            self._start()
        width = len(self.headers) - 1
        cells = (row.cells + [None] * width)[:width]
        message = "; ".join(f"{p.column}: {p.message}" if p.column else p.message for p in problems)
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


class ImportDecisionError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def import_confirm(*, validation: Job, user: User) -> Job:
    """Queues the apply job for a validated file."""
    with transaction.atomic():
        validation = Job.objects.select_for_update().get(pk=validation.pk)
        if validation.status != Job.Status.SUCCEEDED or not validation.kind.endswith(".validate"):
            raise ImportDecisionError("This file cannot be imported: it was not validated.")
        if validation.params.get("apply_job"):
            raise ImportDecisionError("You have confirmed this import already.")
        if not validation.report.get("accepted"):
            raise ImportDecisionError("No rows of this file can be imported.")
        spec = get_import(validation.kind)
        apply_job = jobs.job_start(
            kind=f"{spec.kind}.apply",
            owner=user,
            provider=validation.provider,
            params={
                "validation_job": str(validation.code),
                "separator": validation.params.get("separator", ","),
                "sha256": validation.params["sha256"],
                "accepted": validation.report["accepted"],
                "problem_rows": validation.report["problem_rows"],
            },
        )
        apply_job.input_file.name = validation.input_file.name
        apply_job.plan_file.name = validation.plan_file.name
        apply_job.input_name = validation.input_name
        apply_job.save(update_fields=["input_file", "plan_file", "input_name"])
        validation.params = {**validation.params, "apply_job": str(apply_job.code)}
        validation.save(update_fields=["params"])
    return apply_job


def import_cancel(*, validation: Job) -> None:
    with transaction.atomic():
        validation = Job.objects.select_for_update().get(pk=validation.pk)
        if validation.params.get("apply_job"):
            raise ImportDecisionError("This import was confirmed already; use Undo import.")
        if validation.status != Job.Status.SUCCEEDED:
            raise ImportDecisionError("Only a validated file can be cancelled.")
        validation.status = Job.Status.CANCELLED
        validation.save(update_fields=["status"])


# --- applying ---------------------------------------------------------------------------------


def _run_apply(job: Job) -> None:
    spec = get_import(job.kind)
    params = job.params
    with job.plan_file.open("rb") as plan:
        try:
            batch = apply_plan(
                spec=spec,
                provider=job.provider,
                plan=plan,
                file_name=job.input_name,
                sha256=params["sha256"],
                job=job,
                progress=jobs.Progress(job, total=params["accepted"]),
            )
        except ImportFileError as error:
            raise jobs.JobError(error.message) from None
    validation = Job.objects.get(code=params["validation_job"])
    job.report = validation.report | {"batch": str(batch.code)}
    job.save(update_fields=["report"])


def import_undo(*, batch: ImportBatch, user: User) -> None:
    """Restores what the batch created and replaced, or refuses with the reason."""
    spec = get_import(batch.kind)
    with transaction.atomic():
        Provider.objects.select_for_update().get(pk=batch.provider_id)
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.undone_at is not None:
            raise UndoRefused("This import was undone already.")
        spec.undo(batch)
        batch.undone_at = timezone.now()
        batch.undone_by = user
        batch.save(update_fields=["undone_at", "undone_by"])
