"""The job machinery every import and export runs on.

An app registers a JobKind (what runs, on which queue, which role may see it); `job_start`
creates the Job row, freezes the learners it acts on and queues the task once the transaction
commits; the worker calls `job_run`, which claims the row, runs the kind, records the outcome and
emails the owner. A job that arrives already running was lost with its worker (acks late +
reject on worker lost redeliver it) and ends as failed instead of running twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from learners.models import Learner, Provider, Role
from picsweb.emails import send_templated_email
from picsweb.models import Job, JobLearner

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


class JobError(Exception):
    """A problem the job's owner can act on; its message is shown and emailed to them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    role: Role
    queue: str
    run: Callable[[Job], None]
    report_template: str = ""  # a partial that shows job.report on the job's page


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
    learners: QuerySet[Learner] | None = None,
    input_file: File[Any] | None = None,
    input_name: str = "",
) -> Job:
    """Creates the Job, freezes its learners and queues it after the transaction commits."""
    job_kind = get_kind(kind)
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, owner=owner, provider=provider, params=params or {}, input_name=input_name
        )
        if input_file is not None:
            job.input_file.save(input_name or "input", input_file, save=True)
        if learners is not None:
            job.progress_total = job_freeze_learners(job=job, learners=learners)
            job.save(update_fields=["progress_total"])
        transaction.on_commit(lambda: _queue(job.pk, job_kind.queue))
    return job


def _queue(job_id: int, queue: str) -> None:
    from picsweb.tasks import run_job_task

    run_job_task.apply_async(kwargs={"job_id": job_id}, queue=queue)


def job_freeze_learners(*, job: Job, learners: QuerySet[Learner]) -> int:
    """Records which learners the job acts on, in one INSERT ... SELECT (no ID list in
    memory), and returns how many."""
    ids_sql, ids_params = learners.order_by().values("id").query.sql_with_params()
    table = JobLearner._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (job_id, learner_id) SELECT %s, ids.id FROM ({ids_sql}) ids",  # noqa: S608
            [job.pk, *ids_params],
        )
        return cursor.rowcount


def job_learners(job: Job) -> QuerySet[Learner]:
    """The frozen learners of a job, still limited to the job's provider."""
    return Learner.objects.filter(
        provider=job.provider, id__in=JobLearner.objects.filter(job=job).values("learner_id")
    )


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
    try:
        get_kind(job.kind).run(job)
    except JobError as error:
        job_fail(job=job, message=error.message)
    except SoftTimeLimitExceeded:
        job_fail(job=job, message=TIME_LIMIT_MESSAGE)
    except Exception:
        logger.exception("Job %s (%s) failed", job.code, job.kind)
        job_fail(job=job, message=GENERIC_FAILURE_MESSAGE.format(code=job.code))
    else:
        job_succeed(job=job)


def job_succeed(*, job: Job) -> None:
    job.status = Job.Status.SUCCEEDED
    job.finished_at = timezone.now()
    if job.progress_total:
        job.progress_done = job.progress_total
    job.save()
    _email_owner(job)


def job_fail(*, job: Job, message: str) -> None:
    job.status = Job.Status.FAILED
    job.error_message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error_message", "finished_at"])
    _email_owner(job)


def job_fail_stale() -> int:
    """Fails running jobs whose worker stopped reporting (a worker killed outright)."""
    failed = 0
    for job in Job.objects.stale():
        updated = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED, error_message=LOST_WORKER_MESSAGE, finished_at=timezone.now()
        )
        if updated:
            job.refresh_from_db()
            _email_owner(job)
            failed += 1
    return failed


def job_save_result(*, job: Job, name: str, content: File[Any]) -> None:
    job.result_name = name
    job.result_file.save(name, content, save=False)
    job.save(update_fields=["result_name", "result_file"])


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
            "path": reverse("jobs:detail", kwargs={"code": job.code}),
        },
    )
