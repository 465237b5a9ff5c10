"""The learner list's own bulk action and job: download the selected learners as CSV."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from learners import bulk
from learners.models import Role
from learners.services import learners_csv_file
from picsweb import jobs
from picsweb.models import Job

CSV_JOB = "learners.csv"


def _csv_name() -> str:
    return f"learners-{timezone.localtime():%Y%m%d-%H%M%S}.csv"


def run_csv_job(job: Job) -> None:
    progress = jobs.Progress(job)
    content = learners_csv_file(learners=jobs.job_learners(job), progress=progress)
    jobs.job_save_result(job=job, name=_csv_name(), content=content)


def start_csv_download(selection: bulk.Selection) -> HttpResponse:
    """Small selections download at once; large ones run as a job (its page shows progress)."""
    if selection.count <= settings.LEARNER_CSV_DIRECT_LIMIT:
        content = learners_csv_file(learners=selection.learners)
        response = HttpResponse(content.read(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_csv_name()}"'
        return response
    job = jobs.job_start(
        kind=CSV_JOB,
        owner=selection.request.user,
        provider=selection.provider,
        params={"filters": selection.filters, "count": selection.count},
        learners=selection.learners,
    )
    return redirect("jobs:detail", code=job.code)


jobs.register_kind(
    jobs.JobKind(
        name=CSV_JOB,
        label="Download learners as CSV",
        role=Role.LEARNER_LIST,
        queue="exports",
        run=run_csv_job,
    )
)
bulk.register(
    bulk.BulkAction(
        name="download_csv",
        label="Download selected as CSV",
        role=Role.LEARNER_LIST,
        run=start_csv_download,
    )
)
