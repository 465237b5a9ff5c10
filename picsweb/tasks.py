"""The Celery tasks: thin, they take IDs and call picsweb.jobs. The two periodic ones are
scheduled by Celery beat (settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from picsweb.jobs import RUN_JOB_TASK, job_fail_stale, job_remove_expired_files, job_run


@shared_task(name=RUN_JOB_TASK, acks_late=True, reject_on_worker_lost=True)
def run_job_task(*, job_id: int) -> None:
    job_run(job_id=job_id)


@shared_task(name="picsweb.sweep_stale_jobs")
def sweep_stale_jobs_task() -> int:
    return job_fail_stale()


@shared_task(name="picsweb.remove_expired_files")
def remove_expired_files_task() -> int:
    return job_remove_expired_files()
