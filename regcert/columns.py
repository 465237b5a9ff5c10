"""The columns of the two Registration & Certification files, declared once (seed 002): the
import (Import and Update: exact order, the model field each sets) and the 32-column export.
The import, its sample file, its errors file and the admin's import page read the first; the
export, the staff page's and the admin's, reads the second."""

from __future__ import annotations

QUALIFICATION = "Qualification Number"
ULN = "ULN"
STATUS = "Status"
REG_NUMBER = "Registration number"
# Column name -> model field, in the order a file must have them (seed 002).
COLUMNS = {
    QUALIFICATION: "qualification_number",
    ULN: "uln",
    STATUS: "status",
    REG_NUMBER: "registration_number",
    "Registration date": "registration_date",
    "Certificate claimed date": "certificate_claimed_date",
    "Achieved date": "achieved_date",
    "Certificate received Date": "certificate_received_date",
    "Certificate Sent Date": "certificate_sent_date",
    "Postal Tracking Reference": "postal_tracking_reference",
}

# The export, in the seed's order (learner and aim columns first, then the registration's).
EXPORT_COLUMNS = [
    "Title",
    "First Name",
    "Last Name",
    "Full Name",
    "Address Line 1",
    "Address Line 2",
    "Address Town/City",
    "County",
    "Post Code",
    "Country",
    "Date of Birth",
    "Gender",
    "Email address",
    "Ethnicity",
    "Start Date",
    "Planned Achievement Date",
    "Primary Tutor",
    "Employer",
    "ULN",
    "Programme Name",
    "Qualification Name",
    "Qualification number",
    "Awarding Organisation",
    "Status",
    "Registration number",
    "Registered Date",
    "Certificate Received Date",
    "Certificate Claimed Date",
    "Achieved Date",
    "Certificate Sent Date",
    "Postal Tracking Reference",
    "QA Verified",
]
