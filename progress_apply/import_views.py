"""Import learners (seed 003 §7.2-§7.4): the history of the manager's imports, the template,
the upload. The rest (validation report, errors by row, confirm, email) is the shared
pipeline's and the job pages'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from picsweb import exports
from picsweb.access import request_access, role_required
from picsweb.imports.views import import_upload
from picsweb.models import Job, Provider, Role
from picsweb.typing import AuthenticatedHttpRequest
from progress_apply.importing import COLUMNS, LEARNER_IMPORT, MANDATORY, import_template_xlsx
from progress_apply.models import YearGroup
from progress_apply.qualification_workbook import (
    QUALIFICATION_EXPORT,
    QUALIFICATION_IMPORT,
    export_learners,
)


@role_required(Role.LEARNER_MANAGER)
def learner_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    def context(provider: Provider) -> dict[str, Any]:
        kinds = [f"{LEARNER_IMPORT.kind}.validate", f"{LEARNER_IMPORT.kind}.apply"]
        history = Job.objects.filter(owner=request.user, kind__in=kinds).order_by("-created_at")
        return {
            "history": history[:50],
            "columns": COLUMNS,
            "mandatory": MANDATORY,
        }

    return import_upload(
        request, spec=LEARNER_IMPORT, template="progress_apply/import.html", context=context
    )


@role_required(Role.LEARNER_MANAGER)
def learner_import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = HttpResponse(
        import_template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="learner-import-template.xlsx"'
    return response


# --- the bulk qualification workbook (seed §9; S23) ----------------------------------------


class WorkbookExportForm(forms.Form):
    year_group = forms.TypedChoiceField(
        label="Learner year group",
        choices=[("", "Choose a year group"), *YearGroup.choices],
        coerce=int,
        error_messages={"required": "Choose a learner year group"},
    )


@role_required(Role.LEARNER_MANAGER)
def qualifications_workbook(request: AuthenticatedHttpRequest) -> HttpResponse:
    """S23: Export (a year group's workbook, made in the background, emailed and listed
    here) and Import (the edited workbook, on the shared pipeline)."""
    access = request_access(request)
    export_form = WorkbookExportForm(request.POST if "export" in request.POST else None)

    def context(provider: Provider) -> dict[str, Any]:
        mine = Job.objects.filter(owner=request.user).order_by("-created_at")
        kinds = [f"{QUALIFICATION_IMPORT.kind}.validate", f"{QUALIFICATION_IMPORT.kind}.apply"]
        return {
            "export_form": export_form,
            "providers": access.providers(Role.LEARNER_MANAGER),
            "exports": mine.filter(kind=QUALIFICATION_EXPORT.kind)[:20],
            "history": mine.filter(kind__in=kinds)[:50],
        }

    if not export_form.is_bound:
        return import_upload(
            request,
            spec=QUALIFICATION_IMPORT,
            template="progress_apply/qualifications_workbook.html",
            context=context,
        )
    provider = access.provider(Role.LEARNER_MANAGER, request.POST.get("provider"))
    if not export_form.is_valid():
        page = {"form": None, "provider": provider, **context(provider)}
        return render(request, "progress_apply/qualifications_workbook.html", page, status=400)
    year = export_form.cleaned_data["year_group"]
    exports.export_job(
        spec=QUALIFICATION_EXPORT,
        user=request.user,
        provider=provider,
        rows=export_learners(user=request.user, provider=provider, year_group=year),
        params={"year_group": year},
    )
    messages.success(
        request,
        f"The workbook of {YearGroup(year).label} at {provider.name} is being made: you get an "
        "email when it is ready, and it is listed below to download.",
    )
    return redirect("progress_apply:qualifications")
