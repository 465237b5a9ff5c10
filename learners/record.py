"""The learner's record pages (the ILR Summary): their tabs, the readiness panels, and where a
field named by a rule is fixed.

Apps that hold part of a learner's record (payments, registrations) register a tab here; apps
whose exports check learners (the AS cohort export, the ILR return) register a readiness check.
So the record's pages show every part without learners importing those apps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from learners.models import EmploymentStatus, Learner, LearningDelivery
from picsweb.models import Role


@dataclass(frozen=True)
class RecordTab:
    slug: str
    label: str
    url_name: str  # takes the learner's code
    role: Role


@dataclass(frozen=True)
class Missing:
    """What an export still needs of the learner: its message and the field that fixes it."""

    text: str
    field: str


@dataclass(frozen=True)
class Readiness:
    title: str  # "Ready for AS cohort export"
    check: Callable[[Learner, date], list[Missing]]
    role: Role


_TABS: list[RecordTab] = []
_READINESS: list[Readiness] = []


def register_tab(tab: RecordTab) -> None:
    if tab not in _TABS:
        _TABS.append(tab)


def register_readiness(readiness: Readiness) -> None:
    if readiness not in _READINESS:
        _READINESS.append(readiness)


def tabs_for(roles: set[Role]) -> list[RecordTab]:
    return [tab for tab in _TABS if tab.role in roles]


def readiness_for(
    learner: Learner, roles: set[Role], today: date
) -> list[tuple[str, list[Missing]]]:
    return [(r.title, r.check(learner, today)) for r in _READINESS if r.role in roles]


def _anchor(form_field: str) -> str:
    dates = {
        "date_of_birth",
        "date_applies",
        "start_date",
        "planned_end_date",
        "actual_end_date",
        "achievement_date",
        "prior_level_date",
    }
    return f"#id_{form_field}_0" if form_field in dates else f"#id_{form_field}"


def fix_url(learner: Learner, field: str, today: date) -> str:
    """The page, and the box on it, where `field` (`learner.email`, `employment.status`,
    `aim.training_price`…) is put right. A field no form holds opens the record."""
    part, _, name = field.partition(".")
    code = learner.code
    if part == "learner" and name in LEARNER_FORM_FIELDS:
        return reverse("learners:edit", kwargs={"code": code}) + _anchor(name)
    if part == "employment":
        current = (
            learner.employment_statuses.filter(date_applies__lte=today)
            .order_by("-date_applies", "-id")
            .first()
        )
        if current is None or (
            name == "as_agreement_id" and current.status != EmploymentStatus.Status.EMPLOYED
        ):
            url = reverse("learners:employment-add", kwargs={"code": code})
            return url + ("?status=10" if name == "as_agreement_id" else "") + _anchor(name)
        url = reverse("learners:employment-edit", kwargs={"code": code, "status": current.code})
        return url + _anchor(name)
    if part == "aim":
        aim = (
            learner.aims.filter(aim_type=LearningDelivery.AimType.PROGRAMME)
            .order_by("-start_date", "-id")
            .first()
        )
        if aim is not None:
            url = reverse("learners:aim-edit", kwargs={"code": code, "aim": aim.code})
            return url + _anchor(name if name in AIM_FORM_FIELDS else "standard")
        return reverse("learners:aims", kwargs={"code": code})
    return reverse("learners:detail", kwargs={"code": code})


# The fields of the learner's own forms (learners.forms), which fix_url may point into.
LEARNER_FORM_FIELDS = (
    "lrn",
    "uln",
    "upn",
    "ni_number",
    "title",
    "given_names",
    "family_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "lldd_health_problem",
    "email",
    "phone",
    "address_line_1",
    "address_line_2",
    "town",
    "county",
    "postcode",
    "postcode_prior",
    "as_cohort_code",
    "prior_level",
    "prior_level_date",
    "planned_learning_hours",
    "provider_monitoring_a",
    "provider_monitoring_b",
    "state",
)
AIM_FORM_FIELDS = (
    "standard",
    "start_date",
    "planned_end_date",
    "actual_end_date",
    "completion_status",
    "withdraw_reason",
    "outcome",
    "achievement_date",
    "contract",
    "training_price",
    "epa_price",
    "epa_org_id",
    "planned_hours",
    "rpl",
    "rpl_training_total_hours",
    "rpl_training_hours_reduction",
    "rpl_price_reduced_by",
)
