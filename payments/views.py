"""The payment pages: the Learner Payment Report with its downloads, and the import."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from learners.models import Learner, Provider, Role
from learners.record_views import record_context
from payments.exporting import PAYMENT_REPORT
from payments.filters import PaymentReportFilter
from payments.importing import PAYMENTS
from payments.models import PaymentRecord
from payments.services import FORMATS
from picsweb.access import role_required
from picsweb.exports import export_start
from picsweb.imports.views import import_upload
from picsweb.typing import AuthenticatedHttpRequest


def _report_filter(
    request: AuthenticatedHttpRequest, query: QueryDict
) -> tuple[PaymentReportFilter, Provider]:
    provider = request.access.provider(Role.PAYMENTS_IMPORT, query.get("provider"))
    records = PaymentRecord.objects.filter(provider=provider)
    data = query.copy()
    data.pop("provider", None)
    data.pop("format", None)
    return PaymentReportFilter(data, records, provider), provider


PER_PAGE = 50


@role_required(Role.PAYMENTS_IMPORT)
def payment_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    report, provider = _report_filter(request, request.GET)
    records = report.qs.select_related("episode__learner", "payment_item", "organisation")
    ordered = records.order_by("-expected_date", "-id") if report.is_valid() else records.none()
    page = Paginator(ordered, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "payments/report.html",
        {
            "filter": report,
            "form": report.form,
            "provider": provider,
            "providers": request.access.providers(Role.PAYMENTS_IMPORT),
            "records": page.object_list,
            "page": page,
            "count": page.paginator.count,
            "query": request.GET.urlencode(),
            "page_query": query.urlencode(),
            "direct_limit": settings.DIRECT_DOWNLOAD_LIMIT,
        },
    )


@require_POST
@role_required(Role.PAYMENTS_IMPORT)
def payment_report_download(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The report as CSV or XLSX: at once when small, else as a job (PAYMENT_REPORT)."""
    report, provider = _report_filter(request, QueryDict(request.POST.get("query", "")))
    file_format = request.POST.get("format", "csv")
    if file_format not in FORMATS or not report.is_valid():
        return redirect("payments:report")
    return export_start(
        spec=PAYMENT_REPORT,
        user=request.user,
        provider=provider,
        rows=report.qs,
        params={"format": file_format, "query": request.POST.get("query", "")},
    )


@role_required(Role.PAYMENTS_IMPORT)
def payment_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    return import_upload(
        request,
        spec=PAYMENTS,
        template="payments/import.html",
        context=lambda provider: {
            "providers": request.access.providers(Role.PAYMENTS_IMPORT),
            "columns": PAYMENTS.columns(provider),
            "statuses": PaymentRecord.Status.values,
        },
    )


@role_required(Role.PAYMENTS_IMPORT)
def learner_payments(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The Payments tab of a learner's record."""
    learner = request.access.get(
        Learner.objects.select_related("provider"), Role.PAYMENTS_IMPORT, code=code
    )
    records = (
        PaymentRecord.objects.filter(episode__learner=learner)
        .select_related("episode", "payment_item")
        .order_by("-expected_date", "-id")
    )
    context = record_context(request, learner, "payments") | {"records": records}
    return render(request, "payments/learner_tab.html", context)
