"""The learner list's filters. Choice lists come from one query per page (see
services.provider_choice_lists) and are validated in memory, so a filtered page costs no
extra lookups."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from learners.as_cohort import as_current_agreement_filter
from learners.models import EmploymentStatus, Learner, LearningDelivery
from learners.services import ChoiceLists
from picsweb.forms import NamedErrorsForm
from picsweb.search import validate_search

SORTS: dict[str, tuple[str, ...]] = {
    "name": ("family_name", "given_names", "id"),
    "lrn": ("lrn",),
    "uln": ("uln", "id"),
    "dob": ("date_of_birth", "id"),
    "state": ("state", "family_name", "given_names", "id"),
}
SORT_LABELS = {"name": "Name", "lrn": "LRN", "uln": "ULN", "dob": "Date of birth", "state": "State"}
PAGE_SIZES = (25, 50, 100, 200)
# The filters under "More" (seed 000): shown only when chosen or in use.
MORE_FILTERS = ("as_agreement_id", "as_cohort")


def _aims_with(**lookups: Any) -> Exists:
    return Exists(LearningDelivery.objects.filter(learner=OuterRef("pk"), **lookups))


def learner_search(value: str, path: str = "") -> Q:
    """The one learner search of every list: a ULN (10 digits), an LRN, or names — each word
    the start of a given or family name, in either order ("Isla Ahmed", "ahmed isla"). `path`
    reaches the learner from another model ("learner__")."""
    value = value.strip()
    if value.isdigit() and len(value) == 10:
        return Q(**{f"{path}uln": value})
    by_name = Q()
    for token in value.split():
        by_name &= Q(**{f"{path}family_name__istartswith": token}) | Q(
            **{f"{path}given_names__istartswith": token}
        )
    return Q(**{f"{path}lrn__in": {value, value.upper()}}) | by_name


def learner_search_matches(learners: QuerySet[Learner], value: str) -> QuerySet[Learner, Any]:
    """The IDs of `learners` that the search `value` (names or an LRN) finds, as a subquery.

    A learner found by name has its longest word at the start of the family or of the given
    names, so the matches are the union of three index ranges: that word in the family-name
    prefix index, in the given-names prefix index (PostgreSQL: migration 0015, which carry
    the names and the LRN, so the whole search is tested in the index), and the LRN. Written
    as one condition, PostgreSQL reads every row of the provider to compute UPPER() of both
    names (`q=s`: 300 ms at 100,000 learners, against 15 ms so)."""
    search = learner_search(value)
    word = max(value.split(), key=len)
    branches = [
        learners.filter(search, family_name__istartswith=word),
        learners.filter(search, given_names__istartswith=word),
        learners.filter(lrn__in={value, value.upper()}),
    ]
    first, *rest = (branch.order_by().values("id") for branch in branches)
    return first.union(*rest)


class LearnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label="Name, LRN or ULN",
        validators=[validate_search],
    )
    site = django_filters.ChoiceFilter(field_name="site_id", label="Site", empty_label="Any")
    subcontractor = django_filters.ChoiceFilter(
        method="filter_subcontractor", label="Subcontractor", empty_label="Any"
    )
    employer = django_filters.ChoiceFilter(
        method="filter_employer", label="Employer", empty_label="Any"
    )
    contract = django_filters.ChoiceFilter(
        method="filter_contract", label="Contract", empty_label="Any"
    )
    tag = django_filters.ChoiceFilter(method="filter_tag", label="Tag", empty_label="Any")
    officer = django_filters.ChoiceFilter(
        field_name="main_officer_id", label="Officer", empty_label="Any"
    )
    standard = django_filters.NumberFilter(
        method="filter_standard", label="Standard code", min_value=1, max_value=99999
    )
    state = django_filters.ChoiceFilter(
        choices=[*Learner.State.choices, ("any", "Any state")],
        method="filter_state",
        label="State",
        empty_label=None,
    )
    as_status = django_filters.ChoiceFilter(
        choices=[("none", "Not sent"), ("sent", "Sent to Apprenticeship Service")],
        method="filter_as_status",
        label="AS status",
        empty_label="Any",
    )
    as_agreement_id = django_filters.CharFilter(
        method="filter_agreement", label="AS Agreement ID", max_length=6
    )
    as_cohort = django_filters.CharFilter(method="filter_cohort", label="AS Cohort", max_length=20)

    class Meta:
        model = Learner
        fields: list[str] = []
        form = NamedErrorsForm  # "Standard code must be a number"

    def __init__(self, data: Any, queryset: QuerySet[Learner], choices: ChoiceLists) -> None:
        data = data.copy()
        data.setdefault("state", Learner.State.LIVE)
        super().__init__(data, queryset=queryset)
        for name, options in choices.as_filter_choices().items():
            self.filters[name].extra["choices"] = options

    def filter_search(
        self, queryset: QuerySet[Learner], name: str, value: str
    ) -> QuerySet[Learner]:
        value = value.strip()
        if not value:
            return queryset
        if value.isdigit() and len(value) == 10:
            return queryset.filter(learner_search(value))  # a ULN: the (provider, uln) index
        return queryset.filter(id__in=learner_search_matches(queryset, value))

    def filter_subcontractor(
        self, queryset: QuerySet[Learner], name: str, value: int
    ) -> QuerySet[Learner]:
        return queryset.filter(_aims_with(subcontractor_id=int(value)))

    def filter_contract(
        self, queryset: QuerySet[Learner], name: str, value: str
    ) -> QuerySet[Learner]:
        return queryset.filter(_aims_with(contract_id=int(value)))

    def filter_standard(
        self, queryset: QuerySet[Learner], name: str, value: Any
    ) -> QuerySet[Learner]:
        return queryset.filter(_aims_with(standard_id=int(value)))

    def filter_employer(
        self, queryset: QuerySet[Learner], name: str, value: str
    ) -> QuerySet[Learner]:
        return queryset.filter(
            Exists(EmploymentStatus.objects.filter(learner=OuterRef("pk"), employer_id=int(value)))
        )

    def filter_tag(self, queryset: QuerySet[Learner], name: str, value: str) -> QuerySet[Learner]:
        links = Learner.tags.through.objects.filter(learner_id=OuterRef("pk"), tag_id=int(value))
        return queryset.filter(Exists(links))

    def filter_state(self, queryset: QuerySet[Learner], name: str, value: str) -> QuerySet[Learner]:
        return queryset if value == "any" else queryset.filter(state=value)

    def filter_as_status(
        self, queryset: QuerySet[Learner], name: str, value: str
    ) -> QuerySet[Learner]:
        return queryset.filter(as_status="" if value == "none" else value)

    def filter_agreement(
        self, queryset: QuerySet[Learner], name: str, value: str
    ) -> QuerySet[Learner]:
        value = value.strip().upper()
        if not value:
            return queryset
        # The same rule as the AS Cohort Export's file: the status current today.
        return as_current_agreement_filter(queryset, agreement_id=value, today=timezone.localdate())

    def filter_cohort(
        self, queryset: QuerySet[Learner], name: str, value: str
    ) -> QuerySet[Learner]:
        value = value.strip().upper()
        return queryset.filter(as_cohort_code=value) if value else queryset

    def filters_in_use(self) -> set[str]:
        """The filters that narrow the list (the default 'live' state does not count)."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        used = {name for name, value in data.items() if value not in (None, "", [])}
        return used - {"state"} if data.get("state") == Learner.State.LIVE else used
