"""The payment pages: the Learner Payment Report with its downloads, and the import."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from learners.models import Role
from payments.filters import PaymentReportFilter
from payments.importing import PAYMENTS
from payments.models import PaymentRecord
from payments.services import FORMATS, payment_report_file
from picsweb.access import provider_for, providers_with_role, role_required
from picsweb.imports.views import import_upload
from picsweb.typing import AuthenticatedHttpRequest


def _report_filter(request: AuthenticatedHttpRequest) -> tuple[PaymentReportFilter, object]:
    provider = provider_for(request.user, Role.PAYMENTS_IMPORT, request.GET.get("provider"))
    records = PaymentRecord.objects.filter(provider=provider)
    data = request.GET.copy()
    data.pop("provider", None)
    data.pop("format", None)
    return PaymentReportFilter(data, records, provider), provider


@role_required(Role.PAYMENTS_IMPORT)
def payment_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    report, provider = _report_filter(request)
    records = report.qs.select_related("episode__learner", "payment_item", "organisation")
    shown = list(records.order_by("-expected_date", "-id")[:50]) if report.is_valid() else []
    return render(
        request,
        "payments/report.html",
        {
            "filter": report,
            "form": report.form,
            "provider": provider,
            "providers": providers_with_role(request.user, Role.PAYMENTS_IMPORT),
            "records": shown,
            "count": report.qs.count() if report.is_valid() else 0,
            "query": request.GET.urlencode(),
        },
    )


@role_required(Role.PAYMENTS_IMPORT)
def payment_report_download(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    report, provider = _report_filter(request)
    file_format = request.GET.get("format", "csv")
    if file_format not in FORMATS or not report.is_valid():
        return redirect("payments:report")
    content = payment_report_file(provider=provider, records=report.qs, file_format=file_format)  # type: ignore[arg-type]
    name = f"learner-payment-report-{timezone.localtime():%Y%m%d-%H%M%S}.{file_format}"
    return FileResponse(content, as_attachment=True, filename=name)


@role_required(Role.PAYMENTS_IMPORT)
def payment_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    return import_upload(
        request,
        spec=PAYMENTS,
        template="payments/import.html",
        context=lambda provider: {
            "providers": providers_with_role(request.user, Role.PAYMENTS_IMPORT),
            "columns": PAYMENTS.columns(provider),
            "statuses": PaymentRecord.Status.values,
        },
    )
