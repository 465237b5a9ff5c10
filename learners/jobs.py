"""The learner list's bulk actions and their jobs: download the selected learners as CSV, and
the AS Cohort Export."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from learners import bulk
from learners.as_cohort import (
    MAX_ROWS_PER_FILE,
    as_cohort_build,
    as_cohort_files,
    as_cohort_mark_sent,
)
from learners.models import Role
from learners.services import learners_csv_file
from picsweb import jobs
from picsweb.models import Job

CSV_JOB = "learners.csv"
AS_COHORT_JOB = "learners.as_cohort"


def _csv_name() -> str:
    return f"learners-{timezone.localtime():%Y%m%d-%H%M%S}.csv"


def run_csv_job(job: Job) -> None:
    progress = jobs.Progress(job)
    content = learners_csv_file(learners=jobs.job_learners(job), progress=progress)
    jobs.job_save_result(job=job, name=_csv_name(), content=content)


def start_csv_download(selection: bulk.Selection) -> HttpResponse:
    """Small selections download at once; large ones run as a job (its page shows progress)."""
    if selection.count <= settings.DIRECT_DOWNLOAD_LIMIT:
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


def run_as_cohort_job(job: Job) -> None:
    at = timezone.localtime()
    export = as_cohort_build(learners=jobs.job_learners(job), today=at.date())
    job.report = {
        "included": export.included,
        "files": -(-export.included // MAX_ROWS_PER_FILE),
        "excluded": [
            {"code": e.code, "lrn": e.lrn, "name": e.name, "reasons": e.reasons}
            for e in export.exclusions
        ],
    }
    job.save(update_fields=["report"])
    if not export.included:
        raise jobs.JobError(
            "None of the selected learners can be sent to the Apprenticeship Service: the "
            "reasons are listed for each."
        )
    name, content = as_cohort_files(export=export, ukprn=job.provider.ukprn, at=at)
    jobs.job_save_result(job=job, name=name, content=ContentFile(content))
    as_cohort_mark_sent(export=export, job_id=job.pk, user_id=job.owner_id, export_name=name)


def start_as_cohort_export(selection: bulk.Selection) -> HttpResponse:
    job = jobs.job_start(
        kind=AS_COHORT_JOB,
        owner=selection.request.user,
        provider=selection.provider,
        params={"filters": selection.filters, "count": selection.count},
        learners=selection.learners,
    )
    return redirect("jobs:detail", code=job.code)


jobs.register_kind(
    jobs.JobKind(
        name=AS_COHORT_JOB,
        label="AS Cohort Export",
        role=Role.BULK_ACTIONS,
        queue="exports",
        run=run_as_cohort_job,
        report_template="learners/_as_cohort_report.html",
    )
)
bulk.register(
    bulk.BulkAction(
        name="as_cohort_export",
        label="AS Cohort Export",
        role=Role.BULK_ACTIONS,
        run=start_as_cohort_export,
        requires_any_filter=("as_agreement_id", "as_cohort"),
    )
)
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
