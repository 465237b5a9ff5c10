"""The columns of the learner file, declared once: the Learner Import reads them, its template
writes them, and "Download selected as CSV" of the learner list writes them (then the columns
the import does not change), so a downloaded file re-imports unchanged.

Each import column is (name, the Learner field or, for the employment status columns, the
EmploymentStatus field it fills). Dates are dd/mm/yyyy both ways; codes are the ILR's.
"""

from __future__ import annotations

LRN = "LRN"
ULN = "ULN"
GIVEN_NAMES = "Given names"
FAMILY_NAME = "Family name"
DATE_OF_BIRTH = "Date of birth"
SEX = "Sex"
ETHNICITY = "Ethnicity"
POSTCODE = "Postcode"
POSTCODE_PRIOR = "Postcode prior to enrolment"
NI_NUMBER = "NI number"
EMPLOYMENT_DATE = "Employment status date"
EMPLOYMENT_STATUS = "Employment status"
EMPLOYER = "Employer"
AGREEMENT_ID = "AS Agreement ID"

# The learner's own columns: column name -> Learner field.
LEARNER_COLUMNS = {
    LRN: "lrn",
    ULN: "uln",
    "Title": "title",
    GIVEN_NAMES: "given_names",
    FAMILY_NAME: "family_name",
    DATE_OF_BIRTH: "date_of_birth",
    SEX: "sex",
    ETHNICITY: "ethnicity",
    "UPN": "upn",
    NI_NUMBER: "ni_number",
    "Email": "email",
    "Phone": "phone",
    "Address line 1": "address_line_1",
    "Address line 2": "address_line_2",
    "Town or city": "town",
    "County": "county",
    POSTCODE: "postcode",
    POSTCODE_PRIOR: "postcode_prior",
    "AS cohort code": "as_cohort_code",
}
# The learner's employment status as at a date: column name -> EmploymentStatus field. The
# employer is written as its PICS Organisation Identifier (an ERN is accepted too).
EMPLOYMENT_COLUMNS = {
    EMPLOYMENT_DATE: "date_applies",
    EMPLOYMENT_STATUS: "status",
    EMPLOYER: "employer",
    AGREEMENT_ID: "as_agreement_id",
}
COLUMNS = [*LEARNER_COLUMNS, *EMPLOYMENT_COLUMNS]

# Written by the learner download after the import's columns; the import accepts them in the
# header (so the download re-imports) and changes nothing from them.
READ_ONLY_COLUMNS = {
    "Site": "site__name",
    "Main officer": "main_officer__name",
    "State": "state",
    "AS status": "as_status",
}

# What the template's example row holds (formula-safe through picsweb.spreadsheets).
EXAMPLE_ROW = {
    LRN: "LRN000123",
    ULN: "1748529632",
    "UPN": "",
    NI_NUMBER: "AB123456C",
    "Title": "Ms",
    GIVEN_NAMES: "Jane",
    FAMILY_NAME: "Smith",
    DATE_OF_BIRTH: "15/03/2004",
    SEX: "F",
    ETHNICITY: "31",
    "Email": "jane.smith@example.com",
    "Phone": "07700900123",
    "Address line 1": "1 High Street",
    "Address line 2": "",
    "Town or city": "Leeds",
    "County": "West Yorkshire",
    POSTCODE: "LS6 2AB",
    POSTCODE_PRIOR: "LS6 2AB",
    "AS cohort code": "COH1",
    EMPLOYMENT_DATE: "01/08/2025",
    EMPLOYMENT_STATUS: "10",
    EMPLOYER: "EMP123",
    AGREEMENT_ID: "XEGE5X",
}
