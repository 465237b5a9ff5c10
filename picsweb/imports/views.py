"""Confirm, cancel and undo: the same for every import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from picsweb.imports import pipeline
from picsweb.job_views import get_job_for_user
from picsweb.models import ImportBatch
from picsweb.typing import AuthenticatedHttpRequest


@require_POST
@login_required
def import_confirm(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    validation = get_job_for_user(request, code)
    try:
        apply_job = pipeline.import_confirm(validation=validation, user=request.user)
    except pipeline.ImportDecisionError as error:
        messages.error(request, error.message)
        return redirect("jobs:detail", code=validation.code)
    return redirect("jobs:detail", code=apply_job.code)


@require_POST
@login_required
def import_cancel(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    validation = get_job_for_user(request, code)
    try:
        pipeline.import_cancel(validation=validation)
    except pipeline.ImportDecisionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Import cancelled. Nothing was changed.")
    return redirect("jobs:detail", code=validation.code)


@require_POST
@login_required
def import_undo(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    job = get_job_for_user(request, code)
    batch = ImportBatch.objects.filter(job=job).first()
    if batch is None:
        raise Http404
    try:
        pipeline.import_undo(batch=batch, user=request.user)
    except pipeline.UndoRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Import undone: its new records are deleted and the values it replaced are back.",
        )
    return redirect("jobs:detail", code=job.code)
