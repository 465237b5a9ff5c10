"""ILR Exports: the Export List, Create, an export's report and its download."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ilr_exports.forms import FILTERS, IlrExportForm
from ilr_exports.jobs import ilr_export_create
from ilr_exports.models import IlrExport
from ilr_exports.services import IlrExportError
from ilr_exports.years import NEWEST, missing_year
from learners.models import Role
from picsweb.access import request_access, role_required
from picsweb.typing import AuthenticatedHttpRequest


def _get_export_for_user(request: AuthenticatedHttpRequest, code: uuid.UUID) -> IlrExport:
    return request_access(request).get(
        IlrExport.objects.select_related("provider", "job", "created_by"),
        Role.ILR_EXPORT,
        code=code,
    )


@role_required(Role.ILR_EXPORT)
def export_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    exports = request_access(request).scoped(
        IlrExport.objects.select_related("provider", "job", "created_by"), Role.ILR_EXPORT
    )[:200]
    return render(request, "ilr_exports/list.html", {"exports": exports})


@role_required(Role.ILR_EXPORT)
def export_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    provider = request_access(request).provider(
        Role.ILR_EXPORT, request.POST.get("provider") or request.GET.get("provider")
    )
    data = request.POST or None
    shown = request.POST.get("shown")
    if request.POST.get("choose"):
        data = None  # Choose: show this provider's filters, keep the monitoring choices
    elif shown and shown != str(provider.code) and any(request.POST.getlist(f) for f in FILTERS):
        # The filters ticked belong to the UKPRN the page showed, not the one now chosen.
        messages.error(
            request,
            f"You chose UKPRN {provider.ukprn}: its filters are shown now. Choose them again "
            "and select Create.",
        )
        data = None
    form = IlrExportForm(data, provider=provider, initial=_monitoring_initial(request))
    if data is not None and form.is_valid():
        try:
            ilr_export_create(
                provider=provider,
                user=request.user,
                year=form.collection_year(),
                filters=form.filters(),
                monitoring=form.monitoring(),
                check_only="check_only" in request.POST,
            )
        except IlrExportError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                "The ILR check has started in the background: it runs ESFA's rules on the "
                "learners and makes no file. We will email you when the list is ready here."
                if "check_only" in request.POST
                else "The ILR export has started in the background: you can carry on using "
                "picsweb. We will email you when the file is ready to download here.",
            )
            return redirect("ilr_exports:list")
    return render(
        request,
        "ilr_exports/create.html",
        {
            "form": form,
            "provider": provider,
            "providers": request_access(request).providers(Role.ILR_EXPORT),
            "newest": NEWEST,
            # Today past the newest installed year: the page says which year is missing.
            "missing": missing_year(timezone.localdate()),
        },
        status=400 if data is not None else 200,
    )


def _monitoring_initial(request: AuthenticatedHttpRequest) -> dict[str, str]:
    return {
        f"monitoring_{n}": request.POST[f"monitoring_{n}"]
        for n in range(4)
        if request.POST.get(f"monitoring_{n}")
    }


@role_required(Role.ILR_EXPORT)
def export_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    export = _get_export_for_user(request, code)
    return render(request, "ilr_exports/detail.html", {"export": export, "job": export.job})


@role_required(Role.ILR_EXPORT)
def export_download(request: AuthenticatedHttpRequest, code: uuid.UUID) -> FileResponse:
    export = _get_export_for_user(request, code)
    if export.status != "Generated" or export.job is None or not export.job.result_file:
        raise Http404
    # Exactly the name the ILR file-name rule gives, so it can be uploaded as it is.
    return FileResponse(
        export.job.result_file.open("rb"), as_attachment=True, filename=export.file_name
    )
