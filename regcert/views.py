"""Registration and Certification: the list, the Edit form, Import and Update, Export."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from learners.models import Learner, Provider, Role
from learners.record_views import record_context
from picsweb.access import role_required
from picsweb.exports import export_start
from picsweb.field_messages import field_error
from picsweb.forms import GovukDateField
from picsweb.imports.views import import_upload
from picsweb.navigation import list_query
from picsweb.selection import SelectionError, resolve_selection
from picsweb.typing import AuthenticatedHttpRequest
from regcert.columns import COLUMNS
from regcert.exporting import REGCERT_EXPORT
from regcert.filters import RegistrationFilter
from regcert.importing import MANDATORY, REGCERT, regcert_sample_csv
from regcert.models import Registration
from regcert.services import registrations_for


def _filtered(provider: Provider, query: QueryDict) -> RegistrationFilter:
    data = query.copy()
    for key in ("provider", "page"):
        data.pop(key, None)
    return RegistrationFilter(data, queryset=registrations_for(provider=provider))


@role_required(Role.MANAGE_REGCERT)
def registration_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    provider = request.access.provider(Role.MANAGE_REGCERT, request.GET.get("provider"))
    found = _filtered(provider, request.GET)
    records = (
        found.qs.select_related("learner").order_by("learner__family_name", "id")
        if found.is_valid()
        else Registration.objects.none()
    )
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    roles = request.access.roles_at(provider)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "regcert/list.html",
        {
            "provider": provider,
            "providers": request.access.providers(Role.MANAGE_REGCERT),
            "form": found.form,
            "page": page,
            "can_export": set(REGCERT_EXPORT.roles) <= roles,
            "can_import": set(REGCERT.roles) <= roles,
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
        field_classes = {name: GovukDateField for name in fields if name.endswith("_date")}

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        status = data.get("status")
        if status in Registration.NEEDS_REGISTRATION_NUMBER and not data.get("registration_number"):
            self.add_error(
                "registration_number",
                f"Enter the registration number: {status} needs one (or choose another status).",
            )
        registered = data.get("registration_date")
        for name in (
            "certificate_claimed_date",
            "achieved_date",
            "certificate_received_date",
            "certificate_sent_date",
        ):
            when = data.get(name)
            if registered and when and when < registered:
                label = str(self.fields[name].label).lower()
                self.add_error(name, f"The {label} must be on or after the registration date")
        return data


@role_required(Role.MANAGE_REGCERT)
def registration_edit(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    record = request.access.get(
        Registration.objects.select_related("learner"), Role.MANAGE_REGCERT, code=code
    )
    form = RegistrationForm(request.POST or None, instance=record)
    back = list_query(request, f"provider={record.learner.provider.code}")
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The registration is saved.")
        return redirect(f"/regcert/?{back}")
    return render(request, "regcert/edit.html", {"form": form, "record": record, "back": back})


@role_required(*REGCERT.roles)
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


@role_required(*REGCERT.roles)
def registration_sample(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = HttpResponse(regcert_sample_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registration-sample.csv"'
    return response


@require_POST
@role_required(*REGCERT_EXPORT.roles)
def registration_export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    provider = request.access.provider(REGCERT_EXPORT.roles, request.POST.get("provider"))
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
        field_error(request, "select-all-matching", error.message)
        return redirect(f"/regcert/?provider={provider.code}&{filters.urlencode()}")
    return export_start(
        spec=REGCERT_EXPORT,
        user=request.user,
        provider=provider,
        rows=chosen,
        params={"filters": filters.urlencode()},
        count=count,
    )


@role_required(Role.MANAGE_REGCERT)
def learner_registrations(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The Registrations tab of a learner's record."""
    learner = request.access.get(
        Learner.objects.select_related("provider"), Role.MANAGE_REGCERT, code=code
    )
    context = record_context(request, learner, "registrations") | {
        "registrations": learner.registrations.order_by("qualification_number")
    }
    return render(request, "regcert/learner_tab.html", context)
