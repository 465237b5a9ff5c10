"""My jobs, a job's page with its live progress, its status as JSON, and its download."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render

from picsweb.access import request_access
from picsweb.jobs import get_kind, job_page
from picsweb.models import Job
from picsweb.spreadsheets import safe_csv_file
from picsweb.typing import AuthenticatedHttpRequest


def get_job_for_user(request: AuthenticatedHttpRequest, code: str) -> Job:
    """The owner's job, while they still hold its roles at its provider; otherwise 404."""
    return request_access(request).job_for(code)


@login_required
def job_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    jobs = list(Job.objects.filter(owner=request.user).select_related("provider")[:100])
    rows = [(job, get_kind(job.kind).label) for job in jobs]
    return render(request, "jobs/list.html", {"rows": rows})


@login_required
def job_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    job = get_job_for_user(request, code)
    kind = get_kind(job.kind)
    return render(
        request,
        "jobs/detail.html",
        {
            "job": job,
            "label": kind.label,
            "report_template": kind.report_template,
            "retention_days": settings.FILE_RETENTION_DAYS,
            "made_page": job_page(job) if kind.page else "",
        },
    )


@login_required
def job_status(request: AuthenticatedHttpRequest, code: str) -> JsonResponse:
    job = get_job_for_user(request, code)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.status_label,
            "progress_text": job.progress_text,
            "done": job.progress_done,
            "total": job.progress_total,
            "percent": job.percent,
            "finished": job.is_finished,
        }
    )


@login_required
def job_download(request: AuthenticatedHttpRequest, code: str) -> FileResponse:
    job = get_job_for_user(request, code)
    if job.status != Job.Status.SUCCEEDED or not job.result_file:
        raise Http404
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)


@login_required
def job_left_out(request: AuthenticatedHttpRequest, code: str) -> FileResponse:
    """The learners a job left out, with the reasons, as CSV: a to-do list to work through."""
    job = get_job_for_user(request, code)
    key = get_kind(job.kind).left_out_key
    report = job.report if isinstance(job.report, dict) else {}
    if not key or not isinstance(report.get(key), list):
        raise Http404
    entries = report[key] + report.get("warnings", [])
    if any(entry.get("failures") for entry in entries):
        # A line per rule broken (the ILR export's ESFA rules), to tick off one by one.
        rows = [["LRN", "Learner", "Severity", "Rule", "Field", "Aim", "Message"]]
        for entry in entries:
            for failure in entry.get("failures") or [{"message": r} for r in entry["reasons"]]:
                rows.append(
                    [
                        entry.get("lrn", ""),
                        entry.get("name", ""),
                        failure.get("severity", "error"),
                        failure.get("rule", ""),
                        failure.get("field", ""),
                        failure.get("aim", ""),
                        failure.get("message", ""),
                    ]
                )
    else:
        rows = [["LRN", "Learner", "Reasons"]] + [
            [entry.get("lrn", ""), entry.get("name", ""), "; ".join(entry.get("reasons", []))]
            for entry in report[key]
        ]
    return FileResponse(
        safe_csv_file(rows),
        as_attachment=True,
        filename="learners-left-out.csv",
        content_type="text/csv; charset=utf-8",
    )
