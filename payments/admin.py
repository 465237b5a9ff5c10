"""Admin pages for payment records. The change list's Import and Export go through the one
pipeline and export machinery (picsweb.imports.admin): no second set of rules."""

from __future__ import annotations

from django.contrib import admin

from payments.exporting import PAYMENT_REPORT
from payments.importing import PAYMENTS
from payments.models import PaymentItem, PaymentRecord, UserDefinedField
from picsweb.admin_site import ProviderScopedAdmin
from picsweb.imports.admin import ExportDoor, ImportDoor, PipelineAdminMixin


@admin.register(PaymentRecord)
class PaymentRecordAdmin(PipelineAdminMixin, ProviderScopedAdmin):
    import_doors = (
        ImportDoor(
            spec=PAYMENTS,
            template_hint="To update records, export them with the action on this list (or "
            "download the Learner Payment Report), edit the file and import it.",
        ),
    )
    export_doors = (
        ExportDoor(
            spec=PAYMENT_REPORT,
            label="Export as the Learner Payment Report (CSV)",
            params=lambda rows: {"format": "csv"},
        ),
        ExportDoor(
            spec=PAYMENT_REPORT,
            label="Export as the Learner Payment Report (XLSX)",
            params=lambda rows: {"format": "xlsx"},
        ),
    )
    list_display = [
        "internal_id",
        "episode",
        "system_type",
        "expected_date",
        "expected_amount",
        "actual_date",
        "actual_amount",
        "credit_debit",
        "status",
    ]
    list_filter = [
        ("provider", admin.RelatedOnlyFieldListFilter),
        "status",
        "system_type",
        ("payment_item", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["=internal_id", "=episode__ident", "=episode__learner__lrn"]
    list_select_related = ["episode"]
    raw_id_fields = ["episode"]
    readonly_fields = ["internal_id", "created_batch", "updated_at"]


@admin.register(PaymentItem)
class PaymentItemAdmin(ProviderScopedAdmin):
    list_display = ["code", "name", "provider"]
    search_fields = ["code", "name"]


@admin.register(UserDefinedField)
class UserDefinedFieldAdmin(ProviderScopedAdmin):
    list_display = ["name", "provider"]
