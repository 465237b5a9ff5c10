from __future__ import annotations

from celery import shared_task

from picsweb.jobs import job_run


@shared_task(name="picsweb.run_job", acks_late=True, reject_on_worker_lost=True)
def run_job_task(*, job_id: int) -> None:
    job_run(job_id=job_id)
