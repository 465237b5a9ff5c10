"""The job machinery every import and export runs on.

An app registers a JobKind (what runs, on which queue, which role may see it); `job_start`
creates the Job row, freezes the rows it acts on (`JobRow`) and queues the task once the
transaction commits; the worker calls `job_run`, which claims the row, runs the kind, records the
outcome and emails the owner. A job that arrives already running was lost with its worker (acks
late + reject on worker lost redeliver it) and ends as failed instead of running twice.

A job's status only moves forward: queued -> running -> succeeded / failed / cancelled, each
step a compare-and-set on the status. While it runs, a heartbeat thread in the worker writes
`heartbeat_at`; Celery beat runs `job_fail_stale` (tasks.py), which fails only running jobs
whose heartbeat stopped, i.e. whose worker died. A swept job that finishes late after all is
discarded: no second outcome, no second email, and an import's apply rolls back
(`job_hold_running`).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import File
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone

from picsweb.emails import send_templated_email
from picsweb.errors import UserError
from picsweb.models import Job, JobRow, Provider, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

LOST_WORKER_MESSAGE = (
    "The worker running this job stopped before it finished, so nothing from it was kept. "
    "Please start it again."
)
GENERIC_FAILURE_MESSAGE = (
    "Something went wrong while running this job and it stopped. Nothing from it was kept. "
    "The error is logged under the job's reference {code}."
)
TIME_LIMIT_MESSAGE = "This job took longer than allowed and was stopped. Nothing was kept."


class JobLost(Exception):
    """The job is no longer running (swept as lost, or cancelled) while its worker was still
    at it: what it did is discarded."""


class JobError(UserError):
    """A problem the job's owner can act on; its message is shown and emailed to them."""


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    role: Role
    queue: str
    run: Callable[[Job], None]
    report_template: str = ""  # a partial that shows job.report on the job's page
    # Roles needed besides `role` (at the same provider) to see the job and its file.
    also_roles: tuple[Role, ...] = ()
    # What the owner must do once it succeeds (the email says it), e.g. confirm an import.
    next_step: str = ""
    # The page of what the job made (an ILR export's page), where the email sends the owner;
    # None: the job's own page.
    page: Callable[[Job], str] | None = None
    # The report's list of learners left out ({name, lrn, reasons}), downloadable as a to-do
    # list (an export's exclusions).
    left_out_key: str = ""

    @property
    def roles(self) -> tuple[Role, ...]:
        return (self.role, *self.also_roles)


_KINDS: dict[str, JobKind] = {}


def register_kind(kind: JobKind) -> JobKind:
    _KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> JobKind:
    return _KINDS[name]


def job_start(
    *,
    kind: str,
    owner: User,
    provider: Provider,
    params: dict[str, Any] | None = None,
    rows: QuerySet[Any] | None = None,
    input_file: File[Any] | None = None,
    input_name: str = "",
) -> Job:
    """Creates the Job, freezes the rows it acts on (`rows`) and queues it after the
    transaction commits."""
    job_kind = get_kind(kind)
    frozen = rows
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, owner=owner, provider=provider, params=params or {}, input_name=input_name
        )
        if input_file is not None:
            job.input_file.save(storage_name("input", input_name), input_file, save=True)
        if frozen is not None:
            job.progress_total = job_freeze_rows(job=job, rows=frozen)
            job.save(update_fields=["progress_total"])
        transaction.on_commit(lambda: _queue(job.pk, job_kind.queue))
    return job


RUN_JOB_TASK = "picsweb.run_job"  # picsweb.tasks.run_job_task, found by name (no import cycle)


def _queue(job_id: int, queue: str) -> None:
    current_app.tasks[RUN_JOB_TASK].apply_async(kwargs={"job_id": job_id}, queue=queue)


def job_freeze_rows(*, job: Job, rows: QuerySet[Any]) -> int:
    """Records which rows the job acts on, in one INSERT ... SELECT (no ID list in memory),
    and returns how many."""
    ids_sql, ids_params = rows.order_by().values("pk").query.sql_with_params()
    table = JobRow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            # `ids.*` is the one column of the subquery: the primary key, whatever its name.
            f"INSERT INTO {table} (job_id, object_id) SELECT %s, ids.* FROM ({ids_sql}) ids",  # noqa: S608
            [job.pk, *ids_params],
        )
        return cursor.rowcount


