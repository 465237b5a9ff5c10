"""The columns of the payment import and of the Learner Payment Report, declared once
(seed 004: "The column names in the report and import are the same"): the import reads
`COLUMNS`, the report writes each of them from `REPORT_SOURCES`, the admin's import page lists
them, so a downloaded report re-imports unchanged by construction."""

from __future__ import annotations

INTERNAL_ID = "INTERNAL RECORD ID"
IDENT = "IDENT"
LRN = "LEARNER REFERENCE NUMBER"
EPISODE_START = "EPISODE START"
SYSTEM_TYPE = "SYSTEM TYPE"
EXPECTED_DATE = "EXPECTED PAYMENT DATE"
EXPECTED_AMOUNT = "EXPECTED PAYMENT AMOUNT"
ACTUAL_DATE = "ACTUAL PAYMENT DATE"
ACTUAL_AMOUNT = "ACTUAL PAYMENT AMOUNT"
CREDIT_DEBIT = "CREDIT/DEBIT"
INVOICE_NUMBER = "INVOICE NUMBER"
INVOICE_DATE = "INVOICE DATE"
ORGANISATION_ID = "ORGANISATION ID"
ORGANISATION_FROM_EMPLOYER = "ORGANISATION FROM EMPLOYER"
STATUS = "PAYMENT STATUS"
ITEM_CODE = "PAYMENT ITEM CODE"
NOTES = "NOTES"

COLUMNS = [
    INTERNAL_ID,
    IDENT,
    LRN,
    EPISODE_START,
    SYSTEM_TYPE,
    EXPECTED_DATE,
    EXPECTED_AMOUNT,
    ACTUAL_DATE,
    ACTUAL_AMOUNT,
    CREDIT_DEBIT,
    INVOICE_NUMBER,
    INVOICE_DATE,
    ORGANISATION_ID,
    ORGANISATION_FROM_EMPLOYER,
    STATUS,
    ITEM_CODE,
    NOTES,
]

# Columns an update may change (seed 004 "New/Update"), with the model field each sets.
UPDATABLE = {
    EXPECTED_DATE: "expected_date",
    EXPECTED_AMOUNT: "expected_amount",
    ACTUAL_DATE: "actual_date",
    ACTUAL_AMOUNT: "actual_amount",
    INVOICE_NUMBER: "invoice_number",
    INVOICE_DATE: "invoice_date",
    STATUS: "status",
    NOTES: "notes",
}

# What the report writes in each column: the record's field (a values_list path), or None for a
# column that is an instruction to the import only (left blank).
REPORT_SOURCES: dict[str, str | None] = {
    INTERNAL_ID: "internal_id",
    IDENT: "episode__ident",
    LRN: "episode__learner__lrn",
    EPISODE_START: "episode__start_date",
    SYSTEM_TYPE: "system_type",
    EXPECTED_DATE: "expected_date",
    EXPECTED_AMOUNT: "expected_amount",
    ACTUAL_DATE: "actual_date",
    ACTUAL_AMOUNT: "actual_amount",
    CREDIT_DEBIT: "credit_debit",
    INVOICE_NUMBER: "invoice_number",
    INVOICE_DATE: "invoice_date",
    ORGANISATION_ID: "organisation__pics_id",
    ORGANISATION_FROM_EMPLOYER: None,  # how a new record finds its organisation
    STATUS: "status",
    ITEM_CODE: "payment_item__code",
    NOTES: "notes",
}
DATE_COLUMNS = (EPISODE_START, EXPECTED_DATE, ACTUAL_DATE, INVOICE_DATE)
