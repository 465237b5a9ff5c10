"""Confirm, cancel and undo: the same for every import."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from picsweb.access import request_access
from picsweb.errors import UserError
from picsweb.imports import pipeline
from picsweb.imports.forms import ImportUploadForm
from picsweb.job_views import get_job_for_user
from picsweb.models import ImportBatch, Provider
from picsweb.typing import AuthenticatedHttpRequest


@require_POST
@login_required
def import_confirm(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    validation = get_job_for_user(request, code)
    try:
        apply_job = pipeline.import_confirm(validation=validation, user=request.user)
    except UserError as error:
        messages.error(request, error.message)
        return redirect("jobs:detail", code=validation.code)
    return redirect("jobs:detail", code=apply_job.code)


@require_POST
@login_required
def import_cancel(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    validation = get_job_for_user(request, code)
    try:
        pipeline.import_cancel(validation=validation)
    except UserError as error:
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
    except UserError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Import undone: its new records are deleted and the values it replaced are back.",
        )
    return redirect("jobs:detail", code=job.code)


def import_upload(
    request: AuthenticatedHttpRequest,
    *,
    spec: pipeline.ImportSpec,
    template: str,
    context: Callable[[Provider], dict[str, Any]],
) -> HttpResponse:
    """The upload page of an import: the form, then the validation job. The caller has
    checked the role; the provider is one where the user holds the spec's role."""
    provider = request_access(request).provider(
        spec.roles,
        request.POST.get("provider") or request.GET.get("provider"),
    )
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, spec=spec, provider=provider
    )
    if request.method == "POST" and form.is_valid():
        job = pipeline.import_start(
            spec=spec,
            owner=request.user,
            provider=provider,
            upload=form.cleaned_data["file"],
            separator=form.cleaned_data["separator"],
        )
        return redirect("jobs:detail", code=job.code)
    return render(
        request,
        template,
        {"form": form, "provider": provider, **context(provider)},
        status=400 if request.method == "POST" else 200,
    )
