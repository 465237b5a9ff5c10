"""Registration and Certification: the list, the Edit form, Import and Update, Export."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from learners.models import Provider, Role
from picsweb import jobs
from picsweb.access import provider_for, providers_for, providers_with_role, role_required, roles_at
from picsweb.imports.views import import_upload
from picsweb.models import Job
from picsweb.selection import SelectionError, resolve_selection
from picsweb.typing import AuthenticatedHttpRequest
from regcert.filters import RegistrationFilter
from regcert.importing import COLUMNS, MANDATORY, REGCERT, regcert_sample_csv
from regcert.models import Registration
from regcert.services import regcert_export_file, registrations_for

EXPORT_JOB = "regcert.export"


def _filtered(provider: Provider, query: QueryDict) -> RegistrationFilter:
    data = query.copy()
    for key in ("provider", "page"):
        data.pop(key, None)
    return RegistrationFilter(data, queryset=registrations_for(provider=provider))


@role_required(Role.MANAGE_REGCERT)
def registration_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    provider = provider_for(request.user, Role.MANAGE_REGCERT, request.GET.get("provider"))
    found = _filtered(provider, request.GET)
    records = (
        found.qs.select_related("learner").order_by("learner__family_name", "id")
        if found.is_valid()
        else Registration.objects.none()
    )
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    roles = roles_at(request.user, provider)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "regcert/list.html",
        {
            "provider": provider,
            "providers": providers_with_role(request.user, Role.MANAGE_REGCERT),
            "form": found.form,
            "page": page,
            "can_export": Role.DATA_EXPORT in roles,
            "can_import": Role.BULK_UPLOAD in roles,
            "filter_query": _filtered_query(query),
        },
    )


def _filtered_query(query: QueryDict) -> str:
    data = query.copy()
    data.pop("provider", None)
    return data.urlencode()


class RegistrationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Registration
        fields = [
            "status",
            "registration_number",
            "registration_date",
            "certificate_claimed_date",
            "achieved_date",
            "certificate_received_date",
            "certificate_sent_date",
            "postal_tracking_reference",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in fields
            if name.endswith("_date")
        }

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        status = data.get("status")
        if status in Registration.NEEDS_REGISTRATION_NUMBER and not data.get("registration_number"):
            self.add_error("status", f"{status} needs a registration number.")
        return data


@role_required(Role.MANAGE_REGCERT)
def registration_edit(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    record = get_object_or_404(
        Registration.objects.select_related("learner").filter(
            learner__provider__in=providers_for(request.user, Role.MANAGE_REGCERT)
        ),
        code=code,
    )
    form = RegistrationForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The registration is saved.")
        return redirect(f"/regcert/?provider={record.learner.provider.code}")
    return render(request, "regcert/edit.html", {"form": form, "record": record})


@role_required(Role.BULK_UPLOAD)
def registration_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    return import_upload(
        request,
        spec=REGCERT,
        template="regcert/import.html",
        context=lambda provider: {
            "columns": list(COLUMNS),
            "mandatory": MANDATORY,
            "statuses": Registration.Status.values,
            "needs_number": [
                s for s in Registration.Status.values if s in Registration.NEEDS_REGISTRATION_NUMBER
            ],
        },
    )


@role_required(Role.BULK_UPLOAD)
def registration_sample(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = HttpResponse(regcert_sample_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registration-sample.csv"'
    return response


@require_POST
@role_required(Role.DATA_EXPORT)
def registration_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    provider = provider_for(request.user, Role.DATA_EXPORT, request.POST.get("provider"))
    filters = QueryDict(request.POST.get("filters", ""))
    found = RegistrationFilter(filters, queryset=registrations_for(provider=provider))
    if not found.is_valid():
        raise Http404
    try:
        codes = [str(uuid.UUID(code)) for code in request.POST.getlist("registration")]
        chosen, count = resolve_selection(
            filtered=found.qs,
            codes=codes,
            select_all=request.POST.get("select_all"),
            noun=("registration", "registrations"),
        )
    except ValueError:
        raise Http404 from None
    except SelectionError as error:
        messages.error(request, error.message)
        return redirect(f"/regcert/?provider={provider.code}&{filters.urlencode()}")
    if count <= settings.DIRECT_DOWNLOAD_LIMIT:
        response = HttpResponse(regcert_export_file(chosen).read(), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{_export_name()}"'
        return response
    job = jobs.job_start(
        kind=EXPORT_JOB,
        owner=request.user,
        provider=provider,
        params={"filters": filters.urlencode(), "codes": codes, "count": count},
    )
    return redirect("jobs:detail", code=job.code)


def _export_name() -> str:
    return f"registrations-{timezone.localtime():%Y%m%d-%H%M%S}.csv"


def run_export_job(job: Job) -> None:
    found = RegistrationFilter(
        QueryDict(job.params["filters"]), queryset=registrations_for(provider=job.provider)
    )
    chosen = found.qs.filter(code__in=job.params["codes"]) if job.params["codes"] else found.qs
    progress = jobs.Progress(job, total=job.params["count"])
    jobs.job_save_result(
        job=job, name=_export_name(), content=regcert_export_file(chosen, progress)
    )


jobs.register_kind(
    jobs.JobKind(
        EXPORT_JOB,
        "Registration & Certification export",
        Role.DATA_EXPORT,
        "exports",
        run_export_job,
    )
)
