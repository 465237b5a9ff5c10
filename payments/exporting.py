"""The Learner Payment Report as an ExportSpec: CSV or XLSX, at once up to
DIRECT_DOWNLOAD_LIMIT records, else a job (an XLSX of 100,000 records takes ~18 s)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files import File
from django.db.models import QuerySet
from django.utils import timezone

from learners.models import Provider, Role
from payments.models import PaymentRecord
from payments.services import payment_report_file
from picsweb.exports import ExportSpec, register_export


def _file_name(params: dict[str, Any]) -> str:
    return f"learner-payment-report-{timezone.localtime():%Y%m%d-%H%M%S}.{params['format']}"


def _write(
    *,
    rows: QuerySet[PaymentRecord],
    provider: Provider,
    params: dict[str, Any],
    progress: Callable[[int], None] | None,
) -> File[bytes]:
    return payment_report_file(
        provider=provider, records=rows, file_format=params["format"], progress=progress
    )


PAYMENT_REPORT = register_export(
    ExportSpec(
        kind="payments.report",
        label="Learner Payment Report",
        role=Role.PAYMENTS_IMPORT,
        scope=lambda provider: PaymentRecord.objects.filter(provider=provider),
        write=_write,
        file_name=_file_name,
    )
)
