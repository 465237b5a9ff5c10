"""The learner list's bulk actions and their jobs: download the selected learners as CSV, and
the AS Cohort Export."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from learners import bulk
from learners.as_cohort import (
    MAX_ROWS_PER_FILE,
    CohortExport,
    as_cohort_build,
    as_cohort_files,
    as_cohort_leave_out_sent,
    as_cohort_mark_sent,
    as_cohort_sent_before,
)
from learners.models import Learner, Provider, Role
from learners.services import learners_csv_file
from picsweb import exports, jobs
from picsweb.job_views import get_job_for_user
from picsweb.models import Job
from picsweb.typing import AuthenticatedHttpRequest

CSV_JOB = "learners.csv"
AS_COHORT_JOB = "learners.as_cohort"
AS_COHORT_CHECK_JOB = "learners.as_cohort.check"


def job_learners(job: Job) -> QuerySet[Learner]:
    """The learners frozen when the export's job started, still limited to its provider."""
    return exports.export_rows(job)


def _provider_learners(provider: Provider) -> QuerySet[Learner]:
    return Learner.objects.filter(provider=provider)


def _csv_name(params: dict[str, Any]) -> str:
    return f"learners-{timezone.localtime():%Y%m%d-%H%M%S}.csv"


def _write_csv(
    *,
    rows: QuerySet[Learner],
    provider: Provider,
    params: dict[str, Any],
    progress: Callable[[int], None] | None,
) -> File[bytes]:
    return learners_csv_file(learners=rows, progress=progress)


CSV_EXPORT = exports.register_export(
    exports.ExportSpec(
        kind=CSV_JOB,
        label="Download learners as CSV",
        role=Role.LEARNER_LIST,
        scope=_provider_learners,
        write=_write_csv,
        file_name=_csv_name,
    )
)


def start_csv_download(selection: bulk.Selection) -> HttpResponseBase:
    """Small selections download at once; large ones run as a job (its page shows progress)."""
    return exports.export_start(
        spec=CSV_EXPORT,
        user=selection.user,
        provider=selection.provider,
        rows=selection.learners,
        params={"filters": selection.filters},
        count=selection.count,
    )


def _exclusions(export: CohortExport) -> list[dict[str, object]]:
    return [
        {
            "code": e.code,
            "lrn": e.lrn,
            "name": e.name,
            "reasons": e.reasons,
            # Each reason with the field that fixes it, for the report's links.
            "fix": [
                {"text": str(reason), "field": getattr(reason, "field", "")} for reason in e.reasons
            ],
        }
        for e in export.exclusions
    ]


def run_as_cohort_check_job(job: Job) -> None:
    """The check before anything is sent: who can go in the file, who is left out and why,
    who was Sent before and when. No file is made and no status changes."""
    export = as_cohort_build(learners=job_learners(job), today=timezone.localdate())
    sent_before = as_cohort_sent_before(learner_ids=[learner_id for learner_id, _ in export.rows])
    job.report = {
        "ready": export.included,  # with Send again ticked
        "in_file": export.included - len(sent_before),  # as it stands, Send again unticked
        "excluded": _exclusions(export),
        "sent_before": [
            {
                "code": export.who[learner_id][0],
                "lrn": export.who[learner_id][1],
                "name": export.who[learner_id][2],
                "when": timezone.localtime(when).strftime("%d/%m/%Y %H:%M") if when else "",
            }
            for learner_id, when in sorted(sent_before.items(), key=lambda i: export.who[i[0]][2])
        ],
    }
    job.save(update_fields=["report"])


def run_as_cohort_job(job: Job) -> None:
    """Makes the file for the learners a confirmed check froze, then marks them Sent."""
    at = timezone.localtime()
    export = as_cohort_build(learners=job_learners(job), today=at.date())
    if not job.params.get("send_again"):
        sent_before = as_cohort_sent_before(learner_ids=[i for i, _ in export.rows])
        as_cohort_leave_out_sent(export=export, sent_before=sent_before)
    job.report = {
        "included": export.included,
        "files": -(-export.included // MAX_ROWS_PER_FILE),
        "excluded": _exclusions(export),
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


# Seed 000: Run makes a check (who goes in, who is left out and why, who was Sent before);
# the file is made, and statuses change, only when the user confirms it. Both always run as
# jobs on the learners frozen at Run.
AS_COHORT_CHECK = exports.register_export(
    exports.ExportSpec(
        kind=AS_COHORT_CHECK_JOB,
        label="AS Cohort Export check",
        role=Role.BULK_ACTIONS,
        scope=_provider_learners,
        run=run_as_cohort_check_job,
        report_template="learners/_as_cohort_check.html",
        left_out_key="excluded",
        direct=False,
    )
)
AS_COHORT_FILE = exports.register_export(
    exports.ExportSpec(
        kind=AS_COHORT_JOB,
        label="AS Cohort Export",
        role=Role.BULK_ACTIONS,
        scope=_provider_learners,
        run=run_as_cohort_job,
        report_template="learners/_as_cohort_report.html",
        left_out_key="excluded",
        direct=False,
    )
)


def start_as_cohort_export(selection: bulk.Selection) -> HttpResponse:
    """Run starts the check; the file is made only when the user confirms it."""
    job = exports.export_job(
        spec=AS_COHORT_CHECK,
        user=selection.user,
        provider=selection.provider,
        rows=selection.learners,
        params={"filters": selection.filters},
        count=selection.count,
    )
    return redirect("jobs:detail", code=job.code)


@require_POST
@login_required
def as_cohort_confirm(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Confirm on the check's page: the make-file job on the same frozen learners, once."""
    check = get_job_for_user(request, str(code))
    if check.kind != AS_COHORT_CHECK_JOB:
        raise Http404
    with transaction.atomic():
        check = Job.objects.select_for_update().get(pk=check.pk)
        if check.params.get("file_job"):  # confirmed already (a double click, a reload)
            return redirect("jobs:detail", code=check.params["file_job"])
        if check.status != Job.Status.SUCCEEDED:
            messages.error(request, "This check has not finished, so there is nothing to confirm.")
            return redirect("jobs:detail", code=check.code)
        job = exports.export_job(
            spec=AS_COHORT_FILE,
            user=request.user,
            provider=check.provider,
            rows=job_learners(check),
            params={
                "check": str(check.code),
                "filters": check.params.get("filters"),
                "send_again": request.POST.get("send_again") == "yes",
            },
        )
        check.params["file_job"] = str(job.code)
        check.save(update_fields=["params"])
    return redirect("jobs:detail", code=job.code)


bulk.register(
    bulk.BulkAction(
        name="as_cohort_export",
        label="AS Cohort Export",
        role=Role.BULK_ACTIONS,
        run=start_as_cohort_export,
        requires_any_filter=("as_agreement_id", "as_cohort"),
        needs_filter_reason="To use AS Cohort Export, choose More, then AS Agreement ID or AS "
        "Cohort, and type one.",
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
