"""What the owner decides after validation: confirm (queue the apply job), cancel, the
apply itself (the plan carried out in one transaction) and undo."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from picsweb import jobs
from picsweb.imports.reading import ImportFileError
from picsweb.models import ImportBatch, Job, Provider

if TYPE_CHECKING:
    from django.contrib.auth.models import User
from picsweb.errors import UserError
from picsweb.imports.plan import from_json
from picsweb.imports.rows import Change
from picsweb.imports.spec import ImportSpec, StaleImportError, UndoRefused, get_import


def apply_plan(
    *,
    spec: ImportSpec,
    provider: Provider,
    plan: IO[bytes],
    file_name: str,
    sha256: str,
    job: Job | None = None,
    progress: Callable[[int], None] | None = None,
    owner: User | None = None,
) -> ImportBatch:
    """Carries out a validated plan, all in one transaction: all of it or none."""
    with transaction.atomic():
        # One import at a time per provider: a second import of the same file waits here,
        # then finds the first one's batch and stops. NO KEY: rows that merely point to the
        # provider (a new Job, an export starting) must not wait for the whole import.
        Provider.objects.select_for_update(no_key=True).get(pk=provider.pk)
        if job is not None and not Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING):
            raise jobs.JobLost  # swept while it waited for the lock: it must not import
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
        if owner is None and job is not None:
            owner = job.owner
        context = spec.begin_for(provider, owner)
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
        if job is not None:
            jobs.job_hold_running(job)  # commits only if the job was not swept meanwhile
    return batch


class ImportDecisionError(UserError):
    """A problem the user can act on (picsweb.errors.UserError)."""


def import_confirm(*, validation: Job, user: User) -> Job:
    """Queues the apply job for a validated file."""
    with transaction.atomic():
        validation = Job.objects.select_for_update().get(pk=validation.pk)
        if validation.status != Job.Status.SUCCEEDED or not validation.kind.endswith(".validate"):
            raise ImportDecisionError("This file cannot be imported: it was not validated.")
        if _confirmed(validation):
            raise ImportDecisionError("You have confirmed this import already.")
        if validation.files_removed_at is not None:
            raise ImportDecisionError("This file is no longer kept: upload it again.")
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


def _confirmed(validation: Job) -> bool:
    """Whether the file was confirmed and its apply is queued, running or done; an apply
    that failed (its transaction rolled back, e.g. a lost worker) may be confirmed again."""
    apply_code = validation.params.get("apply_job")
    return (
        bool(apply_code)
        and not Job.objects.filter(code=apply_code, status=Job.Status.FAILED).exists()
    )


def import_cancel(*, validation: Job) -> None:
    with transaction.atomic():
        validation = Job.objects.select_for_update().get(pk=validation.pk)
        if _confirmed(validation):
            raise ImportDecisionError("This import was confirmed already; use Undo import.")
        if validation.status != Job.Status.SUCCEEDED:
            raise ImportDecisionError("Only a validated file can be cancelled.")
        validation.status = Job.Status.CANCELLED
        validation.save(update_fields=["status"])


# --- applying ---------------------------------------------------------------------------------


def run_apply_job(job: Job) -> None:
    spec = get_import(job.kind)
    params = job.params
    with job.plan_file.open("rb") as plan:
        batch = apply_plan(
            spec=spec,
            provider=job.provider,
            plan=plan,
            file_name=job.input_name,
            sha256=params["sha256"],
            job=job,
            progress=jobs.Progress(job, total=params["accepted"]),
        )
    validation = Job.objects.get(code=params["validation_job"])
    job.report = validation.report | {"batch": str(batch.code)}
    job.save(update_fields=["report"])


def import_undo(*, batch: ImportBatch, user: User) -> None:
    """Restores what the batch created and replaced, or refuses with the reason."""
    spec = get_import(batch.kind)
    with transaction.atomic():
        Provider.objects.select_for_update(no_key=True).get(pk=batch.provider_id)
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.undone_at is not None:
            raise UndoRefused("This import was undone already.")
        spec.undo(batch)
        batch.undone_at = timezone.now()
        batch.undone_by = user
        batch.save(update_fields=["undone_at", "undone_by"])
