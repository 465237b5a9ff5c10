"""Registration & Certification: the list, and the 32-column export (seed 002)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

from django.core.files import File
from django.db.models import QuerySet

from learners.models import EmploymentStatus, Learner, LearningDelivery, Provider
from learners.reference_data import outcode_countries
from picsweb.spreadsheets import safe_csv_file
from regcert.columns import EXPORT_COLUMNS
from regcert.models import Registration


def registrations_for(*, provider: Provider) -> QuerySet[Registration]:
    return Registration.objects.filter(learner__provider=provider)


def regcert_export_rows(registrations: QuerySet[Registration]) -> Iterator[list[Any]]:
    """The 32 columns of seed 002 for each registration, in that order."""
    records = list(
        registrations.select_related("learner", "learner__main_officer").order_by(
            "learner__family_name", "learner__given_names", "qualification_number", "id"
        )
    )
    learner_ids = {r.learner_id for r in records}
    aims: dict[tuple[int, str], LearningDelivery] = {}
    programmes: dict[int, str] = {}
    for delivery in LearningDelivery.objects.filter(learner_id__in=learner_ids).order_by(
        "start_date"
    ):
        aims[(delivery.learner_id, delivery.aim_ref)] = delivery  # the latest with that ref
        if delivery.is_programme_aim:
            programmes[delivery.learner_id] = delivery.programme_name
    employers = dict(
        EmploymentStatus.objects.filter(learner_id__in=learner_ids)
        .order_by("date_applies", "id")
        .values_list("learner_id", "employer__name")
    )
    countries = outcode_countries()
    for record in records:
        learner = record.learner
        line = _ExportLine(
            record=record,
            learner=learner,
            aim=aims.get((learner.id, record.qualification_number)),
            programme=programmes.get(learner.id, ""),
            employer=employers.get(learner.id) or "",
            country=countries.get(learner.postcode.split(" ")[0], "") if learner.postcode else "",
        )
        yield [EXPORT_VALUES[name](line) for name in EXPORT_COLUMNS]


@dataclass(frozen=True, slots=True)
class _ExportLine:
    """What one export row is written from: a registration, its learner and their aim."""

    record: Registration
    learner: Learner
    aim: LearningDelivery | None
    programme: str
    employer: str
    country: str


def _aim(attribute: str, empty: Any = "") -> Callable[[_ExportLine], Any]:
    return lambda line: getattr(line.aim, attribute) if line.aim else empty


# What each column of the export holds, by its name in regcert.columns.EXPORT_COLUMNS.
EXPORT_VALUES: dict[str, Callable[[_ExportLine], Any]] = {
    "Title": lambda line: line.learner.title,
    "First Name": lambda line: line.learner.given_names,
    "Last Name": lambda line: line.learner.family_name,
    "Full Name": lambda line: line.learner.full_name,
    "Address Line 1": lambda line: line.learner.address_line_1,
    "Address Line 2": lambda line: line.learner.address_line_2,
    "Address Town/City": lambda line: line.learner.town,
    "County": lambda line: line.learner.county,
    "Post Code": lambda line: line.learner.postcode,
    "Country": lambda line: line.country,
    "Date of Birth": lambda line: line.learner.date_of_birth,
    "Gender": lambda line: line.learner.get_sex_display(),
    "Email address": lambda line: line.learner.email,
    "Ethnicity": lambda line: line.learner.get_ethnicity_display(),
    "Start Date": _aim("start_date", None),
    "Planned Achievement Date": _aim("planned_end_date", None),
    "Primary Tutor": lambda line: (
        line.learner.main_officer.name if line.learner.main_officer else ""
    ),
    "Employer": lambda line: line.employer,
    "ULN": lambda line: line.learner.uln,
    "Programme Name": lambda line: line.programme,
    "Qualification Name": _aim("qualification_name"),
    "Qualification number": lambda line: line.record.qualification_number,
    "Awarding Organisation": _aim("awarding_organisation"),
    "Status": lambda line: line.record.status,
    "Registration number": lambda line: line.record.registration_number,
    "Registered Date": lambda line: line.record.registration_date,
    "Certificate Received Date": lambda line: line.record.certificate_received_date,
    "Certificate Claimed Date": lambda line: line.record.certificate_claimed_date,
    "Achieved Date": lambda line: line.record.achieved_date,
    "Certificate Sent Date": lambda line: line.record.certificate_sent_date,
    "Postal Tracking Reference": lambda line: line.record.postal_tracking_reference,
    "QA Verified": lambda line: "Yes" if line.learner.qa_verified else "No",
}


def regcert_export_file(
    registrations: QuerySet[Registration], progress: Callable[[int], None] | None = None
) -> File[bytes]:
    return safe_csv_file(chain([EXPORT_COLUMNS], regcert_export_rows(registrations)), progress)
