"""Payment records (seed 004) and the configured Payment Items list."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from learners.models import Episode, Organisation, Provider


def new_internal_id() -> str:
    return uuid.uuid4().hex


class PaymentItem(models.Model):
    """An entry of the "Payment Items" list (Configuration > Lists and Types)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE)
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "code"], name="payments_paymentitem_unique_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class UserDefinedField(models.Model):
    """A provider's own column on payment records, carried by the import and the report."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE)
    name = models.CharField(max_length=60, help_text="The column name in files, e.g. PO NUMBER.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="payments_udf_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class PaymentRecord(models.Model):
    class SystemType(models.TextChoices):
        GENERIC = "", "Generic payment"
        PMR1 = "APTB_PMR1", "APTB_PMR1 (training payment)"
        PMR2 = "APTB_PMR2", "APTB_PMR2 (assessment payment)"
        PMR3 = "APTB_PMR3", "APTB_PMR3 (employer payment reimbursed by provider)"

    class CreditDebit(models.TextChoices):
        CREDIT = "C", "Credit"
        DEBIT = "D", "Debit"

    class Status(models.TextChoices):
        EXPECTED = "Expected", "Expected"
        APPROVED = "Approved", "Approved"
        READY_FOR_INVOICE = "Ready for Invoice", "Ready for Invoice"
        INVOICED = "Invoiced", "Invoiced"
        PAID = "Paid", "Paid"
        CANCELLED = "Cancelled", "Cancelled"
        WITHHOLD = "Withhold", "Withhold"
        RECONCILED = "Reconciled", "Reconciled"
        READY_TO_PAY = "Ready to Pay", "Ready to Pay"
        RAISED_FOR_PAYMENT = "Raised for Payment", "Raised for Payment"

    internal_id = models.CharField(
        "internal record ID", max_length=32, default=new_internal_id, editable=False
    )
    # No single-column index: the report index (provider, expected_date) leads with it.
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, db_index=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="payments")
    system_type = models.CharField(
        max_length=10, choices=SystemType.choices, blank=True, default=""
    )
    expected_date = models.DateField("expected payment date", null=True, blank=True)
    expected_amount = models.DecimalField(
        "expected payment amount",
        max_digits=11,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    actual_date = models.DateField("actual payment date", null=True, blank=True)
    actual_amount = models.DecimalField(
        "actual payment amount",
        max_digits=11,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    credit_debit = models.CharField("credit/debit", max_length=1, choices=CreditDebit.choices)
    invoice_number = models.CharField(max_length=50, blank=True)
    invoice_date = models.DateField(null=True, blank=True)
    # No single-column indexes on organisation and payment item: they would serve only the
    # deletion of an organisation or item (rare, admin), and every imported row pays for them.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, db_index=False
    )
    status = models.CharField(
        "payment status", max_length=20, choices=Status.choices, default=Status.EXPECTED
    )
    payment_item = models.ForeignKey(
        PaymentItem, on_delete=models.SET_NULL, null=True, blank=True, db_index=False
    )
    notes = models.TextField(blank=True)
    user_fields = models.JSONField(
        "user-defined fields", default=dict, blank=True, help_text="Values by field name."
    )
    created_batch = models.ForeignKey(
        "picsweb.ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The import that created this record (Undo import deletes it).",
        # Indexed (Undo finds the batch's rows) but not a database constraint: the batch is
        # created in the same transaction as its rows, and checking each of 100,000 rows
        # against it at commit costs time on every import. Django still nulls it on delete.
        db_constraint=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["episode", "expected_date", "actual_date", "id"]
        constraints = [
            # A constraint rather than unique=True: no LIKE index beside it (never searched so).
            models.UniqueConstraint(
                fields=["internal_id"], name="payments_paymentrecord_unique_internal_id"
            ),
            models.CheckConstraint(
                condition=models.Q(expected_date__isnull=False)
                | models.Q(actual_date__isnull=False),
                name="payments_paymentrecord_has_a_date",
            ),
        ]
        indexes = [
            # The Learner Payment Report: a provider's records by date.
            models.Index(fields=["provider", "expected_date"], name="payments_report_by_date"),
        ]

    def __str__(self) -> str:
        return f"Payment {self.internal_id}"