M = TypeVar("M", bound=Model)


def job_rows(job: Job, scope: QuerySet[M]) -> QuerySet[M]:
    """The frozen rows of a job, inside `scope` (which keeps them to the job's provider)."""
    return scope.filter(pk__in=JobRow.objects.filter(job=job).values("object_id"))


class Progress:
    """Throttled progress reports: at most one UPDATE every half second.

    Inside a transaction (an import being applied) an UPDATE on the same connection would
    only be seen at commit, so the bar would stand still and the heartbeat would look stale;
    on PostgreSQL those reports go through a short-lived connection of their own.
    """

    def __init__(self, job: Job, total: int | None = None) -> None:
        self.job = job
        self.last = 0.0
        if total is not None:
            self.set_total(total)

    def set_total(self, total: int) -> None:
        self.job.progress_total = total
        Job.objects.filter(pk=self.job.pk).update(progress_total=total)

    def __call__(self, done: int) -> None:
        self.job.progress_done = done
        now = time.monotonic()
        if now - self.last < 0.5:
            return
        self.last = now
        if connection.in_atomic_block and connection.vendor == "postgresql":
            side = connections.create_connection(DEFAULT_DB_ALIAS)
            try:
                with side.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {Job._meta.db_table} SET progress_done = %s, heartbeat_at = %s "  # noqa: S608
                        "WHERE id = %s",
                        [done, timezone.now(), self.job.pk],
                    )
                side.commit()
            finally:
                side.close()
        else:
            Job.objects.filter(pk=self.job.pk).update(
                progress_done=done, heartbeat_at=timezone.now()
            )


class _Heartbeat(threading.Thread):
    """Writes the job's heartbeat every JOB_HEARTBEAT_SECONDS while it runs, whatever the job
    is doing (waiting for a lock, one long query), on a connection of its own."""

    def __init__(self, job_id: int) -> None:
        super().__init__(name=f"heartbeat-{job_id}", daemon=True)
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:
                    # e.g. SQLite busy while the job writes: try again next beat.
                    logger.warning("Job %s: heartbeat not written", self.job_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)


def job_run(*, job_id: int) -> None:
    """Runs a queued job in the worker. Called by the task; never raises."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in Job.FINISHED:
            return
        if job.status == Job.Status.RUNNING:
            # Redelivered: the worker that was running it died (see module docstring).
            lost = True
        else:
            lost = False
            now = timezone.now()
            job.status = Job.Status.RUNNING
            job.started_at = job.heartbeat_at = now
            job.save(update_fields=["status", "started_at", "heartbeat_at"])
    if lost:
        job_fail(job=job, message=LOST_WORKER_MESSAGE)
        return
    heartbeat = _Heartbeat(job.pk)
    heartbeat.start()
    try:
        get_kind(job.kind).run(job)
    except JobLost:
        logger.warning("Job %s (%s) ended after it was swept: discarded", job.code, job.kind)
    except UserError as error:  # JobError, ImportFileError, ...: the message is for the owner
        job_fail(job=job, message=error.message)
    except SoftTimeLimitExceeded:
        job_fail(job=job, message=TIME_LIMIT_MESSAGE)
    except Exception:
        logger.exception("Job %s (%s) failed", job.code, job.kind)
        job_fail(job=job, message=GENERIC_FAILURE_MESSAGE.format(code=job.code))
    else:
        job_succeed(job=job)
    finally:
        heartbeat.stop()


def job_hold_running(job: Job) -> None:
    """Inside a transaction that must commit only while its job still runs (an import's
    apply): locks the job row, so the sweep waits for this transaction, and writes a fresh
    heartbeat, so the sweep finds it alive after the commit; raises JobLost (rolling the
    transaction back) when the job was swept or cancelled meanwhile."""
    # The UPDATE holds the row lock until this transaction ends.
    held = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING)
    if not held.update(heartbeat_at=timezone.now()):
        raise JobLost


def job_succeed(*, job: Job) -> None:
    """Running -> succeeded; a job swept meanwhile stays failed and its file is dropped."""
    with transaction.atomic():
        running = Job.objects.select_for_update().filter(pk=job.pk, status=Job.Status.RUNNING)
        if running.first() is None:
            logger.warning("Job %s (%s) ended after it was swept: discarded", job.code, job.kind)
            if job.result_file:
                job.result_file.delete(save=False)
            return
        job.status = Job.Status.SUCCEEDED
        job.finished_at = timezone.now()
        if job.progress_total:
            job.progress_done = job.progress_total
        job.save()
    _email_owner(job)


def job_fail(*, job: Job, message: str) -> None:
    """Queued or running -> failed; a job that ended already keeps its outcome."""
    now = timezone.now()
    updated = Job.objects.filter(
        pk=job.pk, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
    ).update(status=Job.Status.FAILED, error_message=message, finished_at=now)
    if not updated:
        return
    job.status, job.error_message, job.finished_at = Job.Status.FAILED, message, now
    _email_owner(job)


def job_fail_stale(*, now: datetime | None = None) -> int:
    """Fails running jobs whose worker stopped writing its heartbeat (a worker killed
    outright) more than JOB_STALE_AFTER_SECONDS before `now` (by default, the present; tests
    pass a later time, as if the sweep ran then). Run by Celery beat
    (picsweb.sweep_stale_jobs), never by a page."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    failed = 0
    for job in Job.objects.stale(cutoff=cutoff).select_related("owner"):
        # Compare-and-set, heartbeat included: an apply committing right now holds the row
        # (job_hold_running) and leaves a fresh heartbeat, so this then matches nothing.
        updated = Job.objects.filter(
            pk=job.pk, status=Job.Status.RUNNING, heartbeat_at__lt=cutoff
        ).update(
            status=Job.Status.FAILED, error_message=LOST_WORKER_MESSAGE, finished_at=timezone.now()
        )
        if updated:
            job.refresh_from_db()
            _email_owner(job)
            failed += 1
    return failed


