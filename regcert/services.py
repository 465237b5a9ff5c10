"""Registration & Certification: the list, and the 32-column export (seed 002)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain
from typing import Any

from django.core.files import File
from django.db.models import QuerySet

from learners.models import EmploymentStatus, LearningDelivery, Provider
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
    for record in records:
        learner = record.learner
        aim = aims.get((learner.id, record.qualification_number))
        outcode = learner.postcode.split(" ")[0] if learner.postcode else ""
        yield [
            learner.title,
            learner.given_names,
            learner.family_name,
            learner.full_name,
            learner.address_line_1,
            learner.address_line_2,
            learner.town,
            learner.county,
            learner.postcode,
            outcode_countries().get(outcode, ""),
            learner.date_of_birth,
            learner.get_sex_display(),
            learner.email,
            learner.get_ethnicity_display(),
            aim.start_date if aim else None,
            aim.planned_end_date if aim else None,
            learner.main_officer.name if learner.main_officer else "",
            employers.get(learner.id) or "",
            learner.uln,
            programmes.get(learner.id, ""),
            aim.qualification_name if aim else "",
            record.qualification_number,
            aim.awarding_organisation if aim else "",
            record.status,
            record.registration_number,
            record.registration_date,
            record.certificate_received_date,
            record.certificate_claimed_date,
            record.achieved_date,
            record.certificate_sent_date,
            record.postal_tracking_reference,
            "Yes" if learner.qa_verified else "No",
        ]


def regcert_export_file(
    registrations: QuerySet[Registration], progress: Callable[[int], None] | None = None
) -> File[bytes]:
    return safe_csv_file(chain([EXPORT_COLUMNS], regcert_export_rows(registrations)), progress)
