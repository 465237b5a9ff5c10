"""The Apprenticeship Service (AS) cohort export (seed 000; format: docs/as_bulk_upload.md).

A learner is included only when every rule of seed 000 holds and every value passes the AS
bulk-upload rules that can be checked here; otherwise the learner is excluded with each reason.
The AS splits lines on commas without honouring quotes and takes at most 99 apprentices per
file, so a value that cannot be written as it is excludes its learner (nothing is altered),
and a larger export is several files in one zip.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from learners import identifiers
from learners.models import ASStatusChange, EmploymentStatus, Learner, LearningDelivery
from picsweb.imports.cells import FORMULA_STARTS

HEADER = [
    "CohortRef",
    "AgreementID",
    "ULN",
    "FamilyName",
    "GivenNames",
    "DateOfBirth",
    "EmailAddress",
    "StdCode",
    "StartDate",
    "EndDate",
    "TotalPrice",
    "EPAOrgID",
    "ProviderRef",
    "RecognisePriorLearning",
    "TrainingTotalHours",
    "TrainingHoursReduction",
    "IsDurationReducedByRPL",
    "DurationReducedBy",
    "PriceReducedBy",
]
MAX_ROWS_PER_FILE = 99
MIN_OFF_THE_JOB_HOURS = 187
RPL_REQUIRED_FROM = date(2022, 8, 1)
EARLIEST_START = date(2017, 5, 1)
LEVEL_7_UNDER_25_FROM = date(2026, 1, 1)
UNSAFE = re.compile(r'[,"\r\n]')
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


@dataclass
class Exclusion:
    learner_id: int
    code: str
    lrn: str
    name: str
    reasons: list[str]


@dataclass
class CohortExport:
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (learner id, cells)
    exclusions: list[Exclusion] = field(default_factory=list)
    who: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # id: code, LRN, name

    @property
    def included(self) -> int:
        return len(self.rows)


def _latest_by_learner(rows: Iterable[Mapping[str, Any]]) -> dict[int, Mapping[str, Any]]:
    latest: dict[int, Mapping[str, Any]] = {}
    for row in rows:  # ordered oldest first: the last one wins
        latest[row["learner_id"]] = row
    return latest


def as_current_employment(*, today: date) -> QuerySet[EmploymentStatus]:
    """Each learner's employment status current on `today`: the latest record applying by
    then (the later one entered wins on the same date). The AS Agreement ID filter and the
    file both use this one rule, so the learner the filter finds is the row the file writes.
    For every learner at once (the file): no later record exists, which PostgreSQL answers
    with one hash join over all the records."""
    later = EmploymentStatus.objects.filter(
        learner_id=OuterRef("learner_id"), date_applies__lte=today
    ).filter(
        Q(date_applies__gt=OuterRef("date_applies"))
        | Q(date_applies=OuterRef("date_applies"), id__gt=OuterRef("id"))
    )
    return EmploymentStatus.objects.filter(date_applies__lte=today).exclude(Exists(later))


def _current_status_id(*, today: date) -> Subquery:
    """The same rule for one learner (the outer record's): the id of their latest record
    applying by `today`, the later one entered first on the same date."""
    return Subquery(
        EmploymentStatus.objects.filter(learner_id=OuterRef("learner_id"), date_applies__lte=today)
        .order_by("-date_applies", "-id")
        .values("id")[:1]
    )


def as_current_agreement_filter(
    learners: QuerySet[Learner], *, agreement_id: str, today: date
) -> QuerySet[Learner]:
    """The learners Employed under `agreement_id` today: an EXISTS served by the
    (as_agreement_id, learner) index, each record found there tested against its learner's
    current one by the learner index. (As the file's NOT EXISTS, PostgreSQL hashed every
    employment record of every provider for it: 36 ms against 11 ms at 200,000 learners.)"""
    current = EmploymentStatus.objects.filter(
        learner_id=OuterRef("pk"),
        status=EmploymentStatus.Status.EMPLOYED,
        as_agreement_id=agreement_id,
        id=_current_status_id(today=today),
    )
    return learners.filter(Exists(current))


def as_cohort_build(*, learners: QuerySet[Learner], today: date) -> CohortExport:
    """Checks every learner and builds the rows of the file, in family-name order."""
    people = list(
        learners.order_by("family_name", "given_names", "id").values(
            "id",
            "code",
            "lrn",
            "uln",
            "given_names",
            "family_name",
            "date_of_birth",
            "email",
            "state",
            "as_cohort_code",
        )
    )
    ids = learners.values("id")  # a subquery, not a list of IDs
    programme = LearningDelivery.AimType.PROGRAMME
    aims = _latest_by_learner(
        LearningDelivery.objects.filter(learner_id__in=ids, aim_type=programme)
        .order_by("start_date", "id")
        .values(
            "learner_id",
            "standard_id",
            "standard__level",
            "start_date",
            "planned_end_date",
            "training_price",
            "epa_price",
            "epa_org_id",
            "rpl",
            "rpl_training_total_hours",
            "rpl_training_hours_reduction",
            "rpl_price_reduced_by",
        )
    )
    employment = {
        row["learner_id"]: row
        for row in as_current_employment(today=today)
        .filter(learner_id__in=ids)
        .values("learner_id", "status", "as_agreement_id")
    }
    export = CohortExport()
    seen_ulns: dict[str, str] = {}
    seen_emails: dict[str, str] = {}
    for person in people:
        reasons, cells = _check(person, aims.get(person["id"]), employment.get(person["id"]), today)
        if not reasons:
            uln, email = cells[2], cells[6]
            if uln in seen_ulns:
                reasons.append(
                    Reason(
                        f"Learner {seen_ulns[uln]} in this export has the same ULN.", "learner.uln"
                    )
                )
            if email in seen_emails:
                reasons.append(
                    Reason(
                        f"Learner {seen_emails[email]} in this export has the same email address.",
                        "learner.email",
                    )
                )
        if reasons:
            export.exclusions.append(
                Exclusion(
                    person["id"],
                    str(person["code"]),
                    person["lrn"],
                    f"{person['given_names']} {person['family_name']}",
                    reasons,
                )
            )
            continue
        export.who[person["id"]] = (
            str(person["code"]),
            person["lrn"],
            f"{person['given_names']} {person['family_name']}",
        )
        seen_ulns[cells[2]] = person["lrn"]
        seen_emails[cells[6]] = person["lrn"]
        export.rows.append((person["id"], cells))
    return export


class Reason(str):
    """A reason a learner is left out, which still compares as its text, with the field that
    fixes it (`learner.email`, `employment.as_agreement_id`, `aim.training_price`…):
    `learners:fix` opens that field's form."""

    field: str

    def __new__(cls, text: str, field: str) -> Reason:
        reason = super().__new__(cls, text)
        reason.field = field
        return reason


# The rules the learner's forms and imports apply too (one function per rule): each returns the
# message, or None when the value is one the Apprenticeship Service takes.


def as_email_problem(email: str) -> str | None:
    if len(email) > 200 or not _EMAIL.match(email):
        return "The email address is not one the Apprenticeship Service accepts."
    return None


def as_text_problem(label: str, value: str) -> str | None:
    """A value written in the file as it is: the AS splits on commas, ignoring quotes."""
    if UNSAFE.search(value):
        return (
            f"{label} holds a comma, a quote or a line break, which the Apprenticeship Service "
            "cannot read."
        )
    if value.startswith(FORMULA_STARTS):
        return f"{label} starts with {value[0]}, which a spreadsheet runs as a formula."
    return None


def as_age_problem(born: date, start: date, level: int | None) -> str | None:
    first_of_month = start.replace(day=1)
    age = (
        first_of_month.year
        - born.year
        - ((first_of_month.month, first_of_month.day) < (born.month, born.day))
    )
    if not 15 <= age < 115:
        return f"Aged {age} at the start: the Apprenticeship Service takes 15 to 114."
    if level == 7 and start >= LEVEL_7_UNDER_25_FROM and age >= 25:
        return (
            f"Aged {age} at the start: a level 7 apprenticeship starting from 1 January "
            "2026 needs a learner under 25."
        )
    return None


def as_dates_problem(start: date, end: date, today: date) -> tuple[str, str] | None:
    """(message, the date field at fault) for a programme's start and planned end."""
    if start < EARLIEST_START:
        return "The programme starts before May 2017, which the AS does not take.", "start_date"
    latest_start = date(today.year + (2 if today.month >= 8 else 1), 7, 31)
    if start > latest_start:
        return (
            "The programme starts more than a year after this academic year ends.",
            "start_date",
        )
    if (end.year, end.month) <= (start.year, start.month):
        return "The planned end month must be after the start month.", "planned_end_date"
    return None


def as_price_problem(training: Decimal | None, epa: Decimal | None) -> str | None:
    prices = [p for p in (training, epa) if p is not None]
    if not prices:
        return "No agreed price (training and end-point assessment) on the programme aim."
    total = sum(prices, Decimal(0))
    if total != total.to_integral_value():
        return f"The total price £{total} has pence: the AS takes whole pounds."
    if not 1 <= total <= 100_000:
        return f"The total price £{total} must be from £1 to £100,000."
    return None


def as_prior_learning_problems(
    *,
    start: date,
    rpl: bool | None,
    hours: int | None,
    reduction: int | None,
    price: int | None,
) -> list[tuple[str, str]]:
    """(message, field) for each recognition-of-prior-learning value the AS refuses."""
    if start < RPL_REQUIRED_FROM:
        return []  # the AS wants RecognisePriorLearning blank for earlier starts
    if rpl is None:
        return [
            (
                "Recognition of prior learning is not recorded on the programme aim (the AS "
                "needs it for starts from 1 August 2022).",
                "rpl",
            )
        ]
    if not rpl:
        return []
    problems = []
    if hours is not None and not MIN_OFF_THE_JOB_HOURS <= hours <= 9999:
        problems.append(
            ("Off-the-job hours before RPL must be from 187 to 9,999.", "rpl_training_total_hours")
        )
    if reduction is not None and (
        not 1 <= reduction <= 999
        or (hours is not None and (reduction >= hours or hours - reduction < MIN_OFF_THE_JOB_HOURS))
    ):
        problems.append(
            (
                "Hours reduced by RPL must be 1 to 999 and leave at least 187 off-the-job hours.",
                "rpl_training_hours_reduction",
            )
        )
    if price is not None and not 100 <= price <= 18_000:
        problems.append(
            ("Price reduced by RPL must be from £100 to £18,000.", "rpl_price_reduced_by")
        )
    return problems


# The field of the learner's record each column of the file is written from.
COLUMN_FIELDS = {
    "CohortRef": "learner.as_cohort_code",
    "AgreementID": "employment.as_agreement_id",
    "ULN": "learner.uln",
    "FamilyName": "learner.family_name",
    "GivenNames": "learner.given_names",
    "DateOfBirth": "learner.date_of_birth",
    "EmailAddress": "learner.email",
    "StdCode": "aim.standard",
    "StartDate": "aim.start_date",
    "EndDate": "aim.planned_end_date",
    "TotalPrice": "aim.training_price",
    "EPAOrgID": "aim.epa_org_id",
    "ProviderRef": "learner.lrn",
    "RecognisePriorLearning": "aim.rpl",
    "TrainingTotalHours": "aim.rpl_training_total_hours",
    "TrainingHoursReduction": "aim.rpl_training_hours_reduction",
    "IsDurationReducedByRPL": "aim.rpl",
    "DurationReducedBy": "aim.rpl",
    "PriceReducedBy": "aim.rpl_price_reduced_by",
}


def _check(
    person: Mapping[str, Any],
    aim: Mapping[str, Any] | None,
    job: Mapping[str, Any] | None,
    today: date,
) -> tuple[list[str], list[str]]:
    """The reasons the learner cannot be sent (seed 000 first, then the AS format), and the
    row's cells when there are none. Each reason is a `Reason` naming the field that fixes it."""
    reasons: list[str] = []
    if person["state"] != Learner.State.LIVE:
        label = "archived" if person["state"] == Learner.State.ARCHIVED else "soft-deleted"
        reasons.append(Reason(f"The learner is {label}, not live.", "learner.state"))
    if aim is None:
        reasons.append(Reason("No programme aim.", "aim.programme"))
    elif aim["standard_id"] is None:
        reasons.append(Reason("The programme aim has no standard code.", "aim.standard"))
    uln_problem = identifiers.uln_problem(person["uln"] or "")
    if uln_problem:
        reasons.append(Reason(uln_problem, "learner.uln"))
    if job is None:
        reasons.append(
            Reason(
                "No Employed employment status record with an AS Agreement ID.",
                "employment.as_agreement_id",
            )
        )
    elif job["status"] != EmploymentStatus.Status.EMPLOYED:
        label = EmploymentStatus.Status(job["status"]).label
        reasons.append(
            Reason(
                f"The employment status on {today:%d/%m/%Y} is {label}, not Employed.",
                "employment.status",
            )
        )
    elif not job["as_agreement_id"]:
        reasons.append(
            Reason(
                f"The Employed status current on {today:%d/%m/%Y} has no AS Agreement ID.",
                "employment.as_agreement_id",
            )
        )
    if not person["email"]:
        reasons.append(Reason("No email address.", "learner.email"))
    if reasons:
        return reasons, []
    assert aim is not None and job is not None
    start: date = aim["start_date"]
    end: date = aim["planned_end_date"]
    cells = {
        "CohortRef": person["as_cohort_code"],
        "AgreementID": job["as_agreement_id"],
        "ULN": person["uln"],
        "FamilyName": person["family_name"],
        "GivenNames": person["given_names"],
        "DateOfBirth": "",
        "EmailAddress": person["email"],
        "StdCode": str(aim["standard_id"]),
        "StartDate": start.isoformat(),
        "EndDate": f"{end:%Y-%m}",
        "TotalPrice": "",
        "EPAOrgID": aim["epa_org_id"],
        "ProviderRef": person["lrn"],
        "RecognisePriorLearning": "",
        "TrainingTotalHours": "",
        "TrainingHoursReduction": "",
        "IsDurationReducedByRPL": "",
        "DurationReducedBy": "",
        "PriceReducedBy": "",
    }
    born: date | None = person["date_of_birth"]
    if born is None:
        reasons.append(Reason("No date of birth.", "learner.date_of_birth"))
    else:
        cells["DateOfBirth"] = born.isoformat()
        problem = as_age_problem(born, start, aim["standard__level"])
        if problem:
            reasons.append(Reason(problem, "learner.date_of_birth"))
    if not 1 <= len(person["family_name"]) <= 100 or not 1 <= len(person["given_names"]) <= 100:
        reasons.append(
            Reason(
                "Family name and given names must each be 1 to 100 characters.",
                "learner.family_name",
            )
        )
    problem = as_email_problem(person["email"])
    if problem:
        reasons.append(Reason(problem, "learner.email"))
    problem = identifiers.agreement_id_problem(job["as_agreement_id"])
    if problem:
        reasons.append(Reason(problem, "employment.as_agreement_id"))
    if len(person["as_cohort_code"]) > 20:
        reasons.append(
            Reason("The AS cohort code is longer than 20 characters.", "learner.as_cohort_code")
        )
    if len(str(aim["standard_id"])) > 5:
        reasons.append(Reason("The standard code is longer than 5 digits.", "aim.standard"))
    dates = as_dates_problem(start, end, today)
    if dates:
        reasons.append(Reason(dates[0], f"aim.{dates[1]}"))
    price = as_price_problem(aim["training_price"], aim["epa_price"])
    if price:
        reasons.append(Reason(price, "aim.training_price"))
    else:
        total = sum(
            (p for p in (aim["training_price"], aim["epa_price"]) if p is not None), Decimal(0)
        )
        cells["TotalPrice"] = str(int(total))
    reasons += [Reason(text, f"aim.{name}") for text, name in _prior_learning(aim, start, cells)]
    if len(aim["epa_org_id"]) > 7:
        reasons.append(
            Reason("The EPA organisation ID is longer than 7 characters.", "aim.epa_org_id")
        )
    if len(person["lrn"]) > 20:
        reasons.append(
            Reason("The learner reference number is longer than 20 characters.", "learner.lrn")
        )
    for column, value in cells.items():
        problem = as_text_problem(column, value)
        if problem:
            reasons.append(Reason(problem, COLUMN_FIELDS[column]))
    return reasons, [cells[column] for column in HEADER]


def _prior_learning(
    aim: Mapping[str, Any], start: date, cells: dict[str, str]
) -> list[tuple[str, str]]:
    rpl = aim["rpl"]
    hours, reduction, price = (
        aim["rpl_training_total_hours"],
        aim["rpl_training_hours_reduction"],
        aim["rpl_price_reduced_by"],
    )
    problems = as_prior_learning_problems(
        start=start, rpl=rpl, hours=hours, reduction=reduction, price=price
    )
    if start >= RPL_REQUIRED_FROM and rpl is not None:
        cells["RecognisePriorLearning"] = "true" if rpl else "false"
        if rpl:
            for column, value in (
                ("TrainingTotalHours", hours),
                ("TrainingHoursReduction", reduction),
                ("PriceReducedBy", price),
            ):
                if value is not None:
                    cells[column] = str(value)
    return problems


def as_cohort_sent_before(*, learner_ids: list[int]) -> dict[int, datetime | None]:
    """Those of these learners whose AS status is Sent, with when they were last sent."""
    return dict(
        Learner.objects.filter(id__in=learner_ids, as_status=Learner.ASStatus.SENT)
        .annotate(
            last_sent=Max(
                "as_changes__changed_at", filter=Q(as_changes__status=Learner.ASStatus.SENT)
            )
        )
        .values_list("id", "last_sent")
    )


def as_cohort_leave_out_sent(
    *, export: CohortExport, sent_before: dict[int, datetime | None]
) -> None:
    """Moves the learners Sent before from the file to the left-out list (Send again not
    ticked), each with when they were sent."""
    kept = []
    for learner_id, cells in export.rows:
        if learner_id not in sent_before:
            kept.append((learner_id, cells))
            continue
        when = sent_before[learner_id]
        on = f" on {timezone.localtime(when):%d/%m/%Y}" if when else ""
        code, lrn, name = export.who[learner_id]
        export.exclusions.append(
            Exclusion(
                learner_id,
                code,
                lrn,
                name,
                [f"Sent to the Apprenticeship Service before{on}, and Send again was not ticked."],
            )
        )
    export.rows = kept


def as_cohort_file_name(*, ukprn: str, at: datetime, part: int | None = None) -> str:
    suffix = f"-{part:02d}" if part is not None else ""
    return f"AS-cohort-{ukprn}-{at:%Y%m%d-%H%M%S}{suffix}.csv"


def as_cohort_csv(rows: list[list[str]]) -> bytes:
    """One file: the header, then the rows, comma-separated with no quoting (every value was
    checked to need none), UTF-8, CRLF line endings."""
    lines = [",".join(HEADER), *(",".join(cells) for cells in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def as_cohort_files(*, export: CohortExport, ukprn: str, at: datetime) -> tuple[str, bytes]:
    """The download: one CSV, or a zip of CSVs of at most 99 apprentices each."""
    rows = [cells for _, cells in export.rows]
    if len(rows) <= MAX_ROWS_PER_FILE:
        return as_cohort_file_name(ukprn=ukprn, at=at), as_cohort_csv(rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, first in enumerate(range(0, len(rows), MAX_ROWS_PER_FILE), start=1):
            chunk = rows[first : first + MAX_ROWS_PER_FILE]
            archive.writestr(
                as_cohort_file_name(ukprn=ukprn, at=at, part=part), as_cohort_csv(chunk)
            )
    return f"AS-cohort-{ukprn}-{at:%Y%m%d-%H%M%S}.zip", buffer.getvalue()


def as_cohort_mark_sent(
    *, export: CohortExport, job_id: int | None, user_id: int | None, export_name: str
) -> None:
    """AS Status "Sent to Apprenticeship Service" for every learner in the file, each change
    recorded; all or nothing."""
    ids = [learner_id for learner_id, _ in export.rows]
    with transaction.atomic():
        Learner.objects.filter(id__in=ids).update(as_status=Learner.ASStatus.SENT)
        ASStatusChange.objects.bulk_create(
            [
                ASStatusChange(
                    learner_id=learner_id,
                    status=Learner.ASStatus.SENT,
                    job_id=job_id,
                    changed_by_id=user_id,
                    export_name=export_name,
                )
                for learner_id in ids
            ],
            batch_size=2000,
        )