def job_save_result(*, job: Job, name: str, content: File[Any]) -> None:
    """Stores the job's file, while the job still runs (else drops it and raises JobLost)."""
    job.result_name = short_file_name(name, 255)
    job.result_file.save(storage_name("result", name), content, save=False)
    saved = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        result_name=job.result_name, result_file=job.result_file.name
    )
    if not saved:
        job.result_file.delete(save=False)
        raise JobLost


def job_remove_expired_files() -> int:
    """Deletes the files (upload, plan, result) of jobs that finished more than
    FILE_RETENTION_DAYS ago; their pages then say the file is no longer kept. Run by Celery
    beat (picsweb.remove_expired_files). Returns how many jobs lost their files."""
    removed = 0
    for job in Job.objects.files_expired().iterator():
        for field in (job.input_file, job.plan_file, job.result_file):
            if field:
                # An apply job shares its validation's upload and plan: both expire.
                field.storage.delete(field.name)
        Job.objects.filter(pk=job.pk).update(
            input_file="", plan_file="", result_file="", files_removed_at=timezone.now()
        )
        removed += 1
    return removed


_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def storage_name(stem: str, name: str) -> str:
    """The name a job's file is stored under: ours, keeping only a plain extension of the name
    the user knows it by (which may be of any length or alphabet; that one is shown, and
    given back on download)."""
    suffix = _SUFFIX.search(name)
    return stem + (suffix.group().lower() if suffix else "")


def short_file_name(name: str, limit: int = 100) -> str:
    """A file name as shown: no folders or control characters, at most `limit` characters,
    shortened in the middle so its extension stays."""
    name = "".join(ch for ch in name.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable())
    if len(name) <= limit:
        return name
    suffix = _SUFFIX.search(name)
    end = suffix.group() if suffix else ""
    return name[: limit - len(end) - 1] + "…" + end


def job_page(job: Job) -> str:
    """Where the owner follows the job: the page of what it makes, else the job's page."""
    page = get_kind(job.kind).page
    return page(job) if page else reverse("jobs:detail", kwargs={"code": job.code})


def _email_owner(job: Job) -> None:
    if not job.owner.email:
        return
    # Only what the owner needs: which job, its outcome, a link. No learner data.
    send_templated_email(
        name="job-finished",
        to=[job.owner.email],
        context={
            "job": job,
            "label": get_kind(job.kind).label,
            "next_step": get_kind(job.kind).next_step,
            "path": job_page(job),
        },
    )
